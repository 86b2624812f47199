//===- WgmmaWaits.cpp - async-wgmma waits at first need -------------------===//
//
// Places the waits of async-dots=autopipe in one expanded loop (see
// WgmmaWaits.h): collects the points of the body that need a wgmma instance
// complete (result readers, register-operand rewrites, shared-memory writes
// into slots a wgmma reads, the back edge), gives each point the smallest
// pending count any of its needs allows, and leaves out waits that could not
// retire a group (ptxas serializes every wgmma of a kernel with such no-op
// waits in flight, its info C7514). Groups complete in order, so a count is
// the number of wgmma groups issued between the instance and the point; a
// value whose group an earlier wait already retired is threaded through that
// wait instead of getting one of its own (Triton's form for attention's
// rescaled accumulator).
//
//===----------------------------------------------------------------------===//
#include "WgmmaWaits.h"
#include "triton-autopipe/Buffers.h"

#include "triton-autopipe/Schedule.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <limits>

#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::expand;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;
namespace ttng = mlir::triton::nvidia_gpu;

namespace {

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
    if (std::string why = collectDots(); !why.empty())
      return why;
    if (std::string why = collectSharedReaders(); !why.empty())
      return why;
    pickTensorIterArg();
    if (!tensorIterArg)
      return "the loop carries no tensor a wait can thread to order its "
             "waits on";
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
  /// Numbers the body's ops (the terminator too: waits may go before it)
  /// and lists its wgmmas.
  std::string collectDots() {
    Block *body = loop.getBody();
    unsigned pos = 0;
    for (Operation &op : body->getOperations()) {
      position[&op] = pos++;
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
    return "";
  }

  /// Checks each wgmma's accumulator type and shared-memory operands and
  /// records which wgmma reads which circular buffer.
  std::string collectSharedReaders() {
    for (auto [i, dot] : llvm::enumerate(dots)) {
      auto accTy = cast<RankedTensorType>(dot.getC().getType());
      if (!accTy.getElementType().isF32())
        return "a wgmma accumulates in " + typeString(accTy.getElementType()) +
               ", not f32";
      for (Value operand : {Value(dot.getA()), Value(dot.getB())}) {
        if (!isa<ttg::MemDescType>(operand.getType()))
          continue;
        auto shared = classifyShared(operand, loop);
        if (!shared)
          return "a wgmma reads shared memory that is neither loop-invariant "
                 "nor a slot of a circular buffer";
        if (shared->slots > 0)
          readers[shared->buffer].push_back(
              {static_cast<unsigned>(i), shared->slots});
      }
    }
    return "";
  }

  /// Whether a wait can thread a tensor of `type` as its only operand.
  /// Triton lowers such a wait to inline asm with one output per register the
  /// tensor holds in a thread, returning the tensor's LLVM struct: LLVM
  /// rejects a one-output asm that returns a struct ("inline asm with one
  /// output cannot return struct"), and the lowering has output constraints
  /// only for 16-, 32- and 64-bit registers.
  static bool threadableAlone(RankedTensorType type) {
    if (!type.getEncoding())
      return false;
    Type elt = type.getElementType();
    unsigned bits = 64; // tt.ptr
    if (elt.isIntOrFloat())
      bits = elt.getIntOrFloatBitWidth();
    else if (!isa<tt::PointerType>(elt))
      return false;
    return (bits == 16 || bits == 32 || bits == 64) &&
           ttg::getTotalElemsPerThread(type) > 1;
  }

  /// Prefers the smallest tensor iter arg that no wgmma writes or
  /// accumulates into (threading it through a wait is then a no-op), among
  /// those a wait can thread alone.
  void pickTensorIterArg() {
    int64_t best = std::numeric_limits<int64_t>::max();
    bool bestIsPlain = false;
    for (BlockArgument arg : loop.getRegionIterArgs()) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || !threadableAlone(type))
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
  }

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
              bool deadAtIssue =
                  llvm::none_of(arg.getUsers(), [&](Operation *u) {
                    Operation *top = topLevel(u);
                    return top && dot->isBeforeInBlock(top);
                  });
              crossing.push_back(
                  {static_cast<unsigned>(i), v, inPlace, deadAtIssue});
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
    bool allCanCross =
        llvm::all_of(crossing, [](const Crossing &c) { return c.deadAtIssue; });
    if (allCanCross)
      return;
    for (const Crossing &c : crossing)
      if (!c.inPlace)
        needs.push_back({loop.getBody()->getTerminator(), c.dot, 0, c.value});
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
            needs.push_back(
                {&top, d, slotDistance(d, &top, ws, rs, slots), Value()});
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
    return static_cast<unsigned>(
        refillDistance(static_cast<int>(slots), rs - ws));
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

  /// One wait point: the op it goes before, the smallest count any need
  /// there asks for, and the values it threads.
  struct Point {
    Operation *op;
    unsigned n;
    SmallVector<Value> values;
    SmallVector<Need *> threaded; ///< the needs behind `values`
  };

  /// Groups the needs by point, in body order.
  SmallVector<Point> collectPoints() {
    llvm::MapVector<Operation *, SmallVector<Need *>> byPoint;
    for (Need &n : needs)
      byPoint[n.before].push_back(&n);
    SmallVector<Point> points;
    for (auto &[op, list] : byPoint) {
      Point p{op, ~0u, {}};
      for (Need *need : list) {
        p.n = std::min(p.n, pendings(need->dot, need->back, op));
        if (need->thread && !llvm::is_contained(p.values, need->thread)) {
          p.values.push_back(need->thread);
          p.threaded.push_back(need);
        }
      }
      points.push_back(std::move(p));
    }
    llvm::sort(points, [&](const Point &a, const Point &b) {
      return position.lookup(a.op) < position.lookup(b.op);
    });
    return points;
  }

  /// Runs the body once from `start` groups in flight, with the waits of
  /// `points`; records the groups in flight before each point in `before`
  /// (if given) and returns the groups in flight at the end.
  unsigned simulate(ArrayRef<Point> points, unsigned start,
                    SmallVectorImpl<unsigned> *before) {
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
  }

  /// Upper bound of the wgmma groups in flight before each point: the
  /// simulation started from the count left at the end of an iteration
  /// (fixed point; the prologue's dots are synchronous, so loop entry has
  /// fewer).
  SmallVector<unsigned> inflightBefore(ArrayRef<Point> points) {
    unsigned start = 0;
    for (unsigned iter = 0; iter <= dots.size(); ++iter) {
      unsigned end = simulate(points, start, nullptr);
      if (end <= start)
        break;
      start = end;
    }
    SmallVector<unsigned> inflight;
    simulate(points, start, &inflight);
    return inflight;
  }

  /// True if `v` can be an operand of a wait right before `point`.
  bool availableAt(Value v, Operation *point) {
    if (isa<BlockArgument>(v))
      return cast<BlockArgument>(v).getOwner() == loop.getBody();
    Operation *def = v.getDefiningOp();
    return def && def->getBlock() == loop.getBody() && def != point &&
           def->isBeforeInBlock(point);
  }

  /// A value whose wgmma an earlier wait already retired is threaded through
  /// that wait, as Triton threads attention's rescaled accumulator through
  /// the QK^T wait: the later wait would retire nothing and is then left out
  /// (no wait instruction and no register copies between the two).
  void threadThroughEarlierWaits(SmallVectorImpl<Point> &points,
                                 ArrayRef<unsigned> inflight) {
    for (unsigned j = 0; j < points.size(); ++j) {
      Point &p = points[j];
      for (unsigned k = 0; k < p.threaded.size();) {
        Need *need = p.threaded[k];
        unsigned here = pendings(need->dot, need->back, p.op);
        int found = -1;
        if (here >= inflight[j]) // retired before this point
          for (int i = static_cast<int>(j) - 1; i >= 0 && found < 0; --i) {
            Point &w = points[i]; // a wait that retires groups (emitted)
            if (w.n < inflight[i] &&
                pendings(need->dot, need->back, w.op) >= w.n &&
                availableAt(need->thread, w.op))
              found = i;
          }
        if (found < 0) {
          ++k;
          continue;
        }
        Point &w = points[found];
        if (!llvm::is_contained(w.values, need->thread)) {
          w.values.push_back(need->thread);
          w.threaded.push_back(need);
        }
        p.values.erase(llvm::find(p.values, need->thread));
        p.threaded.erase(p.threaded.begin() + k);
      }
    }
  }

  unsigned insertWaits() {
    SmallVector<Point> points = collectPoints();
    SmallVector<unsigned> inflight = inflightBefore(points);
    threadThroughEarlierWaits(points, inflight);
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
      values.push_back(loop->getResult(
          cast<BlockArgument>(tensorIterArg).getArgNumber() - 1));
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

} // namespace

expand::WgmmaWaitsResult expand::placeWgmmaWaits(scf::ForOp loop) {
  DotWaits waits(loop);
  WgmmaWaitsResult result;
  result.rejection = waits.analyze();
  if (!result.placed())
    return result;
  result.numWaits = waits.run();
  result.numDots = waits.numDots();
  return result;
}
