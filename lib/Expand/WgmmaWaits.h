//===- WgmmaWaits.h - async-wgmma waits at first need ----------*- C++ -*-===//
//
// The `autopipe` form of async-dots: every wgmma of an expanded kernel loop
// becomes asynchronous and one `ttng.warp_group_dot_wait {pendings = n}` goes
// right before each point that needs a wgmma instance complete (a reader of
// its result, the op rewriting its register operand, a write into a buffer
// slot it reads, the back edge), n being the wgmma groups issued since.
// Triton's asyncLaunchDots instead makes a dot synchronous as soon as anything
// but the next dot reads its result. Used by autopipe-expand-loops; the test
// pass `test-autopipe-wgmma-waits` runs it alone.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_LIB_EXPAND_WGMMAWAITS_H
#define TRITON_AUTOPIPE_LIB_EXPAND_WGMMAWAITS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "triton-autopipe/Attributes.h"

#include <string>

namespace mlir::autopipe::expand {

/// Stage of an op before expansion (i32), copied onto its clones by the
/// expander; the wait placement reads it to find which wgmma instance last
/// read a circular-buffer slot. Removed by autopipe-expand-loops at the end.
inline constexpr llvm::StringLiteral kExpandStageAttr = attr::kExpandStage;

/// What placeWgmmaWaits did to one loop.
struct WgmmaWaitsResult {
  /// Empty when the waits were placed; otherwise why the loop cannot be
  /// handled (then the IR is unchanged).
  std::string rejection;
  unsigned numDots = 0;  ///< wgmmas made asynchronous
  unsigned numWaits = 0; ///< waits placed in the body (the one after the loop
                         ///< not counted)
  bool placed() const { return rejection.empty(); }
};

/// Makes every `ttng.warp_group_dot` of the body of `loop` (an expanded
/// kernel loop) asynchronous, places the waits each needs in the body and a
/// `pendings = 0` wait after the loop. The loop is rejected, untouched, when
/// it already has waits, a wgmma sits in a nested region, accumulates in
/// something other than f32, reads shared memory that is neither
/// loop-invariant nor a slot of a circular buffer, or the loop carries no
/// tensor to order waits on.
WgmmaWaitsResult placeWgmmaWaits(scf::ForOp loop);

} // namespace mlir::autopipe::expand

#endif // TRITON_AUTOPIPE_LIB_EXPAND_WGMMAWAITS_H
