//===- WarpPipelineRegions.cpp - border markers -> stage regions ----------===//
//
// `autopipe-warp-pipeline-regions` replaces Triton's `tritonamdgpu-warp-pipeline`
// on the HIP path. Gluon's `gl.amd.warp_pipeline_stage(label, priority=)`
// leaves border markers in the body of an `scf.for`:
//
//   rocdl.sched.barrier none {triton.warp_pipeline.border = "label",
//                             triton.warp_pipeline.priority = N}
//
// each closing the stage named by its label. For every such loop this pass
// wraps the ops of each stage into
//
//   %r:k = scf.execute_region -> (...) no_inline { ...; scf.yield ... }
//            {triton.warp_pipeline.stage = "label",
//             triton.warp_pipeline.priority = N}
//
// (ops before the first border join the first stage, ops after the last one
// the last stage), yields every value a later stage or the loop's yield uses,
// removes the markers and marks the loop `triton.warp_pipeline.pipelined_for`.
// `autopipe-lower-warp-pipeline` then emits the leap-frog schedule.
//
// Why a pass of our own: it diagnoses what Triton's pass lets through. An op
// inside a stage that needs a CTA-wide barrier of its own (nested loop,
// explicit barrier or wait, call, or - per Triton's Allocation analysis - an
// op with a shared-memory scratch buffer: layout conversion through LDS,
// reduction/scan across warps) is an error naming the op, its stage and the
// fix. An explicit barrier or wait that is the first or last op of a stage
// coincides with a stage boundary: it is kept outside the stage regions, at
// that boundary, where the lowering merges it with the boundary barrier.
//
// A loop with fewer than two stages is left as is, with a remark naming it.
//
// Beyond Gluon's markers (option auto-partition, off by default): a plain
// Triton GEMM loop of a kernel with `auto-partition-warps` warps (8: two warp
// groups of 4) is split into a "load" stage (its global loads and the ops
// computing their addresses and masks, moved to the front of the body), a
// "compute" stage (LDS reads, MMA, the rest) and a "store" stage (the LDS
// writes and what only they use, moved to the end, so no stage both reads and
// overwrites a buffer), as an alternative to Triton's block-pingpong. Only loops where this reordering is
// provably legal are split: the moved ops depend only on each other and read
// global memory only, the rest writes no global memory; a loop that already
// carries a schedule (block-pingpong's cond_barrier/setprio/sched barriers) or
// holds an op that needs its own barrier is left as is, with a remark.
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Dialects.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/WarpPipeline.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "triton/Analysis/Allocation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::warp_pipeline;

namespace mlir::autopipe {
#define GEN_PASS_DEF_WARPPIPELINEREGIONSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

struct Stage {
  std::string label;
  IntegerAttr priority; // null: none given
  SmallVector<Operation *> ops;
  Operation *border;
};

std::string loopName(scf::ForOp loop) {
  return "scf.for at " + formatLocation(loop.getLoc());
}

bool isBorder(Operation &op) { return op.hasAttr(kBorderAttr); }

struct WarpPipelineRegionsPass
    : public autopipe::impl::WarpPipelineRegionsPassBase<
          WarpPipelineRegionsPass> {
  using Base::Base;

  // Passes.td's dependentDialects, plus amdg (no shipped header): created by
  // name, so registered through libtriton (see Dialects.cpp).
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerTritonDialects(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Markers must sit directly in an scf.for body.
    bool failed = false;
    SmallVector<scf::ForOp> loops;
    module.walk([&](Operation *op) {
      if (auto loop = dyn_cast<scf::ForOp>(op)) {
        if (llvm::any_of(*loop.getBody(), isBorder))
          loops.push_back(loop);
        return;
      }
      if (op->hasAttr(kBorderAttr) && !isa<scf::ForOp>(op->getParentOp())) {
        op->emitError() << "warp-pipeline stage border outside the body of an "
                           "scf.for: warp_pipeline_stage blocks must be "
                           "directly inside a loop";
        failed = true;
      }
    });

    if (autoPartition)
      partitionGemmLoops(module, loops);

    std::unique_ptr<ModuleAllocation> allocation;
    if (!loops.empty())
      allocation = std::make_unique<ModuleAllocation>(module);

    for (scf::ForOp loop : loops)
      if (LogicalResult r = convertLoop(loop, *allocation); mlir::failed(r))
        failed = true;
    if (failed)
      signalPassFailure();
  }

  /// auto-partition: adds "load"/"compute" border markers to plain GEMM
  /// loops (see the file comment) and appends them to `loops`.
  void partitionGemmLoops(ModuleOp module, SmallVector<scf::ForOp> &loops) {
    auto warps = module->getAttrOfType<IntegerAttr>("ttg.num-warps");
    if (!warps || warps.getInt() != autoPartitionWarps)
      return;
    SmallVector<scf::ForOp> candidates;
    module.walk([&](scf::ForOp loop) {
      if (llvm::is_contained(loops, loop) || loop->hasAttr(kPipelinedForAttr))
        return;
      bool hasDot = false, hasLoad = false, nested = false;
      loop.getBody()->walk([&](Operation *op) {
        StringRef n = op->getName().getStringRef();
        hasDot |= n == "tt.dot" || n == "tt.dot_scaled";
        hasLoad |= n == "tt.load" || n == "amdg.buffer_load";
        nested |= isa<scf::ForOp, scf::WhileOp>(op);
      });
      if (hasDot && hasLoad && !nested)
        candidates.push_back(loop);
    });
    ModuleAllocation moduleAlloc(module);
    for (scf::ForOp loop : candidates)
      if (partitionLoop(loop, moduleAlloc))
        loops.push_back(loop);
  }

  bool partitionLoop(scf::ForOp loop, ModuleAllocation &moduleAlloc) {
    auto leave = [&](const Twine &why) {
      loop.emitRemark() << "warp pipeline: " << loopName(loop)
                        << " not partitioned automatically: " << why;
      return false;
    };
    Block *body = loop.getBody();
    auto funcOp = loop->getParentOfType<FunctionOpInterface>();
    Allocation *alloc = funcOp ? moduleAlloc.getFuncData(funcOp) : nullptr;
    // The load stage: global loads and their backward slice in the body.
    llvm::SmallPtrSet<Operation *, 32> load;
    SmallVector<Operation *> work;
    for (Operation &op : body->without_terminator()) {
      StringRef n = op.getName().getStringRef();
      if (n == "rocdl.sched.barrier" || n == "rocdl.s.setprio" ||
          n == "amdg.cond_barrier" || n == "rocdl.s.barrier")
        return leave("it already carries a schedule ('" + n +
                     "', e.g. from block-pingpong)");
      if (std::optional<std::string> why = needsOwnBarrier(&op, alloc))
        return leave("'" + n + "' is " + *why);
      if (n == "tt.load" || n == "amdg.buffer_load")
        work.push_back(&op);
    }
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      if (!load.insert(op).second)
        continue;
      for (Value v : op->getOperands())
        if (Operation *def = v.getDefiningOp())
          if (def->getBlock() == body)
            work.push_back(def);
    }
    // Moving the load stage first is legal if it only reads global memory
    // and the rest writes none.
    for (Operation &op : body->without_terminator()) {
      bool inLoad = load.contains(&op);
      auto mei = dyn_cast<MemoryEffectOpInterface>(&op);
      if (!mei) {
        if (!isMemoryEffectFree(&op))
          return leave("'" + op.getName().getStringRef() +
                       "' has unknown memory effects");
        continue;
      }
      SmallVector<SideEffects::EffectInstance<MemoryEffects::Effect>> effects;
      mei.getEffects(effects);
      for (auto &e : effects) {
        bool shared = e.getValue() && isa<triton::gpu::MemDescType>(
                                          e.getValue().getType());
        if (inLoad && (!isa<MemoryEffects::Read>(e.getEffect()) || shared))
          return leave("'" + op.getName().getStringRef() +
                       "' feeds a global load but touches shared memory or "
                       "writes");
        if (!inLoad && isa<MemoryEffects::Write>(e.getEffect()) && !shared)
          return leave("'" + op.getName().getStringRef() +
                       "' writes global memory");
      }
    }
    // The store stage: LDS writes and what only they use, moved to the end,
    // so that no stage reads and overwrites the same buffer (Membar would put
    // a barrier inside such a stage).
    llvm::SmallPtrSet<Operation *, 32> store;
    for (Operation &op : body->without_terminator())
      if (!load.contains(&op) &&
          op.getName().getStringRef() == "ttg.local_store")
        work.push_back(&op);
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      if (load.contains(op) || !store.insert(op).second)
        continue;
      for (Value v : op->getOperands())
        if (Operation *def = v.getDefiningOp())
          if (def->getBlock() == body)
            work.push_back(def);
    }
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
    // Moving the store stage last must not move an LDS write past an LDS
    // access that followed it.
    bool seenStore = false;
    for (Operation &op : body->without_terminator()) {
      if (store.contains(&op)) {
        seenStore |= op.getName().getStringRef() == "ttg.local_store";
        continue;
      }
      if (!seenStore || load.contains(&op))
        continue;
      if (auto mei = dyn_cast<MemoryEffectOpInterface>(&op)) {
        SmallVector<SideEffects::EffectInstance<MemoryEffects::Effect>> effs;
        mei.getEffects(effs);
        for (auto &e : effs)
          if (e.getValue() &&
              isa<triton::gpu::MemDescType>(e.getValue().getType()))
            return leave("'" + op.getName().getStringRef() +
                         "' accesses shared memory after an LDS write");
      }
    }
    // Reorder: load, compute, store (body order kept inside each stage).
    SmallVector<Operation *> loadOps, computeOps, storeOps;
    for (Operation &op : body->without_terminator())
      (load.contains(&op) ? loadOps
       : store.contains(&op) ? storeOps
                             : computeOps)
          .push_back(&op);
    if (computeOps.empty())
      return leave("nothing left for a compute stage");
    Operation *yield = body->getTerminator();
    for (Operation *op : loadOps)
      op->moveBefore(yield);
    for (Operation *op : computeOps)
      op->moveBefore(yield);
    for (Operation *op : storeOps)
      op->moveBefore(yield);

    OpBuilder b(loop.getContext());
    Attribute none = parseAttribute("#rocdl<sched_group_mask none>",
                                    loop.getContext());
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
    loop->setAttr("autopipe.warp_pipeline.auto", b.getUnitAttr());
    return true;
  }

  LogicalResult convertLoop(scf::ForOp loop, ModuleAllocation &moduleAlloc) {
    Block *body = loop.getBody();
    SmallVector<Stage> stages;
    SmallVector<Operation *> borders;
    SmallVector<Operation *> pending;
    for (Operation &op : body->without_terminator()) {
      if (!isBorder(op)) {
        pending.push_back(&op);
        continue;
      }
      Stage s{"", nullptr, std::move(pending), &op};
      pending.clear();
      if (auto label = op.getAttrOfType<StringAttr>(kBorderAttr))
        s.label = label.getValue().str();
      else
        return op.emitError() << "warp-pipeline border without a string "
                              << kBorderAttr << " label";
      if (Attribute p = op.getAttr(kPriorityAttr)) {
        s.priority = dyn_cast<IntegerAttr>(p);
        if (!s.priority)
          return op.emitError() << kPriorityAttr << " must be an integer";
      }
      stages.push_back(std::move(s));
      borders.push_back(&op);
    }
    if (stages.size() < 2) {
      loop.emitRemark() << "warp pipeline: " << loopName(loop) << " has "
                        << stages.size()
                        << " stage(s); at least two are needed, left as is";
      return success();
    }
    // Ops after the last border (outside any warp_pipeline_stage block) run
    // with the last stage.
    llvm::append_range(stages.back().ops, pending);

    // An op needing its own CTA barrier inside a stage is an error, unless it
    // is an explicit barrier/wait at the stage's edge (it then coincides with
    // the stage boundary and stays outside the region).
    auto funcOp = loop->getParentOfType<FunctionOpInterface>();
    Allocation *alloc = funcOp ? moduleAlloc.getFuncData(funcOp) : nullptr;
    bool bad = false;
    for (auto [index, stage] : llvm::enumerate(stages)) {
      SmallVector<Operation *> kept;
      for (auto [pos, top] : llvm::enumerate(stage.ops)) {
        bool atEdge = pos == 0 || pos + 1 == stage.ops.size();
        if (atEdge && isBarrierLike(top))
          continue; // stays at the boundary
        kept.push_back(top);
        top->walk<WalkOrder::PreOrder>([&](Operation *op) {
          std::optional<std::string> why = needsOwnBarrier(op, alloc);
          if (!why)
            return WalkResult::advance();
          op->emitError() << "'" << op->getName() << "' in warp-pipeline stage '"
                          << stage.label << "' (stage " << index << " of "
                          << loopName(loop) << ") is " << *why
                          << ", which needs a CTA-wide barrier of its own "
                             "inside the stage; move it to a stage boundary "
                             "(before or after the warp_pipeline_stage block, "
                             "or out of the loop)";
          bad = true;
          return WalkResult::skip();
        });
      }
      stage.ops = std::move(kept);
    }
    if (bad)
      return failure();

    OpBuilder b(loop.getContext());
    for (Stage &stage : stages)
      wrapStage(b, body, stage);
    for (Operation *border : borders)
      border->erase();
    loop->setAttr(kPipelinedForAttr, b.getUnitAttr());

    if (remarks) {
      InFlightDiagnostic d = loop.emitRemark();
      d << "warp pipeline: " << loopName(loop) << " has " << stages.size()
        << " stages:";
      for (Stage &s : stages) {
        d << " '" << s.label << "'";
        if (s.priority)
          d << " (priority " << s.priority.getInt() << ")";
      }
    }
    return success();
  }

  /// Moves the ops of `stage` into a no_inline scf.execute_region placed where
  /// its first op was (or at its border if it is empty); results used outside
  /// the stage are yielded.
  void wrapStage(OpBuilder &b, Block *body, Stage &stage) {
    llvm::SmallPtrSet<Operation *, 16> members(stage.ops.begin(),
                                              stage.ops.end());
    llvm::SetVector<Value> escaping;
    for (Operation *op : stage.ops)
      for (Value v : op->getResults())
        for (OpOperand &use : v.getUses()) {
          Operation *user = body->findAncestorOpInBlock(*use.getOwner());
          if (!user || !members.contains(user))
            escaping.insert(v);
        }
    SmallVector<Type> types;
    for (Value v : escaping)
      types.push_back(v.getType());

    // An empty stage (a bubble) goes where its border was; the caller
    // erases the borders afterwards.
    Operation *at = stage.ops.empty() ? stage.border : stage.ops.front();
    b.setInsertionPoint(at);
    Location loc = at->getLoc();
    auto region = scf::ExecuteRegionOp::create(b, loc, types, /*no_inline=*/true);
    Block *block = new Block();
    region.getRegion().push_back(block);
    for (Operation *op : stage.ops)
      op->moveBefore(block, block->end());
    b.setInsertionPointToEnd(block);
    scf::YieldOp::create(b, loc, escaping.getArrayRef());
    for (auto [i, r] : llvm::enumerate(region.getResults()))
      Value(escaping[i]).replaceUsesWithIf(r, [&](OpOperand &use) {
        return !region->isAncestor(use.getOwner());
      });
    region->setAttr(kStageRegionAttr, b.getStringAttr(stage.label));
    if (stage.priority)
      region->setAttr(kPriorityAttr, stage.priority);
  }
};

} // namespace
