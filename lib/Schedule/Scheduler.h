//===- Scheduler.h - the units of autopipe-schedule-loops ------*- C++ -*-===//
//
// autopipe-schedule-loops schedules one loop in steps, each a unit here:
// the latency model finds the long-latency loads and the attention pattern
// (Latency.cpp), the schedule kind is chosen with its reason
// (ScheduleChoice.cpp), the stage count is fitted to shared memory
// (StageBudget.cpp), then the default or an attention schedule is built
// (DefaultSchedule.cpp, AttentionSchedule.cpp) into a tt::CoarseSchedule.
// lib/ScheduleLoops.cpp runs them per loop and reports each decision.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_LIB_SCHEDULE_SCHEDULER_H
#define TRITON_AUTOPIPE_LIB_SCHEDULE_SCHEDULER_H

#include "triton-autopipe/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

#include <optional>
#include <string>

#include "triton/Analysis/AxisInfo.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"

namespace mlir::autopipe::sched {

/// The schedule a loop gets (option `schedule`, declared in Passes.td).
using ScheduleKind = mlir::autopipe::ScheduleKind;

/// The option spelling of `kind`.
StringRef scheduleKindName(ScheduleKind kind);

/// Stages of both attention schedules (loadK 0, loadV 1, ..., 3).
inline constexpr int kAttentionStages = 4;
/// Register budget of the attention schedules, in 32-bit registers a thread
/// (see attentionRegisters): past it they spill (benchmarks/RESULTS.md).
inline constexpr int64_t kAttentionRegisterBudget = 192;
/// `staged-bytes` default: a register-staged tile lives in registers from its
/// load (top of the body) to its store (end), next to the accumulator; loads
/// whose tiles would hold more bytes a thread stay synchronous
/// (benchmarks/RESULTS.md).
inline constexpr int64_t kMaxStagedBytesPerThread = 64;

/// The target and options one loop is scheduled under.
struct SchedulerConfig {
  bool isHip = false;
  /// The kernel's num_stages, for loops without `tt.num_stages`.
  int defaultStages = 3;
  /// Bytes of shared memory the kernel has left for this loop's buffers (0:
  /// no budget).
  int64_t sharedBudget = 0;
  /// HIP without `complete`: schedule only loads and MMAs, the form Triton's
  /// AMD pipeliner expects.
  bool anchorsOnly = false;
  /// Our lowering register-stages the tiles (S - 1 slots for S stages).
  bool stagedTiles = false;
  /// CUDA: tensor loads that cannot be cp.async are pipelined too (our
  /// lowering register-stages them), within `stagedBytes` a thread.
  bool stagedLoads = false;
  int64_t stagedBytes = kMaxStagedBytesPerThread;
};

//===----------------------------------------------------------------------===//
// Latency model (Latency.cpp)
//===----------------------------------------------------------------------===//

bool isMMA(Operation *op);
bool isLoad(Operation *op);

/// Top-level ops of `body` that `value` depends on within one iteration
/// (block arguments end the walk: they come from the previous iteration or
/// from outside the loop).
SetVector<Operation *> sameIterationSlice(Block *body, Value value);

/// Which loads get latency on the target.
class LatencyModel {
public:
  LatencyModel(const SchedulerConfig &config,
               triton::ModuleAxisInfoAnalysis &axisInfo)
      : config(config), axisInfo(axisInfo) {}

  /// A load that can be pipelined: on CUDA one that can become an async copy
  /// (or a TMA copy; with `staged-loads` any tensor load); on HIP every one.
  bool canPipelineLoad(Operation *load) const;
  /// A CUDA tt.load pipelined only because of `staged-loads` (it cannot be
  /// a cp.async; our lowering register-stages it).
  bool registerStaged(Operation *load) const;

private:
  const SchedulerConfig &config;
  triton::ModuleAxisInfoAnalysis &axisInfo;
};

/// What the latency model found in one loop.
struct LoopAnalysis {
  /// Pipelinable loads with the MMA operand they feed (0: A, 1: B); in a
  /// loop without MMA (CUDA, `tt.num_stages` set) {nullptr, 0}.
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

/// The long-latency loads of `loop` (loads feeding an MMA operand in the
/// same iteration, not through another load; on CUDA in a loop without MMA
/// that has `tt.num_stages`, every tt.load that can be an async copy, not
/// through another load) and the attention pattern
/// (MMA1's A operand computed from MMA0's result, K feeding MMA0's B, V
/// MMA1's B). With `staged-loads`, register-staged loads are dropped again
/// when their tiles would hold more than `stagedBytes` a thread.
LoopAnalysis analyzeLoop(scf::ForOp loop, const LatencyModel &latency,
                         const SchedulerConfig &config);

//===----------------------------------------------------------------------===//
// Choice of the schedule (ScheduleChoice.cpp)
//===----------------------------------------------------------------------===//

/// A schedule kind and the reason for it, as the remark says it.
struct Decision {
  ScheduleKind kind;
  std::string reason;
};

/// The schedule `loop` gets when `requested`: attention schedules only for
/// attention-like loops on CUDA that run at least kAttentionStages
/// iterations and fit the register budget; `auto` picks default.
Decision chooseSchedule(ScheduleKind requested, const LoopAnalysis &a,
                        scf::ForOp loop, bool isHip);

//===----------------------------------------------------------------------===//
// Shared-memory stage lowering (StageBudget.cpp)
//===----------------------------------------------------------------------===//

/// The kind and stage count that fit the shared-memory budget.
struct StagePlan {
  ScheduleKind kind;
  int stages;
  /// Appended to the decision's reason when the plan differs from the
  /// request.
  std::string note;
  /// Non-empty when even 2 stages do not fit: the loop is left as is.
  std::string rejection;
};

/// Fits `kind` with `numStages` (the loop's num_stages) to
/// `config.sharedBudget`: a load of stage distance d keeps d + 1 tiles
/// (register-staged ones d). An attention schedule that does not fit falls
/// back to default; default gets fewer stages.
StagePlan fitStagesToSharedMemory(ScheduleKind kind, int numStages,
                                  const LoopAnalysis &a,
                                  const SchedulerConfig &config);

//===----------------------------------------------------------------------===//
// Schedules (DefaultSchedule.cpp, AttentionSchedule.cpp)
//===----------------------------------------------------------------------===//

/// Loads (and register-staged loads first) in stage 0, their MMAs in stage
/// S - 1.
void buildDefaultSchedule(triton::CoarseSchedule &s, const LoopAnalysis &a,
                          int S, const LatencyModel &latency,
                          const SchedulerConfig &config);

/// loadK 0, loadV 1, MMA0 2, MMA1 3 and everything else by `kind`
/// (AttentionA or AttentionB).
void buildAttentionSchedule(triton::CoarseSchedule &s, const LoopAnalysis &a,
                            ScheduleKind kind, scf::ForOp loop);

/// Loop-carried producers of stage-s ops (pointer increments) go to stage
/// s + 1, in a cluster just before their consumer's.
void scheduleLoopCarriedProducers(triton::CoarseSchedule &s, Block *body);

/// Ops still unscheduled go to `stage`, in `cluster` or in the later cluster
/// of a same-stage producer.
void scheduleRemaining(triton::CoarseSchedule &s, Block *body, int stage,
                       triton::CoarseSchedule::Cluster cluster);

/// Moves ops carrying `autopipe.stage = N` to stage N; returns the error
/// when N is not below `numStages`.
std::optional<std::string> applyPins(triton::CoarseSchedule &s, Block *body,
                                     int numStages);

} // namespace mlir::autopipe::sched

#endif // TRITON_AUTOPIPE_LIB_SCHEDULE_SCHEDULER_H
