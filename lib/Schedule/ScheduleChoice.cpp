//===- ScheduleChoice.cpp - which schedule a loop gets, and why -----------===//
//
// `default` fits every loop. The attention schedules (computation
// pipelining: the first MMA of iteration i+1 overlaps softmax of i) are given
// only where they can pay: attention-like loops on CUDA, with a trip count
// not known to be below their 4 stages (they would never reach their steady
// state) and within a register budget for the values they keep live together
// (past it they spill). `auto` picks default also for attention: neither
// attention schedule was reliably ahead of it on the measured kernels
// (benchmarks/RESULTS.md). Every choice comes with the reason for the remark.
//
//===----------------------------------------------------------------------===//
#include "Scheduler.h"

#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

#include "triton/Dialect/TritonGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::sched;
namespace tt = mlir::triton;

StringRef sched::scheduleKindName(ScheduleKind kind) {
  switch (kind) {
  case ScheduleKind::Default:
    return "default";
  case ScheduleKind::AttentionA:
    return "attention-a";
  case ScheduleKind::AttentionB:
    return "attention-b";
  case ScheduleKind::Auto:
    return "auto";
  }
  return "?";
}

namespace {

/// Registers a thread needs for the values the attention schedules keep live
/// together: the scores (first MMA's result), the output accumulator (second
/// MMA's result) and P (the second MMA's A operand, when it is a register
/// tensor), spread over the kernel's threads (32 a warp: CUDA only, as the
/// attention schedules; the same per-thread measure as `staged-bytes`).
int64_t attentionRegisters(Operation *mma0, Operation *mma1) {
  int64_t bytes = 0;
  for (Value v : SmallVector<Value, 3>{mma0->getResult(0), mma1->getResult(0),
                                       mma1->getOperand(0)})
    if (isa<RankedTensorType>(v.getType()))
      bytes += byteSize(v.getType());
  // Without ttg.num-warps (hand-written IR), one warp: the largest estimate.
  int64_t threads =
      32 * static_cast<int64_t>(tt::gpu::maybeLookupNumWarps(mma0).value_or(1));
  return bytes / 4 / threads;
}

/// The loop's trip count when it is a compile-time constant: constant bounds,
/// or an upper bound `lb + c` (the causal diagonal loop `[diag, diag + BM)`).
std::optional<int64_t> knownTripCount(scf::ForOp loop) {
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!step || *step <= 0)
    return std::nullopt;
  std::optional<int64_t> span;
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
  if (lb && ub) {
    span = *ub - *lb;
  } else if (auto add = loop.getUpperBound().getDefiningOp<arith::AddIOp>()) {
    for (int i = 0; i < 2 && !span; ++i)
      if (add->getOperand(i) == loop.getLowerBound())
        span = getConstantIntValue(add->getOperand(1 - i));
  }
  if (!span)
    return std::nullopt;
  return *span <= 0 ? 0 : (*span + *step - 1) / *step;
}

Decision chooseAuto(const LoopAnalysis &a, bool isHip) {
  if (!a.isAttention())
    return {ScheduleKind::Default,
            "auto: no MMA -> softmax -> MMA chain with K/V loads, so default"};
  if (isHip)
    return {ScheduleKind::Default,
            "auto: attention-like, but attention schedules are CUDA-only for "
            "now, so default"};
  // No attention schedule is reliably ahead of default on the measured
  // kernels, so default; the remark adds what would hold A back anyway
  // (synchronous MMAs, masked scores).
  std::string why =
      "auto: attention-like; default, the most robust on the measured "
      "attention kernels (no attention schedule was reliably ahead of it, and "
      "both lose where their extra registers cost occupancy)";
  if (!a.asyncMMA)
    why += "; its MMAs are synchronous here, so no MMA/softmax overlap";
  else if (a.maskedScores)
    why += "; its scores are masked (causal diagonal or ragged tail)";
  return {ScheduleKind::Default, why};
}

Decision chooseAttention(ScheduleKind requested, const LoopAnalysis &a,
                         scf::ForOp loop, bool isHip) {
  StringRef name = scheduleKindName(requested);
  if (!a.isAttention())
    return {ScheduleKind::Default,
            (name + " requested, but the loop has no MMA -> softmax -> MMA "
                    "chain with K/V loads; using default")
                .str()};
  if (isHip)
    return {ScheduleKind::Default,
            (name + " requested, but attention schedules are CUDA-only for "
                    "now; using default")
                .str()};
  // A loop known to run fewer iterations than the stages never reaches the
  // steady state and only pays for the longer prologue/epilogue and the
  // extra live values.
  if (std::optional<int64_t> trips = knownTripCount(loop);
      trips && *trips < kAttentionStages)
    return {ScheduleKind::Default,
            (name + " requested, but the loop runs " + Twine(*trips) +
             " iteration(s), fewer than its " + Twine(kAttentionStages) +
             " stages; using default")
                .str()};
  // Past the register budget the schedule spills: fall back rather than
  // hand the user a slower kernel.
  if (int64_t regs = attentionRegisters(a.mma0, a.mma1);
      regs > kAttentionRegisterBudget)
    return {ScheduleKind::Default,
            (name + " requested, but scores, P and the " +
             "accumulator need about " + Twine(regs) +
             " registers a thread (budget " + Twine(kAttentionRegisterBudget) +
             "; more warps or smaller tiles lower it); using default")
                .str()};
  return {requested, (name + " requested").str()};
}

} // namespace

Decision sched::chooseSchedule(ScheduleKind requested, const LoopAnalysis &a,
                               scf::ForOp loop, bool isHip) {
  if (requested == ScheduleKind::Auto)
    return chooseAuto(a, isHip);
  if (requested == ScheduleKind::AttentionA ||
      requested == ScheduleKind::AttentionB)
    return chooseAttention(requested, a, loop, isHip);
  return {ScheduleKind::Default, "default requested"};
}
