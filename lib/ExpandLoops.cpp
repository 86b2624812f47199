//===- ExpandLoops.cpp - loop expansion and async MMA waits --------------===//
//
// `autopipe-expand-loops` turns every scheduled scf.for into a software
// pipeline: prologue + kernel loop, from the `loop.stage` / `loop.cluster`
// schedule (Schedule.h). It replaces Triton 3.9's `tritongpu-pipeline` in our
// CUDA `make_ttgir` (and, with autopipe-allocate-buffers, the AMD stream
// pipeliner in our AMD one) and keeps its order of steps:
//   1. on CUDA, loads still synchronous are lowered by Triton's load lowering
//      (`lowerLoops`; loads `autopipe-allocate-buffers` already put in
//      circular buffers pass through untouched); on HIP (gfx942/gfx950, after
//      autopipe-allocate-buffers' register-staged buffers) nothing is;
//   2. expansion with Triton's exported PipelineExpander (dynamic trip counts,
//      epilogue not peeled: ops of iterations past the end are predicated);
//      our predicate function differs from Triton's in one place: an MMA
//      (`ttng.warp_group_dot`, `tt.dot`) scheduled before the last stage runs
//      unpredicated (`speculate-mma`). It only reads registers and shared
//      memory that is allocated for the whole loop and writes nothing but its
//      own result, which is dead in the iterations it computes past the end;
//      Triton wraps it in an `scf.if`, and an MMA under `scf.if` can only be
//      a synchronous wgmma -- the reason computation pipelining (the first
//      attention dot one stage ahead of softmax) was slower than no overlap;
//   3. async wgmma (sm90) and where to wait for it (`async-dots`; loops not
//      expanded get Triton's asyncLaunchDots, as in Triton's pass):
//      - `triton`: Triton's asyncLaunchDots (a dot is left in flight only if
//        its result is read by nothing but the next dot's accumulator; any
//        other reader makes it synchronous: `wait 0` right after it);
//      - `autopipe`: every wgmma of the kernel loop is asynchronous and one
//        `ttng.warp_group_dot_wait {pendings = n}` is placed right before each
//        point that needs a dot complete, with n the number of wgmma groups
//        issued after that dot up to that point (groups complete in order):
//          * the first reader of its result in the same iteration, or of the
//            loop-carried copy of it in a later one (a later wgmma reading
//            it as its accumulator needs no wait);
//          * the op that rewrites the register operand A of an RS wgmma (its
//            previous instance must be done with those registers);
//          * every shared-memory write (async copy, TMA copy, local_store)
//            into a circular buffer a wgmma reads: the write to slot
//            (i mod N) may only start once the wgmma instance that last read
//            that slot is done -- the instance N - d iterations back, with d
//            the stage distance of writer and reader, both taken from the
//            schedule before expansion;
//          * unknown shared-memory writes: every earlier wgmma;
//          * the loop's yield, for carried results that cannot cross the
//            back edge in flight: all may when each can take over its iter
//            arg's registers (nothing reads the iter arg after the dot is
//            issued); otherwise the back edge copies one, and ptxas
//            serializes every wgmma of a function in which a register copy
//            may read a running wgmma's accumulator (its info C7514), so
//            only in-place accumulators (`c` is the iter arg) cross;
//        plus `wait 0` after the loop (results and buffers of the last
//        iterations). A wait that threads no value and cannot retire a
//        group (its count >= the groups that can be in flight there, from a
//        simulation of the body) is not emitted: such no-op waits with
//        wgmmas in flight also make ptxas serialize (C7514). Dots whose operands are not loop-invariant or
//        slot-indexed circular buffers, dots in nested regions, non-fp32
//        accumulators: the loop falls back to `triton` (remark says why);
//      - `off`: no wgmma is made asynchronous (each completes where it is
//        issued); the loads stay pipelined;
//      - `auto` (default): `triton` for loops where Triton keeps every wgmma
//        in flight (a GEMM: identical output), `autopipe` where Triton would
//        serialize one (e.g. attention: the scores are read by softmax). On
//        sm90, if that gave a loop our waits and shared memory and warps
//        leave room for 2+ CTAs an SM, the module gets
//        `autopipe.sync_wgmma_trial` (see markSyncWgmmaTrial): the Python
//        driver also compiles the `off` form (unless the async one already
//        fits that many) and keeps whichever form ptxas lets more CTAs
//        share an SM with.
//      Wait operands that only extend the life of buffers read by
//      synchronous wgmmas are dropped (Triton's asyncLaunchDots adds them
//      through loop init args, e.g. a speculated prologue wgmma of an earlier
//      loop, which would keep that loop's buffers allocated).
//   4. Triton's wait-count update for async copies, arith canonicalization,
//      TMA store pipelining (as `tritongpu-pipeline`).
// Loops the expander rejects stay as they are (still correct, with a remark).
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

#include "triton/Analysis/Allocation.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipelineExpander.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;
namespace ttng = mlir::triton::nvidia_gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_EXPANDLOOPSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

/// Stage of an op before expansion, copied onto its clones by the expander.
constexpr const char *kExpandStageAttr = "autopipe.expand_stage";
/// Module attribute read by the Python driver (see markSyncWgmmaTrial).
constexpr const char *kSyncWgmmaTrialAttr = "autopipe.sync_wgmma_trial";

int stageOf(Operation *op) {
  if (auto a = op->getAttrOfType<IntegerAttr>(kExpandStageAttr))
    return static_cast<int>(a.getInt());
  return -1;
}

/// Follows memdesc views back to the value they view.
Value viewRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (isa<ttg::MemDescTransOp, ttg::MemDescReshapeOp, ttg::MemDescSubsliceOp,
            ttg::MemDescReinterpretOp, ttg::ConvertLayoutOp>(def)) {
      v = def->getOperand(0);
      continue;
    }
    break;
  }
  return v;
}

/// How a wgmma reads shared memory: nothing in the loop writes it, or one slot
/// of a circular buffer allocated outside the loop.
struct SharedOperand {
  Value buffer;      ///< The allocation (outside the loop).
  int64_t slots = 0; ///< Its leading dimension (circular-buffer slots).
};

std::optional<SharedOperand> classifyShared(Value operand, scf::ForOp loop) {
  Value v = viewRoot(operand);
  if (loop.isDefinedOutsideOfLoop(v))
    return SharedOperand{v, 0};
  auto index = v.getDefiningOp<ttg::MemDescIndexOp>();
  if (!index)
    return std::nullopt;
  Value buf = viewRoot(index.getSrc());
  if (!loop.isDefinedOutsideOfLoop(buf))
    return std::nullopt;
  auto type = cast<ttg::MemDescType>(buf.getType());
  if (type.getShape().empty())
    return std::nullopt;
  return SharedOperand{buf, type.getShape().front()};
}

/// The shared-memory buffer (allocation outside the loop) an op writes in the
/// loop body, if it is one of the writes we know.
std::optional<Value> writtenBuffer(Operation *op) {
  Value dst;
  if (auto cp = dyn_cast<ttg::AsyncCopyGlobalToLocalOp>(op))
    dst = cp.getResult();
  else if (auto st = dyn_cast<ttg::LocalStoreOp>(op))
    dst = st.getDst();
  else if (auto tma = dyn_cast<ttng::AsyncTMACopyGlobalToLocalOp>(op))
    dst = tma.getResult();
  else
    return std::nullopt;
  Value v = viewRoot(dst);
  if (auto index = v.getDefiningOp<ttg::MemDescIndexOp>())
    v = viewRoot(index.getSrc());
  return v;
}

/// True if `op` may write shared memory in a way we do not model.
bool mayWriteSharedUnknown(Operation *op) {
  if (isa<ttng::WarpGroupDotOp, ttng::WarpGroupDotWaitOp, ttg::AsyncWaitOp,
          ttg::AsyncCommitGroupOp, ttg::LocalLoadOp, ttg::MemDescIndexOp,
          ttg::LocalAllocOp, ttg::LocalDeallocOp, tt::StoreOp, tt::LoadOp,
          tt::DescriptorLoadOp, tt::DescriptorStoreOp, scf::YieldOp>(op))
    return false;
  if (writtenBuffer(op))
    return false;
  if (isa<ttng::InitBarrierOp, ttng::InvalBarrierOp, ttng::BarrierExpectOp,
          ttng::WaitBarrierOp, ttng::ArriveBarrierOp>(op))
    return false; // mbarrier words, never read by a wgmma
  auto iface = dyn_cast<MemoryEffectOpInterface>(op);
  if (!iface)
    return false; // ops with regions are walked into by the caller
  SmallVector<MemoryEffects::EffectInstance> effects;
  iface.getEffects(effects);
  for (auto &e : effects) {
    if (!isa<MemoryEffects::Write>(e.getEffect()))
      continue;
    if (Value v = e.getValue()) {
      if (isa<ttg::MemDescType>(v.getType()))
        return true;
      continue;
    }
    StringRef res = e.getResource()->getName();
    if (res.contains("Shared") || res == "<Default>")
      return true;
  }
  return false;
}

/// One point of the kernel loop body that needs a wgmma instance complete.
struct Need {
  Operation *before; ///< Top-level op of the body; the wait goes before it.
  unsigned dot;      ///< Index of the wgmma in body order.
  unsigned back;     ///< Iterations back (0: this iteration's instance).
  Value thread;      ///< Value to pass through the wait (may be null).
};

/// Places the waits of `autopipe` async-dot mode in one expanded loop.
class DotWaits {
public:
  explicit DotWaits(scf::ForOp loop) : loop(loop) {}

  /// Checks the loop; returns the reason it cannot be handled, or "".
  std::string analyze() {
    Block *body = loop.getBody();
    unsigned pos = 0;
    for (Operation &op : body->getOperations()) {
      position[&op] = pos++; // the terminator too: waits may go before it
      if (&op == body->getTerminator())
        break;
      if (auto dot = dyn_cast<ttng::WarpGroupDotOp>(op))
        dots.push_back(dot);
      else if (isa<ttng::WarpGroupDotWaitOp>(op))
        return "it already has wgmma waits";
    }
    bool nested = false;
    loop.getBody()->walk([&](Operation *op) {
      if (op->getBlock() != body &&
          isa<ttng::WarpGroupDotOp, ttng::WarpGroupDotWaitOp>(op))
        nested = true;
    });
    if (nested)
      return "a wgmma sits in a nested region";
    for (auto [i, dot] : llvm::enumerate(dots)) {
      auto accTy = cast<RankedTensorType>(dot.getC().getType());
      if (!accTy.getElementType().isF32())
        return "a wgmma accumulates in " +
               typeString(accTy.getElementType()) + ", not f32";
      for (Value operand : {Value(dot.getA()), Value(dot.getB())}) {
        if (!isa<ttg::MemDescType>(operand.getType()))
          continue;
        auto shared = classifyShared(operand, loop);
        if (!shared)
          return "a wgmma reads shared memory that is neither loop-invariant "
                 "nor a slot of a circular buffer";
        if (shared->slots > 0)
          readers[shared->buffer].push_back({static_cast<unsigned>(i),
                                             shared->slots});
      }
    }
    // Prefer the smallest tensor iter arg that no wgmma writes or
    // accumulates into (threading it through a wait is then a no-op).
    int64_t best = std::numeric_limits<int64_t>::max();
    bool bestIsPlain = false;
    for (BlockArgument arg : loop.getRegionIterArgs()) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type)
        continue;
      Value yielded =
          loop.getBody()->getTerminator()->getOperand(arg.getArgNumber() - 1);
      bool plain = !yielded.getDefiningOp<ttng::WarpGroupDotOp>() &&
                   llvm::none_of(arg.getUses(), [](OpOperand &use) {
                     return isAccumulatorUse(use);
                   });
      int64_t size = type.getNumElements();
      if (!tensorIterArg || (plain && !bestIsPlain) ||
          (plain == bestIsPlain && size < best)) {
        tensorIterArg = arg;
        best = size;
        bestIsPlain = plain;
      }
    }
    if (!tensorIterArg)
      return "the loop carries no tensor to order its waits on";
    return "";
  }

  unsigned numDots() const { return dots.size(); }

  /// Makes every wgmma async and inserts the waits; returns how many.
  unsigned run() {
    collectResultUses();
    collectBackEdge();
    collectRegisterOperands();
    collectSharedWrites();
    for (ttng::WarpGroupDotOp dot : dots)
      dot.setIsAsync(true);
    unsigned inserted = insertWaits();
    waitAfterLoop();
    return inserted;
  }

private:
  Operation *topLevel(Operation *op) {
    return loop.getBody()->findAncestorOpInBlock(*op);
  }

  /// wgmma groups issued after the `back`-iterations-old instance of dot
  /// `d` up to (not including) `before`.
  unsigned pendings(unsigned d, unsigned back, Operation *before) const {
    unsigned at = position.lookup(before);
    unsigned dotPos = position.lookup(dots[d]);
    unsigned n = 0;
    auto count = [&](unsigned lo, unsigned hi) {
      unsigned c = 0;
      for (ttng::WarpGroupDotOp other : dots) {
        unsigned p = position.lookup(other);
        if (p >= lo && p < hi)
          ++c;
      }
      return c;
    };
    unsigned end = position.size();
    if (back == 0)
      return count(dotPos + 1, at);
    n += count(dotPos + 1, end);
    n += (back - 1) * dots.size();
    n += count(0, at);
    return n;
  }

  static bool isAccumulatorUse(OpOperand &use) {
    return isa<ttng::WarpGroupDotOp>(use.getOwner()) &&
           use.getOperandNumber() == 2;
  }

  /// Readers of dot results: same iteration, and through the loop-carried
  /// copies (iter args) in later iterations.
  void collectResultUses() {
    for (auto [i, dot] : llvm::enumerate(dots)) {
      SmallVector<std::pair<Value, unsigned>> work = {{dot.getResult(), 0}};
      llvm::SmallPtrSet<Value, 4> seen;
      while (!work.empty()) {
        auto [v, back] = work.pop_back_val();
        if (!seen.insert(v).second)
          continue;
        Operation *first = nullptr;
        for (OpOperand &use : v.getUses()) {
          Operation *user = use.getOwner();
          if (auto yield = dyn_cast<scf::YieldOp>(user);
              yield && user->getParentOp() == loop) {
            unsigned idx = use.getOperandNumber();
            BlockArgument arg = loop.getRegionIterArg(idx);
            work.push_back({arg, back + 1});
            carried.insert(loop->getResult(idx));
            if (back == 0) {
              bool inPlace = dot.getC() == arg;
              bool deadAtIssue = llvm::none_of(arg.getUsers(), [&](Operation *u) {
                Operation *top = topLevel(u);
                return top && dot->isBeforeInBlock(top);
              });
              crossing.push_back({static_cast<unsigned>(i), v, inPlace,
                                  deadAtIssue});
            }
            continue;
          }
          if (isAccumulatorUse(use) && user->getBlock() == loop.getBody())
            continue;
          Operation *top = topLevel(user);
          if (!top)
            continue;
          if (!first || top->isBeforeInBlock(first))
            first = top;
        }
        if (first)
          needs.push_back({first, static_cast<unsigned>(i), back, v});
      }
    }
  }

  /// Which carried results may cross the back edge in flight. A result can
  /// take over its iter arg's registers when nothing reads the iter arg once
  /// the dot is issued; if every carried result can, all cross in flight (a
  /// GEMM's accumulator; attention's rescaled output under the default
  /// schedule, as Triton does). If one cannot, the back edge copies it, and
  /// ptxas serializes every wgmma of the function when a register copy may
  /// read a running wgmma's accumulator (C7514; measured: a later dot left in
  /// flight while an earlier, retired one's result is copied triggers it
  /// too): then only results that accumulate in place into their own iter
  /// arg cross in flight and the others are waited for before the yield.
  void collectBackEdge() {
    bool allCanCross = llvm::all_of(
        crossing, [](const Crossing &c) { return c.deadAtIssue; });
    if (allCanCross)
      return;
    for (const Crossing &c : crossing)
      if (!c.inPlace)
        needs.push_back(
            {loop.getBody()->getTerminator(), c.dot, 0, c.value});
  }

  /// RS wgmma: the op defining operand A in the body must not run while the
  /// previous instance still reads those registers.
  void collectRegisterOperands() {
    for (auto [i, dot] : llvm::enumerate(dots)) {
      Value a = dot.getA();
      if (!isa<RankedTensorType>(a.getType()) || loop.isDefinedOutsideOfLoop(a))
        continue;
      Operation *def = a.getDefiningOp();
      if (!def)
        continue; // an iter arg: rewritten only at the back edge
      if (Operation *top = topLevel(def))
        needs.push_back({top, static_cast<unsigned>(i), 1, Value()});
    }
  }

  void collectSharedWrites() {
    Block *body = loop.getBody();
    for (Operation &top : body->without_terminator()) {
      top.walk([&](Operation *op) {
        if (auto buf = writtenBuffer(op)) {
          auto it = readers.find(*buf);
          if (it == readers.end())
            return;
          int ws = stageOf(op);
          for (auto [d, slots] : it->second) {
            int rs = stageOf(dots[d]);
            needs.push_back({&top, d, slotDistance(d, &top, ws, rs, slots),
                             Value()});
          }
          return;
        }
        if (mayWriteSharedUnknown(op))
          for (unsigned d = 0; d < dots.size(); ++d)
            needs.push_back({&top, d, sameSlotFallback(d, &top), Value()});
      });
    }
  }

  /// Iterations back to the wgmma instance that last read the slot a write
  /// of stage `ws` fills, for a reader of stage `rs` and `slots` slots.
  unsigned slotDistance(unsigned d, Operation *writer, int ws, int rs,
                        int64_t slots) const {
    if (ws < 0 || rs < 0 || rs <= ws || slots <= rs - ws)
      return sameSlotFallback(d, writer);
    int64_t back = slots - (rs - ws);
    return static_cast<unsigned>(back);
  }

  /// Without slot information: every instance issued before the writer.
  unsigned sameSlotFallback(unsigned d, Operation *writer) const {
    return position.lookup(dots[d]) < position.lookup(writer) ? 0 : 1;
  }

  /// The latest threaded version of `v` (a wait's result replaces it for the
  /// ops after that wait).
  Value current(Value v) const {
    auto it = latest.find(v);
    return it == latest.end() ? v : it->second;
  }

  /// Creates a wait before `point` threading `values` (the latest versions
  /// of them) and makes the ops after it use its results.
  void createWait(Operation *point, ArrayRef<Value> values, unsigned n) {
    SmallVector<Value> operands;
    for (Value v : values)
      operands.push_back(current(v));
    OpBuilder b(point);
    auto wait =
        ttng::WarpGroupDotWaitOp::create(b, point->getLoc(), operands, n);
    for (auto [orig, v, r] : llvm::zip(values, operands, wait.getResults())) {
      v.replaceUsesWithIf(r, [&](OpOperand &use) {
        Operation *top = topLevel(use.getOwner());
        return top && top != wait.getOperation() && wait->isBeforeInBlock(top);
      });
      latest[orig] = r;
    }
  }

  unsigned insertWaits() {
    // One wait per point, with the smallest count any need there asks for.
    llvm::MapVector<Operation *, SmallVector<Need *>> byPoint;
    for (Need &n : needs)
      byPoint[n.before].push_back(&n);
    struct Point {
      Operation *op;
      unsigned n;
      SmallVector<Value> values;
    };
    SmallVector<Point> points;
    for (auto &[op, list] : byPoint) {
      Point p{op, ~0u, {}};
      for (Need *need : list) {
        p.n = std::min(p.n, pendings(need->dot, need->back, op));
        if (need->thread && !llvm::is_contained(p.values, need->thread))
          p.values.push_back(need->thread);
      }
      points.push_back(std::move(p));
    }
    llvm::sort(points, [&](const Point &a, const Point &b) {
      return position.lookup(a.op) < position.lookup(b.op);
    });
    // Upper bound of the wgmma groups in flight before each point: simulate
    // the body from the count left at the end of an iteration (fixed point;
    // the prologue's dots are synchronous, so loop entry has fewer).
    auto simulate = [&](unsigned start, SmallVectorImpl<unsigned> *before) {
      unsigned inflight = start;
      size_t next = 0;
      for (Operation &op : loop.getBody()->getOperations()) {
        while (next < points.size() && points[next].op == &op) {
          if (before)
            before->push_back(inflight);
          inflight = std::min(inflight, points[next].n);
          ++next;
        }
        if (isa<ttng::WarpGroupDotOp>(op))
          ++inflight;
      }
      return inflight;
    };
    unsigned start = 0;
    for (unsigned iter = 0; iter <= dots.size(); ++iter) {
      unsigned end = simulate(start, nullptr);
      if (end <= start)
        break;
      start = end;
    }
    SmallVector<unsigned> inflight;
    simulate(start, &inflight);
    // A wait that threads no value and cannot retire anything is dropped:
    // besides being useless, such no-op waits while wgmmas are in flight make
    // ptxas serialize every wgmma (C7514).
    unsigned inserted = 0;
    for (auto [p, before] : llvm::zip(points, inflight)) {
      if (p.values.empty() && p.n >= before)
        continue;
      // The op needs an operand, and Triton's shared-memory alias analysis
      // wants its first result to be a tensor: an iter arg (it dominates the
      // whole body) serves when no value needs the wait.
      if (p.values.empty())
        p.values.push_back(tensorIterArg);
      createWait(p.op, p.values, p.n);
      ++inserted;
    }
    return inserted;
  }

  /// After the loop every wgmma must be done: its results are read and its
  /// buffers deallocated there.
  void waitAfterLoop() {
    OpBuilder b(loop->getContext());
    b.setInsertionPointAfter(loop);
    SmallVector<Value> values;
    for (Value r : loop->getResults())
      if (carried.contains(r) && !r.use_empty())
        values.push_back(r);
    if (values.empty())
      values.push_back(
          loop->getResult(cast<BlockArgument>(tensorIterArg).getArgNumber() -
                          1));
    auto wait = ttng::WarpGroupDotWaitOp::create(b, loop.getLoc(), values, 0);
    for (auto [v, r] : llvm::zip(values, wait.getResults()))
      v.replaceAllUsesExcept(r, wait);
  }

  scf::ForOp loop;
  SmallVector<ttng::WarpGroupDotOp> dots;
  llvm::DenseMap<Operation *, unsigned> position;
  llvm::DenseMap<Value, SmallVector<std::pair<unsigned, int64_t>>> readers;
  llvm::SmallPtrSet<Value, 4> carried;
  Value tensorIterArg; ///< A tensor iter arg, to order waits without values.
  llvm::DenseMap<Value, Value> latest;
  SmallVector<Need> needs;
  struct Crossing {
    unsigned dot;
    Value value;
    bool inPlace;     ///< c is the iter arg it is yielded to
    bool deadAtIssue; ///< nothing reads that iter arg after the dot
  };
  SmallVector<Crossing> crossing;
};

/// Would Triton's asyncLaunchDots keep every wgmma of `loop` in flight? (its
/// rule: the result reaches only the loop's yield, and the carried value only
/// later wgmmas' accumulators.) Returns the first dot it would serialize.
ttng::WarpGroupDotOp firstSerializedByTriton(scf::ForOp loop) {
  for (auto dot : loop.getBody()->getOps<ttng::WarpGroupDotOp>()) {
    Value r = dot.getResult();
    if (!r.hasOneUse() || !isa<scf::YieldOp>(*r.getUsers().begin()))
      return dot;
    unsigned idx = r.getUses().begin()->getOperandNumber();
    for (OpOperand &use : loop.getRegionIterArg(idx).getUses())
      if (!isa<ttng::WarpGroupDotOp>(use.getOwner()) ||
          use.getOperandNumber() != 2)
        return dot;
  }
  return nullptr;
}

/// Triton's asyncLaunchDots keeps a buffer alive until a wait by adding to
/// that wait the shared-memory operands of every wgmma found in the backward
/// slice of the values it waits for. That slice runs through `scf.for` init
/// args into earlier loops and their prologues, so after a loop of a second
/// pipelined loop nest it also picks up the speculated, synchronous prologue
/// wgmma of the first one and keeps the first loop's circular buffers alive
/// across the second (causal attention, attention-b with triton waits: 96 KiB
/// more shared memory than fits). A synchronous wgmma is complete where it is
/// issued, so its operands need no such extension: drop memdesc operands
/// (their results are never used) that no asynchronous wgmma reads. Returns
/// the number of operands dropped.
unsigned dropSettledWaitBuffers(ModuleOp module) {
  SmallVector<ttng::WarpGroupDotWaitOp> waits;
  module.walk([&](ttng::WarpGroupDotWaitOp w) { waits.push_back(w); });
  unsigned dropped = 0;
  for (ttng::WarpGroupDotWaitOp wait : waits) {
    SmallVector<unsigned> kept;
    for (auto [i, v] : llvm::enumerate(wait.getInputs())) {
      bool settled = isa<ttg::MemDescType>(v.getType()) &&
                     wait.getResult(i).use_empty() &&
                     llvm::none_of(v.getUsers(), [](Operation *user) {
                       auto dot = dyn_cast<ttng::WarpGroupDotOp>(user);
                       return dot && dot.getIsAsync();
                     });
      if (!settled)
        kept.push_back(i);
    }
    if (kept.size() == wait.getNumOperands())
      continue;
    dropped += wait.getNumOperands() - kept.size();
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
  return dropped;
}

/// `async-dots=auto` kept async wgmma (with our waits) in a loop on sm90.
/// Synchronous wgmma need fewer registers (no accumulator in flight), which
/// can let one more CTA share an SM -- 1.2-1.4x on H100 attention -- but
/// whether it does is decided by ptxas, within a few registers of the
/// boundary. So the pass only marks the module when shared memory and warps
/// would allow two or more CTAs an SM: `autopipe.sync_wgmma_trial` = that
/// many CTAs. The Python driver then compiles both forms and keeps the
/// synchronous one only if ptxas's register count fits more CTAs.
void markSyncWgmmaTrial(ModuleOp module) {
  auto warps = module->getAttrOfType<IntegerAttr>("ttg.num-warps");
  if (!warps || warps.getInt() <= 0)
    return;
  constexpr int64_t kReservedPerCTA = 1024; // sm90: 1 KiB of shared memory
  constexpr int64_t kWarpsPerSM = 64;
  int64_t perSM = sharedMemoryLimit("cuda:90") + kReservedPerCTA;
  ModuleAllocation allocation(module);
  int64_t bytes = static_cast<int64_t>(allocation.getSharedMemorySize());
  int64_t ctas = std::min(perSM / (bytes + kReservedPerCTA),
                          kWarpsPerSM / warps.getInt());
  if (ctas >= 2)
    module->setAttr(kSyncWgmmaTrialAttr,
                    IntegerAttr::get(IntegerType::get(module.getContext(), 32),
                                     ctas));
}

Operation *predicateOrSpeculate(RewriterBase &rewriter, Operation *op,
                                Value pred, bool speculateMMA) {
  if (speculateMMA && isa<ttng::WarpGroupDotOp, tt::DotOp>(op))
    return op;
  return tt::wrapInMaskOp(rewriter, op, pred);
}

struct ExpandLoopsPass
    : public autopipe::impl::ExpandLoopsPassBase<ExpandLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (numStages < 1) {
      module.emitError() << "autopipe-expand-loops: num-stages must be >= 1, "
                            "got "
                         << static_cast<int>(numStages);
      return signalPassFailure();
    }

    // 1. Load lowering for what is still synchronous (CUDA: Triton's cp.async
    // / TMA lowering; on HIP a load autopipe-allocate-buffers left alone
    // stays a load whose value the expansion carries in registers).
    auto target = module->getAttrOfType<StringAttr>("ttg.target");
    if (target && target.getValue().starts_with("cuda:"))
      ttg::lowerLoops(module);

    // 2. Expansion.
    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    std::string report;
    auto say = [&](Location loc, const std::string &msg) {
      std::string line = "autopipe-expand-loops: loop at " +
                         formatLocation(loc) + ": " + msg;
      if (remarks)
        mlir::emitRemark(loc) << line;
      report += line + "\n";
    };
    SmallVector<std::pair<scf::ForOp, int>> expanded;
    for (scf::ForOp loop : loops) {
      tt::CoarseSchedule schedule;
      if (failed(schedule.deSerialize(loop)))
        continue;
      Location loc = loop.getLoc();
      int stages = schedule.getNumStages();
      for (Operation &op : loop.getBody()->without_terminator())
        if (auto s = op.getAttrOfType<IntegerAttr>(kStageAttr))
          op.setAttr(kExpandStageAttr, s);
      std::vector<std::pair<Operation *, unsigned>> finalSchedule =
          schedule.createFinalSchedule(loop);
      tt::PipeliningOption options;
      options.supportDynamicLoops = true;
      options.peelEpilogue = false;
      bool speculate = speculateMMA;
      options.predicateFn = [speculate](RewriterBase &rewriter, Operation *op,
                                        Value pred) {
        return predicateOrSpeculate(rewriter, op, pred, speculate);
      };
      options.getScheduleFn =
          [&](scf::ForOp, std::vector<std::pair<Operation *, unsigned>> &s) {
            s = finalSchedule;
          };
      IRRewriter rewriter(loop);
      FailureOr<scf::ForOp> newLoop = tt::pipelineForLoop(rewriter, loop, options);
      if (failed(newLoop)) {
        say(loc, "left as is: Triton's loop expander rejected the schedule (" +
                     std::to_string(stages) + " stages)");
        continue;
      }
      expanded.push_back({*newLoop, stages});
    }
    tt::resolveMaskOp(module);
    tt::removePipeliningAttributes(module);

    // 3. Async wgmma. Loops that were not expanded get Triton's treatment,
    // as in tritongpu-pipeline (every loop of more than one stage).
    llvm::SmallPtrSet<Operation *, 8> expandedOps;
    for (auto &e : expanded)
      expandedOps.insert(e.first);
    SmallVector<scf::ForOp> others;
    module.walk([&](scf::ForOp loop) {
      if (!expandedOps.contains(loop) &&
          tt::getNumStagesOrDefault(loop, numStages) > 1)
        others.push_back(loop);
    });
    if (asyncDots != AsyncDotsMode::Off)
      for (scf::ForOp loop : others)
        tt::asyncLaunchDots(loop);
    bool autoPickedAutopipe = false;
    for (auto [loop, stages] : expanded) {
      std::string msg = "expanded into " + std::to_string(stages) + " stages";
      if (tt::getNumStagesOrDefault(loop, numStages) <= 1 ||
          loop.getBody()->getOps<ttng::WarpGroupDotOp>().empty()) {
        say(loop.getLoc(), msg);
        continue;
      }
      AsyncDotsMode mode = asyncDots;
      std::string why;
      if (mode == AsyncDotsMode::Off) {
        say(loop.getLoc(), msg + "; wgmma left synchronous (async-dots=off)");
        continue;
      }
      ttng::WarpGroupDotOp serialized = firstSerializedByTriton(loop);
      if (mode == AsyncDotsMode::Auto) {
        mode = serialized ? AsyncDotsMode::Autopipe : AsyncDotsMode::Triton;
        why = serialized ? " (Triton's would serialize the wgmma at " +
                               formatLocation(serialized.getLoc()) + ")"
                         : " (Triton's keeps every wgmma in flight)";
      }
      if (mode == AsyncDotsMode::Autopipe) {
        DotWaits waits(loop);
        std::string problem = waits.analyze();
        if (problem.empty()) {
          autoPickedAutopipe |= asyncDots == AsyncDotsMode::Auto;
          unsigned n = waits.run();
          say(loop.getLoc(), msg + "; " + std::to_string(waits.numDots()) +
                                 " async wgmma, " + std::to_string(n) +
                                 " waits placed at first need" + why);
          continue;
        }
        why = " (ours cannot: " + problem + ")";
      }
      tt::asyncLaunchDots(loop);
      say(loop.getLoc(), msg + "; wgmma waits by Triton's asyncLaunchDots" +
                             why);
    }
    module.walk([](Operation *op) { op->removeAttr(kExpandStageAttr); });
    dropSettledWaitBuffers(module);
    if (autoPickedAutopipe && target && target.getValue() == "cuda:90")
      markSyncWgmmaTrial(module);

    // 4. Copy waits, cleanup, TMA stores.
    tt::updateWaits(module);
    RewritePatternSet patterns(module.getContext());
    module.getContext()
        ->getLoadedDialect<arith::ArithDialect>()
        ->getCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(module, std::move(patterns))))
      return signalPassFailure();
    SmallVector<scf::ForOp> after;
    module.walk([&](scf::ForOp loop) {
      if (tt::getNumStagesOrDefault(loop, numStages) > 1)
        after.push_back(loop);
    });
    for (scf::ForOp loop : after)
      tt::pipelineTMAStores(loop);

    if (failed(writeTextReport(output, report, module, getArgument())))
      return signalPassFailure();
  }
};

} // namespace
