//===- WarpPipelineRegions.cpp - border markers -> stage regions ----------===//
//
// `autopipe-warp-pipeline-regions` replaces Triton's
// `tritonamdgpu-warp-pipeline` on the HIP path: the ops between Gluon's stage
// border markers
// (`rocdl.sched.barrier {triton.warp_pipeline.border = "label"}`) in an
// `scf.for` become `scf.execute_region no_inline` stages, and the loop is
// marked `triton.warp_pipeline.pipelined_for` for autopipe-lower-warp-pipeline.
// Unlike Triton's pass it diagnoses ops that need a CTA-wide barrier of their
// own inside a stage (error naming the op, its stage and the fix). With
// `auto-partition`, plain GEMM loops get markers first
// (WarpPipelinePartition.cpp).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Dialects.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/WarpPipeline.h"

#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "triton/Analysis/Allocation.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::warp_pipeline;

namespace mlir::autopipe {
#define GEN_PASS_DEF_WARPPIPELINEREGIONSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {
struct WarpPipelineRegionsPass;
/// The pass's argument (Passes.td), for messages of the helpers below.
constexpr llvm::StringLiteral kArgument =
    autopipe::impl::WarpPipelineRegionsPassBase<
        WarpPipelineRegionsPass>::getArgumentName();

struct Stage {
  std::string label;
  IntegerAttr priority; // null: none given
  SmallVector<Operation *> ops;
  Operation *border; // the marker closing the stage
};

bool isBorder(Operation &op) { return op.hasAttr(kBorderAttr); }

/// The loops whose body holds border markers; a marker anywhere else is an
/// error (returns failure after reporting all of them).
LogicalResult collectMarkedLoops(ModuleOp module,
                                 SmallVectorImpl<scf::ForOp> &loops) {
  bool failed = false;
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
  return failure(failed);
}

/// The stages of `loop`'s body, each closed by its border marker; ops after
/// the last border are returned in `trailing`. Fails on a malformed marker.
FailureOr<SmallVector<Stage>>
collectStages(scf::ForOp loop, SmallVector<Operation *> &trailing) {
  SmallVector<Stage> stages;
  SmallVector<Operation *> pending;
  for (Operation &op : loop.getBody()->without_terminator()) {
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
  }
  trailing = std::move(pending);
  return stages;
}

/// An op needing its own CTA barrier inside a stage is an error, unless it is
/// an explicit barrier/wait at the stage's edge: it then coincides with the
/// stage boundary and is dropped from `stage.ops` (it stays outside the
/// region, where the lowering merges it with the boundary barrier).
LogicalResult checkStageOps(scf::ForOp loop, MutableArrayRef<Stage> stages,
                            Allocation *alloc) {
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
        emitNeedsOwnBarrier(op, stage.label, index, loop, *why);
        bad = true;
        return WalkResult::skip();
      });
    }
    stage.ops = std::move(kept);
  }
  return failure(bad);
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

void emitStagesRemark(scf::ForOp loop, ArrayRef<Stage> stages) {
  InFlightDiagnostic d = loop.emitRemark();
  d << "warp pipeline: " << loopName(loop) << " has " << stages.size()
    << " stages:";
  for (const Stage &s : stages) {
    d << " '" << s.label << "'";
    if (std::optional<int64_t> p = attr::intValue(s.priority))
      d << " (priority " << *p << ")";
  }
}

/// Converts one marked loop into stage regions (see the file comment); a loop
/// with fewer than two stages is left as is, with a remark.
LogicalResult convertLoop(scf::ForOp loop, ModuleAllocation &moduleAlloc,
                          bool remarks) {
  SmallVector<Operation *> trailing;
  FailureOr<SmallVector<Stage>> collected = collectStages(loop, trailing);
  if (failed(collected))
    return failure();
  SmallVector<Stage> &stages = *collected;
  if (stages.size() < 2) {
    loop.emitRemark() << "warp pipeline: " << loopName(loop) << " has "
                      << stages.size()
                      << " stage(s); at least two are needed, left as is";
    return success();
  }
  // Ops after the last border (outside any warp_pipeline_stage block) run
  // with the last stage.
  llvm::append_range(stages.back().ops, trailing);

  auto funcOp = loop->getParentOfType<FunctionOpInterface>();
  Allocation *alloc = funcOp ? moduleAlloc.getFuncData(funcOp) : nullptr;
  if (failed(checkStageOps(loop, stages, alloc)))
    return failure();

  OpBuilder b(loop.getContext());
  for (Stage &stage : stages)
    wrapStage(b, loop.getBody(), stage);
  for (Stage &stage : stages)
    stage.border->erase();
  loop->setAttr(kPipelinedForAttr, b.getUnitAttr());
  if (remarks)
    emitStagesRemark(loop, stages);
  return success();
}

/// The pass on `module`, with its option values.
LogicalResult convertModule(ModuleOp module, bool remarks, bool autoPartition,
                            int autoPartitionWarps) {
  SmallVector<scf::ForOp> loops;
  bool failed = mlir::failed(collectMarkedLoops(module, loops));
  if (autoPartition)
    partitionGemmLoops(module, autoPartitionWarps, loops);

  std::unique_ptr<ModuleAllocation> allocation;
  if (!loops.empty())
    allocation = std::make_unique<ModuleAllocation>(module);
  for (scf::ForOp loop : loops)
    if (mlir::failed(convertLoop(loop, *allocation, remarks)))
      failed = true;
  return failure(failed);
}

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
    if (failed(convertModule(getOperation(), remarks, autoPartition,
                             autoPartitionWarps)))
      signalPassFailure();
  }
};

} // namespace
