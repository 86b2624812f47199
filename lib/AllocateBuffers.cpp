//===- AllocateBuffers.cpp - circular buffers for pipelined loads --------===//
//
// `autopipe-allocate-buffers` lowers the loads of a scheduled loop into
// circular buffers in shared memory, the load lowering of Triton 3.9's
// `tritongpu-pipeline` (and of the AMD stream pipeliner) that we own. Input:
// a loop with a complete schedule (Schedule.h); output: the same loop, still
// scheduled, for the expander. This file is the driver: it picks the loads
// and the copy kind of each (lib/Buffers/: async copy, TMA, register-staged),
// keeps the buffers within the shared-memory budget, verifies the lowered
// schedule and reports every loop, lowered or not, in a remark. Options:
// include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "Buffers/Lowering.h"

#include "triton-autopipe/Attributes.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/TargetInfo.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/SmallPtrSet.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "triton/Analysis/Allocation.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Utility.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::buffers;
namespace ttng = mlir::triton::nvidia_gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_ALLOCATEBUFFERSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

/// How the loops of one module are lowered (from the options and the target).
struct LoopConfig {
  int slotsOption = 0;
  /// Shared memory per block the buffers must fit in (0: no budget).
  int64_t limitBytes = 0;
  /// Every load register-staged (gfx942; `copy=registers`).
  bool staged = false;
  /// Descriptor loads become TMA copies (sm90+, not staged).
  bool makeTMA = false;
  /// The target lowers descriptor loads through TMA, whether or not we do.
  bool targetHasTMA = false;
  /// Async copies are HIP's (gfx950 direct-to-LDS loads): 16 bytes a lane
  /// only (a narrower load is register-staged instead).
  bool directToLDS = false;
};

/// What happened to one loop, for its remark.
struct LoopOutcome {
  std::string message;
  /// The lowered loop breaks its schedule: a bug of ours, an error.
  bool brokeSchedule = false;
};

/// What the budget did to the candidates.
struct BudgetOutcome {
  std::string note;     ///< "" when within budget
  bool dropped = false; ///< nothing fits: the schedule was removed
};

class LoopBuffers {
public:
  /// `sharedUse`: shared memory of the loop before our lowering (Triton's
  /// allocation analysis, loopSharedMemory).
  LoopBuffers(scf::ForOp loop, const LoopConfig &config,
              tt::ModuleAxisInfoAnalysis &axisInfo, LoopSharedMemory sharedUse)
      : loop(loop), body(loop.getBody()), config(config), axisInfo(axisInfo),
        sharedUse(std::move(sharedUse)) {}

  /// Lowers what it can.
  LoopOutcome run();

private:
  std::optional<std::string> checkLoop();
  void selectCandidates(SmallVectorImpl<Candidate> &cands, std::string &kept);
  std::optional<Candidate> selectLoad(Operation &op, std::string &why);
  std::optional<Candidate> stageInstead(Operation &op, StringRef form,
                                        std::string &why, bool noteWhy);
  BudgetOutcome fitBudget(SmallVectorImpl<Candidate> &cands);
  int64_t sharedBase(ArrayRef<Candidate> cands) const;
  int64_t stagingBytes(ArrayRef<Candidate> cands) const;
  void lower(SmallVectorImpl<Candidate> &cands, SmallVectorImpl<Group> &groups);

  AnalysisContext analysisContext() {
    return {body, config.slotsOption, axisInfo, config.directToLDS};
  }

  scf::ForOp loop;
  Block *body;
  LoopConfig config;
  tt::ModuleAxisInfoAnalysis &axisInfo;
  LoopSharedMemory sharedUse;
};

//===-- Candidate selection -----------------------------------------------===//

/// A schedule this pass can read, on a loop not lowered yet; else why not.
std::optional<std::string> LoopBuffers::checkLoop() {
  if (!hasSchedule(loop))
    return "not scheduled (no loop.stage/loop.cluster); left as is";
  SmallVector<ScheduleProblem> problems = checkExpandable(loop);
  if (!problems.empty())
    return "schedule not usable (" + describeProblem(problems.front()) +
           "); left as is";
  bool lowered =
      body->walk([](Operation *op) {
            return isa<ttg::AsyncCopyGlobalToLocalOp,
                       ttng::AsyncTMACopyGlobalToLocalOp, ttg::LocalStoreOp>(op)
                       ? WalkResult::interrupt()
                       : WalkResult::advance();
          })
          .wasInterrupted();
  if (lowered)
    return "already holds async copies or shared-memory stores; left as is";
  return std::nullopt;
}

/// A load whose async form (`form`: TMA or cp.async) was refused for `why` is
/// register-staged instead if it can be (its tile then lives in registers
/// only within the iteration); otherwise `why` gets both reasons (once when
/// they are the same). `noteWhy`: the remark says why the staged load is not
/// async.
std::optional<Candidate> LoopBuffers::stageInstead(Operation &op,
                                                   StringRef form,
                                                   std::string &why,
                                                   bool noteWhy) {
  Result<Candidate> c = analyzeRegisterStaged(analysisContext(), &op);
  if (c) {
    if (noteWhy)
      c->notAsync = why;
    return *c;
  }
  if (why != c.why())
    why = (form.empty() ? why : form.str() + ": " + why) +
          "; register-staged: " + c.why();
  return std::nullopt;
}

/// The candidate `op` becomes, or null and (for a load) why not in `why`.
std::optional<Candidate> LoopBuffers::selectLoad(Operation &op,
                                                 std::string &why) {
  AnalysisContext ctx = analysisContext();
  if (config.staged && isa<tt::LoadOp, tt::DescriptorLoadOp>(&op)) {
    Result<Candidate> c = analyzeRegisterStaged(ctx, &op);
    if (c)
      return *c;
    why = c.why();
    return std::nullopt;
  }
  if (auto dload = dyn_cast<tt::DescriptorLoadOp>(&op)) {
    // TMA where the target has it and the tile is read in shared memory;
    // otherwise (no TMA, or a register consumer such as mma.sync)
    // register-staged.
    why = "no TMA on this target";
    if (config.makeTMA) {
      Result<Candidate> c = analyzeTMA(ctx, dload);
      if (c)
        return *c;
      why = c.why();
    }
    return stageInstead(op, config.makeTMA ? "TMA" : "", why,
                        /*noteWhy=*/false);
  }
  if (tt::isTMALoad(&op)) {
    why = "tensor-descriptor gather/other TMA load: not handled";
    return std::nullopt;
  }
  if (auto load = dyn_cast<tt::LoadOp>(&op)) {
    Result<Candidate> c = analyzeAsyncCopy(ctx, load);
    if (c)
      return *c;
    why = c.why();
    return stageInstead(op, "async copy", why, /*noteWhy=*/true);
  }
  return std::nullopt;
}

/// The loads of the body to lower; the others (`kept`) with their reasons.
void LoopBuffers::selectCandidates(SmallVectorImpl<Candidate> &cands,
                                   std::string &kept) {
  for (Operation &op : body->without_terminator()) {
    std::string why;
    if (std::optional<Candidate> c = selectLoad(op, why)) {
      cands.push_back(*c);
      continue;
    }
    if (why.empty())
      continue; // not a load
    kept += (kept.empty() ? "" : "; ") + std::string("load at ") +
            formatLocation(op.getLoc()) + " (" + why + ")";
  }
}

//===-- Shared-memory budget ----------------------------------------------===//

/// What stays live in the loop besides our buffers: the per-iteration
/// local_allocs we replace by slot views and the scratch of the layout
/// conversions of the tiles we buffer (read from their slots) go away.
int64_t LoopBuffers::sharedBase(ArrayRef<Candidate> cands) const {
  llvm::SmallPtrSet<Operation *, 8> lowered, replaced;
  for (const Candidate &c : cands) {
    lowered.insert(c.load);
    if (c.alloc)
      replaced.insert(c.alloc);
  }
  return sharedUse.peak([&](Operation *op) {
    return replaced.contains(op) ||
           (isConversionOfLoad(op) &&
            lowered.contains(op->getOperand(0).getDefiningOp()));
  });
}

/// Register-staged descriptor loads on a TMA target: Triton lowers each to a
/// TMA copy into a scratch tile (+ its mbarrier) that it then reads into
/// registers; that scratch is not in the allocation analysis (it does not
/// exist yet). One at a time is live (Triton's allocator reuses it).
int64_t LoopBuffers::stagingBytes(ArrayRef<Candidate> cands) const {
  int64_t staging = 0;
  if (config.targetHasTMA)
    for (const Candidate &c : cands)
      if (c.isStaged() && isa<tt::DescriptorLoadOp>(c.load))
        staging =
            std::max(staging, byteSize(c.load->getResult(0).getType()) + 8);
  return staging;
}

/// The loop's schedule removed: nothing pipelines it.
/// Keeps the buffers within the target's shared memory: slots the kernel
/// config added beyond what the schedule needs go first; if the schedule's
/// minimum does not fit either, nothing is lowered and the loop's schedule
/// is removed, so no pass pipelines it into a kernel that cannot launch.
BudgetOutcome LoopBuffers::fitBudget(SmallVectorImpl<Candidate> &cands) {
  if (config.limitBytes <= 0)
    return {};
  int64_t fixed = sharedBase(cands) + stagingBytes(cands);
  auto total = [&] {
    int64_t t = fixed;
    for (Candidate &c : cands)
      t += byteSize(c.bufferType);
    return t;
  };
  int64_t before = total(), limit = config.limitBytes;
  if (before <= limit)
    return {};
  // One slot less for every buffer above its minimum, until it fits.
  for (bool reduced = true; reduced && total() > limit;) {
    reduced = false;
    for (Candidate &c : cands)
      if (c.numSlots > c.minSlots) {
        dropSlot(c);
        reduced = true;
      }
  }
  int64_t after = total();
  std::string msg = "shared memory: " + std::to_string(before) +
                    " bytes exceed the limit of " + std::to_string(limit);
  if (after <= limit) {
    std::string slots;
    for (auto [i, c] : llvm::enumerate(cands))
      slots += (i ? "/" : "") + std::to_string(c.numSlots);
    return {msg + "; slots reduced to " + slots + " (" + std::to_string(after) +
                " bytes)",
            false};
  }
  autopipe::dropSchedule(loop);
  return {msg + " even with the schedule's minimum slots (" +
              std::to_string(after) +
              " bytes): not pipelined (schedule removed, loads left "
              "synchronous)",
          true};
}

//===-- Lowering ----------------------------------------------------------===//

/// TMA loads issued this many iterations or more ahead of their use share one
/// mbarrier even when different ops read them: the copies landed long before
/// the wait, and one barrier_expect less saves a CTA bar.sync an iteration
/// (Triton lowers every barrier_expect with one). Closer, the first reader
/// would also wait for the other loads: attention's first MMA for V, at 2
/// stages (tutorial 06 at num_stages=2 ran down to 0.89x of Triton with one
/// shared mbarrier, benchmarks/RESULTS.md, session 10).
constexpr int kShareBarrierDistance = 2;

/// Whether TMA load `c` may join group `g`'s mbarrier.
static bool sharesBarrier(const Group &g, const Candidate &c) {
  return g.reader == c.reader ||
         c.useStage - c.loadStage >= kShareBarrierDistance;
}

/// Loads with the same slot count, stages, clusters and kind (TMA or not)
/// share counters; TMA loads only where they may share an mbarrier
/// (sharesBarrier).
SmallVector<Group> formGroups(MutableArrayRef<Candidate> cands) {
  SmallVector<Group> groups;
  for (Candidate &c : cands) {
    auto same = [&](const Group &g) {
      return g.numSlots == c.numSlots && g.loadStage == c.loadStage &&
             g.loadCluster == c.loadCluster && g.useStage == c.useStage &&
             g.useCluster == c.useCluster && g.tma == c.isTMA() &&
             (!g.tma || sharesBarrier(g, c));
    };
    unsigned gi = llvm::find_if(groups, same) - groups.begin();
    if (gi == groups.size()) {
      Group g{c.numSlots, c.loadStage, c.loadCluster, c.useStage, c.useCluster};
      g.tma = c.isTMA();
      g.reader = c.isTMA() ? c.reader : nullptr;
      groups.push_back(g);
    }
    groups[gi].bytes += c.bytes;
    c.group = gi;
  }
  return groups;
}

/// The first load and the first read point (readPoint) of group `gi` in body
/// order.
std::pair<Operation *, Operation *> firstLoadAndUse(ArrayRef<Candidate> cands,
                                                    unsigned gi) {
  Operation *firstLoad = nullptr, *firstUse = nullptr;
  for (const Candidate &c : cands) {
    if (c.group != gi)
      continue;
    if (!firstLoad || c.load->isBeforeInBlock(firstLoad))
      firstLoad = c.load;
    Operation *read = readPoint(c);
    if (!firstUse || read->isBeforeInBlock(firstUse))
      firstUse = read;
  }
  return {firstLoad, firstUse};
}

/// A cluster after every cluster of the body.
int clusterAfterAll(Block *body) {
  int cluster = 0;
  for (Operation &op : body->without_terminator())
    if (auto cl = op.getAttrOfType<IntegerAttr>(kClusterAttr))
      cluster = std::max<int>(cluster, cl.getInt() + 1);
  return cluster;
}

void LoopBuffers::lower(SmallVectorImpl<Candidate> &cands,
                        SmallVectorImpl<Group> &groups) {
  LoweringState state{loop, body, loop.getLoc(), axisInfo};
  Counters counters = createBuffersAndCounters(state, cands, groups);
  allocateBarriers(state.loop, groups);
  // Each counter advances right before its first use in body order, in that
  // use's stage and cluster.
  for (auto [gi, g] : llvm::enumerate(groups)) {
    auto [firstLoad, firstUse] = firstLoadAndUse(cands, gi);
    Value insertArg = state.body->getArgument(counters.firstArg[gi]);
    Value extractArg = state.body->getArgument(counters.firstArg[gi] + 1);
    g.insert = advanceCounter(state, insertArg, counters.slotCount[gi],
                              firstLoad, g.loadStage, g.loadCluster)
                   .first;
    auto [extract, wrapped] =
        advanceCounter(state, extractArg, counters.slotCount[gi], firstUse,
                       g.useStage, g.useCluster);
    g.extract = extract;
    if (g.tma)
      createBarrierOps(state, g, firstLoad, firstUse, wrapped,
                       state.body->getArgument(counters.firstArg[gi] + 2));
  }
  state.storeCluster = clusterAfterAll(state.body);
  SmallVector<size_t> tmaCands;
  for (auto [ci, c] : llvm::enumerate(cands)) {
    Group &g = groups[c.group];
    switch (c.kind) {
    case CopyKind::RegisterStaged:
      lowerRegisterStaged(state, c, g, state.buffers[ci]);
      break;
    case CopyKind::TMA:
      lowerTMACopy(state, c, g, state.buffers[ci]);
      tmaCands.push_back(ci);
      break;
    case CopyKind::AsyncCopy:
      lowerAsyncCopy(state, c, g, state.buffers[ci]);
      break;
    }
  }
  replaceTMAAllocs(state, cands, groups, tmaCands);
  finishLoop(state, cands, groups);
  loop = state.loop;
  body = state.body;
}

//===-- Remarks and the loop driver ---------------------------------------===//

/// How a candidate's slot is filled and read, for the remark.
std::string describeCopy(const Candidate &c) {
  switch (c.kind) {
  case CopyKind::RegisterStaged:
    return (c.alloc ? " (register-staged: local_store, read in shared memory)"
                    : " (register-staged: local_store, local_load)") +
           (c.notAsync.empty() ? std::string()
                               : " [not async: " + c.notAsync + "]");
  case CopyKind::TMA:
    return " (TMA + mbarrier, read in shared memory)";
  case CopyKind::AsyncCopy:
    return c.alloc ? " (async copy, read in shared memory)"
                   : " (async copy, local_load)";
  }
  llvm_unreachable("copy kind");
}

std::string describeCandidates(ArrayRef<Candidate> cands) {
  std::string msg =
      std::to_string(cands.size()) + " load(s) in circular buffers:";
  for (auto [i, c] : llvm::enumerate(cands))
    msg += (i ? "; " : " ") + std::string("load at ") +
           formatLocation(c.load->getLoc()) + ": " +
           std::to_string(c.numSlots) + " slot(s) " + typeString(c.bufferType) +
           ", stage " + std::to_string(c.loadStage) + " -> " +
           std::to_string(c.useStage) + describeCopy(c);
  return msg;
}

LoopOutcome LoopBuffers::run() {
  if (std::optional<std::string> notHere = checkLoop())
    return {*notHere};
  SmallVector<Candidate> cands;
  std::string kept;
  selectCandidates(cands, kept);
  if (cands.empty())
    return {"no load to buffer" +
            (kept.empty() ? std::string() : ": kept synchronous: " + kept) +
            "; left as is"};
  BudgetOutcome budget = fitBudget(cands);
  if (budget.dropped)
    return {budget.note};
  SmallVector<Group> groups = formGroups(cands);
  std::string msg = describeCandidates(cands);
  if (!kept.empty())
    msg += "; kept synchronous: " + kept;
  if (!budget.note.empty())
    msg += "; " + budget.note;

  lower(cands, groups);
  loop->setAttr(attr::kBuffers,
                Builder(loop->getContext())
                    .getI32IntegerAttr(static_cast<int>(cands.size())));
  SmallVector<ScheduleProblem> problems;
  verifySchedule(readSchedule(loop, problems), problems);
  if (!problems.empty())
    return {"the lowered loop breaks its schedule ('" +
                problems.front().op->getName().getStringRef().str() + "' " +
                problems.front().message + ")",
            true};
  return {msg};
}

//===-- The pass ----------------------------------------------------------===//

/// Why the module's target gets no buffers in this mode, or nullopt.
std::optional<std::string> unsupportedTarget(const TargetInfo &target,
                                             bool staged) {
  if (target.isCUDA() ||
      (target.isHIP() && (staged || target.directToLDSAsync)))
    return std::nullopt;
  if (target.isHIP())
    return "async copies on HIP need direct-to-LDS loads (gfx950); use "
           "copy=registers or auto; left as is";
  return "not a CUDA or HIP target (" +
         (target.target.empty() ? std::string("no target") : target.target) +
         "); left as is";
}

struct AllocateBuffersPass
    : public autopipe::impl::AllocateBuffersPassBase<AllocateBuffersPass> {
  using Base::Base;

  /// The options, checked; an error on the module if one is out of range.
  FailureOr<CopyMode> checkOptions(ModuleOp module) {
    if (stages < 0 || stages > kMaxScheduledStage + 1)
      return module.emitError()
             << "autopipe-allocate-buffers: global-to-shared-stages must be "
                "in 0.."
             << kMaxScheduledStage + 1 << ", got " << static_cast<int>(stages);
    if (sharedLimit < -1)
      return module.emitError() << "autopipe-allocate-buffers: shared-limit "
                                   "must be >= -1, got "
                                << static_cast<int>(sharedLimit);
    return static_cast<CopyMode>(copy);
  }

  LoopConfig makeConfig(const TargetInfo &target, CopyMode mode) {
    LoopConfig config;
    config.slotsOption = static_cast<int>(stages);
    config.staged =
        mode == CopyMode::Registers ||
        (mode == CopyMode::Auto && target.isHIP() && !target.directToLDSAsync);
    config.targetHasTMA = target.hasTMA;
    config.makeTMA = target.hasTMA && !config.staged;
    config.directToLDS = target.isHIP() && !config.staged;
    config.limitBytes = sharedLimit >= 0 ? static_cast<int64_t>(sharedLimit)
                                         : target.sharedMemoryPerBlock;
    return config;
  }

  /// One remark line per loop; loops that break their schedule are errors.
  LogicalResult lowerLoops(ModuleOp module, ArrayRef<scf::ForOp> loops,
                           const TargetInfo &target, const LoopConfig &config,
                           std::string &report);

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<CopyMode> mode = checkOptions(module);
    if (failed(mode))
      return signalPassFailure();
    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) {
      if (hasSchedule(loop))
        loops.push_back(loop);
    });
    if (loops.empty())
      return;
    if (failed(checkLoopAttributes(module, getArgument())))
      return signalPassFailure();
    TargetInfo target = TargetInfo::fromModule(module);
    if ((target.isCUDA() || target.isHIP()) &&
        (failed(checkModuleAttributes(module, getArgument())) ||
         failed(checkAllocatable(module, getArgument()))))
      return signalPassFailure();
    std::string report;
    LogicalResult lowered =
        lowerLoops(module, loops, target, makeConfig(target, *mode), report);
    if (failed(writeTextReport(output, report, module, getArgument())) ||
        failed(lowered))
      signalPassFailure();
  }
};

LogicalResult AllocateBuffersPass::lowerLoops(ModuleOp module,
                                              ArrayRef<scf::ForOp> loops,
                                              const TargetInfo &target,
                                              const LoopConfig &config,
                                              std::string &report) {
  std::optional<tt::ModuleAxisInfoAnalysis> axisInfo;
  std::optional<ModuleAllocation> allocation;
  if (target.isCUDA() || target.isHIP()) {
    axisInfo.emplace(module);
    if (config.limitBytes > 0)
      allocation.emplace(module);
  }
  // Shared memory live while each loop runs, before any is lowered (the IR
  // changes as loops are lowered; their buffers are freed after them).
  llvm::DenseMap<Operation *, LoopSharedMemory> sharedUse;
  if (allocation)
    for (scf::ForOp loop : loops)
      sharedUse[loop] = loopSharedMemory(*allocation, loop);
  std::optional<std::string> unsupported =
      unsupportedTarget(target, config.staged);
  bool failedAny = false;
  for (scf::ForOp loop : loops) {
    Location loopLoc = loop.getLoc();
    LoopOutcome outcome = unsupported
                              ? LoopOutcome{*unsupported}
                              : LoopBuffers(loop, config, *axisInfo,
                                            sharedUse.lookup(loop))
                                    .run(); // `loop` may have been replaced
    std::string line = "autopipe-allocate-buffers: loop at " +
                       formatLocation(loopLoc) + ": " + outcome.message;
    if (outcome.brokeSchedule) {
      mlir::emitError(loopLoc) << line;
      failedAny = true;
      continue;
    }
    if (remarks)
      mlir::emitRemark(loopLoc) << line;
    report += line + "\n";
  }
  return failure(failedAny);
}

} // namespace
