//===- WarpPipeline.h - shared pieces of the AMD warp-pipeline passes -*- C++
//-*-===//
//
// Attribute names of Triton 3.9's AMD warp-pipeline IR (Gluon's
// `gl.amd.warp_pipeline_stage`), and the check both of our warp-pipeline
// passes run on the ops of a stage: an op that needs a CTA-wide barrier of its
// own cannot live inside a stage, because its barrier would pair with a stage
// boundary barrier of the other warp group and break the leap-frog schedule.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_WARPPIPELINE_H
#define TRITON_AUTOPIPE_WARPPIPELINE_H

#include "triton-autopipe/Attributes.h"
#include "triton-autopipe/Schedule.h"

#include "triton/Analysis/Allocation.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::autopipe::warp_pipeline {

/// On a `rocdl.sched.barrier` border marker: label of the stage it closes.
inline constexpr llvm::StringLiteral kBorderAttr = attr::kWarpPipelineBorder;
/// On a border marker or a stage region: the stage's `s_setprio` priority.
inline constexpr llvm::StringLiteral kPriorityAttr =
    attr::kWarpPipelinePriority;
/// On a stage `scf.execute_region`: the stage label.
inline constexpr llvm::StringLiteral kStageRegionAttr =
    attr::kWarpPipelineStage;
/// On an `scf.for` whose body is a sequence of stage regions.
inline constexpr llvm::StringLiteral kPipelinedForAttr =
    attr::kWarpPipelinePipelinedFor;
/// On an `scf.for` our lowering has turned into a leap-frog schedule.
inline constexpr llvm::StringLiteral kLoweredAttr = attr::kWarpPipelineLowered;

/// Ops that are a CTA-wide barrier or wait by themselves.
inline bool isBarrierLike(Operation *op) {
  llvm::StringRef n = op->getName().getStringRef();
  return n == "ttg.barrier" || n == "gpu.barrier" || n == "rocdl.s.barrier" ||
         n == "rocdl.barrier" || n == "ttg.async_wait" ||
         n == "amdg.async_wait" || n == "amdg.async_tdm_wait";
}

/// Barrier ops proper (as opposed to waits on asynchronous copies).
inline bool isBarrierOp(Operation *op) {
  llvm::StringRef n = op->getName().getStringRef();
  return n == "ttg.barrier" || n == "gpu.barrier" || n == "rocdl.s.barrier" ||
         n == "rocdl.barrier";
}

/// Why `op`, placed inside a warp-pipeline stage, needs a CTA-wide barrier of
/// its own; nullopt if it does not. `alloc` (may be null) is Triton's shared
/// memory allocation of the enclosing function: an op with a scratch buffer
/// (layout conversion through LDS, reduction or scan across warps, ...) is
/// synchronized by Membar with barriers around it.
inline std::optional<std::string> needsOwnBarrier(Operation *op,
                                                  Allocation *alloc) {
  llvm::StringRef n = op->getName().getStringRef();
  if (n == "scf.for" || n == "scf.while")
    return std::string("a nested loop (its body would need its own barriers "
                       "and breaks the barrier count of the schedule)");
  if (isBarrierLike(op))
    return std::string("an explicit barrier or wait");
  if (n == "tt.call")
    return std::string("a call (the callee may synchronize the CTA)");
  if (alloc && alloc->getBufferId(op) != Allocation::InvalidBufferId) {
    std::string what = n == "ttg.convert_layout"
                           ? "a layout conversion through shared memory"
                       : n == "tt.reduce" ? "a reduction across warps"
                       : n == "tt.scan"   ? "a scan across warps"
                                          : "an op with a shared-memory "
                                            "scratch buffer";
    return what + " (Membar puts CTA-wide barriers around it)";
  }
  return std::nullopt;
}

/// How remarks and errors name a warp-pipeline loop.
inline std::string loopName(scf::ForOp loop) {
  return "scf.for at " + formatLocation(loop.getLoc());
}

/// The error for `op` (found in stage `index`, labelled `label`, of `loop`)
/// that needs a CTA-wide barrier of its own for the reason `why` (see
/// needsOwnBarrier); both passes report it in these words.
inline void emitNeedsOwnBarrier(Operation *op, llvm::StringRef label,
                                unsigned index, scf::ForOp loop,
                                llvm::StringRef why) {
  op->emitError() << "'" << op->getName() << "' in warp-pipeline stage '"
                  << label << "' (stage " << index << " of " << loopName(loop)
                  << ") is " << why
                  << ", which needs a CTA-wide barrier of its own inside the "
                     "stage; move it to a stage boundary (before or after the "
                     "warp_pipeline_stage block, or out of the loop)";
}

/// auto-partition (WarpPipelinePartition.cpp): if `module` has
/// `requiredWarps` warps (ttg.num-warps), splits every plain GEMM loop into
/// "load", "compute" and "store" stages by adding border markers, and appends
/// each loop it split to `loops` (which holds the loops that already carry
/// markers, left alone). A loop it refuses gets a remark naming the op and the
/// reason.
void partitionGemmLoops(ModuleOp module, int requiredWarps,
                        llvm::SmallVectorImpl<scf::ForOp> &loops);

} // namespace mlir::autopipe::warp_pipeline

#endif // TRITON_AUTOPIPE_WARPPIPELINE_H
