//===- TargetInfo.h - what the passes need to know of a target -*- C++ -*-===//
//
// One description of the GPU a module is compiled for, parsed once from its
// `ttg.target` ("cuda:<cc>" / "hip:<arch>"), `ttg.num-warps` and
// `ttg.threads-per-warp`: the copy engines it has (cp.async, TMA, gfx950
// direct-to-LDS loads) and its shared-memory and per-SM limits. Passes ask it
// instead of re-parsing the target string, so every limit lives here once.
// The per-SM figures of the Python driver (triton_autopipe/occupancy.py)
// mirror the sm90 ones below.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_TARGETINFO_H
#define TRITON_AUTOPIPE_TARGETINFO_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::autopipe {

enum class TargetKind { Unknown, CUDA, HIP };

/// Checks the module attributes Triton's utilities read without checking
/// (`ttg.num-warps`, `ttg.threads-per-warp`, `ttg.num-ctas`): each present
/// one a signless integer power of two in 1..1024, and `ttg.num-warps` and
/// `ttg.threads-per-warp` present. An error on the module naming `pass` and
/// the attribute otherwise: run it before handing the module to Triton's
/// pipeliner, which asserts on such input.
LogicalResult checkModuleAttributes(ModuleOp module, llvm::StringRef pass);

/// Checks what Triton's shared-memory allocation (ModuleAllocation) sizes
/// without checking: every value a `ttg.warp_specialize` captures is a
/// scalar, a pointer or shared memory (a tensor aborts it with LLVM ERROR).
/// An error on the op naming `pass` and the type otherwise: run it before
/// constructing a ModuleAllocation.
LogicalResult checkAllocatable(ModuleOp module, llvm::StringRef pass);

struct TargetInfo {
  TargetKind kind = TargetKind::Unknown;
  /// `ttg.target` as written ("" when the module has none).
  std::string target;
  /// CUDA compute capability (80, 90, ...); 0 on other targets or when the
  /// number does not parse.
  int computeCapability = 0;
  /// HIP architecture ("gfx942", "gfx950"); "" on other targets.
  std::string arch;
  /// `ttg.num-warps` / `ttg.threads-per-warp`; 0 when absent.
  int numWarps = 0;
  int threadsPerWarp = 0;

  /// Tensor-descriptor loads lower through TMA (sm90 and later).
  bool hasTMA = false;
  /// Global-to-shared asynchronous copies exist: cp.async (sm80 and later)
  /// or direct-to-LDS loads of 16 bytes a lane (gfx950).
  bool hasAsyncCopy = false;
  /// The async copies are gfx950 direct-to-LDS loads (global_load_lds_dwordx4).
  bool directToLDSAsync = false;

  /// Shared memory (LDS) one block may use, in bytes; 0 when unknown (no
  /// budget).
  int64_t sharedMemoryPerBlock = 0;
  /// Shared memory of one SM, and what the hardware reserves of it per
  /// resident CTA; 0 when unknown.
  int64_t sharedMemoryPerSM = 0;
  int64_t sharedReservedPerCTA = 0;
  /// Resident warps / CTAs / 32-bit registers of one SM; 0 when unknown.
  int warpsPerSM = 0;
  int ctasPerSM = 0;
  int registersPerSM = 0;

  bool isCUDA() const { return kind == TargetKind::CUDA; }
  bool isHIP() const { return kind == TargetKind::HIP; }

  /// From a `ttg.target` string alone (numWarps, threadsPerWarp stay 0).
  static TargetInfo fromTarget(llvm::StringRef target);
  /// From a module's `ttg.target`, `ttg.num-warps`, `ttg.threads-per-warp`.
  static TargetInfo fromModule(ModuleOp module);
};

} // namespace mlir::autopipe

#endif // TRITON_AUTOPIPE_TARGETINFO_H
