//===- WarpPipelineFences.h - LDS dependencies of stages ------*- C++ -*-===//
//
// Which boundaries of a warp-pipeline loop need an LDS fence: the "which
// stage writes what another stage reads" analysis of
// autopipe-lower-warp-pipeline, on the intervals of Triton's Allocation
// analysis. Kept apart from the lowering so that a barrier-insertion pass can
// replace it without touching the schedule emission.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_WARPPIPELINEFENCES_H
#define TRITON_AUTOPIPE_WARPPIPELINEFENCES_H

#include "triton/Analysis/Allocation.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::autopipe::warp_pipeline {

/// One access of a stage to allocated shared memory (LDS).
struct LdsAccess {
  Interval<size_t> interval;
  bool write;
  Operation *op;
};

/// The LDS accesses of the ops inside one stage region.
struct StageAccesses {
  SmallVector<LdsAccess> accesses;
  /// A shared-memory access was seen without allocation information.
  bool unknown = false;
};

/// The LDS accesses of the ops in `stage` (and `stage` itself); `alloc` may
/// be null (then every shared-memory access is `unknown`).
StageAccesses collectLdsAccesses(Operation *stage, Allocation *alloc);

/// "[start, end)".
std::string intervalText(const Interval<size_t> &i);

/// Two accesses of one stage to overlapping LDS, one a write, would make
/// Membar put a CTA-wide barrier inside the stage: an error on the later op,
/// naming both, the stage (`labels[i]`) and `loop`.
LogicalResult checkNoConflictInStage(scf::ForOp loop,
                                     ArrayRef<StageAccesses> stages,
                                     ArrayRef<std::string> labels);

/// Per boundary k (the one before stage k; boundary 0 closes the body):
/// whether it is a barrier with an LDS fence, and why (for the remark).
struct BoundaryFences {
  SmallVector<bool> fenced;
  SmallVector<std::string> why;
  /// Conflicts no barrier can order (stages running at the same time on two
  /// warp groups), as " 'a'/'b' on [x, y);" items; empty if none.
  std::string concurrent;
};

/// Adds to `fences` (seeded with the boundaries already fenced) the fences the
/// dependencies between the stages need, with `numGroups` warp groups one
/// phase apart: a conflict s -> t at cyclic distance d is ordered by a fenced
/// barrier at one of the boundaries after s up to the one before t (before
/// the stage preceding t when two or more groups leap-frog); when none is
/// fenced yet, the fence goes right after s, on the side of the warp causing
/// the dependency. Nearest dependencies first, so each reason is the closest.
BoundaryFences placeDependencyFences(ArrayRef<StageAccesses> stages,
                                     ArrayRef<std::string> labels,
                                     unsigned numGroups, BoundaryFences fences);

} // namespace mlir::autopipe::warp_pipeline

#endif // TRITON_AUTOPIPE_WARPPIPELINEFENCES_H
