//===- LowerWarpPipeline.cpp - leap-frog schedule for warp-pipeline loops ---===//
//
// `autopipe-lower-warp-pipeline` replaces Triton's `convert-warp-pipeline` on
// the HIP path. For every `scf.for` marked `triton.warp_pipeline.pipelined_for`
// (whose body is a sequence of `scf.execute_region` stages, see
// WarpPipelineRegions.cpp) it inlines the stages and emits the schedule that
// makes the warp groups leap-frog:
//
//   ttg.barrier local                      // settle everything before the loop
//   %g = tid.x / (warps-per-group * threads-per-warp)
//   amdg.cond_barrier (%g != 0)            // hold the other groups one phase back
//   [rocdl.s.setprio p0]
//   scf.for {
//     stage 0; [s.setprio p1]; sched.barrier; BARRIER; sched.barrier
//     stage 1; ...              sched.barrier; BARRIER; sched.barrier   (wraps)
//   }
//   [rocdl.s.setprio 0]
//   amdg.cond_barrier (%g == 0)            // the leading group catches up
//
// BARRIER is `rocdl.s.barrier`, or `ttg.barrier local` (s_barrier plus a
// local-memory fence) where a dependency needs it. Dependencies come from
// Triton's Allocation analysis: stages s and t conflict when an LDS interval
// one of them writes overlaps one the other reads or writes. With the groups
// one phase apart, a conflict s -> t at cyclic distance d (t later in this
// iteration, or in the next one) is ordered by a fenced barrier at one of the
// boundaries after s up to the one before t (before the stage preceding t
// when two groups leap-frog, since t's stage of one group then overlaps the
// stage before it of the other). The fence goes on the side of the warp that
// causes the dependency: at the boundary right after stage s, unless a fenced
// barrier already sits in that window. Boundaries without a dependency get a
// plain s_barrier. A conflict between stages that run concurrently on the two
// groups cannot be ordered by any barrier: it is reported as a remark, and
// still fenced right after the first stage (so Triton's Membar, which assumes
// warps in lockstep, never adds a barrier inside a stage).
//
// An explicit barrier or wait left between stages (see the regions pass)
// stands for that boundary's barrier: a barrier is kept (upgraded to a local
// fence if needed), a wait is kept and followed by the boundary barrier.
//
// Ops that need a CTA-wide barrier of their own inside a stage are errors, as
// in the regions pass. A loop whose body holds anything but stages, boundary
// barriers and the yield is left untouched, with a remark.
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Dialects.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/WarpPipeline.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
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

struct Access {
  Interval<size_t> interval;
  bool write;
  Operation *op;
};

std::string loopName(scf::ForOp loop) {
  return "scf.for at " + formatLocation(loop.getLoc());
}

Operation *createGeneric(OpBuilder &b, Location loc, StringRef name,
                         ValueRange operands = {}, TypeRange results = {},
                         ArrayRef<NamedAttribute> attrs = {}) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addTypes(results);
  state.addAttributes(attrs);
  return b.create(state);
}

std::string intervalText(const Interval<size_t> &i) {
  return "[" + std::to_string(i.start()) + ", " + std::to_string(i.end()) + ")";
}

struct LowerWarpPipelinePass
    : public autopipe::impl::LowerWarpPipelinePassBase<LowerWarpPipelinePass> {
  using Base::Base;

  Attribute schedNone;

  // Passes.td's dependentDialects, plus amdg (no shipped header): created by
  // name, so registered through libtriton (see Dialects.cpp).
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerTritonDialects(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) {
      if (loop->hasAttr(kPipelinedForAttr))
        loops.push_back(loop);
    });
    if (loops.empty())
      return;
    if (warpsPerGroup < 1) {
      module.emitError() << getArgument()
                         << ": warps-per-group must be >= 1, got "
                         << warpsPerGroup;
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    if (!ctx->getLoadedDialect("rocdl") || !ctx->getLoadedDialect("amdg")) {
      module.emitError() << getArgument()
                         << " needs the rocdl and amdg dialects (Triton's AMD "
                            "dialects) to be registered";
      return signalPassFailure();
    }
    schedNone = parseAttribute("#rocdl<sched_group_mask none>", ctx);
    if (!schedNone)
      schedNone = IntegerAttr::get(IntegerType::get(ctx, 32), 0);

    ModuleAllocation allocation(module);
    bool failed = false;
    for (scf::ForOp loop : loops) {
      auto func = loop->getParentOfType<FunctionOpInterface>();
      Allocation *alloc = func ? allocation.getFuncData(func) : nullptr;
      if (mlir::failed(lowerLoop(loop, alloc)))
        failed = true;
    }
    if (failed)
      signalPassFailure();
  }

  void collectAccesses(Operation *region, Allocation *alloc,
                       SmallVector<Access> &out, bool &unknown) {
    region->walk([&](Operation *op) {
      auto mei = dyn_cast<MemoryEffectOpInterface>(op);
      if (!mei)
        return;
      SmallVector<SideEffects::EffectInstance<MemoryEffects::Effect>> effects;
      mei.getEffects(effects);
      for (auto &e : effects) {
        bool write = isa<MemoryEffects::Write>(e.getEffect());
        bool read = isa<MemoryEffects::Read>(e.getEffect());
        Value v = e.getValue();
        if ((!write && !read) || !v)
          continue;
        if (!alloc) {
          if (isa<ttg::MemDescType>(v.getType()))
            unknown = true;
          continue;
        }
        for (auto id : alloc->getAllBufferIdsWithAliases(v))
          out.push_back({alloc->getAllocatedInterval(id), write, op});
      }
    });
  }

  LogicalResult lowerLoop(scf::ForOp loop, Allocation *alloc) {
    Block *body = loop.getBody();
    SmallVector<scf::ExecuteRegionOp> stages;
    // boundary index -> explicit barrier/wait standing there.
    DenseMap<unsigned, Operation *> boundaryOps;
    for (Operation &op : body->without_terminator()) {
      if (auto region = dyn_cast<scf::ExecuteRegionOp>(op);
          region && region->hasAttr(kStageRegionAttr)) {
        stages.push_back(region);
        continue;
      }
      if (isBarrierLike(&op) && !boundaryOps.count(stages.size())) {
        boundaryOps[stages.size()] = &op;
        continue;
      }
      loop.emitRemark() << "warp pipeline: " << loopName(loop)
                        << " left as is: '" << op.getName()
                        << "' sits between stages (only stage regions and one "
                           "barrier per boundary may)";
      return success();
    }
    unsigned n = stages.size();
    if (n < 2) {
      loop.emitRemark() << "warp pipeline: " << loopName(loop) << " has " << n
                        << " stage(s); at least two are needed, left as is";
      return success();
    }
    // A barrier after the last stage is the wrap-around boundary 0.
    if (boundaryOps.count(n)) {
      if (boundaryOps.count(0)) {
        loop.emitRemark() << "warp pipeline: " << loopName(loop)
                          << " left as is: barriers both before the first and "
                             "after the last stage";
        return success();
      }
      boundaryOps[0] = boundaryOps[n];
      boundaryOps.erase(n);
    }

    // Labels, kept after the stage regions are inlined.
    SmallVector<std::string> labels;
    for (auto [i, stage] : llvm::enumerate(stages)) {
      auto attr = stage->getAttrOfType<StringAttr>(kStageRegionAttr);
      labels.push_back(attr ? attr.getValue().str() : "#" + std::to_string(i));
    }
    auto label = [&](unsigned i) { return labels[i]; };

    bool bad = false;
    for (unsigned i = 0; i < n; ++i)
      stages[i]->walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (op == stages[i].getOperation())
          return WalkResult::advance();
        std::optional<std::string> why = needsOwnBarrier(op, alloc);
        if (!why)
          return WalkResult::advance();
        op->emitError() << "'" << op->getName() << "' in warp-pipeline stage '"
                        << label(i) << "' (stage " << i << " of "
                        << loopName(loop) << ") is " << *why
                        << ", which needs a CTA-wide barrier of its own inside "
                           "the stage; move it to a stage boundary (before or "
                           "after the warp_pipeline_stage block, or out of the "
                           "loop)";
        bad = true;
        return WalkResult::skip();
      });
    if (bad)
      return failure();

    // Warp groups.
    ModuleOp module = loop->getParentOfType<ModuleOp>();
    auto intAttr = [&](StringRef name, int dflt) {
      if (auto a = module->getAttrOfType<IntegerAttr>(name))
        return static_cast<int>(a.getInt());
      return dflt;
    };
    int threadsPerWarp = intAttr("ttg.threads-per-warp", 64);
    int numWarps = intAttr("ttg.num-warps", 4);
    int groupThreads = warpsPerGroup * threadsPerWarp;
    int numGroups = std::max(1, numWarps / static_cast<int>(warpsPerGroup));

    // LDS accesses of each stage.
    SmallVector<SmallVector<Access>> accesses(n);
    bool unknown = false;
    for (unsigned i = 0; i < n; ++i)
      collectAccesses(stages[i], alloc, accesses[i], unknown);

    // Two accesses of one stage to overlapping LDS, one a write: Membar would
    // put a CTA-wide barrier between them, inside the stage.
    for (unsigned i = 0; i < n; ++i)
      for (auto [x, a] : llvm::enumerate(accesses[i]))
        for (const Access &c : ArrayRef<Access>(accesses[i]).drop_front(x + 1))
          if (a.op != c.op && (a.write || c.write) &&
              a.interval.intersects(c.interval)) {
            c.op->emitError()
                << "'" << c.op->getName() << "' in warp-pipeline stage '"
                << label(i) << "' (stage " << i << " of " << loopName(loop)
                << ") " << (c.write ? "writes" : "reads") << " LDS "
                << intervalText(c.interval) << " that '" << a.op->getName()
                << "' earlier in the same stage "
                << (a.write ? "writes" : "reads")
                << ": Membar would put a CTA-wide barrier inside the stage; "
                   "move one of them to another stage";
            bad = true;
          }
    if (bad)
      return failure();

    SmallVector<bool> fenced(n, false);
    SmallVector<std::string> why(n);
    for (auto [k, op] : boundaryOps) {
      if (op->getName().getStringRef() == "gpu.barrier")
        fenced[k] = true;
      if (auto bar = dyn_cast<ttg::BarrierOp>(op))
        fenced[k] = bar.hasLocal();
      if (fenced[k])
        why[k] = "existing '" + op->getName().getStringRef().str() + "'";
    }
    if (unknown) // no allocation information: fence every boundary
      for (unsigned k = 0; k < n; ++k)
        if (!fenced[k]) {
          fenced[k] = true;
          why[k] = "no allocation information";
        }

    std::string concurrent;
    // Nearest dependencies first, so the reason given is the closest one.
    for (unsigned s = 0; s < n; ++s)
      for (unsigned dist = 1; dist <= n; ++dist) {
        unsigned t = (s + dist) % n;
        const Access *hit[2] = {nullptr, nullptr};
        for (const Access &a : accesses[s]) {
          for (const Access &c : accesses[t])
            if ((a.write || c.write) && a.interval.intersects(c.interval)) {
              hit[0] = &a;
              hit[1] = &c;
              break;
            }
          if (hit[0])
            break;
        }
        if (!hit[0])
          continue;
        unsigned d = dist;
        unsigned window = numGroups > 1 ? d - 1 : d;
        if (window == 0) {
          // Stages s and t run at the same time on the two groups: no
          // barrier orders them. Still fence right after s, as with one
          // group, so Membar (which assumes lockstep warps) finds every
          // program-order conflict synchronized and adds no barrier inside a
          // stage (which would break the barrier count of the schedule).
          concurrent += " '" + label(s) + "'/'" + label(t) + "' on " +
                        intervalText(hit[0]->interval) + ";";
          window = 1;
        }
        bool done = false;
        for (unsigned j = 1; j <= window && !done; ++j)
          done = fenced[(s + j) % n];
        if (done)
          continue;
        unsigned k = (s + 1) % n;
        fenced[k] = true;
        why[k] = "'" + label(s) + "' " + (hit[0]->write ? "writes" : "reads") +
                 " LDS " + intervalText(hit[0]->interval) + " that '" +
                 label(t) + "'" + (t <= s ? " (next iteration)" : "") + " " +
                 (hit[1]->write ? "overwrites" : "reads");
      }

    // Priorities.
    bool anyPriority = llvm::any_of(stages, [](scf::ExecuteRegionOp r) {
      return r->hasAttr(kPriorityAttr);
    });
    auto priority = [&](unsigned i) -> int {
      if (auto p = stages[i]->getAttrOfType<IntegerAttr>(kPriorityAttr))
        return p.getInt();
      return 0;
    };

    OpBuilder b(loop.getContext());
    Location loc = loop.getLoc();
    Type i32 = b.getI32Type();
    auto setprio = [&](int p) {
      createGeneric(b, loc, "rocdl.s.setprio", {}, {},
                    {b.getNamedAttr("priority", b.getI16IntegerAttr(p))});
    };
    auto schedBarrier = [&] {
      createGeneric(b, loc, "rocdl.sched.barrier", {}, {},
                    {b.getNamedAttr("mask", schedNone)});
    };

    // Before the loop.
    b.setInsertionPoint(loop);
    ttg::BarrierOp::create(b, loc, ttg::AddrSpace::Local);
    Value tid = createGeneric(b, loc, "rocdl.workitem.id.x", {}, {i32})
                    ->getResult(0);
    Value size = arith::ConstantIntOp::create(b, loc, groupThreads, 32);
    Value zero = arith::ConstantIntOp::create(b, loc, 0, 32);
    Value group = arith::DivUIOp::create(b, loc, tid, size);
    Value leader =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, group, zero);
    Value held =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, group, zero);
    createGeneric(b, loc, "amdg.cond_barrier", {held});
    if (anyPriority)
      setprio(priority(0));
    // After the loop.
    b.setInsertionPointAfter(loop);
    if (anyPriority)
      setprio(0);
    createGeneric(b, loc, "amdg.cond_barrier", {leader});

    // Boundaries: boundary k precedes stage k; boundary 0 closes the body
    // (or opens it, where an explicit barrier already stood there).
    for (unsigned k = 0; k < n; ++k) {
      Operation *existing = boundaryOps.lookup(k);
      if (existing)
        b.setInsertionPoint(existing);
      else if (k == 0)
        b.setInsertionPoint(body->getTerminator());
      else
        b.setInsertionPoint(stages[k]);
      if (anyPriority)
        setprio(priority(k));
      schedBarrier();
      bool emitOurs = true;
      if (existing) {
        if (isBarrierOp(existing)) {
          emitOurs = false;
          auto bar = dyn_cast<ttg::BarrierOp>(existing);
          bool hasLocal =
              existing->getName().getStringRef() == "gpu.barrier" ||
              (bar && bar.hasLocal());
          if (fenced[k] && !hasLocal) {
            if (bar) {
              auto bits = static_cast<uint32_t>(bar.getAddrSpace()) |
                          static_cast<uint32_t>(ttg::AddrSpace::Local);
              bar.setAddrSpace(static_cast<ttg::AddrSpace>(bits));
            } else {
              b.setInsertionPointAfter(existing);
              ttg::BarrierOp::create(b, loc, ttg::AddrSpace::Local);
              existing->erase();
              existing = nullptr;
            }
          }
        }
        if (existing)
          b.setInsertionPointAfter(existing);
      }
      if (emitOurs) {
        if (fenced[k])
          ttg::BarrierOp::create(b, loc, ttg::AddrSpace::Local);
        else
          createGeneric(b, loc, "rocdl.s.barrier");
      }
      schedBarrier();
    }

    // Inline the stages.
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
    loop->removeAttr(kPipelinedForAttr);
    loop->setAttr(kLoweredAttr, b.getUnitAttr());

    if (!concurrent.empty())
      loop.emitRemark() << "warp pipeline: " << loopName(loop)
                        << ": stages run concurrently on the " << numGroups
                        << " warp groups yet touch overlapping LDS (no barrier "
                           "can order them; make sure they use disjoint "
                           "parts):"
                        << concurrent;
    if (remarks) {
      InFlightDiagnostic d = loop.emitRemark();
      d << "warp pipeline: " << loopName(loop) << ": " << n << " stages, "
        << numGroups << " warp group(s) of " << groupThreads << " threads;";
      for (unsigned k = 0; k < n; ++k) {
        d << " boundary before '" << label(k) << "': ";
        if (fenced[k])
          d << "barrier + LDS fence (" << why[k] << ");";
        else
          d << "barrier;";
      }
    }
    return success();
  }
};

} // namespace
