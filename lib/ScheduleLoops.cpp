//===- ScheduleLoops.cpp - our loop scheduler (stage/cluster assignment) -===//
//
// `autopipe-schedule-loops` replaces Triton 3.9's `tritongpu-assign-latencies`
// + `tritongpu-schedule-loops` (and, on AMD, `tritonamdgpu-schedule-loops`).
// It writes the schedule as data, in the form Triton's pipeliners consume
// (`loop.stage` / `loop.cluster` on ops, `tt.scheduled_max_stage` on the loop,
// see Schedule.h), plus `autopipe.schedule = "<kind>"` on the loop. The steps
// (latency model, choice, shared-memory fit, default and attention schedules)
// are in lib/Schedule/ (Scheduler.h). Loops it cannot pipeline safely are left
// untouched with a remark naming the loop and the reason; a computed schedule
// is checked with verifySchedule and dropped, with a remark, if it would break
// a dependency. Options: include/triton-autopipe/Passes.td (docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "Schedule/Scheduler.h"
#include "triton-autopipe/Attributes.h"
#include "triton-autopipe/TargetInfo.h"

#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/Twine.h"

#include "triton/Analysis/Allocation.h"
#include "triton/Analysis/AxisInfo.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"
#include "triton/Dialect/TritonGPU/Transforms/Utility.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::sched;
namespace tt = mlir::triton;

namespace mlir::autopipe {
#define GEN_PASS_DEF_SCHEDULELOOPSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

constexpr llvm::StringLiteral kKindAttr = attr::kScheduleKind;

using Kind = ScheduleKind;

/// How one loop came out.
struct LoopOutcome {
  enum class Status { Scheduled, LeftAsIs, Error };
  Status status;
  /// The remark (or, for Error, the error): the schedule and why, or why the
  /// loop was left as is.
  std::string message;
};

LoopOutcome leftAsIs(std::string why) {
  return {LoopOutcome::Status::LeftAsIs, std::move(why)};
}

/// Why `loop` (of `numStages` stages) is not for us, if it is not.
std::optional<std::string> whyNotEligible(scf::ForOp loop, int numStages) {
  Block *body = loop.getBody();
  for (Operation &op : body->without_terminator())
    if (op.hasAttr(kStageAttr) || op.hasAttr(kClusterAttr))
      return "already scheduled; left as is";
  if (body->walk([](scf::ForOp) { return WalkResult::interrupt(); })
          .wasInterrupted())
    return "not an innermost loop (holds an scf.for); left as is";
  bool barrier = body->walk([](Operation *op) {
                       return op->getName().getStringRef().ends_with("barrier")
                                  ? WalkResult::interrupt()
                                  : WalkResult::advance();
                     })
                     .wasInterrupted();
  if (barrier || !tt::gpu::isSafeToPipeline(loop))
    return "not safe to pipeline (GPU barrier, loop-carried distance > 1 or "
           "outer loop); left as is";
  if (numStages <= 1)
    return "num_stages = " + std::to_string(numStages) +
           ": nothing to pipeline; left as is";
  return std::nullopt;
}

/// Builds the schedule of `plan` into `s`: the kind's anchors, the pins and,
/// unless only anchors are scheduled, every other op. Returns a pin error.
std::optional<std::string> buildSchedule(tt::CoarseSchedule &s, scf::ForOp loop,
                                         const StagePlan &plan,
                                         const LoopAnalysis &a,
                                         const LatencyModel &latency,
                                         const SchedulerConfig &config) {
  Block *body = loop.getBody();
  if (plan.kind == Kind::Default)
    buildDefaultSchedule(s, a, plan.stages, latency, config);
  else
    buildAttentionSchedule(s, a, plan.kind, loop);
  if (std::optional<std::string> pinError = applyPins(s, body, plan.stages))
    return pinError;
  if (!config.anchorsOnly) {
    tt::scheduleDependencies(loop, s);
    scheduleLoopCarriedProducers(s, body);
    scheduleRemaining(s, body, plan.stages - 1, s.clusters.begin());
  }
  return std::nullopt;
}

/// Writes `s` onto the loop and checks it; a schedule that would break a
/// dependency is removed again (never handed to the expander).
LoopOutcome commitSchedule(tt::CoarseSchedule &s, scf::ForOp loop, Kind kind,
                           const LoopAnalysis &a, const std::string &why) {
  s.serialize(loop);
  OpBuilder b(loop);
  loop->setAttr(kKindAttr, b.getStringAttr(scheduleKindName(kind)));
  SmallVector<ScheduleProblem> problems;
  LoopSchedule check = readSchedule(loop, problems);
  verifySchedule(check, problems);
  if (!problems.empty()) {
    dropSchedule(loop);
    loop->removeAttr(kKindAttr);
    return leftAsIs((scheduleKindName(kind) +
                     " schedule would break a dependency ('" +
                     problems.front().op->getName().getStringRef() + "' " +
                     problems.front().message + "); left as is")
                        .str());
  }
  return {LoopOutcome::Status::Scheduled,
          (scheduleKindName(kind) + " schedule, " + Twine(check.maxStage + 1) +
           " stages, " + Twine(a.loads.size()) + " pipelined load(s) (" + why +
           ")")
              .str()};
}

/// Schedules one loop under `requested` (the `schedule` option).
LoopOutcome scheduleLoop(scf::ForOp loop, Kind requested,
                         const SchedulerConfig &config,
                         tt::ModuleAxisInfoAnalysis &axisInfo) {
  int numStages = tt::getNumStagesOrDefault(loop, config.defaultStages);
  if (std::optional<std::string> why = whyNotEligible(loop, numStages))
    return leftAsIs(*why);
  LatencyModel latency(config, axisInfo);
  LoopAnalysis a = analyzeLoop(loop, latency, config);
  if (a.loads.empty())
    return leftAsIs("no pipelinable load (no load feeding an MMA operand that "
                    "can become an async copy, nor, in a loop without MMA "
                    "with tt.num_stages, any such load" +
                    (a.note.empty() ? std::string() : "; " + a.note) +
                    "); left as is");
  Decision decision = chooseSchedule(requested, a, loop, config.isHip);
  std::string why = decision.reason;
  if (!a.note.empty())
    why += "; " + a.note;
  StagePlan plan = fitStagesToSharedMemory(decision.kind, numStages, a, config);
  if (!plan.rejection.empty())
    return leftAsIs(plan.rejection);
  why += plan.note;
  tt::CoarseSchedule s(plan.stages);
  if (std::optional<std::string> pinError =
          buildSchedule(s, loop, plan, a, latency, config))
    return {LoopOutcome::Status::Error, *pinError};
  return commitSchedule(s, loop, plan.kind, a, why);
}

/// Shared memory the kernel has left for `loop`'s buffers: the target's
/// `limit` minus what is live while the loop runs, besides this loop's
/// per-iteration tiles (the buffers replace them). (The stage count is only
/// estimated here: every loaded tile is assumed buffered;
/// autopipe-allocate-buffers checks the real set.)
int64_t sharedBudgetOf(ModuleAllocation &allocation, scf::ForOp loop,
                       int64_t limit) {
  int64_t live = loopSharedMemory(allocation, loop).peak([&](Operation *op) {
    auto alloc = dyn_cast<tt::gpu::LocalAllocOp>(op);
    return (alloc && alloc.getSrc() &&
            op->getParentOp() == loop.getOperation()) ||
           isConversionOfLoad(op);
  });
  return std::max<int64_t>(1, limit - live);
}

/// Emits the loop's remark (or error) and appends it to `report`; returns
/// false for an error.
bool reportOutcome(scf::ForOp loop, const LoopOutcome &outcome, bool remarks,
                   std::string &report) {
  std::string where = "loop at " + formatLocation(loop.getLoc());
  if (outcome.status == LoopOutcome::Status::Error) {
    loop.emitError() << "autopipe-schedule-loops: " << where << ": "
                     << outcome.message;
    return false;
  }
  if (remarks)
    loop.emitRemark() << "autopipe-schedule-loops: " << where << ": "
                      << outcome.message;
  report += "autopipe-schedule-loops: " + where + ": " + outcome.message + "\n";
  return true;
}

struct ScheduleLoopsPass
    : public autopipe::impl::ScheduleLoopsPassBase<ScheduleLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Kind kind = schedule;
    if (numStages < 1) {
      module.emitError() << "autopipe-schedule-loops: num-stages must be >= 1, "
                            "got "
                         << static_cast<int>(numStages);
      return signalPassFailure();
    }
    if (stagedBytes < 0) {
      module.emitError() << "autopipe-schedule-loops: staged-bytes must be "
                            ">= 0, got "
                         << static_cast<int>(stagedBytes);
      return signalPassFailure();
    }
    if (failed(checkLoopAttributes(module, getArgument())))
      return signalPassFailure();
    TargetInfo info = TargetInfo::fromModule(module);
    bool anyLoop = false;
    module.walk([&](scf::ForOp) { anyLoop = true; });
    if (anyLoop && (info.isCUDA() || info.isHIP()) &&
        failed(checkModuleAttributes(module, getArgument())))
      return signalPassFailure();
    auto target = module->getAttrOfType<StringAttr>(attr::kTarget);
    bool isHip = target && target.getValue().starts_with("hip:");
    int64_t limit = info.sharedMemoryPerBlock;
    std::optional<ModuleAllocation> allocation;
    if (limit > 0) {
      if (failed(checkAllocatable(module, getArgument())))
        return signalPassFailure();
      allocation.emplace(module);
    }

    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    if (loops.empty())
      return;
    tt::ModuleAxisInfoAnalysis axisInfo(module);
    // Our HIP lowering register-stages the tiles on gfx942 and copies
    // them straight into LDS on gfx950 (autopipe-allocate-buffers,
    // copy=auto).
    bool stagedTiles = isHip && target.getValue() != "hip:gfx950";
    SchedulerConfig config;
    config.isHip = isHip;
    config.defaultStages = static_cast<int>(numStages);
    config.anchorsOnly = isHip && !complete;
    config.stagedTiles = stagedTiles;
    config.stagedLoads = stagedLoads;
    config.stagedBytes = stagedBytes;
    bool failedAny = false;
    std::string report;
    for (scf::ForOp loop : loops) {
      config.sharedBudget =
          allocation ? sharedBudgetOf(*allocation, loop, limit) : 0;
      LoopOutcome outcome = scheduleLoop(loop, kind, config, axisInfo);
      failedAny |= !reportOutcome(loop, outcome, remarks, report);
    }
    if (failed(writeTextReport(output, report, module, getArgument())))
      return signalPassFailure();
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
