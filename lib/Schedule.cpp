//===- Schedule.cpp - read and check a loop's pipelining schedule ---------===//
//
// Reads the `loop.stage` / `loop.cluster` / `tt.scheduled_max_stage` form of
// a software-pipelining schedule and checks that it respects the loop's
// dependencies (see Schedule.h for the rules).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/TargetInfo.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FileSystem.h"
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

/// The largest value `name` may hold (see kMaxScheduledStage).
static int64_t attrLimit(StringRef name) {
  return name == kClusterAttr ? kMaxClusterId : kMaxScheduledStage;
}

static std::optional<int>
readIntAttr(Operation *op, StringRef name,
            SmallVectorImpl<ScheduleProblem> &problems) {
  Attribute attr = op->getAttr(name);
  if (!attr)
    return std::nullopt;
  auto intAttr = dyn_cast<IntegerAttr>(attr);
  // Triton reads these with getInt(), which needs a signless integer.
  if (!intAttr || !intAttr.getType().isSignlessInteger() ||
      intAttr.getType().getIntOrFloatBitWidth() > 64) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "'" << name << "' must be a signless integer attribute (i32), got "
       << attr;
    problems.push_back({op, os.str()});
    return std::nullopt;
  }
  int64_t v = intAttr.getValue().getSExtValue();
  if (v < 0 || v > attrLimit(name)) {
    problems.push_back({op, ("'" + name + "' out of range: " + Twine(v) +
                             " (expected 0.." + Twine(attrLimit(name)) + ")")
                                .str()});
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
    if (stage.has_value() != cluster.has_value()) {
      if (op.hasAttr(kStageAttr) != op.hasAttr(kClusterAttr))
        problems.push_back(
            {&op, (Twine("has '") + (stage ? kStageAttr : kClusterAttr) +
                   "' but no '" + (stage ? kClusterAttr : kStageAttr) + "'")
                      .str()});
      stage = cluster = std::nullopt;
    }
    if (!stage) {
      s.ops.push_back({&op, -1, -1});
      ++s.numUnscheduled;
      continue;
    }
    s.ops.push_back({&op, *stage, *cluster});
    s.maxStage = std::max(s.maxStage, *stage);
    maxCluster = std::max(maxCluster, *cluster);
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

SmallVector<ScheduleProblem> mlir::autopipe::checkExpandable(scf::ForOp loop) {
  SmallVector<ScheduleProblem> problems;
  LoopSchedule schedule = readSchedule(loop, problems);
  if (!problems.empty())
    return problems;
  if (!schedule.declaredMaxStage)
    problems.push_back({loop, ("has loop.stage/loop.cluster but no '" +
                               Twine(kMaxStageAttr) + "'")
                                  .str()});
  if (schedule.numUnscheduled) {
    const ScheduledOp *first = llvm::find_if(
        schedule.ops, [](const ScheduledOp &s) { return !s.isScheduled(); });
    problems.push_back(
        {first->op, ("has no loop.stage/loop.cluster: a partial schedule (" +
                     Twine(schedule.numUnscheduled) + " unscheduled op(s))")
                        .str()});
  }
  if (problems.empty())
    verifySchedule(schedule, problems);
  return problems;
}

void mlir::autopipe::dropSchedule(scf::ForOp loop) {
  for (Operation &op : loop.getBody()->without_terminator()) {
    op.removeAttr(kStageAttr);
    op.removeAttr(kClusterAttr);
  }
  loop->removeAttr(kMaxStageAttr);
}

unsigned mlir::autopipe::dropUnexpandableSchedules(
    Operation *root,
    llvm::function_ref<void(scf::ForOp, const ScheduleProblem &)> reject) {
  SmallVector<scf::ForOp> loops;
  root->walk([&](scf::ForOp loop) {
    if (hasSchedule(loop))
      loops.push_back(loop);
  });
  unsigned dropped = 0;
  for (scf::ForOp loop : loops) {
    SmallVector<ScheduleProblem> problems = checkExpandable(loop);
    if (problems.empty())
      continue;
    reject(loop, problems.front());
    dropSchedule(loop);
    ++dropped;
  }
  return dropped;
}

LogicalResult mlir::autopipe::checkLoopAttributes(Operation *root,
                                                  StringRef pass) {
  WalkResult result = root->walk([&](scf::ForOp loop) {
    Attribute a = loop->getAttr(attr::kNumStages);
    if (!a)
      return WalkResult::advance();
    std::optional<int64_t> v = attr::intValue(a);
    if (v && *v >= 0 && *v <= kMaxScheduledStage + 1)
      return WalkResult::advance();
    loop.emitError() << pass << ": '" << attr::kNumStages
                     << "' must be an integer in 0.." << kMaxScheduledStage + 1
                     << " (i32), got " << a;
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

std::string mlir::autopipe::describeProblem(const ScheduleProblem &problem) {
  return "'" + problem.op->getName().getStringRef().str() + "' " +
         problem.message;
}

/// The op of the loop body that holds `op` (itself if it is one).
static Operation *topLevelIn(Block *body, Operation *op) {
  while (op && op->getBlock() != body)
    op = op->getParentOp();
  return op;
}

namespace {
/// Finds, for one scheduled consumer, the scheduled producers of each value it
/// reads, looking through unscheduled ops of the body.
class DependencyChecker {
public:
  DependencyChecker(const LoopSchedule &schedule,
                    SmallVectorImpl<ScheduleProblem> &problems)
      : schedule(schedule), problems(problems) {
    scf::ForOp loop = schedule.loop;
    body = loop.getBody();
    yield = cast<scf::YieldOp>(body->getTerminator());
    for (const ScheduledOp &s : schedule.ops)
      index[s.op] = &s;
  }

  void check(const ScheduledOp &use) {
    reported.clear();
    visited.clear();
    use.op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        visit(use, operand, /*loopCarried=*/false);
    });
  }

private:
  void visit(const ScheduledOp &use, Value value, bool loopCarried) {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      // An iter_arg: the value the previous iteration yielded.
      if (arg.getOwner() != body || arg.getArgNumber() == 0 || loopCarried)
        return;
      visit(use, yield.getOperand(arg.getArgNumber() - 1), true);
      return;
    }
    Operation *top = topLevelIn(body, value.getDefiningOp());
    if (!top || top == use.op)
      return;
    auto it = index.find(top);
    if (it == index.end())
      return;
    const ScheduledOp &def = *it->second;
    if (!def.isScheduled()) {
      // Look through: the consumer depends on what feeds the unscheduled op.
      if (!visited.insert({top, unsigned(loopCarried)}).second)
        return;
      top->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands())
          visit(use, operand, loopCarried);
      });
      return;
    }
    bool bad = loopCarried
                   ? def.stage > use.stage + 1 || (def.stage == use.stage + 1 &&
                                                   def.cluster >= use.cluster)
                   : def.stage > use.stage ||
                         (def.stage == use.stage && def.cluster > use.cluster);
    if (!bad || !reported.insert(top).second)
      return;
    if (loopCarried)
      problems.push_back({use.op, "uses the previous iteration's value of " +
                                      describe(def) +
                                      ", which is not yet produced when " +
                                      describe(use) + " runs"});
    else
      problems.push_back(
          {use.op, "uses a value of " + describe(def) +
                       " that is produced later: " + describe(use) +
                       " would run before its producer"});
  }

  static std::string describe(const ScheduledOp &s) {
    return ("'" + s.op->getName().getStringRef() + "' (stage " +
            Twine(s.stage) + ", cluster " + Twine(s.cluster) + ")")
        .str();
  }

  const LoopSchedule &schedule;
  SmallVectorImpl<ScheduleProblem> &problems;
  Block *body;
  scf::YieldOp yield;
  llvm::DenseMap<Operation *, const ScheduledOp *> index;
  llvm::SmallPtrSet<Operation *, 4> reported;
  llvm::DenseSet<std::pair<Operation *, unsigned>> visited;
};
} // namespace

void mlir::autopipe::verifySchedule(
    const LoopSchedule &schedule, SmallVectorImpl<ScheduleProblem> &problems) {
  DependencyChecker checker(schedule, problems);
  for (const ScheduledOp &use : schedule.ops)
    if (use.isScheduled())
      checker.check(use);
}

std::string mlir::autopipe::formatLocation(Location loc) {
  if (auto flc = dyn_cast<FileLineColLoc>(loc))
    return (flc.getFilename().getValue() + ":" + Twine(flc.getLine()) + ":" +
            Twine(flc.getColumn()))
        .str();
  if (auto name = dyn_cast<NameLoc>(loc))
    return formatLocation(name.getChildLoc());
  // An inlined function's ops: where in the function, and where it was
  // called, so that two inlined copies of one loop get different names.
  if (auto callsite = dyn_cast<CallSiteLoc>(loc)) {
    std::string callee = formatLocation(callsite.getCallee());
    std::string caller = formatLocation(callsite.getCaller());
    if (caller == "<unknown>" || callee == "<unknown>")
      return callee == "<unknown>" ? caller : callee;
    return callee + " (inlined at " + caller + ")";
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string s = formatLocation(inner);
      if (s != "<unknown>")
        return s;
    }
  return "<unknown>";
}

LogicalResult mlir::autopipe::writeTextReport(StringRef output, StringRef text,
                                              Operation *anchor,
                                              StringRef passName) {
  if (output.empty())
    return success();
  if (output == "-") {
    llvm::errs() << text;
    return success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream file(output, ec, llvm::sys::fs::OF_Append);
  if (ec)
    return anchor->emitError() << passName << ": cannot open output '" << output
                               << "': " << ec.message();
  file << text;
  return success();
}

int64_t mlir::autopipe::sharedMemoryLimit(StringRef target) {
  return TargetInfo::fromTarget(target).sharedMemoryPerBlock;
}

int64_t mlir::autopipe::byteSize(Type type) {
  ArrayRef<int64_t> shape;
  unsigned bits = 0;
  if (auto t = dyn_cast<RankedTensorType>(type)) {
    shape = t.getShape();
    bits = t.getElementTypeBitWidth();
  } else if (auto m = dyn_cast<triton::gpu::MemDescType>(type)) {
    shape = m.getShape();
    bits = m.getElementTypeBitWidth();
  } else {
    return 0;
  }
  int64_t n = bits / 8;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string mlir::autopipe::typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  type.print(os);
  return s;
}

LoopSharedMemory mlir::autopipe::loopSharedMemory(ModuleAllocation &allocation,
                                                  scf::ForOp loop) {
  LoopSharedMemory use;
  auto func = loop->getParentOfType<FunctionOpInterface>();
  Allocation *funcAlloc = func ? allocation.getFuncData(func) : nullptr;
  if (!funcAlloc) {
    use.liveAt[loop].push_back(
        {Allocation::InvalidBufferId,
         static_cast<int64_t>(allocation.getSharedMemorySize())});
    return use;
  }
  std::map<Operation *, SmallVector<Allocation::BufferId>> live =
      funcAlloc->getLiveBuffers();
  auto visit = [&](Operation *op) {
    if (auto it = live.find(op); it != live.end())
      for (Allocation::BufferId id : it->second)
        use.liveAt[op].push_back(
            {id, static_cast<int64_t>(funcAlloc->getAllocatedSize(id))});
    SmallVector<size_t> ids;
    if (Allocation::BufferId id = funcAlloc->getBufferId(op);
        id != Allocation::InvalidBufferId)
      ids.push_back(id);
    for (Value result : op->getResults())
      llvm::append_range(ids, funcAlloc->getBufferIds(result));
    if (!ids.empty())
      use.owned[op] = std::move(ids);
  };
  visit(loop);
  loop.getBody()->walk(visit);
  return use;
}

int64_t
LoopSharedMemory::peak(llvm::function_ref<bool(Operation *)> freed) const {
  llvm::DenseSet<size_t> gone;
  for (auto &[op, ids] : owned)
    if (freed(op))
      gone.insert(ids.begin(), ids.end());
  int64_t most = 0;
  for (auto &[op, buffers] : liveAt) {
    int64_t sum = 0;
    for (auto [id, bytes] : buffers)
      if (!gone.contains(id))
        sum += bytes;
    most = std::max(most, sum);
  }
  return most;
}

bool mlir::autopipe::isConversionOfLoad(Operation *op) {
  if (!isa<triton::gpu::ConvertLayoutOp>(op))
    return false;
  Operation *def = op->getOperand(0).getDefiningOp();
  return def && isa<triton::LoadOp, triton::DescriptorLoadOp>(def);
}
