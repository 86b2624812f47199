//===- DefaultSchedule.cpp - the default schedule, and its common steps ---===//
//
// The default schedule: loads and their address math in stage 0, their MMAs
// in the last stage. In body order the MMAs come first and the loads for
// future iterations after them, except where a loaded tile is staged through
// registers (HIP with a complete schedule, CUDA `staged-loads`): those loads
// open the body, so their latency overlaps the MMA before the tile is stored
// into its slot at the end. Also the steps every schedule shares: loop-carried
// producers (pointer increments) one stage after their consumers, the rest in
// the last stage, and `autopipe.stage` pins.
//
//===----------------------------------------------------------------------===//
#include "Scheduler.h"
#include "triton-autopipe/Attributes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Twine.h"

#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Utility.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::sched;
namespace tt = mlir::triton;

namespace {
/// An op carrying `autopipe.stage = N : i32` is pinned to stage N.
constexpr llvm::StringLiteral kPinAttr = attr::kPinnedStage;
} // namespace

void sched::buildDefaultSchedule(tt::CoarseSchedule &s, const LoopAnalysis &a,
                                 int S, const LatencyModel &latency,
                                 const SchedulerConfig &config) {
  // Cluster order = order in the pipelined body: MMAs and their operands
  // first, then the loads for future iterations. On HIP with a complete
  // schedule the loads are issued first (their data is staged through
  // registers into LDS at the end of the body, so the global latency overlaps
  // the MMA), as in Triton's AMD stream pipeliner.
  bool loadsFirst = config.isHip && !config.anchorsOnly;
  tt::CoarseSchedule::Cluster loadCluster, mmaCluster;
  if (loadsFirst) {
    loadCluster = s.clusters.newAtBack();
    mmaCluster = s.clusters.newAtBack();
  } else {
    mmaCluster = s.clusters.newAtBack();
    loadCluster = s.clusters.newAtBack();
  }
  // CUDA loads that cannot be async copies (`staged-loads`) are register-
  // staged: issued first in the body, like on HIP, so their latency overlaps
  // the MMA before their value is stored into the slot at the end.
  std::optional<tt::CoarseSchedule::Cluster> stagedCluster;
  for (auto &[load, use] : a.loads) {
    bool staged = latency.registerStaged(load);
    if (staged && !stagedCluster)
      stagedCluster = s.clusters.newAtFront();
    s.insert(load, 0, staged ? *stagedCluster : loadCluster);
    if (use.first) // no MMA: the consumers go to S - 1 with the rest
      s.insertIfAbsent(use.first, S - 1, mmaCluster);
  }
}

void sched::scheduleLoopCarriedProducers(tt::CoarseSchedule &s, Block *body) {
  // A value yielded to the next iteration and consumed there by an op of
  // stage st runs in stage st + 1, in a cluster just before that op's
  // cluster: same kernel iteration, producer first.
  llvm::DenseMap<tt::CoarseSchedule::ClusterHash, tt::CoarseSchedule::Cluster>
      before;
  int numStages = s.getNumStages();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  for (Operation &op : body->without_terminator()) {
    if (!s.contains(&op))
      continue;
    auto [stage, cluster] = s[&op];
    if (stage == numStages - 1)
      continue;
    for (Value operand : getNestedOperands(&op)) {
      auto arg = dyn_cast<BlockArgument>(operand);
      if (!arg || arg.getOwner() != body || arg.getArgNumber() == 0)
        continue;
      Operation *def = yield.getOperand(arg.getArgNumber() - 1).getDefiningOp();
      if (!def || body->findAncestorOpInBlock(*def) != def || s.contains(def))
        continue;
      auto hash = tt::CoarseSchedule::hashCluster(cluster);
      if (!before.count(hash))
        before[hash] = s.clusters.newBefore(cluster);
      s.insert(def, stage + 1, before[hash]);
      s.insertDepsOfOp(def, stage + 1, before[hash], /*includeArg=*/true,
                       /*insertIfEarlier=*/true);
    }
  }
}

void sched::scheduleRemaining(tt::CoarseSchedule &s, Block *body, int stage,
                              tt::CoarseSchedule::Cluster cluster) {
  // Unscheduled ops go to `stage`, in `cluster` or, if one of their producers
  // of the same stage sits in a later cluster, in that producer's cluster.
  for (Operation &op : body->without_terminator()) {
    if (s.contains(&op))
      continue;
    tt::CoarseSchedule::Cluster chosen = cluster;
    for (Value operand : getNestedOperands(&op)) {
      Operation *def = operand.getDefiningOp();
      if (!def || body->findAncestorOpInBlock(*def) != def || !s.contains(def))
        continue;
      auto [defStage, defCluster] = s[def];
      if (defStage == stage && s.clusters.isBefore(chosen, defCluster))
        chosen = defCluster;
    }
    s.insert(&op, stage, chosen);
  }
}

std::optional<std::string> sched::applyPins(tt::CoarseSchedule &s, Block *body,
                                            int numStages) {
  for (Operation &op : body->without_terminator()) {
    Attribute pin = op.getAttr(kPinAttr);
    if (!pin)
      continue;
    std::optional<int64_t> value = attr::intValue(pin);
    if (!value)
      return ("'" + op.getName().getStringRef() +
              "' has a stage pin that is not a signless integer")
          .str();
    int64_t stage = *value;
    if (stage < 0 || stage >= numStages)
      return ("'" + op.getName().getStringRef() + "' pins stage " +
              Twine(stage) + " but the loop has " + Twine(numStages) +
              " stages")
          .str();
    auto cluster = s.contains(&op) ? s[&op].second : s.clusters.begin();
    s.insert(&op, static_cast<int>(stage), cluster);
  }
  return std::nullopt;
}
