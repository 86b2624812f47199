//===- Lowering.h - shared pieces of the buffer lowering -------*- C++ -*-===//
//
// Internal to autopipe-allocate-buffers. The pass driver (AllocateBuffers.cpp)
// picks the loads of a scheduled loop and the copy kind of each; one unit per
// copy kind analyzes and lowers it: AsyncCopy.cpp (cp.async, gfx950
// direct-to-LDS), TMA.cpp (sm90 descriptor loads with mbarriers),
// RegisterStaged.cpp (the gfx942 form: load to registers, local_store into
// the slot). Common.cpp holds what they share: the consumer analysis, the
// buffers, the slot counters and the slot reads.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_LIB_BUFFERS_LOWERING_H
#define TRITON_AUTOPIPE_LIB_BUFFERS_LOWERING_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/SmallVector.h"

#include "triton/Analysis/AxisInfo.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"

#include <optional>
#include <string>

namespace mlir::autopipe::buffers {

namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;

/// How a load's tile gets into its slot.
enum class CopyKind {
  /// ttg.async_copy_global_to_local + commit/wait (cp.async; direct-to-LDS
  /// loads on gfx950).
  AsyncCopy,
  /// ttng.async_tma_copy_global_to_local with one mbarrier per slot (sm90).
  TMA,
  /// The load stays; its value is stored into the slot by ttg.local_store at
  /// the end of the kernel iteration.
  RegisterStaged,
};

/// Why a load is not lowered the way that was tried.
struct Rejection {
  std::string why;
};
inline Rejection reject(std::string why) { return {std::move(why)}; }

/// A value or the reason there is none (for the remark).
template <typename T> class Result {
public:
  Result(T value) : value(std::move(value)) {}
  Result(Rejection r) : reason(std::move(r.why)) {}
  explicit operator bool() const { return value.has_value(); }
  T &operator*() { return *value; }
  T *operator->() { return &*value; }
  const std::string &why() const { return reason; }

private:
  std::optional<T> value;
  std::string reason;
};

/// One load we lower.
struct Candidate {
  /// tt.load (AsyncCopy), tt.descriptor_load (TMA), either (RegisterStaged).
  Operation *load = nullptr;
  CopyKind kind = CopyKind::AsyncCopy;
  int64_t bytes = 0; ///< TMA: one slot
  int loadStage = 0, loadCluster = 0;
  /// The local_alloc replaced by the slot view (shared consumer), or null
  /// (register consumer: a local_load replaces the load).
  ttg::LocalAllocOp alloc;
  /// First consumer in body order; the wait and the read go right before it.
  Operation *consumer = nullptr;
  /// TMA: the first op of the body that reads the slot (through views of the
  /// local_alloc), e.g. the MMA; loads with different readers get different
  /// mbarriers, so the wait for one never holds back the other's reader.
  Operation *reader = nullptr;
  int useStage = 0, useCluster = 0;
  ttg::MemDescType bufferType;
  int numSlots = 0;
  int minSlots = 0; ///< what the schedule needs (numSlots may add the option's)
  /// Why a register-staged tt.load is not an async copy, for the remark;
  /// empty otherwise.
  std::string notAsync;
  unsigned group = 0;

  bool isTMA() const { return kind == CopyKind::TMA; }
  bool isStaged() const { return kind == CopyKind::RegisterStaged; }
  bool isAsyncCopy() const { return kind == CopyKind::AsyncCopy; }
};

/// Loads sharing slot count, stages, clusters and kind (TMA or not) share one
/// counter pair; TMA loads also need the same first reader (one mbarrier).
struct Group {
  int numSlots, loadStage, loadCluster, useStage, useCluster;
  bool tma = false;
  Operation *reader = nullptr; ///< TMA: the first reader of the group's slots
  Value insert, extract;       ///< the advanced counters (yielded)
  Value phase;                 ///< TMA: the mbarrier phase (yielded)
  Value barriers;              ///< TMA: one mbarrier per slot
  Value barrierIn;             ///< TMA: the mbarrier of the slot being filled
  int64_t bytes = 0; ///< TMA: bytes all loads of the group bring per slot
};

/// What the analyses read: the loop body, the user's slot request and the
/// target's copy constraints.
struct AnalysisContext {
  Block *body;
  int slotsOption;
  tt::ModuleAxisInfoAnalysis &axisInfo;
  /// gfx950 direct-to-LDS async copies: only 16 bytes a lane are made.
  bool directToLDS;
};

/// What the lowering of one loop carries from step to step.
struct LoweringState {
  scf::ForOp loop;
  Block *body;
  Location loc;
  tt::ModuleAxisInfoAnalysis &axisInfo;
  Value zero, one;
  /// One buffer per candidate, in candidate order.
  SmallVector<Value> buffers;
  /// Register-staged stores: a cluster after every other op of the body.
  int storeCluster = 0;
};

//===-- Common.cpp --------------------------------------------------------===//

int attrInt(Operation *op, StringRef name);
void setStage(Operation *op, int stage, int cluster);
void setStage(ArrayRef<Operation *> ops, int stage, int cluster);

/// The load's users (top-level ops of the body, one stage and cluster, later
/// than the load's stage, reaching an MMA), filled into a candidate of `kind`
/// (alloc set when the only user is a local_alloc).
struct Uses {
  Candidate candidate;
  SmallVector<Operation *> users;
};
Result<Uses> analyzeUses(const AnalysisContext &ctx, Operation *load,
                         CopyKind kind);
/// The shared encoding of the slots: the local_alloc's, or the one the
/// register users want (Triton's getSharedEncoding).
Result<ttg::SharedEncodingTrait> slotEncoding(Uses &uses);
/// The first op of `body` that reads `alloc`'s memory (views of it, such as
/// memdesc_trans, followed), or null.
Operation *firstReader(Block *body, ttg::LocalAllocOp alloc);

/// The last stage the slot is read in: the consumer's, or the last reader of
/// the local_alloc's value and its memdesc views.
Result<int> lastReadStage(Block *body, const Candidate &c);
/// True if an MMA reads the value of `alloc` (or a memdesc view of it)
/// directly from shared memory (wgmma), not through a local_load.
bool readByMMA(ttg::LocalAllocOp alloc);
/// True if `value` reaches an MMA of `body` within one iteration.
bool feedsMMA(Block *body, Value value);
/// Sets the slot counts (minimum `minSlots`, the user's request on top) and
/// the buffer type of slots shaped like `tile`.
void setSlots(Candidate &c, int minSlots, int slotsOption,
              RankedTensorType tile, ttg::SharedEncodingTrait enc);
/// The buffer type of `c` with one slot less.
void dropSlot(Candidate &c);

/// Per group: the index of its first loop-carried counter (insert, then
/// extract, then a TMA group's phase) and its slot count (a constant).
struct Counters {
  SmallVector<unsigned> firstArg;
  SmallVector<Value> slotCount;
};
/// Buffers and counter constants before the loop; the loop-carried counters,
/// starting at -1 (the phase at 0). `state.loop` and `state.body` are
/// replaced.
Counters createBuffersAndCounters(LoweringState &state,
                                  ArrayRef<Candidate> cands,
                                  ArrayRef<Group> groups);
/// Advances `counter` (+1, wrapping to 0 at `n`) right before `before`, in
/// the given stage and cluster. Returns the new counter and the wrap flag.
std::pair<Value, Value> advanceCounter(LoweringState &state, Value counter,
                                       Value n, Operation *before, int stage,
                                       int cluster);
/// Where the consumer's read of the slot goes in body order (in the
/// consumer's stage and cluster either way): right after the load for a
/// register-staged slot (the position Triton's stream pipeliner gives its
/// local_load, so that the read comes before the ops of the consumer's
/// cluster that follow the load in the source, e.g. attention's P conversion
/// through shared memory, and the one CTA barrier before those also orders
/// the slot's refill at the end of the iteration); right before the consumer
/// for the others (their read follows a wait or an mbarrier wait). With
/// `counter` (the group's extract counter, once placed), after it where it
/// follows the load.
Operation *readPoint(const Candidate &c, Operation *counter = nullptr);
/// The consumer's read of slot `extract` before `before` (default: the
/// consumer): the view replaces the local_alloc the load fed (returns null),
/// or a local_load of `type` (ordered after `token`, if any) is returned.
Value readSlot(Candidate &c, Value buffer, Value extract, Value token,
               Type type, Operation *before = nullptr);
/// Yields the counters; after the loop drains the async copies (if any) and
/// frees the buffers.
void finishLoop(LoweringState &state, ArrayRef<Candidate> cands,
                ArrayRef<Group> groups);

//===-- AsyncCopy.cpp -----------------------------------------------------===//

/// A tt.load that can become an async copy into a slot.
Result<Candidate> analyzeAsyncCopy(const AnalysisContext &ctx, tt::LoadOp load);
/// The copy and commit in the load's place, the wait and the read before the
/// consumer; erases the load.
void lowerAsyncCopy(LoweringState &state, Candidate &c, Group &g, Value buffer);

//===-- TMA.cpp -----------------------------------------------------------===//

/// A descriptor load whose only user is a local_alloc with the descriptor's
/// encoding, in a later stage, feeding an MMA.
Result<Candidate> analyzeTMA(const AnalysisContext &ctx,
                             tt::DescriptorLoadOp load);
/// One mbarrier per slot for every TMA group (before the loop).
void allocateBarriers(scf::ForOp loop, MutableArrayRef<Group> groups);
/// The group's barrier_expect before its first load, and the phase and
/// wait_barrier before its first use (`wrapped`: the extract counter wrapped).
void createBarrierOps(LoweringState &state, Group &g, Operation *firstLoad,
                      Operation *firstUse, Value wrapped, Value phaseArg);
/// The TMA copy into slot `insert` in the load's place.
void lowerTMACopy(LoweringState &state, Candidate &c, Group &g, Value buffer);
/// The slot views in place of the TMA loads' local_allocs (last load first,
/// Triton's order), then erases the loads.
void replaceTMAAllocs(LoweringState &state, MutableArrayRef<Candidate> cands,
                      ArrayRef<Group> groups, ArrayRef<size_t> tmaCands);

//===-- RegisterStaged.cpp ------------------------------------------------===//

/// Any tensor load (tt.load with mask and other, or tt.descriptor_load)
/// whose value can be stored into a slot at the end of the iteration.
Result<Candidate> analyzeRegisterStaged(const AnalysisContext &ctx,
                                        Operation *load);
/// The store into slot `insert` at the end of the body, the read of slot
/// `extract` before the consumer.
void lowerRegisterStaged(LoweringState &state, Candidate &c, Group &g,
                         Value buffer);

} // namespace mlir::autopipe::buffers

#endif // TRITON_AUTOPIPE_LIB_BUFFERS_LOWERING_H
