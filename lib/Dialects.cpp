//===- Dialects.cpp - register Triton's dialects through libtriton --------===//
//
// The Triton wheel ships headers for only some of its dialects (none for amdg,
// nvg, nvws), and our LLVM/MLIR headers are a stand-in for Triton's exact
// LLVM, so `sizeof` of an upstream dialect class seen here is no proof of
// libtriton's. We therefore never allocate a dialect ourselves: we call the
// `DialectRegistry::insert<...>()` instantiations that libtriton.so exports
// (those behind Triton's `ir.load_dialects`, `amd.load_dialects` and
// `nvidia.load_dialects`), so every dialect object is created by libtriton's
// code with libtriton's layout.
//
// An inline template cannot be made to bind to another library's copy from
// C++ alone (the compiler instantiates the body), so each instantiation is
// declared by its mangled name as a function taking the registry as its
// implicit `this` (the Itanium C++ ABI passes it as the first argument).
// `-Wl,--no-undefined` proves at link time that libtriton exports each one.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Dialects.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

namespace {
using InsertFn = void (*)(DialectRegistry *);
}

// insert<TritonDialect, TritonGPUDialect, TritonInstrumentDialect,
//        TritonNvidiaGPUDialect, MathDialect, ArithDialect, SCFDialect,
//        GPUDialect, ControlFlowDialect, LLVMDialect, UBDialect, GluonDialect>
extern "C" void autopipe_insert_core_dialects(DialectRegistry *) __asm__(
    "_ZN4mlir15DialectRegistry6insertINS_6triton13TritonDialectENS2_3gpu16Trito"
    "nGPUDialectEJNS2_10instrument23TritonInstrumentDialectENS2_10nvidia_gpu22T"
    "ritonNvidiaGPUDialectENS_4math11MathDialectENS_5arith12ArithDialectENS_3sc"
    "f10SCFDialectENS_3gpu10GPUDialectENS_2cf18ControlFlowDialectENS_4LLVM11LLV"
    "MDialectENS_2ub9UBDialectENS2_5gluon12GluonDialectEEEEvv");
// insert<NVVMDialect, ROCDLDialect, TritonAMDGPUDialect>
extern "C" void autopipe_insert_amd_dialects(DialectRegistry *) __asm__(
    "_ZN4mlir15DialectRegistry6insertINS_4NVVM11NVVMDialectENS_5ROCDL12ROCDLDia"
    "lectEJNS_6triton6amdgpu19TritonAMDGPUDialectEEEEvv");
// insert<TritonNvidiaGPUDialect, NVGPUDialect, NVWSDialect>
extern "C" void autopipe_insert_nvidia_dialects(DialectRegistry *) __asm__(
    "_ZN4mlir15DialectRegistry6insertINS_6triton10nvidia_gpu22TritonNvidiaGPUDi"
    "alectENS2_5nvgpu12NVGPUDialectEJNS2_4nvws11NVWSDialectEEEEvv");

void mlir::autopipe::registerTritonDialects(DialectRegistry &registry) {
  autopipe_insert_core_dialects(&registry);
  autopipe_insert_amd_dialects(&registry);
  autopipe_insert_nvidia_dialects(&registry);
}
