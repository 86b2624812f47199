//===- AsyncDots.cpp - which wgmmas run asynchronously, per loop ----------===//
//
// Per expanded loop, picks how its wgmmas become asynchronous (async-dots):
// `triton` is Triton's asyncLaunchDots (a dot stays in flight only if nothing
// but the next dot's accumulator reads its result; otherwise `wait 0` right
// after it), `autopipe` our waits at first need (WgmmaWaits.h; Triton's where
// ours cannot handle the loop), `off` none, `auto` Triton's where it keeps
// every wgmma in flight (a GEMM: identical output) and ours where it would
// serialize one (attention: softmax reads the scores). Loops of one stage or
// without wgmma are left synchronous, as in Triton. One line per loop says why.
//
//===----------------------------------------------------------------------===//
#include "Expand.h"
#include "WgmmaWaits.h"

#include "triton-autopipe/Schedule.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"

#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::expand;
namespace tt = mlir::triton;
namespace ttng = mlir::triton::nvidia_gpu;

namespace {

/// Would Triton's asyncLaunchDots keep every wgmma of `loop` in flight? Asked
/// of Triton itself: its asyncLaunchDots runs on the loop's twin in a copy of
/// the module, and a `pendings = 0` wait at the top level of the twin's body
/// is a wgmma it serializes. Returns the location of the first such dot.
std::optional<Location> firstSerializedByTriton(scf::ForOp loop) {
  ModuleOp module = loop->getParentOfType<ModuleOp>();
  if (!module)
    return loop.getLoc();
  unsigned index = 0, position = 0;
  module.walk([&](scf::ForOp l) {
    if (l == loop)
      position = index;
    ++index;
  });
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone()));
  scf::ForOp twin;
  index = 0;
  copy->walk([&](scf::ForOp l) {
    if (index++ == position)
      twin = l;
  });
  if (!twin)
    return loop.getLoc();
  tt::asyncLaunchDots(twin);
  Operation *lastDot = nullptr;
  for (Operation &op : twin.getBody()->without_terminator()) {
    if (isa<ttng::WarpGroupDotOp>(op))
      lastDot = &op;
    auto wait = dyn_cast<ttng::WarpGroupDotWaitOp>(op);
    if (wait && wait.getPendings() == 0 && lastDot)
      return lastDot->getLoc();
  }
  return std::nullopt;
}

/// The mode `auto` resolves to for `loop`, with the reason for the remark.
struct AutoChoice {
  AsyncDotsMode mode;
  std::string why;
};

AutoChoice resolveAuto(scf::ForOp loop) {
  if (std::optional<Location> serialized = firstSerializedByTriton(loop))
    return {AsyncDotsMode::Autopipe,
            " (Triton's would serialize the wgmma at " +
                formatLocation(*serialized) + ")"};
  return {AsyncDotsMode::Triton, " (Triton's keeps every wgmma in flight)"};
}

/// Async wgmma for one expanded loop of more than one stage that holds a
/// wgmma; returns the remark's tail and sets `pickedOurs` when `Auto` gave
/// the loop our waits.
std::string applyToLoop(scf::ForOp loop, AsyncDotsMode requested,
                        bool &pickedOurs) {
  if (requested == AsyncDotsMode::Off)
    return "; wgmma left synchronous (async-dots=off)";
  AsyncDotsMode mode = requested;
  std::string why;
  if (requested == AsyncDotsMode::Auto) {
    AutoChoice choice = resolveAuto(loop);
    mode = choice.mode;
    why = choice.why;
  }
  if (mode == AsyncDotsMode::Autopipe) {
    WgmmaWaitsResult waits = placeWgmmaWaits(loop);
    if (waits.placed()) {
      pickedOurs = requested == AsyncDotsMode::Auto;
      return "; " + std::to_string(waits.numDots) + " async wgmma, " +
             std::to_string(waits.numWaits) + " waits placed at first need" +
             why;
    }
    why = " (ours cannot: " + waits.rejection + ")";
  }
  tt::asyncLaunchDots(loop);
  return "; wgmma waits by Triton's asyncLaunchDots" + why;
}

} // namespace

bool expand::applyAsyncDots(ModuleOp module, ArrayRef<ExpandedLoop> expanded,
                            AsyncDotsMode mode, int numStages,
                            LoopReporter &reporter) {
  // Loops that were not expanded get Triton's treatment, as in
  // tritongpu-pipeline (every loop of more than one stage).
  llvm::SmallPtrSet<Operation *, 8> expandedOps;
  for (const ExpandedLoop &e : expanded)
    expandedOps.insert(e.loop);
  SmallVector<scf::ForOp> others;
  module.walk([&](scf::ForOp loop) {
    if (!expandedOps.contains(loop) &&
        tt::getNumStagesOrDefault(loop, numStages) > 1)
      others.push_back(loop);
  });
  if (mode != AsyncDotsMode::Off)
    for (scf::ForOp loop : others)
      tt::asyncLaunchDots(loop);
  bool autoPickedOurs = false;
  for (const ExpandedLoop &e : expanded) {
    scf::ForOp loop = e.loop;
    std::string msg = "expanded into " + std::to_string(e.stages) + " stages";
    if (tt::getNumStagesOrDefault(loop, numStages) <= 1 ||
        loop.getBody()->getOps<ttng::WarpGroupDotOp>().empty()) {
      reporter.say(loop.getLoc(), msg);
      continue;
    }
    bool pickedOurs = false;
    msg += applyToLoop(loop, mode, pickedOurs);
    autoPickedOurs |= pickedOurs;
    reporter.say(loop.getLoc(), msg);
  }
  return autoPickedOurs;
}
