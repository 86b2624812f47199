//===- Expand.h - the steps of autopipe-expand-loops -----------*- C++ -*-===//
//
// autopipe-expand-loops runs, in the order of Triton's tritongpu-pipeline:
// load lowering, expansion of every scheduled loop (Expander.cpp: early MMAs
// speculated), async wgmma and its waits per loop (AsyncDots.cpp, with
// WgmmaWaits.h), the dropping of wait operands that only keep settled buffers
// alive (SettledWaitOperands.cpp), the sync-wgmma trial mark
// (SyncWgmmaTrial.cpp) and Triton's clean-up steps (in the pass). Each step
// is a function here so it can be read and tested alone (TestPasses.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_LIB_EXPAND_EXPAND_H
#define TRITON_AUTOPIPE_LIB_EXPAND_EXPAND_H

#include "triton-autopipe/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <string>

namespace mlir::autopipe::expand {

/// How wgmmas of expanded loops become asynchronous (option `async-dots`,
/// declared in Passes.td): Auto, Autopipe (ours, WgmmaWaits.h), Triton, Off.
using AsyncDotsMode = mlir::autopipe::AsyncDotsMode;

/// Collects the pass's per-loop lines: each is emitted as a remark (when
/// enabled) and kept for the text report.
class LoopReporter {
public:
  explicit LoopReporter(bool remarks) : remarks(remarks) {}
  /// "autopipe-expand-loops: loop at <loc>: <msg>".
  void say(Location loc, const std::string &msg);
  const std::string &text() const { return report; }

private:
  bool remarks;
  std::string report;
};

/// A loop the expander turned into prologue + kernel loop.
struct ExpandedLoop {
  scf::ForOp loop; ///< the kernel loop
  int stages;      ///< stages of its schedule
};

/// Expands every loop of `module` that carries a schedule (loop.stage /
/// loop.cluster), then resolves the masks and drops the schedule attributes.
/// With `speculateMMA`, MMAs of stages before the last run unpredicated.
/// Loops the expander rejects are left as they are, with a line in
/// `reporter`. Ops of the kernel loops keep their pre-expansion stage in
/// kExpandStageAttr (WgmmaWaits.h).
SmallVector<ExpandedLoop> expandScheduledLoops(ModuleOp module,
                                               bool speculateMMA,
                                               LoopReporter &reporter);

/// Makes wgmmas asynchronous under `mode`: Triton's asyncLaunchDots for the
/// loops of more than one stage that were not expanded (unless Off), and per
/// expanded loop the mode's choice, with one line per loop in `reporter`.
/// Returns true if `Auto` gave some loop our waits.
bool applyAsyncDots(ModuleOp module, ArrayRef<ExpandedLoop> expanded,
                    AsyncDotsMode mode, int numStages, LoopReporter &reporter);

/// Drops from every `ttng.warp_group_dot_wait` the memdesc operands whose
/// results are unused and that no asynchronous wgmma reads (they only keep
/// buffers of synchronous wgmmas alive). Returns the number dropped.
unsigned dropSettledWaitOperands(ModuleOp module);

/// Sets `autopipe.sync_wgmma_trial` = N on an sm90 module when shared memory
/// and warps would let N >= 2 of its CTAs share an SM.
void markSyncWgmmaTrial(ModuleOp module);

} // namespace mlir::autopipe::expand

#endif // TRITON_AUTOPIPE_LIB_EXPAND_EXPAND_H
