//===- WarpPipelineFences.cpp - LDS dependencies between stages ----------===//
//
// The dependency analysis of autopipe-lower-warp-pipeline (see
// WarpPipelineFences.h): stages s and t conflict when an LDS interval one of
// them writes overlaps one the other reads or writes; each conflict gets a
// fenced barrier (`ttg.barrier local`) at a boundary between them. A conflict
// between stages that run concurrently on two warp groups cannot be ordered by
// any barrier: it is reported, and still fenced right after the first stage so
// that Triton's Membar (which assumes warps in lockstep) never adds a barrier
// inside a stage.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/WarpPipelineFences.h"
#include "triton-autopipe/WarpPipeline.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"

#include <optional>
#include <utility>

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::warp_pipeline;
namespace ttg = mlir::triton::gpu;

StageAccesses
mlir::autopipe::warp_pipeline::collectLdsAccesses(Operation *stage,
                                                  Allocation *alloc) {
  StageAccesses out;
  stage->walk([&](Operation *op) {
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
          out.unknown = true;
        continue;
      }
      for (auto id : alloc->getAllBufferIdsWithAliases(v))
        out.accesses.push_back({alloc->getAllocatedInterval(id), write, op});
    }
  });
  return out;
}

std::string
mlir::autopipe::warp_pipeline::intervalText(const Interval<size_t> &i) {
  return "[" + std::to_string(i.start()) + ", " + std::to_string(i.end()) + ")";
}

LogicalResult mlir::autopipe::warp_pipeline::checkNoConflictInStage(
    scf::ForOp loop, ArrayRef<StageAccesses> stages,
    ArrayRef<std::string> labels) {
  bool bad = false;
  for (auto [i, stage] : llvm::enumerate(stages))
    for (auto [x, a] : llvm::enumerate(stage.accesses))
      for (const LdsAccess &c :
           ArrayRef<LdsAccess>(stage.accesses).drop_front(x + 1))
        if (a.op != c.op && (a.write || c.write) &&
            a.interval.intersects(c.interval)) {
          c.op->emitError()
              << "'" << c.op->getName() << "' in warp-pipeline stage '"
              << labels[i] << "' (stage " << i << " of " << loopName(loop)
              << ") " << (c.write ? "writes" : "reads") << " LDS "
              << intervalText(c.interval) << " that '" << a.op->getName()
              << "' earlier in the same stage "
              << (a.write ? "writes" : "reads")
              << ": Membar would put a CTA-wide barrier inside the stage; "
                 "move one of them to another stage";
          bad = true;
        }
  return failure(bad);
}

namespace {

using Conflict = std::pair<const LdsAccess *, const LdsAccess *>;

/// The first access of `s` overlapping one of `t`, one of them a write.
std::optional<Conflict> firstConflict(const StageAccesses &s,
                                      const StageAccesses &t) {
  for (const LdsAccess &a : s.accesses)
    for (const LdsAccess &c : t.accesses)
      if ((a.write || c.write) && a.interval.intersects(c.interval))
        return Conflict{&a, &c};
  return std::nullopt;
}

} // namespace

BoundaryFences mlir::autopipe::warp_pipeline::placeDependencyFences(
    ArrayRef<StageAccesses> stages, ArrayRef<std::string> labels,
    unsigned numGroups, BoundaryFences fences) {
  unsigned n = stages.size();
  for (unsigned s = 0; s < n; ++s)
    for (unsigned dist = 1; dist <= n; ++dist) {
      unsigned t = (s + dist) % n;
      std::optional<Conflict> hit = firstConflict(stages[s], stages[t]);
      if (!hit)
        continue;
      auto [a, c] = *hit;
      unsigned window = numGroups > 1 ? dist - 1 : dist;
      if (window == 0) {
        // Stages s and t run at the same time on the two groups: no barrier
        // orders them. Still fence right after s, as with one group.
        fences.concurrent += " '" + labels[s] + "'/'" + labels[t] + "' on " +
                             intervalText(a->interval) + ";";
        window = 1;
      }
      bool done = false;
      for (unsigned j = 1; j <= window && !done; ++j)
        done = fences.fenced[(s + j) % n];
      if (done)
        continue;
      unsigned k = (s + 1) % n;
      fences.fenced[k] = true;
      fences.why[k] = "'" + labels[s] + "' " + (a->write ? "writes" : "reads") +
                      " LDS " + intervalText(a->interval) + " that '" +
                      labels[t] + "'" + (t <= s ? " (next iteration)" : "") +
                      " " + (c->write ? "overwrites" : "reads");
    }
  return fences;
}
