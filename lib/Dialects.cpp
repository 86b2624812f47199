//===- Dialects.cpp - register Triton's dialects without their headers ----===//
//
// The Triton wheel ships headers for tt, ttg, ttng, gluon and tti, but not for
// the AMD (`amdg`), Triton-NVGPU (`nvg`) or NVWS (`nvws`) dialects. Their
// classes are compiled into libtriton.so, which exports their constructors,
// destructors and TypeIDs; only the class declaration is missing. We declare
// each one here with the same name, base and constructor, so
// `DialectRegistry::insert<T>()` links against libtriton's definitions.
//
// Dialects with headers are constructed through `registry.insert<T>()`, i.e.
// with `sizeof(T)` as our headers see it; the ABI check (abi/types.txt)
// compares those sizes with libtriton's DWARF. For the three declared here we
// choose the size: the declarations carry generous trailing padding, so the
// storage is never smaller than libtriton's class (the object is freed by
// libtriton's virtual deleting destructor, whatever its size).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Dialects.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectRegistry.h"


#include "triton/Dialect/Gluon/IR/Dialect.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonInstrument/IR/Dialect.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

#define AUTOPIPE_DECLARE_EXTERNAL_DIALECT(NS, CLASS, NAME)                     \
  namespace NS {                                                               \
  class CLASS : public ::mlir::Dialect {                                       \
  public:                                                                      \
    explicit CLASS(::mlir::MLIRContext *context);                              \
    ~CLASS() override;                                                         \
    static constexpr ::llvm::StringLiteral getDialectNamespace() {             \
      return ::llvm::StringLiteral(NAME);                                      \
    }                                                                          \
                                                                               \
  private:                                                                     \
    [[maybe_unused]] char padding[4096];                                       \
  };                                                                           \
  }                                                                            \
  MLIR_DECLARE_EXPLICIT_TYPE_ID(NS::CLASS)

AUTOPIPE_DECLARE_EXTERNAL_DIALECT(mlir::triton::amdgpu, TritonAMDGPUDialect,
                                  "amdg")
AUTOPIPE_DECLARE_EXTERNAL_DIALECT(mlir::triton::nvgpu, NVGPUDialect, "nvg")
AUTOPIPE_DECLARE_EXTERNAL_DIALECT(mlir::triton::nvws, NVWSDialect, "nvws")

void mlir::autopipe::registerTritonDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, cf::ControlFlowDialect,
                  func::FuncDialect, gpu::GPUDialect, LLVM::LLVMDialect,
                  math::MathDialect, NVVM::NVVMDialect, ROCDL::ROCDLDialect,
                  scf::SCFDialect, ub::UBDialect, triton::TritonDialect,
                  triton::gpu::TritonGPUDialect,
                  triton::nvidia_gpu::TritonNvidiaGPUDialect,
                  triton::gluon::GluonDialect,
                  triton::instrument::TritonInstrumentDialect,
                  triton::amdgpu::TritonAMDGPUDialect,
                  triton::nvgpu::NVGPUDialect, triton::nvws::NVWSDialect>();
}
