//===- AllocateBuffers.cpp - circular buffers for pipelined loads --------===//
//
// `autopipe-allocate-buffers` lowers the loads of a scheduled loop into
// circular buffers in shared memory fed by asynchronous copies, the part of
// Triton 3.9's `tritongpu-pipeline` ("LowerLoops", load lowering) that we own.
// Input: TTGIR right after a loop scheduler (`autopipe-schedule-loops` or
// Triton's): `loop.stage` / `loop.cluster` on every op of the body and
// `tt.scheduled_max_stage` on the loop (Schedule.h). Output: the same loop,
// still scheduled, for Triton's loop expander (prologue / kernel / epilogue)
// to pipeline; it treats our async copies as ordinary scheduled ops.
//
// sm90 tensor-descriptor loads (`tt.descriptor_load` whose only user is a
// `ttg.local_alloc` with the descriptor's shared encoding, in a later stage,
// feeding an MMA; Triton's canPipelineTMALoad) become TMA copies: N-slot
// buffer in that encoding (N = stage distance to the last reader + 1), one
// mbarrier per slot (Triton's createBarrierAlloc: init before the loop,
// inval + dealloc after) shared by the TMA loads of one stage/cluster group;
// at the first load `ttng.barrier_expect` (bytes of all the group's tiles),
// then `ttng.async_tma_copy_global_to_local` per load into slot `insert`; at
// the first consumer `ttng.wait_barrier` on slot `extract` with a loop-carried
// phase that flips whenever `extract` wraps, and the local_alloc replaced by
// the slot view. On the descriptor GEMM the expanded loop is the same code as
// Triton's own TMA lowering.
//
// What is lowered for `tt.load` (CUDA targets, tensor of pointers): a
// top-level load L of stage sL whose consumers run in a later stage sC and
// feed an MMA, where L can become a cp.async (Triton's
// canBeConvertedToAsyncLoad, copies of >= 4 bytes):
//   - shared consumer (sm90 wgmma): L's only user is a `ttg.local_alloc` A
//     (stage sC) whose value feeds an MMA; the buffer takes A's shared
//     encoding and A is replaced by the slot view (no copy through registers).
//     `other` must be absent or zero (cp.async zero-fills masked elements; a
//     consumer reading shared memory directly cannot see another value);
//   - register consumer (sm80 mma.sync): L's users (all in one stage and
//     cluster) reach an MMA through register ops (convert_layout to a dot
//     operand); the buffer takes the shared encoding those users want
//     (Triton's getSharedEncoding) and L is replaced by a `ttg.local_load` of
//     the slot (then `arith.select(mask, value, other)` for a non-zero
//     `other`).
// Per lowered load:
//   before the loop  %buf = ttg.local_alloc : !ttg.memdesc<N x shape, enc,
//                    #smem, mutable>, N = sR - sL + 1, sR the stage of the
//                    last reader (sC, or a later user of the local_alloc's
//                    value or its memdesc views) (one slot more than the
//                    stage distance: the slot being read is never the one
//                    being written, also for wgmma that still reads it
//                    asynchronously); N = sC - sL for a register consumer
//                    scheduled before the copy in the kernel iteration (its
//                    local_load is done, behind Membar's barrier, before the
//                    copy overwrites the slot; Triton's choice too);
//                    `global-to-shared-stages` instead when larger;
//   in L's place     ttg.memdesc_index %buf[%insert]
//                    ttg.async_copy_global_to_local (L's pointers, mask,
//                    other, cache policy, volatility; contiguity from axis
//                    info) + ttg.async_commit_group, in L's stage and cluster;
//   at the consumer  ttg.async_wait {num = 0} (conservative: every copy group
//                    has landed) + ttg.memdesc_index %buf[%extract] (+
//                    local_load), in the consumer's stage and cluster;
//   after the loop   ttg.async_wait {num = 0} and ttg.local_dealloc.
// %insert and %extract are loop-carried i32 counters, one pair per group of
// loads with the same slot count and stages/clusters, starting at -1 and
// advanced (+1, wrapping to 0 at N: addi/cmpi sge/select) right before their
// first use, in that use's stage and cluster, so the counter of each stage
// stays in its stage. The result is checked with verifySchedule (Schedule.h).
// Overwriting a slot after it was read is ordered by the barriers Triton's
// shared-memory analysis (Membar) inserts at LLVM lowering.
//
// gfx950 (CDNA4) async copies (`copy=auto` or `async` there): the same
// ttg.async_copy_global_to_local / commit / wait form as cp.async, which
// Triton's AMD backend lowers to direct-to-LDS loads
// (global_load_lds_dwordx4; its coalesce-async-copy pass fixes the source
// layout, its Membar and async-wait-count passes the synchronization), in the
// swizzled shared layout the MFMA operand wants. A load that cannot be such a
// copy, or only one narrower than 16 bytes per lane, is register-staged
// (below) instead, as Triton's AMD pipeliner does.
//
// Register-staged buffers (`copy=registers`; the default on gfx942, which
// has no 16-byte direct-to-LDS load): any load of
// stage sL feeding an MMA in a later stage (tt.load with its mask and
// `other`, or tt.descriptor_load) stays where it is and its value is written
// into slot `insert` by a `ttg.local_store` in a new cluster after every
// other op of the kernel iteration (stage sL), so the global load's latency
// overlaps the rest of the iteration; the consumer reads slot `extract`
// (the local_alloc it fed is replaced by the slot view, or a local_load
// replaces the value). The store runs after every synchronous read of the
// slot it overwrites: N = sR - sL slots (one more when an MMA reads the slot
// itself, asynchronously). No copy groups, no waits: Membar's barriers order
// the store after the last read and the next read after the store.
//
// Descriptor loads that cannot become TMA copies (no TMA on the target, or a
// register consumer such as mma.sync) are register-staged (below) on every
// target.
//
// A scheduled tt.load that cannot become an async copy (rows not 4-byte
// aligned, a non-zero `other` read in shared memory, ...) is register-staged
// instead, on every target (`[not async: <why>]` in the remark); with
// autopipe-schedule-loops' `staged-loads` such loads get a stage of their own
// on CUDA too, where Triton leaves them synchronous.
//
// Not lowered, with a remark naming the loop and the reason (the load stays as
// it was, for Triton's pipeliner): descriptor gathers, loads whose consumers
// are in the same stage, leave
// the iteration, sit in nested regions or span several stages/clusters, loads
// not feeding an MMA.
// Loops without a complete schedule, or already holding async copies or
// shared-memory stores, and modules of other targets (or gfx942 with
// copy=async) are left as they are (remark).
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/raw_ostream.h"

#include "triton/Analysis/Allocation.h"
#include "triton/Analysis/AxisInfo.h"
#include "triton/Analysis/Utility.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Utility.h"

using namespace mlir;
using namespace mlir::autopipe;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;
namespace ttng = mlir::triton::nvidia_gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_ALLOCATEBUFFERSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

constexpr const char *kLoweredAttr = "autopipe.buffers";

/// One load we lower.
struct Candidate {
  /// tt.load (cp.async) or tt.descriptor_load (TMA, `tma`); either, for a
  /// register-staged buffer (`staged`: the load stays, its value is stored
  /// into the slot with ttg.local_store at the end of the body).
  Operation *load = nullptr;
  bool tma = false;
  bool staged = false;
  int64_t bytes = 0; ///< one slot
  int loadStage = 0, loadCluster = 0;
  /// The local_alloc replaced by the slot view (shared consumer), or null
  /// (register consumer: a local_load replaces the load).
  ttg::LocalAllocOp alloc;
  /// First consumer in body order; the wait and the read go right before it.
  Operation *consumer = nullptr;
  int useStage = 0, useCluster = 0;
  ttg::MemDescType bufferType;
  int numSlots = 0;
  int minSlots = 0; ///< what the schedule needs (numSlots may add the option's)
  /// Why a register-staged tt.load is not an async copy (copy=async/auto),
  /// for the remark; empty otherwise.
  std::string notAsync;
  unsigned group = 0;
};

/// Loads sharing slot count, stages and clusters share one counter pair.
struct Group {
  int numSlots, loadStage, loadCluster, useStage, useCluster;
  bool tma = false;
  Value insert, extract; // the advanced counters (yielded)
  Value phase;           // TMA: the mbarrier phase (yielded)
  Value barriers;        // TMA: one mbarrier per slot
  Value barrierIn;       // TMA: the mbarrier of the slot being filled
  int64_t bytes = 0;     // TMA: bytes all loads of the group bring per slot
};

int attrInt(Operation *op, const char *name) {
  return cast<IntegerAttr>(op->getAttr(name)).getInt();
}

void setStage(Operation *op, int stage, int cluster) {
  Builder b(op->getContext());
  op->setAttr(kStageAttr, b.getI32IntegerAttr(stage));
  op->setAttr(kClusterAttr, b.getI32IntegerAttr(cluster));
}

/// True if `value` reaches an MMA of `body` within one iteration, through
/// ops of the body (memdesc views, conversions, local_alloc/local_load...).
bool feedsMMA(Block *body, Value value) {
  SmallVector<Value> work{value};
  llvm::DenseSet<Operation *> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      Operation *top = body->findAncestorOpInBlock(*user);
      if (!top || !seen.insert(top).second)
        continue;
      if (isa<tt::DotOpInterface>(top))
        return true;
      if (isa<scf::YieldOp>(top))
        continue;
      for (Value r : top->getResults())
        work.push_back(r);
    }
  }
  return false;
}

/// The last stage in which the value of `alloc` (or a memdesc view of it) is
/// read, at least `from`; nullopt (and `why`) if it leaves the iteration.
std::optional<int> lastSharedReadStage(Block *body, ttg::LocalAllocOp alloc,
                                       int from, std::string &why) {
  int last = from;
  SmallVector<Value> work{alloc.getResult()};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      Operation *top = body->findAncestorOpInBlock(*user);
      if (!top || isa<scf::YieldOp>(top)) {
        why = "the local_alloc's value leaves the iteration";
        return std::nullopt;
      }
      last = std::max(last, attrInt(top, kStageAttr));
      for (Value r : user->getResults())
        if (isa<ttg::MemDescType>(r.getType()))
          work.push_back(r);
    }
  }
  return last;
}

/// True if an MMA reads the value of `alloc` (or a memdesc view of it)
/// directly from shared memory (wgmma), not through a local_load.
bool readByMMA(ttg::LocalAllocOp alloc) {
  SmallVector<Value> work{alloc.getResult()};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<tt::DotOpInterface>(user))
        return true;
      for (Value r : user->getResults())
        if (isa<ttg::MemDescType>(r.getType()))
          work.push_back(r);
    }
  }
  return false;
}

class LoopBuffers {
public:
  /// `sharedUse`: shared memory of the loop before our lowering (Triton's
  /// allocation analysis, loopSharedMemory); `limitBytes`: the
  /// target's limit per block (0: unknown, no budget).
  LoopBuffers(scf::ForOp loop, int slotsOption,
              tt::ModuleAxisInfoAnalysis &axisInfo,
              LoopSharedMemory sharedUse = {},
              int64_t limitBytes = 0, bool hasTMA = false,
              bool staged = false, bool targetHasTMA = false,
              bool directToLDS = false)
      : loop(loop), body(loop.getBody()), slotsOption(slotsOption),
        axisInfo(axisInfo), sharedUse(std::move(sharedUse)),
        limitBytes(limitBytes), hasTMA(hasTMA), staged(staged),
        targetHasTMA(targetHasTMA), directToLDS(directToLDS) {}

  /// Lowers what it can; returns the remark. `error` is set when the result
  /// breaks the schedule (a bug of ours: the IR was changed).
  std::string run(bool &error);

private:
  /// `stagedCopy`: register-staged (else an async copy, tt.load only).
  std::optional<Candidate> analyze(Operation *load, bool stagedCopy,
                                   std::string &why);
  std::optional<Candidate> analyzeTMA(tt::DescriptorLoadOp load,
                                      std::string &why);
  void lower(SmallVectorImpl<Candidate> &cands, SmallVectorImpl<Group> &groups);

  scf::ForOp loop;
  Block *body;
  std::string fitBudget(SmallVectorImpl<Candidate> &cands, bool &dropped);

  int slotsOption;
  tt::ModuleAxisInfoAnalysis &axisInfo;
  LoopSharedMemory sharedUse;
  int64_t limitBytes;
  bool hasTMA;
  /// Register-staged copies instead of async ones (HIP; `copy=registers`).
  bool staged;
  /// The target lowers descriptor loads through TMA (sm90+), whether or not
  /// we make TMA copies (`hasTMA`).
  bool targetHasTMA;
  /// HIP async copies (gfx950 direct-to-LDS loads): a copy narrower than 16
  /// bytes per lane (global_load_lds_dword instead of _dwordx4: more
  /// instructions for the same tile) is not made; the load is register-staged
  /// instead (as every pipelined tt.load that cannot be an async copy is, on
  /// any target; Triton's AMD pipeliner does the same, its CUDA one leaves
  /// such loads synchronous).
  bool directToLDS;
};

/// Keeps the buffers within the target's shared memory: slots the kernel
/// config added beyond what the schedule needs go first; if the schedule's
/// minimum does not fit either, nothing is lowered and the loop's schedule
/// is removed (`dropped`), so no pass pipelines it into a kernel that cannot
/// launch. Returns what it did, for the remark ("" when within budget).
std::string LoopBuffers::fitBudget(SmallVectorImpl<Candidate> &cands,
                                   bool &dropped) {
  dropped = false;
  if (limitBytes <= 0)
    return "";
  // What stays live in the loop: the per-iteration local_allocs we replace
  // by slot views and the scratch of the layout conversions of the tiles we
  // buffer (read from their slots) go away.
  llvm::SmallPtrSet<Operation *, 8> lowered, replaced;
  for (Candidate &c : cands) {
    lowered.insert(c.load);
    if (c.alloc)
      replaced.insert(c.alloc);
  }
  int64_t base = sharedUse.peak([&](Operation *op) {
    return replaced.contains(op) ||
           (isConversionOfLoad(op) &&
            lowered.contains(op->getOperand(0).getDefiningOp()));
  });
  // Register-staged descriptor loads on a TMA target: Triton lowers each to a
  // TMA copy into a scratch tile (+ its mbarrier) that it then reads into
  // registers; that scratch is not in the analysis above (it does not exist
  // yet). One at a time is live (measured: Triton's allocator reuses it).
  int64_t staging = 0;
  if (targetHasTMA)
    for (Candidate &c : cands)
      if (c.staged && isa<tt::DescriptorLoadOp>(c.load))
        staging = std::max(staging,
                           byteSize(c.load->getResult(0).getType()) + 8);
  auto total = [&] {
    int64_t t = base + staging;
    for (Candidate &c : cands)
      t += byteSize(c.bufferType);
    return t;
  };
  int64_t before = total();
  if (before <= limitBytes)
    return "";
  // One slot less for every buffer above its minimum, until it fits.
  bool reduced = true;
  while (total() > limitBytes && reduced) {
    reduced = false;
    for (Candidate &c : cands) {
      if (c.numSlots <= c.minSlots)
        continue;
      --c.numSlots;
      c.bufferType = tt::getMultiBufferedType(
          ttg::MemDescType::get(c.bufferType.getShape().drop_front(),
                                c.bufferType.getElementType(),
                                c.bufferType.getEncoding(),
                                c.bufferType.getMemorySpace(),
                                /*mutableMemory=*/true),
          c.numSlots);
      reduced = true;
    }
  }
  int64_t after = total();
  std::string msg = "shared memory: " + std::to_string(before) +
                    " bytes exceed the limit of " + std::to_string(limitBytes);
  if (after <= limitBytes) {
    std::string slots;
    for (auto [i, c] : llvm::enumerate(cands))
      slots += (i ? "/" : "") + std::to_string(c.numSlots);
    return msg + "; slots reduced to " + slots + " (" + std::to_string(after) +
           " bytes)";
  }
  dropped = true;
  for (Operation &op : body->without_terminator()) {
    op.removeAttr(kStageAttr);
    op.removeAttr(kClusterAttr);
  }
  loop->removeAttr(kMaxStageAttr);
  return msg + " even with the schedule's minimum slots (" +
         std::to_string(after) +
         " bytes): not pipelined (schedule removed, loads left synchronous)";
}

std::optional<Candidate> LoopBuffers::analyze(Operation *op, bool staged,
                                              std::string &why) {
  Candidate c;
  c.load = op;
  c.staged = staged;
  // A descriptor load only gets here register-staged; its result is a tensor.
  auto load = dyn_cast<tt::LoadOp>(op);
  auto resTy = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resTy ||
      (load && !isa<RankedTensorType>(load.getPtr().getType()))) {
    why = "scalar or block-pointer load";
    return std::nullopt;
  }
  c.loadStage = attrInt(op, kStageAttr);
  c.loadCluster = attrInt(op, kClusterAttr);

  // Consumers: top-level ops of the body, all in one stage and cluster.
  SmallVector<Operation *> users;
  for (Operation *user : op->getUsers()) {
    if (user->getBlock() != body) {
      why = "used inside a nested region";
      return std::nullopt;
    }
    if (isa<scf::YieldOp>(user)) {
      why = "value carried to the next iteration";
      return std::nullopt;
    }
    users.push_back(user);
  }
  if (users.empty()) {
    why = "no user";
    return std::nullopt;
  }
  for (Operation *user : users) {
    int s = attrInt(user, kStageAttr), cl = attrInt(user, kClusterAttr);
    if (!c.consumer || user->isBeforeInBlock(c.consumer))
      c.consumer = user;
    if (user != users.front() &&
        (s != c.useStage || cl != c.useCluster)) {
      why = "users in different stages or clusters";
      return std::nullopt;
    }
    c.useStage = s;
    c.useCluster = cl;
  }
  if (c.useStage <= c.loadStage) {
    why = "consumer in the same stage (stage " + std::to_string(c.useStage) +
          "): nothing to buffer";
    return std::nullopt;
  }
  if (!feedsMMA(body, op->getResult(0))) {
    why = "does not feed an MMA";
    return std::nullopt;
  }
  if (!staged && !tt::canBeConvertedToAsyncLoad(load, axisInfo)) {
    why = "cannot become a cp.async (alignment/contiguity or element size)";
    return std::nullopt;
  }

  ttg::SharedEncodingTrait enc;
  auto alloc = users.size() == 1 ? dyn_cast<ttg::LocalAllocOp>(users.front())
                                 : ttg::LocalAllocOp();
  Value other = load ? load.getOther() : Value();
  if (alloc) {
    // Register-staged copies store the loaded value, `other` included.
    if (!staged && other && !isZeroConst(other)) {
      why = "non-zero 'other' with a local_alloc consumer (cp.async "
            "zero-fills masked elements)";
      return std::nullopt;
    }
    enc = dyn_cast<ttg::SharedEncodingTrait>(alloc.getType().getEncoding());
    c.alloc = alloc;
  } else {
    if (llvm::any_of(users, [](Operation *u) {
          return isa<ttg::LocalAllocOp>(u);
        })) {
      why = "local_alloc consumer next to other users";
      return std::nullopt;
    }
    enc = tt::getSharedEncoding(op);
  }
  if (!enc) {
    why = "no shared encoding for its consumers";
    return std::nullopt;
  }
  if (!staged && directToLDS && tt::getCopyVecBytes(resTy, enc) < 16) {
    why = "direct-to-LDS copies of " +
          std::to_string(tt::getCopyVecBytes(resTy, enc)) +
          " bytes per lane (the shared layout's vector), not 16";
    return std::nullopt;
  }
  if (!staged && tt::getCopyVecBytes(resTy, enc) < 4) {
    why = "copies of fewer than 4 bytes cannot be asynchronous";
    return std::nullopt;
  }
  // Slots: the copies of `distance` future iterations are in flight while
  // one slot is read. A register consumer (local_load) that runs before the
  // copy in the kernel iteration (earlier cluster) has finished reading its
  // slot when the copy overwrites it (Membar puts a barrier between them):
  // `distance` slots suffice, as in Triton. A consumer reading shared memory
  // directly (wgmma, asynchronous) or running after the copy needs one more.
  // With a shared consumer, the slot is read by the local_alloc's users
  // (through memdesc views) until the last of them: count to that stage.
  int lastReadStage = c.useStage;
  if (alloc) {
    std::optional<int> last = lastSharedReadStage(body, alloc, c.useStage, why);
    if (!last)
      return std::nullopt;
    lastReadStage = *last;
  }
  int distance = lastReadStage - c.loadStage;
  bool readsFirst = !alloc && c.useCluster < c.loadCluster;
  // Register-staged: the store runs last in the kernel iteration, after every
  // synchronous read (local_load) of the slot it overwrites; only an MMA
  // reading the slot itself (asynchronously, wgmma) needs the extra slot.
  if (staged)
    readsFirst = !alloc || !readByMMA(alloc);
  c.numSlots = readsFirst ? distance : distance + 1;
  c.minSlots = c.numSlots;
  if (slotsOption >= c.numSlots)
    c.numSlots = slotsOption;
  auto slotTy = ttg::MemDescType::get(
      resTy.getShape(), resTy.getElementType(), enc,
      ttg::SharedMemorySpaceAttr::get(op->getContext()),
      /*mutableMemory=*/true);
  c.bufferType = tt::getMultiBufferedType(slotTy, c.numSlots);
  return c;
}

/// sm90 TMA: a tensor-descriptor load whose only user is a local_alloc in a
/// later stage with the descriptor's shared encoding (a wgmma operand). The
/// copy lands in the slot; an mbarrier per slot says when.
std::optional<Candidate> LoopBuffers::analyzeTMA(tt::DescriptorLoadOp load,
                                                 std::string &why) {
  Candidate c;
  c.load = load;
  c.tma = true;
  c.loadStage = attrInt(load, kStageAttr);
  c.loadCluster = attrInt(load, kClusterAttr);
  if (!tt::canPipelineTMALoad(load)) {
    why = "tensor-descriptor load TMA cannot pipeline";
    return std::nullopt;
  }
  auto alloc = load->hasOneUse()
                   ? dyn_cast<ttg::LocalAllocOp>(*load->getUsers().begin())
                   : ttg::LocalAllocOp();
  if (!alloc || alloc->getBlock() != body) {
    why = "tensor-descriptor load not consumed by one local_alloc of the "
          "loop body (only the shared-memory consumer is lowered to TMA here)";
    return std::nullopt;
  }
  auto resTy = load.getResult().getType();
  Attribute descEnc = load.getDesc().getType().getSharedLayout();
  auto enc =
      dyn_cast_or_null<ttg::SharedEncodingTrait>(alloc.getType().getEncoding());
  if (!enc || descEnc != alloc.getType().getEncoding()) {
    why = "the local_alloc's shared encoding differs from the descriptor's";
    return std::nullopt;
  }
  c.alloc = alloc;
  c.consumer = alloc;
  c.useStage = attrInt(alloc, kStageAttr);
  c.useCluster = attrInt(alloc, kClusterAttr);
  if (c.useStage <= c.loadStage) {
    why = "consumer in the same stage (stage " + std::to_string(c.useStage) +
          "): nothing to buffer";
    return std::nullopt;
  }
  if (!feedsMMA(body, load.getResult())) {
    why = "does not feed an MMA";
    return std::nullopt;
  }
  std::optional<int> lastReadStage =
      lastSharedReadStage(body, alloc, c.useStage, why);
  if (!lastReadStage)
    return std::nullopt;
  // The slot is read (asynchronously, by wgmma) until lastReadStage: one slot
  // more than the stage distance.
  c.numSlots = *lastReadStage - c.loadStage + 1;
  c.minSlots = c.numSlots;
  if (slotsOption >= c.numSlots)
    c.numSlots = slotsOption;
  auto slotTy = ttg::MemDescType::get(
      resTy.getShape(), resTy.getElementType(), enc,
      ttg::SharedMemorySpaceAttr::get(load.getContext()),
      /*mutableMemory=*/true);
  c.bufferType = tt::getMultiBufferedType(slotTy, c.numSlots);
  c.bytes = byteSize(resTy);
  return c;
}

void LoopBuffers::lower(SmallVectorImpl<Candidate> &cands,
                        SmallVectorImpl<Group> &groups) {
  Location loc = loop.getLoc();
  OpBuilder b(loop);
  // Buffers and constants before the loop.
  SmallVector<Value> buffers;
  for (Candidate &c : cands)
    buffers.push_back(
        b.create<ttg::LocalAllocOp>(c.load->getLoc(), c.bufferType));
  Value minusOne = b.create<arith::ConstantIntOp>(loc, -1, 32);
  Value zero = b.create<arith::ConstantIntOp>(loc, 0, 32);
  Value one = b.create<arith::ConstantIntOp>(loc, 1, 32);
  SmallVector<Value> slotCounts;
  for (Group &g : groups)
    slotCounts.push_back(
        b.create<arith::ConstantIntOp>(loc, g.numSlots, 32));

  // Loop-carried counters: insert and extract slot per group, and the
  // mbarrier phase of a TMA group.
  SmallVector<Value> inits;
  SmallVector<unsigned> argOf; // first iter-arg index of each group
  unsigned firstArg = body->getNumArguments();
  for (Group &g : groups) {
    argOf.push_back(firstArg + inits.size());
    inits.append({minusOne, minusOne});
    if (g.tma)
      inits.push_back(zero);
  }
  loop = addIterArgsToLoop(b, loop, inits);
  body = loop.getBody();
  for (Group &g : groups)
    if (g.tma)
      g.barriers = tt::createBarrierAlloc(loop, g.numSlots, /*arriveCount=*/1);

  // Advance each counter right before its first use in body order.
  Value wrapped;
  auto advance = [&](Value counter, Value n, Operation *before, int stage,
                     int cluster) {
    OpBuilder ib(before);
    auto add = ib.create<arith::AddIOp>(loc, counter, one);
    auto wrap = ib.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge,
                                         add, n);
    auto sel = ib.create<arith::SelectOp>(loc, wrap, zero, add);
    for (Operation *op : {add.getOperation(), wrap.getOperation(),
                          sel.getOperation()})
      setStage(op, stage, cluster);
    wrapped = wrap.getResult();
    return sel.getResult();
  };
  for (auto [gi, g] : llvm::enumerate(groups)) {
    Operation *firstLoad = nullptr, *firstUse = nullptr;
    for (Candidate &c : cands) {
      if (c.group != gi)
        continue;
      if (!firstLoad || c.load->isBeforeInBlock(firstLoad))
        firstLoad = c.load;
      if (!firstUse || c.consumer->isBeforeInBlock(firstUse))
        firstUse = c.consumer;
    }
    g.insert = advance(body->getArgument(argOf[gi]), slotCounts[gi],
                       firstLoad, g.loadStage, g.loadCluster);
    g.extract = advance(body->getArgument(argOf[gi] + 1), slotCounts[gi],
                        firstUse, g.useStage, g.useCluster);
    if (!g.tma)
      continue;
    // TMA: one mbarrier per slot expects the bytes of all the group's loads
    // (before the first copy); the consumer waits on it with the phase that
    // flips each time the extract index wraps.
    OpBuilder lb(firstLoad);
    Value barIn = tt::createSingleBufferView(lb, g.barriers, g.insert);
    Value yes = lb.create<arith::ConstantIntOp>(loc, 1, 1);
    auto expect = ttng::BarrierExpectOp::create(
        lb, loc, barIn, static_cast<uint32_t>(g.bytes), yes);
    for (Operation *op :
         {barIn.getDefiningOp(), yes.getDefiningOp(), expect.getOperation()})
      setStage(op, g.loadStage, g.loadCluster);
    OpBuilder ub(firstUse);
    Value phaseArg = body->getArgument(argOf[gi] + 2);
    auto flipped = ub.create<arith::XOrIOp>(loc, phaseArg, one);
    auto phase = ub.create<arith::SelectOp>(loc, wrapped, flipped, phaseArg);
    Value barOut = tt::createSingleBufferView(ub, g.barriers, g.extract);
    auto wait = ttng::WaitBarrierOp::create(ub, loc, barOut, phase);
    for (Operation *op : {flipped.getOperation(), phase.getOperation(),
                          barOut.getDefiningOp(), wait.getOperation()})
      setStage(op, g.useStage, g.useCluster);
    g.phase = phase.getResult();
    g.barrierIn = barIn;
  }

  // Register-staged stores go in a cluster of their own, after every other
  // op of the kernel iteration.
  int storeCluster = 0;
  for (Operation &op : body->without_terminator())
    if (auto cl = op.getAttrOfType<IntegerAttr>(kClusterAttr))
      storeCluster = std::max<int>(storeCluster, cl.getInt() + 1);

  // The consumer's read of slot `extract`, right before it: the view replaces
  // the local_alloc the load fed (returns null), or a local_load of `type`
  // (ordered after `token`, if any) gives the value (returned).
  auto readSlot = [&](Candidate &c, Value buffer, Value extract, Value token,
                      Type type, Operation *before = nullptr) -> Value {
    OpBuilder cb(before ? before : c.consumer);
    Value view = tt::createSingleBufferView(cb, buffer, extract);
    setStage(view.getDefiningOp(), c.useStage, c.useCluster);
    if (c.alloc) {
      tt::replaceUsesAndPropagateType(cb, c.alloc, view);
      if (c.alloc->use_empty())
        c.alloc->erase();
      return Value();
    }
    auto read =
        cb.create<ttg::LocalLoadOp>(c.load->getLoc(), type, view, token);
    setStage(read, c.useStage, c.useCluster);
    return read.getResult();
  };

  SmallVector<size_t> tmaReads;
  for (auto [ci, c] : llvm::enumerate(cands)) {
    Group &g = groups[c.group];
    if (c.staged) {
      // The load stays; its value goes into slot `insert` at the end of the
      // iteration (in the load's stage), and the consumer reads slot
      // `extract`. Membar orders the store after the slot's last read and
      // the next read after the store.
      Operation *load = c.load;
      Value value = load->getResult(0);
      Location lloc = load->getLoc();
      OpBuilder sb(body->getTerminator());
      Value view = tt::createSingleBufferView(sb, buffers[ci], g.insert);
      auto store = sb.create<ttg::LocalStoreOp>(lloc, value, view);
      setStage(view.getDefiningOp(), c.loadStage, storeCluster);
      setStage(store, c.loadStage, storeCluster);
      if (Value read = readSlot(c, buffers[ci], g.extract, Value(),
                                value.getType()))
        value.replaceUsesWithIf(read, [&](OpOperand &use) {
          return use.getOwner() != store.getOperation();
        });
      continue;
    }
    if (c.tma) {
      auto dload = cast<tt::DescriptorLoadOp>(c.load);
      Location lloc = dload.getLoc();
      OpBuilder lb(dload);
      Value view = tt::createSingleBufferView(lb, buffers[ci], g.insert);
      Value barIn = g.barrierIn;
      Value yes = lb.create<arith::ConstantIntOp>(lloc, 1, 1);
      auto copy = ttng::AsyncTMACopyGlobalToLocalOp::create(
          lb, lloc, dload.getDesc(), dload.getIndices(), barIn, view, yes,
          /*multicast=*/false, dload.getCachePolicyAttr());
      for (Operation *op : {view.getDefiningOp(), yes.getDefiningOp(),
                            copy.getOperation()})
        setStage(op, c.loadStage, c.loadCluster);
      tmaReads.push_back(ci); // the alloc's view: below
      continue;
    }
    tt::LoadOp load = cast<tt::LoadOp>(c.load);
    Location lloc = load.getLoc();
    // The copy, in the load's place.
    OpBuilder lb(load);
    auto view = tt::createSingleBufferView(lb, buffers[ci], g.insert);
    unsigned contiguity = axisInfo.getContiguity(load.getPtr());
    if (Value mask = load.getMask())
      contiguity = std::min<unsigned>(contiguity,
                                      axisInfo.getMaskAlignment(mask));
    auto copy = lb.create<ttg::AsyncCopyGlobalToLocalOp>(
        lloc, load.getPtr(), view, load.getMask(), load.getOther(),
        load.getCachePolicyAttr(), load.getIsVolatile(),
        std::max(1u, contiguity));
    auto commit = lb.create<ttg::AsyncCommitGroupOp>(
        lloc, copy.getToken().getType(), ValueRange{copy.getToken()});
    for (Operation *op :
         {view.getDefiningOp(), copy.getOperation(), commit.getOperation()})
      setStage(op, c.loadStage, c.loadCluster);

    // The wait and the read, before the first consumer.
    OpBuilder cb(c.consumer);
    auto wait = cb.create<ttg::AsyncWaitOp>(
        lloc, ValueRange{commit.getResult()}, cb.getI32IntegerAttr(0));
    setStage(wait, c.useStage, c.useCluster);
    if (Value result = readSlot(c, buffers[ci], g.extract, wait.getResult(),
                                load.getType())) {
      if (Value other = load.getOther(); other && !isZeroConst(other)) {
        auto sel = cb.create<arith::SelectOp>(lloc, load.getMask(), result,
                                              other);
        setStage(sel, c.useStage, c.useCluster);
        result = sel.getResult();
      }
      load.getResult().replaceAllUsesWith(result);
    }
    load->erase();
  }
  // The slot views of TMA loads, in place of their local_allocs: each right
  // before the alloc's first user, last load first -- the order Triton's TMA
  // lowering gives them (two operands of one MMA: B's view, then A's), which
  // makes the same code.
  for (size_t ci : llvm::reverse(tmaReads)) {
    Candidate &c = cands[ci];
    Operation *firstUser = nullptr;
    if (c.alloc)
      for (Operation *user : c.alloc->getUsers())
        if (user->getBlock() == c.consumer->getBlock() &&
            (!firstUser || user->isBeforeInBlock(firstUser)))
          firstUser = user;
    readSlot(c, buffers[ci], groups[c.group].extract, Value(), Type(),
             firstUser);
  }
  for (size_t ci : tmaReads)
    cands[ci].load->erase();

  SmallVector<Value> yields;
  for (Group &g : groups) {
    yields.push_back(g.insert);
    yields.push_back(g.extract);
    if (g.tma)
      yields.push_back(g.phase);
  }

  appendToForOpYield(loop, yields);

  // Drain outstanding copies (the last iterations' speculative ones), then
  // free the buffers.
  OpBuilder after(loop->getContext());
  after.setInsertionPointAfter(loop);
  if (llvm::any_of(cands,
                   [](const Candidate &c) { return !c.tma && !c.staged; }))
    after.create<ttg::AsyncWaitOp>(loc, ValueRange{},
                                   after.getI32IntegerAttr(0));
  for (Value buf : llvm::reverse(buffers))
    after.create<ttg::LocalDeallocOp>(loc, buf);
}

std::string LoopBuffers::run(bool &error) {
  error = false;
  if (!hasSchedule(loop))
    return "not scheduled (no loop.stage/loop.cluster); left as is";
  SmallVector<ScheduleProblem> problems;
  LoopSchedule schedule = readSchedule(loop, problems);
  if (!problems.empty())
    return "malformed schedule ('" +
           problems.front().op->getName().getStringRef().str() + "' " +
           problems.front().message + "); left as is";
  if (schedule.numUnscheduled)
    return "partial schedule (" + std::to_string(schedule.numUnscheduled) +
           " unscheduled op(s)); left as is";
  bool lowered = body->walk([](Operation *op) {
                       return isa<ttg::AsyncCopyGlobalToLocalOp,
                                  ttng::AsyncTMACopyGlobalToLocalOp,
                                  ttg::LocalStoreOp>(op)
                                  ? WalkResult::interrupt()
                                  : WalkResult::advance();
                     })
                     .wasInterrupted();
  if (lowered)
    return "already holds async copies or shared-memory stores; left as is";

  SmallVector<Candidate> cands;
  SmallVector<Group> groups;
  std::string kept;
  // A load whose async form (`form`: TMA or cp.async) was refused for `why`
  // is register-staged instead if it can be (its tile then lives in
  // registers only within the iteration); otherwise `why` gives both
  // reasons (once when they are the same). `noteWhy`: the remark says why
  // the staged load is not async.
  auto stageInstead = [&](Operation &op, StringRef form, std::string &why,
                          bool noteWhy) {
    std::string whyStaged;
    if (std::optional<Candidate> c =
            analyze(&op, /*stagedCopy=*/true, whyStaged)) {
      if (noteWhy)
        c->notAsync = why;
      cands.push_back(*c);
      return true;
    }
    if (why != whyStaged)
      why = (form.empty() ? why : form.str() + ": " + why) +
            "; register-staged: " + whyStaged;
    return false;
  };
  for (Operation &op : body->without_terminator()) {
    std::string why;
    std::string where = formatLocation(op.getLoc());
    if (staged && isa<tt::LoadOp, tt::DescriptorLoadOp>(&op)) {
      if (std::optional<Candidate> c = analyze(&op, /*stagedCopy=*/true, why)) {
        cands.push_back(*c);
        continue;
      }
    } else if (auto dload = dyn_cast<tt::DescriptorLoadOp>(&op)) {
      // TMA where the target has it and the tile is read in shared memory;
      // otherwise (no TMA, or a register consumer such as mma.sync)
      // register-staged.
      if (hasTMA) {
        if (std::optional<Candidate> c = analyzeTMA(dload, why)) {
          cands.push_back(*c);
          continue;
        }
      } else {
        why = "no TMA on this target";
      }
      if (stageInstead(op, hasTMA ? "TMA" : "", why, /*noteWhy=*/false))
        continue;
    } else if (tt::isTMALoad(&op)) {
      why = "tensor-descriptor gather/other TMA load: not handled";
    } else if (auto load = dyn_cast<tt::LoadOp>(&op)) {
      if (std::optional<Candidate> c = analyze(load, /*stagedCopy=*/false, why)) {
        cands.push_back(*c);
        continue;
      }
      if (stageInstead(op, "async copy", why, /*noteWhy=*/true))
        continue;
    } else {
      continue;
    }
    kept += (kept.empty() ? "" : "; ") + std::string("load at ") + where +
            " (" + why + ")";
  }
  if (cands.empty())
    return "no load to buffer" +
           (kept.empty() ? std::string() : ": kept synchronous: " + kept) +
           "; left as is";
  bool dropped = false;
  std::string budget = fitBudget(cands, dropped);
  if (dropped)
    return budget;
  // Loads with the same slot count, stages and clusters share counters.
  for (Candidate &c : cands) {
    unsigned gi = 0;
    for (; gi < groups.size(); ++gi) {
      Group &g = groups[gi];
      if (g.numSlots == c.numSlots && g.loadStage == c.loadStage &&
          g.loadCluster == c.loadCluster && g.useStage == c.useStage &&
          g.useCluster == c.useCluster && g.tma == c.tma)
        break;
    }
    if (gi == groups.size()) {
      Group g{c.numSlots, c.loadStage, c.loadCluster, c.useStage,
              c.useCluster};
      g.tma = c.tma;
      groups.push_back(g);
    }
    groups[gi].bytes += c.bytes;
    c.group = gi;
  }

  std::string msg = std::to_string(cands.size()) +
                    " load(s) in circular buffers:";
  for (auto [i, c] : llvm::enumerate(cands))
    msg += (i ? "; " : " ") + std::string("load at ") +
           formatLocation(c.load->getLoc()) + ": " +
           std::to_string(c.numSlots) + " slot(s) " +
           typeString(c.bufferType) + ", stage " +
           std::to_string(c.loadStage) + " -> " + std::to_string(c.useStage) +
           (c.staged ? (c.alloc ? " (register-staged: local_store, read in "
                                  "shared memory)"
                                : " (register-staged: local_store, local_load)") +
                  (c.notAsync.empty() ? "" : " [not async: " + c.notAsync + "]")
            : c.tma  ? " (TMA + mbarrier, read in shared memory)"
            : c.alloc ? " (async copy, read in shared memory)"
                      : " (async copy, local_load)");
  if (!kept.empty())
    msg += "; kept synchronous: " + kept;
  if (!budget.empty())
    msg += "; " + budget;

  lower(cands, groups);
  loop->setAttr(kLoweredAttr,
                Builder(loop->getContext())
                    .getI32IntegerAttr(static_cast<int>(cands.size())));

  problems.clear();
  LoopSchedule after = readSchedule(loop, problems);
  verifySchedule(after, problems);
  if (!problems.empty()) {
    error = true;
    return "the lowered loop breaks its schedule ('" +
           problems.front().op->getName().getStringRef().str() + "' " +
           problems.front().message + ")";
  }
  return msg;
}

struct AllocateBuffersPass
    : public autopipe::impl::AllocateBuffersPassBase<AllocateBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (stages < 0) {
      module.emitError() << "autopipe-allocate-buffers: "
                            "global-to-shared-stages must be >= 0, got "
                         << static_cast<int>(stages);
      return signalPassFailure();
    }
    if (sharedLimit < -1) {
      module.emitError() << "autopipe-allocate-buffers: shared-limit must be "
                            ">= -1, got "
                         << static_cast<int>(sharedLimit);
      return signalPassFailure();
    }
    auto target = module->getAttrOfType<StringAttr>("ttg.target");
    bool isCuda = target && target.getValue().starts_with("cuda:");
    bool isHip = target && target.getValue().starts_with("hip:");
    // CDNA4 loads global memory straight into LDS (global_load_lds_dwordx4):
    // the same ttg.async_copy_global_to_local / commit / wait as cp.async.
    bool asyncLDS = target && target.getValue() == "hip:gfx950";
    bool staged =
        copy == CopyMode::Registers ||
        (copy == CopyMode::Auto && isHip && !asyncLDS);

    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) {
      if (hasSchedule(loop))
        loops.push_back(loop);
    });
    if (loops.empty())
      return;
    std::optional<tt::ModuleAxisInfoAnalysis> axisInfo;
    std::optional<ModuleAllocation> allocation;
    int64_t limitBytes = 0;
    int capability = 0;
    bool hasTMA = isCuda &&
                  !target.getValue().drop_front(5).getAsInteger(10, capability) &&
                  capability >= 90;
    if (isCuda || isHip) {
      axisInfo.emplace(module);
      limitBytes = sharedLimit >= 0 ? static_cast<int64_t>(sharedLimit)
                                    : sharedMemoryLimit(target.getValue());
      if (limitBytes > 0)
        allocation.emplace(module);
    }
    // Shared memory live while each loop runs, before any is lowered (the
    // IR changes as loops are lowered; their buffers are freed after them).
    llvm::DenseMap<Operation *, LoopSharedMemory> sharedUse;
    if (allocation)
      for (scf::ForOp loop : loops)
        sharedUse[loop] = loopSharedMemory(*allocation, loop);
    std::string report;
    bool failedAny = false;
    for (scf::ForOp loop : loops) {
      Location loopLoc = loop.getLoc();
      std::string where = "loop at " + formatLocation(loopLoc);
      std::string msg;
      bool error = false;
      if (!isCuda && !(isHip && (staged || asyncLDS))) {
        msg = (isHip ? "async copies on HIP need direct-to-LDS loads "
                       "(gfx950); use copy=registers or auto"
                     : "not a CUDA or HIP target (" +
                           (target ? target.getValue().str()
                                   : std::string("no target")) +
                           ")") +
              std::string("; left as is");
      } else {
        LoopBuffers lb(loop, static_cast<int>(stages), *axisInfo,
                       sharedUse.lookup(loop), limitBytes, hasTMA && !staged,
                       staged, hasTMA, /*directToLDS=*/isHip && !staged);
        msg = lb.run(error);
        loop = nullptr; // may have been replaced
      }
      std::string line = "autopipe-allocate-buffers: " + where + ": " + msg;
      if (error) {
        mlir::emitError(loopLoc) << line;
        failedAny = true;
        continue;
      }
      if (remarks)
        mlir::emitRemark(loopLoc) << line;
      report += line + "\n";
    }
    if (failed(writeTextReport(output, report, module, getArgument())))
      return signalPassFailure();
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
