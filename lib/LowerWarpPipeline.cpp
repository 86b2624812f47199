//===- LowerWarpPipeline.cpp - leap-frog schedule for warp-pipeline loops
//---===//
//
// `autopipe-lower-warp-pipeline` replaces Triton's `convert-warp-pipeline` on
// the HIP path. For every `scf.for` marked `triton.warp_pipeline.pipelined_for`
// (a body of `scf.execute_region` stages, see WarpPipelineRegions.cpp) it
// inlines the stages and emits the schedule that makes the warp groups
// leap-frog: a conditional barrier holds all groups but the first one phase
// back, every stage boundary gets a barrier (with an LDS fence where
// WarpPipelineFences.cpp finds a dependency), and a second conditional
// barrier lets the leading group catch up after the loop.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Dialects.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/TargetInfo.h"
#include "triton-autopipe/WarpPipeline.h"
#include "triton-autopipe/WarpPipelineFences.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "triton/Analysis/Allocation.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::warp_pipeline;
namespace ttg = mlir::triton::gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_LOWERWARPPIPELINEPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {
struct LowerWarpPipelinePass;
/// The pass's argument (Passes.td), for messages of the helpers below.
constexpr llvm::StringLiteral kArgument =
    autopipe::impl::LowerWarpPipelinePassBase<
        LowerWarpPipelinePass>::getArgumentName();

Operation *createGeneric(OpBuilder &b, Location loc, StringRef name,
                         ValueRange operands = {}, TypeRange results = {},
                         ArrayRef<NamedAttribute> attrs = {}) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addTypes(results);
  state.addAttributes(attrs);
  return b.create(state);
}

/// A warp-pipeline loop as the regions pass leaves it.
struct PipelineLoop {
  SmallVector<scf::ExecuteRegionOp> stages;
  /// Boundary index -> the explicit barrier or wait standing there (boundary
  /// k precedes stage k; a barrier after the last stage is boundary 0).
  DenseMap<unsigned, Operation *> boundaryOps;
  /// Stage labels, kept after the stage regions are inlined.
  SmallVector<std::string> labels;
};

/// The stages and boundary barriers of `loop`; nullopt (with a remark) if
/// its body holds anything else or fewer than two stages.
std::optional<PipelineLoop> matchPipelineLoop(scf::ForOp loop) {
  PipelineLoop pl;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto region = dyn_cast<scf::ExecuteRegionOp>(op);
        region && region->hasAttr(kStageRegionAttr)) {
      pl.stages.push_back(region);
      continue;
    }
    if (isBarrierLike(&op) && !pl.boundaryOps.count(pl.stages.size())) {
      pl.boundaryOps[pl.stages.size()] = &op;
      continue;
    }
    loop.emitRemark() << "warp pipeline: " << loopName(loop) << " left as is: '"
                      << op.getName()
                      << "' sits between stages (only stage regions and one "
                         "barrier per boundary may)";
    return std::nullopt;
  }
  unsigned n = pl.stages.size();
  if (n < 2) {
    loop.emitRemark() << "warp pipeline: " << loopName(loop) << " has " << n
                      << " stage(s); at least two are needed, left as is";
    return std::nullopt;
  }
  if (pl.boundaryOps.count(n)) {
    if (pl.boundaryOps.count(0)) {
      loop.emitRemark() << "warp pipeline: " << loopName(loop)
                        << " left as is: barriers both before the first and "
                           "after the last stage";
      return std::nullopt;
    }
    pl.boundaryOps[0] = pl.boundaryOps[n];
    pl.boundaryOps.erase(n);
  }
  for (auto [i, stage] : llvm::enumerate(pl.stages)) {
    auto attr = stage->getAttrOfType<StringAttr>(kStageRegionAttr);
    pl.labels.push_back(attr ? attr.getValue().str() : "#" + std::to_string(i));
  }
  return pl;
}

/// Ops needing a CTA-wide barrier of their own inside a stage are errors.
LogicalResult checkStageOps(scf::ForOp loop, const PipelineLoop &pl,
                            Allocation *alloc) {
  bool bad = false;
  for (auto [i, stage] : llvm::enumerate(pl.stages))
    stage->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op == static_cast<Operation *>(stage))
        return WalkResult::advance();
      std::optional<std::string> why = needsOwnBarrier(op, alloc);
      if (!why)
        return WalkResult::advance();
      emitNeedsOwnBarrier(op, pl.labels[i], i, loop, *why);
      bad = true;
      return WalkResult::skip();
    });
  return failure(bad);
}

/// The warp groups of the kernel holding `loop`.
struct WarpGroups {
  int numGroups;
  int groupThreads;
};

WarpGroups warpGroups(scf::ForOp loop, int warpsPerGroup) {
  ModuleOp module = loop->getParentOfType<ModuleOp>();
  auto intAttr = [&](StringRef name, int dflt) {
    std::optional<int64_t> v = attr::intValue(module->getAttr(name));
    if (v && *v > 0 && *v < (1 << 16))
      return static_cast<int>(*v);
    return dflt;
  };
  int threadsPerWarp = intAttr("ttg.threads-per-warp", 64);
  int numWarps = intAttr("ttg.num-warps", 4);
  return {std::max(1, numWarps / warpsPerGroup),
          warpsPerGroup * threadsPerWarp};
}

/// The fences the boundary barriers already carry; every boundary when the
/// LDS accesses are `unknown` (no allocation information).
BoundaryFences existingFences(const PipelineLoop &pl, bool unknown) {
  unsigned n = pl.stages.size();
  BoundaryFences f{SmallVector<bool>(n, false), SmallVector<std::string>(n),
                   ""};
  for (auto [k, op] : pl.boundaryOps) {
    if (op->getName().getStringRef() == "gpu.barrier")
      f.fenced[k] = true;
    if (auto bar = dyn_cast<ttg::BarrierOp>(op))
      f.fenced[k] = bar.hasLocal();
    if (f.fenced[k])
      f.why[k] = "existing '" + op->getName().getStringRef().str() + "'";
  }
  if (unknown)
    for (unsigned k = 0; k < n; ++k)
      if (!f.fenced[k]) {
        f.fenced[k] = true;
        f.why[k] = "no allocation information";
      }
  return f;
}

/// Each stage's `s_setprio` priority, or nullopt if no stage has one.
std::optional<SmallVector<int>> stagePriorities(const PipelineLoop &pl) {
  if (llvm::none_of(pl.stages, [](scf::ExecuteRegionOp r) {
        return r->hasAttr(kPriorityAttr);
      }))
    return std::nullopt;
  SmallVector<int> prio;
  for (scf::ExecuteRegionOp stage : pl.stages) {
    // s_setprio takes 0..3.
    std::optional<int64_t> p = attr::intValue(stage->getAttr(kPriorityAttr));
    prio.push_back(p ? static_cast<int>(std::clamp<int64_t>(*p, 0, 3)) : 0);
  }
  return prio;
}

/// Builds the AMD ops of the schedule at the builder's insertion point.
struct ScheduleBuilder {
  OpBuilder &b;
  Location loc;
  Attribute schedNone; // the `none` sched_group_mask

  void setprio(int p) {
    createGeneric(b, loc, "rocdl.s.setprio", {}, {},
                  {b.getNamedAttr("priority", b.getI16IntegerAttr(p))});
  }
  void schedBarrier() {
    createGeneric(b, loc, "rocdl.sched.barrier", {}, {},
                  {b.getNamedAttr("mask", schedNone)});
  }
};

/// Around the loop:
///
///   ttg.barrier local                  // settle everything before the loop
///   %g = tid.x / (warps-per-group * threads-per-warp)
///   amdg.cond_barrier (%g != 0)        // hold the other groups one phase back
///   [rocdl.s.setprio p0]
///   scf.for { ... }
///   [rocdl.s.setprio 0]
///   amdg.cond_barrier (%g == 0)        // the leading group catches up
void emitPrologueEpilogue(ScheduleBuilder &sb, scf::ForOp loop,
                          const WarpGroups &groups,
                          const std::optional<SmallVector<int>> &prio) {
  OpBuilder &b = sb.b;
  Location loc = sb.loc;
  b.setInsertionPoint(loop);
  ttg::BarrierOp::create(b, loc, ttg::AddrSpace::Local);
  Value tid = createGeneric(b, loc, "rocdl.workitem.id.x", {}, {b.getI32Type()})
                  ->getResult(0);
  Value size = arith::ConstantIntOp::create(b, loc, groups.groupThreads, 32);
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 32);
  Value group = arith::DivUIOp::create(b, loc, tid, size);
  Value leader =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, group, zero);
  Value held =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, group, zero);
  createGeneric(b, loc, "amdg.cond_barrier", {held});
  if (prio)
    sb.setprio((*prio)[0]);
  b.setInsertionPointAfter(loop);
  if (prio)
    sb.setprio(0);
  createGeneric(b, loc, "amdg.cond_barrier", {leader});
}

/// Makes the explicit barrier or wait `existing` at a boundary part of it and
/// leaves `b` after it: a barrier stands for the boundary barrier (upgraded to
/// an LDS fence if `fenced`); a wait is followed by ours. Returns whether the
/// boundary still needs a barrier of ours.
bool adoptExisting(OpBuilder &b, Location loc, Operation *existing,
                   bool fenced) {
  if (!isBarrierOp(existing)) {
    b.setInsertionPointAfter(existing);
    return true;
  }
  auto bar = dyn_cast<ttg::BarrierOp>(existing);
  bool hasLocal = existing->getName().getStringRef() == "gpu.barrier" ||
                  (bar && bar.hasLocal());
  if (fenced && !hasLocal && !bar) {
    b.setInsertionPointAfter(existing);
    ttg::BarrierOp::create(b, loc, ttg::AddrSpace::Local);
    existing->erase();
    return false;
  }
  if (fenced && !hasLocal) {
    auto bits = static_cast<uint32_t>(bar.getAddrSpace()) |
                static_cast<uint32_t>(ttg::AddrSpace::Local);
    bar.setAddrSpace(static_cast<ttg::AddrSpace>(bits));
  }
  b.setInsertionPointAfter(existing);
  return false;
}

/// Boundary k, before stage k (boundary 0 closes the body, or opens it where
/// an explicit barrier already stood there):
///   [s.setprio p_k]; sched.barrier; BARRIER; sched.barrier
/// BARRIER is `rocdl.s.barrier`, or `ttg.barrier local` where fenced.
void emitBoundary(ScheduleBuilder &sb, const PipelineLoop &pl, Block *body,
                  unsigned k, bool fenced,
                  const std::optional<SmallVector<int>> &prio) {
  OpBuilder &b = sb.b;
  Operation *existing = pl.boundaryOps.lookup(k);
  if (existing)
    b.setInsertionPoint(existing);
  else if (k == 0)
    b.setInsertionPoint(body->getTerminator());
  else
    b.setInsertionPoint(pl.stages[k]);
  if (prio)
    sb.setprio((*prio)[k]);
  sb.schedBarrier();
  bool emitOurs = !existing || adoptExisting(b, sb.loc, existing, fenced);
  if (emitOurs) {
    if (fenced)
      ttg::BarrierOp::create(b, sb.loc, ttg::AddrSpace::Local);
    else
      createGeneric(b, sb.loc, "rocdl.s.barrier");
  }
  sb.schedBarrier();
}

/// Moves the ops of each stage region into the loop body, in its place.
void inlineStages(Block *body, ArrayRef<scf::ExecuteRegionOp> stages) {
  for (scf::ExecuteRegionOp region : stages) {
    Block &block = region.getRegion().front();
    Operation *yield = block.getTerminator();
    SmallVector<Value> results(yield->getOperands());
    body->getOperations().splice(Block::iterator(region.getOperation()),
                                 block.getOperations(), block.begin(),
                                 Block::iterator(yield));
    region->replaceAllUsesWith(results);
    region->erase();
  }
}

void emitLoweringRemarks(scf::ForOp loop, const PipelineLoop &pl,
                         const WarpGroups &groups, const BoundaryFences &f,
                         bool remarks) {
  if (!f.concurrent.empty())
    loop.emitRemark() << "warp pipeline: " << loopName(loop)
                      << ": stages run concurrently on the " << groups.numGroups
                      << " warp groups yet touch overlapping LDS (no barrier "
                         "can order them; make sure they use disjoint "
                         "parts):"
                      << f.concurrent;
  if (!remarks)
    return;
  InFlightDiagnostic d = loop.emitRemark();
  d << "warp pipeline: " << loopName(loop) << ": " << pl.stages.size()
    << " stages, " << groups.numGroups << " warp group(s) of "
    << groups.groupThreads << " threads;";
  for (unsigned k = 0; k < pl.stages.size(); ++k) {
    d << " boundary before '" << pl.labels[k] << "': ";
    if (f.fenced[k])
      d << "barrier + LDS fence (" << f.why[k] << ");";
    else
      d << "barrier;";
  }
}

/// Lowers one warp-pipeline loop; loops it cannot lower are left as is with
/// a remark, stages holding ops that need their own barrier are errors.
LogicalResult lowerLoop(scf::ForOp loop, Allocation *alloc, int warpsPerGroup,
                        Attribute schedNone, bool remarks) {
  std::optional<PipelineLoop> pl = matchPipelineLoop(loop);
  if (!pl)
    return success();
  if (failed(checkStageOps(loop, *pl, alloc)))
    return failure();
  WarpGroups groups = warpGroups(loop, warpsPerGroup);

  SmallVector<StageAccesses> accesses;
  for (scf::ExecuteRegionOp stage : pl->stages)
    accesses.push_back(collectLdsAccesses(stage, alloc));
  if (failed(checkNoConflictInStage(loop, accesses, pl->labels)))
    return failure();
  bool unknown =
      llvm::any_of(accesses, [](const StageAccesses &a) { return a.unknown; });
  BoundaryFences fences = placeDependencyFences(
      accesses, pl->labels, groups.numGroups, existingFences(*pl, unknown));

  std::optional<SmallVector<int>> prio = stagePriorities(*pl);
  OpBuilder b(loop.getContext());
  ScheduleBuilder sb{b, loop.getLoc(), schedNone};
  emitPrologueEpilogue(sb, loop, groups, prio);
  for (unsigned k = 0; k < pl->stages.size(); ++k)
    emitBoundary(sb, *pl, loop.getBody(), k, fences.fenced[k], prio);
  inlineStages(loop.getBody(), pl->stages);
  loop->removeAttr(kPipelinedForAttr);
  loop->setAttr(kLoweredAttr, b.getUnitAttr());
  emitLoweringRemarks(loop, *pl, groups, fences, remarks);
  return success();
}

/// The pass on `module`, with its option values.
LogicalResult lowerModule(ModuleOp module, int warpsPerGroup, bool remarks) {
  SmallVector<scf::ForOp> loops;
  module.walk([&](scf::ForOp loop) {
    if (loop->hasAttr(kPipelinedForAttr))
      loops.push_back(loop);
  });
  if (loops.empty())
    return success();
  if (warpsPerGroup < 1)
    return module.emitError()
           << kArgument << ": warps-per-group must be >= 1, got "
           << warpsPerGroup;
  MLIRContext *ctx = module.getContext();
  if (!ctx->getLoadedDialect("rocdl") || !ctx->getLoadedDialect("amdg"))
    return module.emitError() << kArgument
                              << " needs the rocdl and amdg dialects (Triton's "
                                 "AMD dialects) to be registered";
  Attribute schedNone = parseAttribute("#rocdl<sched_group_mask none>", ctx);
  if (!schedNone)
    schedNone = IntegerAttr::get(IntegerType::get(ctx, 32), 0);

  if (mlir::failed(checkAllocatable(module, kArgument)))
    return failure();
  ModuleAllocation allocation(module);
  bool failed = false;
  for (scf::ForOp loop : loops) {
    auto func = loop->getParentOfType<FunctionOpInterface>();
    Allocation *alloc = func ? allocation.getFuncData(func) : nullptr;
    if (mlir::failed(lowerLoop(loop, alloc, warpsPerGroup, schedNone, remarks)))
      failed = true;
  }
  return failure(failed);
}

struct LowerWarpPipelinePass
    : public autopipe::impl::LowerWarpPipelinePassBase<LowerWarpPipelinePass> {
  using Base::Base;

  // Passes.td's dependentDialects, plus amdg (no shipped header): created by
  // name, so registered through libtriton (see Dialects.cpp).
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerTritonDialects(registry);
  }

  void runOnOperation() override {
    if (failed(lowerModule(getOperation(), warpsPerGroup, remarks)))
      signalPassFailure();
  }
};

} // namespace
