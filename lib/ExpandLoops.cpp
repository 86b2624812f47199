//===- ExpandLoops.cpp - loop expansion and async MMA waits --------------===//
//
// `autopipe-expand-loops` turns every scheduled scf.for into a software
// pipeline (prologue + kernel loop, from the `loop.stage` / `loop.cluster`
// schedule of Schedule.h) and makes its wgmmas asynchronous with waits where
// they are needed. It replaces Triton 3.9's `tritongpu-pipeline` in our CUDA
// `make_ttgir` (and, after autopipe-allocate-buffers, the AMD stream
// pipeliner's expansion) and keeps its order of steps; each step lives in
// lib/Expand/ (Expand.h). Loops the expander rejects stay as they are (still
// correct, with a remark). Options: include/triton-autopipe/Passes.td
// (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "Expand/Expand.h"
#include "Expand/WgmmaWaits.h"

#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_EXPANDLOOPSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

/// Triton's last steps of tritongpu-pipeline: async-copy wait counts, arith
/// canonicalization, TMA store pipelining of loops of more than one stage.
LogicalResult finishPipelining(ModuleOp module, int numStages) {
  tt::updateWaits(module);
  RewritePatternSet patterns(module.getContext());
  module.getContext()
      ->getLoadedDialect<arith::ArithDialect>()
      ->getCanonicalizationPatterns(patterns);
  if (failed(applyPatternsGreedily(module, std::move(patterns))))
    return failure();
  SmallVector<scf::ForOp> after;
  module.walk([&](scf::ForOp loop) {
    if (tt::getNumStagesOrDefault(loop, numStages) > 1)
      after.push_back(loop);
  });
  for (scf::ForOp loop : after)
    tt::pipelineTMAStores(loop);
  return success();
}

/// Steps 2-4 of the pass (after the load lowering), with the option values;
/// `isSm90` enables the sync-wgmma trial mark.
LogicalResult expandModule(ModuleOp module, int numStages, bool speculateMMA,
                           expand::AsyncDotsMode asyncDots, bool isSm90,
                           expand::LoopReporter &reporter) {
  // 2. Expansion.
  SmallVector<expand::ExpandedLoop> expanded =
      expand::expandScheduledLoops(module, speculateMMA, reporter);
  // 3. Async wgmma and its waits.
  bool autoPickedOurs =
      expand::applyAsyncDots(module, expanded, asyncDots, numStages, reporter);
  module.walk([](Operation *op) { op->removeAttr(expand::kExpandStageAttr); });
  expand::dropSettledWaitOperands(module);
  if (autoPickedOurs && isSm90)
    expand::markSyncWgmmaTrial(module);
  // 4. Copy waits, cleanup, TMA stores.
  return finishPipelining(module, numStages);
}

struct ExpandLoopsPass
    : public autopipe::impl::ExpandLoopsPassBase<ExpandLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (numStages < 1) {
      module.emitError() << "autopipe-expand-loops: num-stages must be >= 1, "
                            "got "
                         << static_cast<int>(numStages);
      return signalPassFailure();
    }

    if (failed(checkLoopAttributes(module, getArgument())))
      return signalPassFailure();
    expand::LoopReporter reporter(remarks);
    // 0. Triton's expander asserts (or worse) on a schedule it cannot take:
    // such loops lose their schedule and stay as they are.
    dropUnexpandableSchedules(
        module, [&](scf::ForOp loop, const ScheduleProblem &problem) {
          reporter.say(loop.getLoc(),
                       "left as is: its schedule cannot be expanded (" +
                           describeProblem(problem) + ")");
        });

    // 1. Load lowering for what is still synchronous (CUDA: Triton's cp.async
    // / TMA lowering; on HIP a load autopipe-allocate-buffers left alone
    // stays a load whose value the expansion carries in registers).
    auto target = module->getAttrOfType<StringAttr>("ttg.target");
    bool anyScheduled = false;
    module.walk([&](scf::ForOp loop) { anyScheduled |= hasSchedule(loop); });
    bool gpu = target && (target.getValue().starts_with("cuda:") ||
                          target.getValue().starts_with("hip:"));
    if (anyScheduled && gpu &&
        failed(checkModuleAttributes(module, getArgument())))
      return signalPassFailure();
    if (target && target.getValue().starts_with("cuda:"))
      ttg::lowerLoops(module);

    if (failed(expandModule(module, numStages, speculateMMA, asyncDots,
                            target && target.getValue() == "cuda:90",
                            reporter)))
      return signalPassFailure();
    if (failed(writeTextReport(output, reporter.text(), module, getArgument())))
      return signalPassFailure();
  }
};

} // namespace
