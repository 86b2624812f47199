//===- Schedule.cpp - read and check a loop's pipelining schedule ---------===//
//
// Reads the `loop.stage` / `loop.cluster` / `tt.scheduled_max_stage` form of
// a software-pipelining schedule and checks that it respects the loop's
// dependencies (see Schedule.h for the rules).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Schedule.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::autopipe;

const ScheduledOp *LoopSchedule::lookup(Operation *op) const {
  for (const ScheduledOp &s : ops)
    if (s.op == op)
      return &s;
  return nullptr;
}

bool mlir::autopipe::hasSchedule(scf::ForOp loop) {
  if (loop->hasAttr(kMaxStageAttr))
    return true;
  for (Operation &op : loop.getBody()->without_terminator())
    if (op.hasAttr(kStageAttr) || op.hasAttr(kClusterAttr))
      return true;
  return false;
}

static std::optional<int> readIntAttr(Operation *op, StringRef name,
                                      SmallVectorImpl<ScheduleProblem> &problems) {
  Attribute attr = op->getAttr(name);
  if (!attr) {
    problems.push_back({op, ("missing '" + name + "' in a scheduled loop").str()});
    return std::nullopt;
  }
  auto intAttr = dyn_cast<IntegerAttr>(attr);
  if (!intAttr || !intAttr.getType().isInteger()) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "'" << name << "' must be an integer attribute, got " << attr;
    problems.push_back({op, os.str()});
    return std::nullopt;
  }
  int64_t v = intAttr.getInt();
  if (v < 0 || v > (1 << 20)) {
    problems.push_back(
        {op, ("'" + name + "' out of range: " + Twine(v)).str()});
    return std::nullopt;
  }
  return static_cast<int>(v);
}

LoopSchedule
mlir::autopipe::readSchedule(scf::ForOp loop,
                             SmallVectorImpl<ScheduleProblem> &problems) {
  LoopSchedule s;
  s.loop = loop;
  if (loop->hasAttr(kMaxStageAttr))
    s.declaredMaxStage = readIntAttr(loop, kMaxStageAttr, problems);
  int maxCluster = -1;
  for (Operation &op : loop.getBody()->without_terminator()) {
    std::optional<int> stage = readIntAttr(&op, kStageAttr, problems);
    std::optional<int> cluster = readIntAttr(&op, kClusterAttr, problems);
    s.ops.push_back({&op, stage.value_or(-1), cluster.value_or(-1)});
    s.maxStage = std::max(s.maxStage, stage.value_or(0));
    maxCluster = std::max(maxCluster, cluster.value_or(-1));
  }
  s.numClusters = maxCluster + 1;
  if (s.declaredMaxStage) {
    for (const ScheduledOp &op : s.ops)
      if (op.stage > *s.declaredMaxStage)
        problems.push_back(
            {op.op, ("stage " + Twine(op.stage) + " exceeds the loop's " +
                     kMaxStageAttr + " = " + Twine(*s.declaredMaxStage))
                        .str()});
    s.maxStage = std::max(s.maxStage, *s.declaredMaxStage);
  }
  return s;
}

/// The op of the loop body that holds `op` (itself if it is one).
static Operation *topLevelIn(Block *body, Operation *op) {
  while (op && op->getBlock() != body)
    op = op->getParentOp();
  return op;
}

void mlir::autopipe::verifySchedule(const LoopSchedule &schedule,
                                    SmallVectorImpl<ScheduleProblem> &problems) {
  scf::ForOp loop = schedule.loop;
  Block *body = loop.getBody();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  llvm::DenseMap<Operation *, const ScheduledOp *> index;
  for (const ScheduledOp &s : schedule.ops)
    index[&*s.op] = &s;

  auto describe = [](const ScheduledOp &s) {
    return ("'" + s.op->getName().getStringRef() + "' (stage " +
            Twine(s.stage) + ", cluster " + Twine(s.cluster) + ")")
        .str();
  };

  for (const ScheduledOp &use : schedule.ops) {
    if (use.stage < 0 || use.cluster < 0)
      continue; // already reported as malformed
    llvm::SmallPtrSet<Operation *, 4> seen;
    use.op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        // Same-iteration dependency: defined by an op of the body.
        if (Operation *def = operand.getDefiningOp()) {
          Operation *top = topLevelIn(body, def);
          if (!top || top == use.op)
            continue;
          auto it = index.find(top);
          if (it == index.end() || it->second->stage < 0)
            continue;
          const ScheduledOp &d = *it->second;
          if (d.stage > use.stage ||
              (d.stage == use.stage && d.cluster > use.cluster)) {
            if (seen.insert(top).second)
              problems.push_back(
                  {use.op, "uses a value of " + describe(d) +
                               " that is produced later: " + describe(use) +
                               " would run before its producer"});
          }
          continue;
        }
        // Loop-carried dependency: an iter_arg of the body.
        auto arg = dyn_cast<BlockArgument>(operand);
        if (!arg || arg.getOwner() != body || arg.getArgNumber() == 0)
          continue;
        Value yielded = yield.getOperand(arg.getArgNumber() - 1);
        Operation *def = yielded.getDefiningOp();
        Operation *top = def ? topLevelIn(body, def) : nullptr;
        if (!top)
          continue;
        auto it = index.find(top);
        if (it == index.end() || it->second->stage < 0)
          continue;
        const ScheduledOp &d = *it->second;
        if (d.stage > use.stage + 1 ||
            (d.stage == use.stage + 1 && d.cluster >= use.cluster)) {
          if (seen.insert(top).second)
            problems.push_back(
                {use.op, "uses the previous iteration's value of " +
                             describe(d) + ", which is not yet produced when " +
                             describe(use) + " runs"});
        }
      }
    });
  }
}

std::string mlir::autopipe::formatLocation(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (auto flc = dyn_cast<FileLineColLoc>(inner))
        loc = flc;
  if (auto name = dyn_cast<NameLoc>(loc))
    loc = name.getChildLoc();
  if (auto callsite = dyn_cast<CallSiteLoc>(loc))
    loc = callsite.getCallee();
  if (auto flc = dyn_cast<FileLineColLoc>(loc))
    return (flc.getFilename().getValue() + ":" + Twine(flc.getLine()) + ":" +
            Twine(flc.getColumn()))
        .str();
  return "<unknown>";
}
