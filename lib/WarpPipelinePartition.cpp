//===- WarpPipelinePartition.cpp - auto-partition of plain GEMM loops -----===//
//
// The `auto-partition` option of `autopipe-warp-pipeline-regions`: a plain
// Triton GEMM loop (no Gluon markers) of an 8-warp kernel is split into a
// "load" stage (global loads and their address/mask math, moved first), a
// "compute" stage (LDS reads, MMA, the rest) and a "store" stage (LDS writes
// and what only they use, moved last), as an alternative to Triton's
// block-pingpong. The heuristic only adds border markers; the regions pass
// then converts them like Gluon's. A loop where the reordering is not provably
// legal is left as is, with a remark naming the op and the reason.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Attributes.h"
#include "triton-autopipe/WarpPipeline.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::warp_pipeline;

namespace {

using OpSet = llvm::SmallPtrSet<Operation *, 32>;
using Effects = SmallVector<SideEffects::EffectInstance<MemoryEffects::Effect>>;

bool isGlobalLoad(StringRef name) {
  return name == "tt.load" || name == "amdg.buffer_load";
}

bool isSharedMemory(Value v) {
  return v && isa<triton::gpu::MemDescType>(v.getType());
}

/// Loops of `module` worth trying: a dot and a global load in the body, no
/// nested loop, not already a warp pipeline.
SmallVector<scf::ForOp> candidateLoops(ModuleOp module,
                                       ArrayRef<scf::ForOp> marked) {
  SmallVector<scf::ForOp> candidates;
  module.walk([&](scf::ForOp loop) {
    if (llvm::is_contained(marked, loop) || loop->hasAttr(kPipelinedForAttr))
      return;
    bool hasDot = false, hasLoad = false, nested = false;
    loop.getBody()->walk([&](Operation *op) {
      StringRef n = op->getName().getStringRef();
      hasDot |= n == "tt.dot" || n == "tt.dot_scaled";
      hasLoad |= isGlobalLoad(n);
      nested |= isa<scf::ForOp, scf::WhileOp>(op);
    });
    if (hasDot && hasLoad && !nested)
      candidates.push_back(loop);
  });
  return candidates;
}

/// Adds to `slice` the ops of `body` that `work` is computed from (the ops
/// themselves included), skipping those in `exclude`.
void addBackwardSlice(Block *body, SmallVector<Operation *> work, OpSet &slice,
                      const OpSet *exclude = nullptr) {
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if ((exclude && exclude->contains(op)) || !slice.insert(op).second)
      continue;
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        if (def->getBlock() == body)
          work.push_back(def);
  }
}

/// Partitions one candidate loop; every refusal is a remark on the loop.
class LoopPartitioner {
public:
  LoopPartitioner(scf::ForOp loop, Allocation *alloc)
      : loop(loop), body(loop.getBody()), alloc(alloc) {}

  /// Splits the loop (markers added, ops reordered), or fails with a remark.
  LogicalResult run() {
    FailureOr<SmallVector<Operation *>> loads = globalLoads();
    if (failed(loads))
      return failure();
    addBackwardSlice(body, *loads, load);
    if (failed(checkLoadStageMovable()))
      return failure();
    collectStoreStage();
    if (failed(checkStoreStageMovable()))
      return failure();
    return reorderAndMark();
  }

private:
  LogicalResult refuse(const Twine &why) {
    loop.emitRemark() << "warp pipeline: " << loopName(loop)
                      << " not partitioned automatically: " << why;
    return failure();
  }

  FailureOr<SmallVector<Operation *>> globalLoads();
  LogicalResult checkLoadStageMovable();
  void collectStoreStage();
  LogicalResult checkStoreStageMovable();
  LogicalResult reorderAndMark();

  scf::ForOp loop;
  Block *body;
  Allocation *alloc;
  OpSet load;  // the load stage
  OpSet store; // the store stage
};

/// The global loads of the body; refuses a body that already carries a
/// schedule or holds an op needing a CTA-wide barrier of its own.
FailureOr<SmallVector<Operation *>> LoopPartitioner::globalLoads() {
  SmallVector<Operation *> loads;
  for (Operation &op : body->without_terminator()) {
    StringRef n = op.getName().getStringRef();
    if (n == "rocdl.sched.barrier" || n == "rocdl.s.setprio" ||
        n == "amdg.cond_barrier" || n == "rocdl.s.barrier")
      return refuse("it already carries a schedule ('" + n +
                    "', e.g. from block-pingpong)");
    if (std::optional<std::string> why = needsOwnBarrier(&op, alloc))
      return refuse("'" + n + "' is " + *why);
    if (isGlobalLoad(n))
      loads.push_back(&op);
  }
  return loads;
}

/// Moving the load stage first is legal if it only reads global memory and
/// the rest writes none.
LogicalResult LoopPartitioner::checkLoadStageMovable() {
  for (Operation &op : body->without_terminator()) {
    bool inLoad = load.contains(&op);
    auto mei = dyn_cast<MemoryEffectOpInterface>(&op);
    if (!mei) {
      if (!isMemoryEffectFree(&op))
        return refuse("'" + op.getName().getStringRef() +
                      "' has unknown memory effects");
      continue;
    }
    Effects effects;
    mei.getEffects(effects);
    for (auto &e : effects) {
      bool shared = isSharedMemory(e.getValue());
      if (inLoad && (!isa<MemoryEffects::Read>(e.getEffect()) || shared))
        return refuse("'" + op.getName().getStringRef() +
                      "' feeds a global load but touches shared memory or "
                      "writes");
      if (!inLoad && isa<MemoryEffects::Write>(e.getEffect()) && !shared)
        return refuse("'" + op.getName().getStringRef() +
                      "' writes global memory");
    }
  }
  return success();
}

/// The store stage: LDS writes and what only they use, so that no stage reads
/// and overwrites the same buffer (Membar would put a barrier inside it).
void LoopPartitioner::collectStoreStage() {
  SmallVector<Operation *> stores;
  for (Operation &op : body->without_terminator())
    if (!load.contains(&op) && op.getName().getStringRef() == "ttg.local_store")
      stores.push_back(&op);
  addBackwardSlice(body, stores, store, &load);
  // Keep only ops whose users all move with them (or are the yield).
  for (bool changed = true; changed;) {
    changed = false;
    for (Operation *op : SmallVector<Operation *>(store.begin(), store.end()))
      for (Operation *user : op->getUsers()) {
        Operation *top = body->findAncestorOpInBlock(*user);
        if (top && top != body->getTerminator() && !store.contains(top)) {
          store.erase(op);
          changed = true;
          break;
        }
      }
  }
}

/// Moving the store stage last must not move an LDS write past an LDS access
/// that followed it.
LogicalResult LoopPartitioner::checkStoreStageMovable() {
  bool seenStore = false;
  for (Operation &op : body->without_terminator()) {
    if (store.contains(&op)) {
      seenStore |= op.getName().getStringRef() == "ttg.local_store";
      continue;
    }
    if (!seenStore || load.contains(&op))
      continue;
    auto mei = dyn_cast<MemoryEffectOpInterface>(&op);
    if (!mei)
      continue;
    Effects effects;
    mei.getEffects(effects);
    for (auto &e : effects)
      if (isSharedMemory(e.getValue()))
        return refuse("'" + op.getName().getStringRef() +
                      "' accesses shared memory after an LDS write");
  }
  return success();
}

/// Reorders the body into load, compute, store (body order kept inside each
/// stage) and closes each stage with a border marker.
LogicalResult LoopPartitioner::reorderAndMark() {
  SmallVector<Operation *> loadOps, computeOps, storeOps;
  for (Operation &op : body->without_terminator())
    (load.contains(&op)    ? loadOps
     : store.contains(&op) ? storeOps
                           : computeOps)
        .push_back(&op);
  if (computeOps.empty())
    return refuse("nothing left for a compute stage");
  Operation *yield = body->getTerminator();
  for (SmallVector<Operation *> *stage : {&loadOps, &computeOps, &storeOps})
    for (Operation *op : *stage)
      op->moveBefore(yield);

  OpBuilder b(loop.getContext());
  Attribute none =
      parseAttribute("#rocdl<sched_group_mask none>", loop.getContext());
  if (!none)
    none = b.getI32IntegerAttr(0);
  auto border = [&](Operation *before, StringRef label, int prio) {
    b.setInsertionPoint(before);
    OperationState st(loop.getLoc(), "rocdl.sched.barrier");
    st.addAttribute("mask", none);
    st.addAttribute(kBorderAttr, b.getStringAttr(label));
    st.addAttribute(kPriorityAttr, b.getI32IntegerAttr(prio));
    b.create(st);
  };
  border(computeOps.front(), "load", 1);
  if (storeOps.empty()) {
    border(yield, "compute", 0);
  } else {
    border(storeOps.front(), "compute", 0);
    border(yield, "store", 0);
  }
  loop->setAttr(attr::kWarpPipelineAuto, b.getUnitAttr());
  return success();
}

} // namespace

void mlir::autopipe::warp_pipeline::partitionGemmLoops(
    ModuleOp module, int requiredWarps, SmallVectorImpl<scf::ForOp> &loops) {
  std::optional<int64_t> warps =
      attr::intValue(module->getAttr(attr::kNumWarps));
  if (!warps || *warps != requiredWarps)
    return;
  SmallVector<scf::ForOp> candidates = candidateLoops(module, loops);
  ModuleAllocation moduleAlloc(module);
  for (scf::ForOp loop : candidates) {
    auto funcOp = loop->getParentOfType<FunctionOpInterface>();
    Allocation *alloc = funcOp ? moduleAlloc.getFuncData(funcOp) : nullptr;
    if (succeeded(LoopPartitioner(loop, alloc).run()))
      loops.push_back(loop);
  }
}
