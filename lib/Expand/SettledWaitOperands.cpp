//===- SettledWaitOperands.cpp - drop wait operands of settled buffers ----===//
//
// Triton's asyncLaunchDots keeps a buffer alive until a wait by adding to that
// wait the shared-memory operands of every wgmma in the backward slice of the
// values it waits for. That slice runs through `scf.for` init args into
// earlier loops and their prologues, so a wait after a second pipelined loop
// can pick up the speculated, synchronous prologue wgmma of the first one and
// keep the first loop's circular buffers allocated across the second. A
// synchronous wgmma is complete where it is issued: its operands need no such
// extension, so those wait operands are dropped.
//
//===----------------------------------------------------------------------===//
#include "Expand.h"

#include "mlir/IR/Builders.h"

#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::expand;
namespace ttg = mlir::triton::gpu;
namespace ttng = mlir::triton::nvidia_gpu;

namespace {

/// A memdesc operand whose result is unused and that no asynchronous wgmma
/// reads: it only extends the life of a buffer already settled.
bool isSettled(ttng::WarpGroupDotWaitOp wait, unsigned i) {
  Value v = wait.getInputs()[i];
  return isa<ttg::MemDescType>(v.getType()) && wait.getResult(i).use_empty() &&
         llvm::none_of(v.getUsers(), [](Operation *user) {
           auto dot = dyn_cast<ttng::WarpGroupDotOp>(user);
           return dot && dot.getIsAsync();
         });
}

/// Replaces `wait` by one with only the operands `kept` (same pendings).
void rebuildWait(ttng::WarpGroupDotWaitOp wait, ArrayRef<unsigned> kept) {
  OpBuilder builder(wait);
  SmallVector<Value> inputs;
  for (unsigned i : kept)
    inputs.push_back(wait.getInputs()[i]);
  auto slim = ttng::WarpGroupDotWaitOp::create(builder, wait.getLoc(), inputs,
                                               wait.getPendings());
  for (auto [j, i] : llvm::enumerate(kept))
    wait.getResult(i).replaceAllUsesWith(slim.getResult(j));
  wait.erase();
}

} // namespace

unsigned expand::dropSettledWaitOperands(ModuleOp module) {
  SmallVector<ttng::WarpGroupDotWaitOp> waits;
  module.walk([&](ttng::WarpGroupDotWaitOp w) { waits.push_back(w); });
  unsigned dropped = 0;
  for (ttng::WarpGroupDotWaitOp wait : waits) {
    SmallVector<unsigned> kept;
    for (unsigned i = 0, e = wait.getNumOperands(); i < e; ++i)
      if (!isSettled(wait, i))
        kept.push_back(i);
    if (kept.size() == wait.getNumOperands())
      continue;
    dropped += wait.getNumOperands() - kept.size();
    rebuildWait(wait, kept);
  }
  return dropped;
}
