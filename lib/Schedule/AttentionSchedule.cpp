//===- AttentionSchedule.cpp - computation-pipelined attention schedules --===//
//
// Both attention schedules overlap the first MMA of iteration i+1 with the
// softmax of iteration i (Triton #5185), over 4 stages:
//   attention-a  loadK 0, loadV 1, first MMA 2, everything else 3; body
//                order MMA0(i+1), softmax(i), mul(i), MMA1(i), loadK(i+3),
//                loadV(i+2).
//   attention-b  loadK 0, loadV 1, second MMA 3, the rest 2; body order
//                MMA0(i+1), MMA1(i), softmax(i+1), mul(i+1), loadK(i+3),
//                loadV(i+2). The rescale of MMA1's accumulator (acc * alpha)
//                goes with MMA1 (stage 3, first in the body), as in
//                FlashAttention-3: P and alpha cross stages, the accumulator
//                is carried once.
//
//===----------------------------------------------------------------------===//
#include "Scheduler.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SmallPtrSet.h"

#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::sched;
namespace tt = mlir::triton;

namespace {

/// The ops that rescale an MMA's accumulator operand inside the loop: walking
/// back from the accumulator operand through ops whose results have the
/// accumulator's rank (elementwise math, broadcast, expand_dims), stopping at
/// block arguments and lower-rank values. For attention's `acc * alpha[:,
/// None]` this is the mulf, the broadcast and the expand_dims, not alpha.
SmallVector<Operation *> accumulatorRescale(Operation *mma) {
  Value acc = mma->getOperand(2);
  auto accType = dyn_cast<RankedTensorType>(acc.getType());
  Block *body = mma->getBlock();
  SmallVector<Operation *> ops;
  if (!accType)
    return ops;
  llvm::SmallPtrSet<Operation *, 8> seen;
  SmallVector<Value> work{acc};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    Operation *def = v.getDefiningOp();
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!def || def->getBlock() != body || !type ||
        type.getRank() != accType.getRank() || def->getNumRegions() != 0 ||
        !isMemoryEffectFree(def) || !seen.insert(def).second)
      continue;
    ops.push_back(def);
    for (Value operand : def->getOperands())
      work.push_back(operand);
  }
  return ops;
}

/// The casts and layout conversions that turn a value into operand `idx` of
/// `mma` inside its block (for attention's `p.to(f16)`: truncf, then the
/// conversion to the dot-operand layout).
SmallVector<Operation *> operandConversion(Operation *mma, unsigned idx) {
  SmallVector<Operation *> ops;
  Value v = mma->getOperand(idx);
  while (Operation *def = v.getDefiningOp()) {
    if (def->getBlock() != mma->getBlock() || def->getNumOperands() != 1 ||
        !isa<arith::TruncFOp, arith::ExtFOp, tt::FpToFpOp,
             mlir::triton::gpu::ConvertLayoutOp>(def))
      break;
    ops.push_back(def);
    v = def->getOperand(0);
  }
  return ops;
}

} // namespace

void sched::buildAttentionSchedule(tt::CoarseSchedule &s, const LoopAnalysis &a,
                                   ScheduleKind k, scf::ForOp loop) {
  Block *body = loop.getBody();
  auto c0 = s.clusters.newAtBack(); // MMA0 (stage 2)
  auto c1 = s.clusters.newAtBack(); // A: softmax+MMA1 (3); B: MMA1 (3)
  auto c2 = s.clusters.newAtBack(); // B: softmax (2)
  auto cK = s.clusters.newAtBack(); // loadK (0)
  auto cV = s.clusters.newAtBack(); // loadV (1)
  s.insert(a.loadK, 0, cK);
  s.insert(a.loadV, 1, cV);
  s.insert(a.mma0, 2, c0);
  s.insert(a.mma1, 3, c1);
  // Address and mask math goes with its load...
  s.insertDepsOfOp(a.loadK, 0, cK, /*includeArg=*/false);
  s.insertDepsOfOp(a.loadV, 1, cV, /*includeArg=*/false);
  // ...and the K / V operand chains (local_alloc, trans, convert) with their
  // MMA.
  for (Operation *op : sameIterationSlice(body, a.mma0->getOperand(1)))
    s.insertIfAbsent(op, 2, c0);
  for (Operation *op : sameIterationSlice(body, a.mma1->getOperand(1)))
    s.insertIfAbsent(op, 3, c1);
  if (k == ScheduleKind::AttentionA) {
    // Softmax and the accumulator rescale go with MMA1 in stage 3, in body
    // order before it (same cluster).
    tt::scheduleDependencies(loop, s);
    return;
  }
  // Attention B (FA3's intra-warpgroup overlap): the rescale of MMA1's
  // accumulator (acc * alpha, with alpha broadcast to the accumulator's
  // shape) runs in MMA1's stage 3, so only alpha and P cross from stage 2 to
  // stage 3 and the accumulator is carried once (as the in-place accumulator
  // of MMA1), not once rescaled and once not. It opens the body, before
  // MMA0(i+1) is issued: the previous MMA1 must be retired before its
  // registers are read, and ptxas serializes every wgmma (C7514) if that
  // happens while a later wgmma is in flight.
  auto cR = s.clusters.newBefore(c0); // MMA1's accumulator rescale (3)
  for (Operation *op : accumulatorRescale(a.mma1))
    s.insertIfAbsent(op, 3, cR);
  // P's conversion to MMA1's operand type (truncf, layout conversion) goes
  // there too: MMA0(i+1) then reuses the registers of P(i) in fp32, and only
  // one converted P (MMA1's in-flight operand) is live during softmax.
  for (Operation *op : operandConversion(a.mma1, 0))
    s.insertIfAbsent(op, 3, cR);
  // Then loop-carried producers (pointer increments), right before the loads
  // that use them; then everything else (softmax, P's conversion) runs one
  // iteration ahead of MMA1, in stage 2 after it.
  scheduleLoopCarriedProducers(s, body);
  for (Operation &op : body->without_terminator())
    if (!s.contains(&op))
      s.insert(&op, 2, c2);
}
