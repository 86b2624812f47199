//===- Expander.cpp - prologue/kernel expansion, early MMAs speculated ----===//
//
// Expands each scheduled loop with Triton's exported PipelineExpander (dynamic
// trip counts, epilogue not peeled: ops of iterations past the end are
// predicated). Our predicate function differs from Triton's in one place: an
// MMA (`ttng.warp_group_dot`, `tt.dot`) of a stage before the last runs
// unpredicated. It reads only registers and shared memory allocated for the
// whole loop and writes only its own result, which is dead in the iterations
// it computes past the end; under Triton's `scf.if` a wgmma can only be
// synchronous, which would undo computation pipelining.
//
//===----------------------------------------------------------------------===//
#include "Expand.h"
#include "WgmmaWaits.h"

#include "triton-autopipe/Schedule.h"

#include "mlir/IR/PatternMatch.h"

#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipelineExpander.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::expand;
namespace tt = mlir::triton;
namespace ttng = mlir::triton::nvidia_gpu;

namespace {

/// The expander's predicate function: MMAs run unpredicated when
/// `speculateMMA`, every other op of an iteration past the end is masked.
Operation *predicateOrSpeculate(RewriterBase &rewriter, Operation *op,
                                Value pred, bool speculateMMA) {
  if (speculateMMA && isa<ttng::WarpGroupDotOp, tt::DotOp>(op))
    return op;
  return tt::wrapInMaskOp(rewriter, op, pred);
}

/// Expands one loop by its deserialized `schedule`.
FailureOr<scf::ForOp> expandLoop(scf::ForOp loop, tt::CoarseSchedule &schedule,
                                 bool speculateMMA) {
  for (Operation &op : loop.getBody()->without_terminator())
    if (auto s = op.getAttrOfType<IntegerAttr>(kStageAttr))
      op.setAttr(kExpandStageAttr, s);
  std::vector<std::pair<Operation *, unsigned>> finalSchedule =
      schedule.createFinalSchedule(loop);
  tt::PipeliningOption options;
  options.supportDynamicLoops = true;
  options.peelEpilogue = false;
  options.predicateFn = [speculateMMA](RewriterBase &rewriter, Operation *op,
                                       Value pred) {
    return predicateOrSpeculate(rewriter, op, pred, speculateMMA);
  };
  options.getScheduleFn =
      [&](scf::ForOp, std::vector<std::pair<Operation *, unsigned>> &s) {
        s = finalSchedule;
      };
  IRRewriter rewriter(loop);
  return tt::pipelineForLoop(rewriter, loop, options);
}

} // namespace

void LoopReporter::say(Location loc, const std::string &msg) {
  std::string line =
      "autopipe-expand-loops: loop at " + formatLocation(loc) + ": " + msg;
  if (remarks)
    mlir::emitRemark(loc) << line;
  report += line + "\n";
}

SmallVector<ExpandedLoop> expand::expandScheduledLoops(ModuleOp module,
                                                       bool speculateMMA,
                                                       LoopReporter &reporter) {
  SmallVector<scf::ForOp> loops;
  module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  SmallVector<ExpandedLoop> expanded;
  for (scf::ForOp loop : loops) {
    tt::CoarseSchedule schedule;
    if (failed(schedule.deSerialize(loop)))
      continue;
    Location loc = loop.getLoc();
    int stages = schedule.getNumStages();
    FailureOr<scf::ForOp> newLoop = expandLoop(loop, schedule, speculateMMA);
    if (failed(newLoop)) {
      reporter.say(loc, "left as is: Triton's loop expander rejected the "
                        "schedule (" +
                            std::to_string(stages) + " stages)");
      continue;
    }
    expanded.push_back({*newLoop, stages});
  }
  tt::resolveMaskOp(module);
  tt::removePipeliningAttributes(module);
  return expanded;
}
