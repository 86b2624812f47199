//===- ScheduleLoops.cpp - our loop scheduler (stage/cluster assignment) ---===//
//
// `autopipe-schedule-loops` replaces Triton 3.9's `tritongpu-assign-latencies`
// + `tritongpu-schedule-loops` (and, on AMD, `tritonamdgpu-schedule-loops`).
// It writes the schedule as data, in the form Triton's pipeliners consume:
// `loop.stage` / `loop.cluster` on ops and `tt.scheduled_max_stage` on the
// loop (see Schedule.h), plus `autopipe.schedule = "<kind>"` on the loop.
//
// Latency model (per target):
//   - long-latency ops are the loads that feed an MMA operand (tt.dot,
//     ttng.warp_group_dot, tt.dot_scaled) in the same iteration: on CUDA a
//     tt.load that can become an async copy (cp.async: Triton's
//     canBeConvertedToAsyncLoad), or a tensor-descriptor load that can become a
//     TMA copy (sm90); on HIP every tt.load / descriptor load feeding an MMA
//     (the AMD stream pipeliner decides direct-to-LDS vs. registers);
//   - such a load gets num_stages - 1 stages of latency: it is issued in stage
//     0, its MMA runs in stage num_stages - 1;
//   - num_stages comes from the pass option (the kernel's num_stages) unless
//     the loop carries `tt.num_stages`; on CUDA it is lowered when the
//     buffers it implies (a load of stage distance d keeps d + 1 tiles) would
//     not fit in the target's shared memory next to what the kernel already
//     allocates (Triton's allocation analysis), with the reason in the remark
//     (an attention schedule that does not fit falls back to default);
//   - an op carrying `autopipe.stage = N : i32` is pinned to stage N (its
//     dependencies follow it); N must be below the number of stages.
//
// Schedules:
//   default      loads and their address math in stage 0 (last cluster: the
//                body issues the next iterations' loads after the MMA),
//                loop-carried producers of stage-s ops in stage s+1 just before
//                them (pointer increments), everything else in the last stage.
//   attention-a  (loops where an MMA result flows through softmax-like ops into
//                a second MMA, K and V loaded in the loop; Triton #5185)
//                loadK 0, loadV 1, first MMA 2, everything else 3; body order
//                MMA0(i+1), softmax(i), mul(i), MMA1(i), loadK(i+3), loadV(i+2).
//   attention-b  loadK 0, loadV 1, second MMA 3, the rest 2; body order
//                MMA0(i+1), MMA1(i), softmax(i+1), mul(i+1), loadK(i+3),
//                loadV(i+2). The rescale of MMA1's accumulator (acc * alpha)
//                goes with MMA1 (stage 3, first in the body), as in
//                FlashAttention-3: P and alpha cross stages, the accumulator
//                is carried once.
//                Both span 4 stages: a loop whose trip count is a known
//                constant below 4 (constant bounds, or `[lb, lb + c)` like the
//                causal diagonal loop) gets default instead, with the reason.
//                They also fall back to default, with the estimate, where
//                the scores, P and the output accumulator would need more
//                than 192 registers a thread (attentionRegisters; measured:
//                spills and 0.34-0.70x past it).
//   auto         default, also for attention-like loops: measured on H100
//                with autopipe-expand-loops (8 rounds, paired ratios to
//                Triton's default, pointer and tensor-descriptor kernels, two
//                sessions; benchmarks/RESULTS.md) default is 0.97-1.06x,
//                attention-a 0.74-1.06x, attention-b 0.75-1.05x: neither is
//                ahead of default by more than the run-to-run spread, and
//                both lose badly where their extra registers cost occupancy.
//                The remark says which and why.
// On HIP only anchor ops (loads, MMAs) are scheduled, the form Triton's AMD
// pipeliner expects (it places their dependencies itself), unless `complete`
// is set (our own lowering: autopipe-allocate-buffers + autopipe-expand-loops):
// then every op is scheduled as on CUDA, loads first in the body (their tiles
// are staged through registers into LDS at the end of it), and the stage
// count is lowered to fit the LDS (S - 1 tiles per load). Attention schedules
// are CUDA-only for now and fall back to default on HIP, with a remark.
//
// Safety: loops that are not innermost, already scheduled, unsafe to pipeline
// (barriers, loop-carried distance > 1), with num_stages <= 1, or without a
// pipelinable load are left untouched with a remark naming the loop and the
// reason; a computed schedule is checked with verifySchedule (Schedule.h) and
// dropped, with a remark, if it would break a dependency.
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include "triton/Analysis/Allocation.h"
#include "triton/Analysis/AxisInfo.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"
#include "triton/Dialect/TritonGPU/Transforms/Utility.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
namespace tt = mlir::triton;
namespace ttng = mlir::triton::nvidia_gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_SCHEDULELOOPSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

constexpr const char *kPinAttr = "autopipe.stage";
constexpr const char *kKindAttr = "autopipe.schedule";

using Kind = ScheduleKind; // the `schedule` option (Passes.td)
/// Stages of both attention schedules (loadK 0, loadV 1, ..., 3).
constexpr int kAttentionStages = 4;
/// Register budget of the attention schedules, in 32-bit registers a thread
/// (see attentionRegisters). Both keep the scores (or P) of the next
/// iteration live next to the output accumulator. Measured on H100 (TMA
/// kernel, paired ratios to Triton's default, ptxas register counts): an
/// estimate of 80-160 ran at 0.94-1.08x; 224 (d128, 128x64 tiles, 4 warps)
/// hit 255 registers and ran at 0.34x (attention-a) and 0.66x (attention-b);
/// 256 (d64, 128x128 tiles, 4 warps) at 0.44x and 0.70x.
constexpr int64_t kAttentionRegisterBudget = 192;

StringRef kindName(Kind k) {
  switch (k) {
  case Kind::Default:
    return "default";
  case Kind::AttentionA:
    return "attention-a";
  case Kind::AttentionB:
    return "attention-b";
  case Kind::Auto:
    return "auto";
  }
  return "?";
}

bool isMMA(Operation *op) { return isa<tt::DotOpInterface>(op); }
bool isLoad(Operation *op) {
  return isa<tt::LoadOp>(op) || tt::isTMALoad(op);
}

/// Top-level ops of `body` that `value` depends on within one iteration
/// (block arguments end the walk: they come from the previous iteration or
/// from outside the loop).
SetVector<Operation *> sameIterationSlice(Block *body, Value value) {
  SetVector<Operation *> slice;
  SmallVector<Value> work{value};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    Operation *def = v.getDefiningOp();
    if (!def)
      continue;
    Operation *top = body->findAncestorOpInBlock(*def);
    if (!top || !slice.insert(top))
      continue;
    top->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        work.push_back(operand);
    });
  }
  return slice;
}

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
  int64_t threads = 32 * static_cast<int64_t>(tt::gpu::lookupNumWarps(mma0));
  return bytes / 4 / threads;
}

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

/// What the scheduler found in one loop.
struct LoopAnalysis {
  /// Pipelinable loads with the MMA operand they feed (0: A, 1: B).
  llvm::MapVector<Operation *, std::pair<Operation *, unsigned>> loads;
  SmallVector<Operation *> mmas;
  /// For attention-like loops: the two MMAs and the K and V loads.
  Operation *mma0 = nullptr, *mma1 = nullptr, *loadK = nullptr,
            *loadV = nullptr;
  /// Attention only: both MMAs are async (sm90 wgmma); some op between them
  /// selects on MMA0's result (a mask on the scores).
  bool asyncMMA = false, maskedScores = false;
  bool isAttention() const { return mma0 && mma1 && loadK && loadV; }
  /// Said in the remark: loads left synchronous by the register budget of
  /// `staged-loads`.
  std::string note;
};

/// `staged-loads` register budget: a register-staged tile lives in registers
/// from its load (top of the body) to its store (end), next to the
/// accumulator. Measured on H100 (tl.load GEMM 128x256x64, 8 warps, wgmma):
/// 64 bytes a thread staged (A of 4096x4096x4095) 1.41x Triton's, 192 bytes
/// (A and B of 4095^3) 0.71x (spills). Over this, such loads stay synchronous.
constexpr int64_t kMaxStagedBytesPerThread = 64;

class LoopScheduler {
public:
  /// `sharedBudget`: bytes of shared memory the kernel has left for this
  /// loop's buffers (0: no budget).
  /// `complete`: on HIP, schedule every op (for our own lowering) instead
  /// of only the anchors Triton's AMD pipeliner expects.
  LoopScheduler(scf::ForOp loop, bool isHip, int defaultStages,
                tt::ModuleAxisInfoAnalysis &axisInfo, int64_t sharedBudget = 0,
                bool complete = false, bool stagedTiles = false,
                bool stagedLoads = false,
                int64_t stagedBytes = kMaxStagedBytesPerThread)
      : loop(loop), body(loop.getBody()), isHip(isHip),
        stagedTiles(stagedTiles), stagedLoads(stagedLoads),
        stagedBytes(stagedBytes),
        anchorsOnly(isHip && !complete),
        defaultStages(defaultStages), axisInfo(axisInfo),
        sharedBudget(sharedBudget) {}

  /// Schedules the loop; returns the remark to emit. `scheduled` tells whether
  /// the IR was changed.
  std::string run(Kind requested, bool &scheduled, bool &error);

private:
  bool canPipelineLoad(Operation *load);
  /// A CUDA tt.load pipelined only because of `staged-loads` (it cannot be
  /// a cp.async; our lowering register-stages it).
  bool registerStaged(Operation *load);
  LoopAnalysis analyze();
  Kind choose(Kind requested, const LoopAnalysis &a, int numStages,
              std::string &why);
  void buildDefault(tt::CoarseSchedule &s, const LoopAnalysis &a, int S);
  void buildAttention(tt::CoarseSchedule &s, const LoopAnalysis &a, Kind k);
  void scheduleLoopCarriedProducers(tt::CoarseSchedule &s);
  void scheduleRemaining(tt::CoarseSchedule &s, int stage,
                         tt::CoarseSchedule::Cluster cluster);
  LogicalResult applyPins(tt::CoarseSchedule &s, int numStages,
                          std::string &error);

  scf::ForOp loop;
  Block *body;
  bool isHip;
  /// Our lowering register-stages the tiles (S - 1 slots for S stages).
  bool stagedTiles;
  /// CUDA: tensor loads that cannot be cp.async are pipelined too (our
  /// lowering register-stages them), within `stagedBytes` a thread.
  bool stagedLoads;
  int64_t stagedBytes;
  bool anchorsOnly;
  int defaultStages;
  tt::ModuleAxisInfoAnalysis &axisInfo;
  int64_t sharedBudget;
};

bool LoopScheduler::canPipelineLoad(Operation *op) {
  if (isHip)
    return true;
  if (auto load = dyn_cast<tt::LoadOp>(op))
    return tt::canBeConvertedToAsyncLoad(load, axisInfo) ||
           (stagedLoads && isa<RankedTensorType>(load.getPtr().getType()));
  return tt::canPipelineTMALoad(op);
}

bool LoopScheduler::registerStaged(Operation *op) {
  auto load = dyn_cast<tt::LoadOp>(op);
  return !isHip && load && !tt::canBeConvertedToAsyncLoad(load, axisInfo);
}

LoopAnalysis LoopScheduler::analyze() {
  LoopAnalysis a;
  for (Operation &op : body->without_terminator())
    if (isMMA(&op))
      a.mmas.push_back(&op);
  for (Operation *mma : a.mmas) {
    for (unsigned idx : {0u, 1u}) {
      for (Operation *dep : sameIterationSlice(body, mma->getOperand(idx))) {
        if (!isLoad(dep) || a.loads.contains(dep) || !canPipelineLoad(dep))
          continue;
        // A load whose address depends on another load of this iteration
        // (indirection) is not ours to pipeline yet.
        bool indirect = false;
        for (Value operand : dep->getOperands())
          for (Operation *addrDep : sameIterationSlice(body, operand))
            indirect |= isLoad(addrDep);
        if (!indirect)
          a.loads.insert({dep, {mma, idx}});
      }
    }
  }
  // Attention: MMA1's A operand is computed from MMA0's result in the same
  // iteration; K feeds MMA0's B operand, V feeds MMA1's B operand.
  for (Operation *m1 : a.mmas)
    for (Operation *m0 : a.mmas) {
      if (m0 == m1 || a.mma1)
        continue;
      if (!sameIterationSlice(body, m1->getOperand(0)).contains(m0))
        continue;
      Operation *k = nullptr, *v = nullptr;
      for (auto &[load, use] : a.loads) {
        if (use.first == m0 && use.second == 1)
          k = load;
        if (use.first == m1 && use.second == 1)
          v = load;
      }
      if (k && v) {
        a.mma0 = m0;
        a.mma1 = m1;
        a.loadK = k;
        a.loadV = v;
        a.asyncMMA = isa<ttng::WarpGroupDotOp>(m0) &&
                     isa<ttng::WarpGroupDotOp>(m1);
        auto scores = cast<RankedTensorType>(m0->getResult(0).getType());
        for (Operation *op : sameIterationSlice(body, m1->getOperand(0)))
          if (auto select = dyn_cast<arith::SelectOp>(op))
            a.maskedScores |= select.getType() == scores;
      }
    }
  return a;
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

Kind LoopScheduler::choose(Kind requested, const LoopAnalysis &a,
                           int numStages, std::string &why) {
  bool attention = a.isAttention();
  if (requested == Kind::Auto) {
    if (!attention) {
      why = "auto: no MMA -> softmax -> MMA chain with K/V loads, so default";
      return Kind::Default;
    }
    if (isHip) {
      why = "auto: attention-like, but attention schedules are CUDA-only for "
            "now, so default";
      return Kind::Default;
    }
    // Measured on H100 with our expansion, 8 rounds, median of per-round
    // ratios to Triton's default (benchmarks/RESULTS.md), on (8,16,8192,128)
    // full / causal and (4,32,4096,64) full / causal. Pointer kernel:
    // default 1.05 / 1.01 / 1.00 / 1.00 and 1.03 / 0.97 / 1.00 / 1.01 (two
    // sessions), attention-a 1.03 / 0.96 / 0.98 / 0.74 and 1.06 / 0.91 /
    // 1.02 / 0.75, attention-b 0.78-0.92 (spills at d128). Descriptor (TMA)
    // kernel: default 1.06 / 1.06 / 1.04 / 1.04, attention-a 1.05 / 1.03 /
    // 0.96 / 1.01, attention-b 1.05 / 1.03 / 0.96 / 0.75. No attention
    // schedule is reliably ahead of default, so default; the remark adds
    // what would hold A back anyway (synchronous MMAs, masked scores).
    why = "auto: attention-like; default, the most robust on the measured "
          "attention kernels (H100, pointer and TMA forms: default 0.97-1.06x "
          "of Triton's, attention-a 0.74-1.06x, attention-b 0.75-1.05x)";
    if (!a.asyncMMA)
      why += "; its MMAs are synchronous here, so no MMA/softmax overlap";
    else if (a.maskedScores)
      why += "; its scores are masked (causal diagonal or ragged tail)";
    return Kind::Default;
  }
  if (requested == Kind::AttentionA || requested == Kind::AttentionB) {
    if (!attention) {
      why = (kindName(requested) +
             " requested, but the loop has no MMA -> softmax -> MMA chain "
             "with K/V loads; using default")
                .str();
      return Kind::Default;
    }
    if (isHip) {
      why = (kindName(requested) +
             " requested, but attention schedules are CUDA-only for now; "
             "using default")
                .str();
      return Kind::Default;
    }
    // The attention schedules span 4 stages: a loop known to run fewer
    // iterations never reaches their steady state and only pays for the
    // longer prologue/epilogue and the extra live values (measured on H100:
    // the 2-iteration causal diagonal loop at d64 dropped to 1 CTA per SM).
    if (std::optional<int64_t> trips = knownTripCount(loop);
        trips && *trips < kAttentionStages) {
      why = (kindName(requested) + " requested, but the loop runs " +
             Twine(*trips) + " iteration(s), fewer than its " +
             Twine(kAttentionStages) + " stages; using default")
                .str();
      return Kind::Default;
    }
    // Past the register budget, the schedule spills (measured 0.34-0.70x of
    // Triton's): fall back rather than hand the user a slower kernel.
    if (int64_t regs = attentionRegisters(a.mma0, a.mma1);
        regs > kAttentionRegisterBudget) {
      why = (kindName(requested) + " requested, but scores, P and the " +
             "accumulator need about " + Twine(regs) +
             " registers a thread (budget " + Twine(kAttentionRegisterBudget) +
             "; more warps or smaller tiles lower it); using default")
                .str();
      return Kind::Default;
    }
    why = (kindName(requested) + " requested").str();
    return requested;
  }
  why = "default requested";
  return Kind::Default;
}

void LoopScheduler::buildDefault(tt::CoarseSchedule &s, const LoopAnalysis &a,
                                 int S) {
  // Cluster order = order in the pipelined body: MMAs and their operands
  // first, then the loads for future iterations. On HIP with a complete
  // schedule the loads are issued first (their data is staged through
  // registers into LDS at the end of the body, so the global latency overlaps
  // the MMA), as in Triton's AMD stream pipeliner.
  bool loadsFirst = isHip && !anchorsOnly;
  tt::CoarseSchedule::Cluster loadCluster, mmaCluster;
  if (loadsFirst) {
    loadCluster = s.clusters.newAtBack();
    mmaCluster = s.clusters.newAtBack();
  } else {
    mmaCluster = s.clusters.newAtBack();
    loadCluster = s.clusters.newAtBack();
  }
  // CUDA loads that cannot be async copies (`staged-loads`) are register-
  // staged: issued first in the body, like on HIP, so their latency overlaps
  // the MMA before their value is stored into the slot at the end.
  std::optional<tt::CoarseSchedule::Cluster> stagedCluster;
  for (auto &[load, use] : a.loads) {
    bool staged = registerStaged(load);
    if (staged && !stagedCluster)
      stagedCluster = s.clusters.newAtFront();
    s.insert(load, 0, staged ? *stagedCluster : loadCluster);
    s.insertIfAbsent(use.first, S - 1, mmaCluster);
  }
}

void LoopScheduler::buildAttention(tt::CoarseSchedule &s, const LoopAnalysis &a,
                                   Kind k) {
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
  if (k == Kind::AttentionA) {
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
  scheduleLoopCarriedProducers(s);
  for (Operation &op : body->without_terminator())
    if (!s.contains(&op))
      s.insert(&op, 2, c2);
}

void LoopScheduler::scheduleLoopCarriedProducers(tt::CoarseSchedule &s) {
  // A value yielded to the next iteration and consumed there by an op of
  // stage st runs in stage st + 1, in a cluster just before that op's
  // cluster: same kernel iteration, producer first.
  llvm::DenseMap<tt::CoarseSchedule::ClusterHash, tt::CoarseSchedule::Cluster>
      before;
  int numStages = s.getNumStages();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  for (Operation &op : body->without_terminator()) {
    if (!s.contains(&op))
      continue;
    auto [stage, cluster] = s[&op];
    if (stage == numStages - 1)
      continue;
    for (Value operand : getNestedOperands(&op)) {
      auto arg = dyn_cast<BlockArgument>(operand);
      if (!arg || arg.getOwner() != body || arg.getArgNumber() == 0)
        continue;
      Operation *def = yield.getOperand(arg.getArgNumber() - 1).getDefiningOp();
      if (!def || body->findAncestorOpInBlock(*def) != def || s.contains(def))
        continue;
      auto hash = tt::CoarseSchedule::hashCluster(cluster);
      if (!before.count(hash))
        before[hash] = s.clusters.newBefore(cluster);
      s.insert(def, stage + 1, before[hash]);
      s.insertDepsOfOp(def, stage + 1, before[hash], /*includeArg=*/true,
                       /*insertIfEarlier=*/true);
    }
  }
}

void LoopScheduler::scheduleRemaining(tt::CoarseSchedule &s, int stage,
                                      tt::CoarseSchedule::Cluster cluster) {
  // Unscheduled ops go to `stage`, in `cluster` or, if one of their producers
  // of the same stage sits in a later cluster, in that producer's cluster.
  for (Operation &op : body->without_terminator()) {
    if (s.contains(&op))
      continue;
    tt::CoarseSchedule::Cluster chosen = cluster;
    for (Value operand : getNestedOperands(&op)) {
      Operation *def = operand.getDefiningOp();
      if (!def || body->findAncestorOpInBlock(*def) != def || !s.contains(def))
        continue;
      auto [defStage, defCluster] = s[def];
      if (defStage == stage && s.clusters.isBefore(chosen, defCluster))
        chosen = defCluster;
    }
    s.insert(&op, stage, chosen);
  }
}

LogicalResult LoopScheduler::applyPins(tt::CoarseSchedule &s, int numStages,
                                       std::string &error) {
  for (Operation &op : body->without_terminator()) {
    auto pin = op.getAttrOfType<IntegerAttr>(kPinAttr);
    if (!pin)
      continue;
    int64_t stage = pin.getInt();
    if (stage < 0 || stage >= numStages) {
      error = ("'" + op.getName().getStringRef() + "' pins stage " +
               Twine(stage) + " but the loop has " + Twine(numStages) +
               " stages")
                  .str();
      return failure();
    }
    auto cluster = s.contains(&op) ? s[&op].second : s.clusters.begin();
    s.insert(&op, static_cast<int>(stage), cluster);
  }
  return success();
}

std::string LoopScheduler::run(Kind requested, bool &scheduled, bool &error) {
  scheduled = false;
  error = false;
  for (Operation &op : body->without_terminator())
    if (op.hasAttr(kStageAttr) || op.hasAttr(kClusterAttr))
      return "already scheduled; left as is";
  if (loop.getBody()
          ->walk([](scf::ForOp) { return WalkResult::interrupt(); })
          .wasInterrupted())
    return "not an innermost loop (holds an scf.for); left as is";
  bool barrier = loop.getBody()
                     ->walk([](Operation *op) {
                       return op->getName().getStringRef().ends_with("barrier")
                                  ? WalkResult::interrupt()
                                  : WalkResult::advance();
                     })
                     .wasInterrupted();
  if (barrier || !tt::gpu::isSafeToPipeline(loop))
    return "not safe to pipeline (GPU barrier, loop-carried distance > 1 or "
           "outer loop); left as is";
  int numStages = tt::getNumStagesOrDefault(loop, defaultStages);
  if (numStages <= 1)
    return "num_stages = " + std::to_string(numStages) +
           ": nothing to pipeline; left as is";

  LoopAnalysis a = analyze();
  if (stagedLoads) {
    SmallVector<Operation *> staged;
    int64_t bytes = 0;
    for (auto &[load, use] : a.loads)
      if (registerStaged(load)) {
        staged.push_back(load);
        bytes += byteSize(load->getResult(0).getType());
      }
    int64_t threads =
        32 * static_cast<int64_t>(tt::gpu::lookupNumWarps(loop));
    if (!staged.empty() && bytes / threads > stagedBytes) {
      for (Operation *load : staged) {
        a.loads.remove_if([&](auto &entry) { return entry.first == load; });
        if (load == a.loadK || load == a.loadV) // no longer attention-like
          a.loadK = a.loadV = nullptr;
      }
      a.note = std::to_string(staged.size()) +
               " load(s) that cannot be async copies kept synchronous: " +
               "register-staging them would hold " +
               std::to_string(bytes / threads) + " bytes a thread (> " +
               std::to_string(stagedBytes) + ")";
    }
  }
  if (a.loads.empty())
    return "no pipelinable load (no load feeding an MMA operand that can "
           "become an async copy" +
           (a.note.empty() ? std::string() : "; " + a.note) + "); left as is";

  std::string why;
  Kind kind = choose(requested, a, numStages, why);
  if (!a.note.empty())
    why += "; " + a.note;
  int stages = (kind == Kind::Default) ? numStages : kAttentionStages;
  // Shared-memory budget: a load with stage distance d keeps d + 1 tiles in
  // flight (the slot an MMA still reads included). Fewer stages when they do
  // not fit, instead of a kernel that cannot launch.
  if (sharedBudget > 0 && !anchorsOnly) {
    int64_t tile = 0;
    for (auto &entry : a.loads)
      tile += byteSize(entry.first->getResult(0).getType());
    // Default: every load is S - 1 stages from its MMA (S tiles each); the
    // attention schedules keep K and V 2 stages from theirs (3 tiles each).
    // Register-staged tiles (gfx942) need one slot less: a slot is stored
    // after the iteration that read it (S - 1 tiles each); async copies
    // (CUDA, gfx950 direct-to-LDS) S.
    auto need = [&](int st) {
      return kind == Kind::Default ? tile * (stagedTiles ? st - 1 : st)
                                   : tile * 3;
    };
    if (tile > 0 && need(stages) > sharedBudget) {
      if (kind != Kind::Default) {
        why += "; but its buffers need " + std::to_string(need(stages)) +
               " bytes of shared memory, more than the " +
               std::to_string(sharedBudget) + " left: default instead";
        kind = Kind::Default;
        stages = numStages;
      }
      int fit = static_cast<int>(sharedBudget / tile) + (stagedTiles ? 1 : 0);
      if (need(stages) > sharedBudget) {
        if (fit < 2)
          return "even 2 stages need " + std::to_string(need(2)) +
                 " bytes of shared memory, more than the " +
                 std::to_string(sharedBudget) + " left; left as is";
        why += "; num_stages " + std::to_string(stages) + " -> " +
               std::to_string(fit) + " so that the buffers fit in shared " +
               "memory (" + std::to_string(need(stages)) + " bytes > " +
               std::to_string(sharedBudget) + " left)";
        stages = fit;
      }
    }
  }
  tt::CoarseSchedule s(stages);
  if (kind == Kind::Default)
    buildDefault(s, a, stages);
  else
    buildAttention(s, a, kind);

  std::string pinError;
  if (failed(applyPins(s, stages, pinError))) {
    error = true;
    return pinError;
  }

  if (!anchorsOnly) {
    tt::scheduleDependencies(loop, s);
    scheduleLoopCarriedProducers(s);
    scheduleRemaining(s, stages - 1, s.clusters.begin());
  }
  s.serialize(loop);
  OpBuilder b(loop);
  loop->setAttr(kKindAttr, b.getStringAttr(kindName(kind)));

  // Never hand a schedule that breaks a dependency to the expander.
  SmallVector<ScheduleProblem> problems;
  LoopSchedule check = readSchedule(loop, problems);
  verifySchedule(check, problems);
  if (!problems.empty()) {
    for (Operation &op : body->without_terminator()) {
      op.removeAttr(kStageAttr);
      op.removeAttr(kClusterAttr);
    }
    loop->removeAttr(kMaxStageAttr);
    loop->removeAttr(kKindAttr);
    return (kindName(kind) + " schedule would break a dependency ('" +
            problems.front().op->getName().getStringRef() + "' " +
            problems.front().message + "); left as is")
        .str();
  }
  scheduled = true;
  std::string msg = (kindName(kind) + " schedule, " +
                     Twine(check.maxStage + 1) + " stages, " +
                     Twine(a.loads.size()) + " pipelined load(s) (" + why +
                     ")")
                        .str();
  return msg;
}

struct ScheduleLoopsPass
    : public autopipe::impl::ScheduleLoopsPassBase<ScheduleLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Kind kind = schedule;
    if (numStages < 1) {
      module.emitError() << "autopipe-schedule-loops: num-stages must be >= 1, "
                            "got "
                         << static_cast<int>(numStages);
      return signalPassFailure();
    }
    auto target = module->getAttrOfType<StringAttr>("ttg.target");
    bool isHip = target && target.getValue().starts_with("hip:");
    int64_t limit = target ? sharedMemoryLimit(target.getValue()) : 0;
    std::optional<ModuleAllocation> allocation;
    if (limit > 0)
      allocation.emplace(module);

    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    if (loops.empty())
      return;
    tt::ModuleAxisInfoAnalysis axisInfo(module);
    unsigned ordinal = 0;
    bool failedAny = false;
    std::string report;
    for (scf::ForOp loop : loops) {
      // What the kernel has live while the loop runs, besides this loop's
      // per-iteration tiles (the buffers replace them). (The stage count is
      // only estimated here: every loaded tile is assumed buffered;
      // autopipe-allocate-buffers checks the real set.)
      int64_t budget = 0;
      if (allocation) {
        int64_t live =
            loopSharedMemory(*allocation, loop).peak([&](Operation *op) {
              auto alloc = dyn_cast<tt::gpu::LocalAllocOp>(op);
              return (alloc && alloc.getSrc() &&
                      op->getParentOp() == loop.getOperation()) ||
                     isConversionOfLoad(op);
            });
        budget = std::max<int64_t>(1, limit - live);
      }
      // Our HIP lowering register-stages the tiles on gfx942 and copies
      // them straight into LDS on gfx950 (autopipe-allocate-buffers,
      // copy=auto).
      bool stagedTiles = isHip && target.getValue() != "hip:gfx950";
      LoopScheduler scheduler(loop, isHip, static_cast<int>(numStages),
                              axisInfo, budget, complete, stagedTiles,
                              stagedLoads, stagedBytes);
      bool scheduled = false, error = false;
      std::string msg = scheduler.run(kind, scheduled, error);
      std::string where = "loop at " + formatLocation(loop.getLoc());
      ++ordinal;
      if (error) {
        loop.emitError() << "autopipe-schedule-loops: " << where << ": "
                         << msg;
        failedAny = true;
        continue;
      }
      if (remarks)
        loop.emitRemark() << "autopipe-schedule-loops: " << where << ": "
                          << msg;
      report += "autopipe-schedule-loops: " + where + ": " + msg + "\n";
    }
    if (failed(writeTextReport(output, report, module, getArgument())))
      return signalPassFailure();
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
