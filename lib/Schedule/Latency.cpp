//===- Latency.cpp - which loads of a loop get latency --------------------===//
//
// The latency model of autopipe-schedule-loops: the long-latency ops are the
// loads that feed an MMA operand (tt.dot, ttng.warp_group_dot, tt.dot_scaled)
// in the same iteration. On CUDA a tt.load that can become an async copy
// (Triton's canBeConvertedToAsyncLoad) or a tensor-descriptor load that can
// become a TMA copy; on HIP every load feeding an MMA (the AMD lowering picks
// direct-to-LDS or registers). Each gets num_stages - 1 stages of latency.
// A CUDA loop without MMA whose num_stages the user set (`tt.num_stages`) gets
// its tt.loads that can be async copies instead, as Triton's assign-latencies
// does for such loops.
// The analysis also recognizes attention (MMA -> softmax -> MMA with K and V
// loaded in the loop), which the attention schedules need.
//
//===----------------------------------------------------------------------===//
#include "Scheduler.h"

#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::sched;
namespace tt = mlir::triton;
namespace ttng = mlir::triton::nvidia_gpu;

bool sched::isMMA(Operation *op) { return isa<tt::DotOpInterface>(op); }

bool sched::isLoad(Operation *op) {
  return isa<tt::LoadOp>(op) || tt::isTMALoad(op);
}

SetVector<Operation *> sched::sameIterationSlice(Block *body, Value value) {
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

bool LatencyModel::canPipelineLoad(Operation *op) const {
  if (config.isHip)
    return true;
  if (auto load = dyn_cast<tt::LoadOp>(op))
    return tt::canBeConvertedToAsyncLoad(load, axisInfo) ||
           (config.stagedLoads &&
            isa<RankedTensorType>(load.getPtr().getType()));
  return tt::canPipelineTMALoad(op);
}

bool LatencyModel::registerStaged(Operation *op) const {
  auto load = dyn_cast<tt::LoadOp>(op);
  return !config.isHip && load &&
         !tt::canBeConvertedToAsyncLoad(load, axisInfo);
}

namespace {

/// A load whose address depends on another load of this iteration
/// (indirection) is not ours to pipeline yet.
bool isIndirect(Block *body, Operation *load) {
  for (Value operand : load->getOperands())
    for (Operation *addrDep : sameIterationSlice(body, operand))
      if (isLoad(addrDep))
        return true;
  return false;
}

/// The pipelinable loads feeding each MMA's A and B operands.
void findLoads(Block *body, const LatencyModel &latency, LoopAnalysis &a) {
  for (Operation &op : body->without_terminator())
    if (isMMA(&op))
      a.mmas.push_back(&op);
  for (Operation *mma : a.mmas) {
    for (unsigned idx : {0u, 1u}) {
      for (Operation *dep : sameIterationSlice(body, mma->getOperand(idx))) {
        if (!isLoad(dep) || a.loads.contains(dep) ||
            !latency.canPipelineLoad(dep))
          continue;
        if (!isIndirect(body, dep))
          a.loads.insert({dep, {mma, idx}});
      }
    }
  }
}

/// A CUDA loop without MMA, with `tt.num_stages` (Triton's
/// assign-latencies pipelines such loops only when the user asked): every
/// tt.load that can be an async copy, its consumers in the last stage.
void findLoadsWithoutMMA(scf::ForOp loop, const LatencyModel &latency,
                         LoopAnalysis &a) {
  Block *body = loop.getBody();
  if (!a.mmas.empty() || !loop->hasAttr(tt::kNumStagesAttrName))
    return;
  for (Operation &op : body->without_terminator())
    if (isa<tt::LoadOp>(op) && latency.canPipelineLoad(&op) &&
        !latency.registerStaged(&op) && !isIndirect(body, &op))
      a.loads.insert({&op, {nullptr, 0u}});
}

/// Attention: MMA1's A operand is computed from MMA0's result in the same
/// iteration; K feeds MMA0's B operand, V feeds MMA1's B operand.
void findAttention(Block *body, LoopAnalysis &a) {
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
        a.asyncMMA =
            isa<ttng::WarpGroupDotOp>(m0) && isa<ttng::WarpGroupDotOp>(m1);
        auto scores = cast<RankedTensorType>(m0->getResult(0).getType());
        for (Operation *op : sameIterationSlice(body, m1->getOperand(0)))
          if (auto select = dyn_cast<arith::SelectOp>(op))
            a.maskedScores |= select.getType() == scores;
      }
    }
}

/// `staged-loads`: register-staged loads stay synchronous when their tiles
/// would hold more than `stagedBytes` a thread (noted for the remark).
void limitStagedLoads(scf::ForOp loop, const LatencyModel &latency,
                      int64_t stagedBytes, LoopAnalysis &a) {
  SmallVector<Operation *> staged;
  int64_t bytes = 0;
  for (auto &[load, use] : a.loads)
    if (latency.registerStaged(load)) {
      staged.push_back(load);
      bytes += byteSize(load->getResult(0).getType());
    }
  // Without ttg.num-warps (hand-written IR), one warp: the largest estimate.
  int64_t threads =
      32 * static_cast<int64_t>(tt::gpu::maybeLookupNumWarps(loop).value_or(1));
  if (staged.empty() || bytes / threads <= stagedBytes)
    return;
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

} // namespace

LoopAnalysis sched::analyzeLoop(scf::ForOp loop, const LatencyModel &latency,
                                const SchedulerConfig &config) {
  LoopAnalysis a;
  findLoads(loop.getBody(), latency, a);
  if (!config.isHip)
    findLoadsWithoutMMA(loop, latency, a);
  findAttention(loop.getBody(), a);
  if (config.stagedLoads)
    limitStagedLoads(loop, latency, config.stagedBytes, a);
  return a;
}
