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
// Options:
//   remarks (bool, default false)  also emit one remark per converted loop
//                                  listing its stages.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/PassDocs.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/WarpPipeline.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "triton/Analysis/Allocation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::warp_pipeline;

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
    : public PassWrapper<WarpPipelineRegionsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(WarpPipelineRegionsPass)

  WarpPipelineRegionsPass() = default;
  WarpPipelineRegionsPass(const WarpPipelineRegionsPass &other)
      : PassWrapper(other) {}

  StringRef getArgument() const final {
    return docs::warpPipelineRegions.argument;
  }
  StringRef getDescription() const final {
    return docs::warpPipelineRegions.summary;
  }

  Option<bool> remarks{
      *this, docs::warpPipelineRegions.options[0].name,
      llvm::cl::desc(docs::warpPipelineRegions.options[0].description),
      llvm::cl::init(false)};

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

    std::unique_ptr<ModuleAllocation> allocation;
    if (!loops.empty())
      allocation = std::make_unique<ModuleAllocation>(module);

    for (scf::ForOp loop : loops)
      if (LogicalResult r = convertLoop(loop, *allocation); mlir::failed(r))
        failed = true;
    if (failed)
      signalPassFailure();
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

std::unique_ptr<Pass> mlir::autopipe::createWarpPipelineRegionsPass() {
  return std::make_unique<WarpPipelineRegionsPass>();
}
