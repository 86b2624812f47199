//===- Schedule.h - software-pipelining schedule as data -------*- C++ -*-===//
//
// The schedule of an scf.for is carried on the IR, in the form Triton 3.9's
// scheduler writes and its `add_pipeline` consumes:
//   - `loop.stage`   (i32) on every op of the loop body: the pipeline stage;
//   - `loop.cluster` (i32) on every op of the loop body: the order of the op
//                    inside one iteration of the pipelined kernel;
//   - `tt.scheduled_max_stage` (i32) on the scf.for: the largest stage.
// This header reads that schedule and checks it; passes that write a schedule
// and passes that consume one share it.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_SCHEDULE_H
#define TRITON_AUTOPIPE_SCHEDULE_H

#include "triton-autopipe/Attributes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "triton/Analysis/Allocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::autopipe {

// The schedule's attributes (declared, with producers and consumers, in
// Attributes.h).
inline constexpr const char *kStageAttr = attr::kLoopStage.data();
inline constexpr const char *kClusterAttr = attr::kLoopCluster.data();
inline constexpr const char *kMaxStageAttr = attr::kScheduledMaxStage.data();

/// The largest stage (and `tt.scheduled_max_stage`) and cluster id a schedule
/// may use. Triton's expander makes one prologue copy per stage and one list
/// entry per cluster id between the smallest and the largest, so unbounded
/// values would be unbounded work; real schedules stay far below both.
inline constexpr int kMaxScheduledStage = 31;
inline constexpr int kMaxClusterId = 4095;

/// One op of the loop body with its place in the schedule. Ops without
/// either attribute are unscheduled (stage = cluster = -1): a partial schedule
/// (Triton's AMD scheduler places only loads and dots) leaves them for the
/// pipeliner to place next to their users.
struct ScheduledOp {
  Operation *op;
  int stage;
  int cluster;
  bool isScheduled() const { return stage >= 0 && cluster >= 0; }
};

/// The schedule of one loop: the top-level ops of its body (terminator
/// excluded) in body order.
struct LoopSchedule {
  scf::ForOp loop;
  SmallVector<ScheduledOp> ops;
  /// `tt.scheduled_max_stage`, when the loop carries it.
  std::optional<int> declaredMaxStage;
  int maxStage = 0;
  int numClusters = 0;
  unsigned numUnscheduled = 0;

  const ScheduledOp *lookup(Operation *op) const;
};

/// A dependency the schedule breaks, or a malformed attribute.
struct ScheduleProblem {
  Operation *op; ///< The op the problem is reported on.
  std::string message;
};

/// True if any op of the body, or the loop, carries schedule attributes.
bool hasSchedule(scf::ForOp loop);

/// Reads the schedule of `loop`. Malformed attributes, or an op with only one
/// of `loop.stage`/`loop.cluster`, are reported in `problems` (and the op is
/// treated as unscheduled).
LoopSchedule readSchedule(scf::ForOp loop,
                          SmallVectorImpl<ScheduleProblem> &problems);

/// Checks that every value is produced no later than it is consumed once the
/// loop is pipelined:
///  - a value defined in the body and used in the same iteration needs
///    stage(def) < stage(use), or equal stages and cluster(def) <=
///    cluster(use);
///  - a value carried to the next iteration (through scf.yield) needs
///    stage(def) <= stage(use) + 1, and when equal to stage(use) + 1,
///    cluster(def) < cluster(use) (both run in the same kernel iteration).
/// Uses inside nested regions count as uses by the enclosing top-level op.
/// Unscheduled ops are looked through: a scheduled op depends on the scheduled
/// producers of the unscheduled ops that feed it.
void verifySchedule(const LoopSchedule &schedule,
                    SmallVectorImpl<ScheduleProblem> &problems);

/// Why Triton's loop expander (CoarseSchedule::deSerialize, lowerLoops,
/// pipelineForLoop) cannot take `loop`'s schedule without asserting or
/// miscompiling: malformed or out-of-range attributes (readSchedule), no
/// `tt.scheduled_max_stage`, ops of the body without a place (a partial
/// schedule), or a broken dependency (verifySchedule). Empty when it can.
SmallVector<ScheduleProblem> checkExpandable(scf::ForOp loop);

/// Removes `loop`'s schedule (`tt.scheduled_max_stage` and the body's
/// `loop.stage`/`loop.cluster`): no pass pipelines the loop afterwards.
void dropSchedule(scf::ForOp loop);

/// Drops the schedule of every scheduled loop under `root` that
/// checkExpandable rejects, after calling `reject` with its first problem;
/// returns how many. Run before handing a module to Triton's pipeliner.
unsigned dropUnexpandableSchedules(
    Operation *root,
    llvm::function_ref<void(scf::ForOp, const ScheduleProblem &)> reject);

/// Checks the loop attributes Triton's pipeliner reads unchecked: every
/// `tt.num_stages` under `root` a signless integer in 0..kMaxScheduledStage+1.
/// An error on the loop naming `pass` otherwise (run at the start of a pass
/// that calls Triton's pipelining utilities).
LogicalResult checkLoopAttributes(Operation *root, StringRef pass);

/// "'op.name' message", for remarks.
std::string describeProblem(const ScheduleProblem &problem);

/// "file:line:col" of an op's location (or "<unknown>"); for an op of an
/// inlined function "file:line:col (inlined at file:line:col)".
std::string formatLocation(Location loc);

/// `type` as MLIR prints it, for remarks.
std::string typeString(Type type);

/// Shared memory per block of a `ttg.target` in bytes, or 0 when unknown (no
/// budget): TargetInfo::fromTarget(target).sharedMemoryPerBlock (the table is
/// in TargetInfo.cpp).
int64_t sharedMemoryLimit(StringRef target);

/// Shared memory of a loop by Triton's allocation analysis, taken before the
/// IR changes: the buffers live at each op of the loop (the loop op
/// included) with their sizes, and the buffers each op of the loop owns (an
/// explicit local_alloc's, an op's scratch).
struct LoopSharedMemory {
  llvm::DenseMap<Operation *, SmallVector<std::pair<size_t, int64_t>>> liveAt;
  llvm::DenseMap<Operation *, SmallVector<size_t>> owned;

  /// The most bytes live at one op of the loop, leaving out the buffers of
  /// the ops for which `freed` is true (local_allocs replaced by circular
  /// buffer slots, scratch of conversions that go away). Scratch of ops
  /// outside the loop (e.g. an epilogue layout conversion) never counts: it
  /// is not live next to the loop's buffers.
  int64_t peak(llvm::function_ref<bool(Operation *)> freed) const;
};
LoopSharedMemory loopSharedMemory(ModuleAllocation &allocation,
                                  scf::ForOp loop);

/// A layout conversion of a loaded tile (its scratch goes away when the tile
/// comes from a circular buffer, read in the layout it needs).
bool isConversionOfLoad(Operation *op);

/// Bytes of a tensor or shared-memory descriptor type (0 for other types).
int64_t byteSize(Type type);

/// Writes a pass's text report to `output`: "" does nothing, "-" is stderr,
/// anything else a file appended to. A file that cannot be opened is an error
/// on `anchor` naming `passName`.
LogicalResult writeTextReport(StringRef output, StringRef text,
                              Operation *anchor, StringRef passName);

} // namespace mlir::autopipe

#endif // TRITON_AUTOPIPE_SCHEDULE_H
