//===- Channels.cpp - full/empty mbarrier channels of partitioned loops ---===//
//
// The contract and the API: include/triton-autopipe/Channels.h. Per channel
// (the buffers one producer loop fills for the same consumer loops, with the
// same slot count and copy kind) two arrays of mbarriers before the
// ttg.warp_specialize (Triton's createBarrierAlloc: init before, inval and
// dealloc after), captured by every partition:
//
//   producer loop, iteration i, slot s = i mod N, phase p = (i / N) mod 2:
//     wait_barrier empty[s], p ^ 1      (a fresh barrier passes parity 1)
//     TMA:   barrier_expect full[s], <bytes of the group's tiles>
//            async_tma_copy_global_to_local desc[...] slot, full[s]
//     store: local_store ...; fence_async_shared; arrive_barrier full[s], 1
//   consumer loop (each), same iteration space:
//     wait_barrier full[s], p           before the first slot view
//     ... reads (an async wgmma: until the warp_group_dot_wait retiring it)
//     arrive_barrier empty[s], 1        after the last read
//
// empty[] expects one arrive per consumer loop (Triton lowers an arrive as a
// partition barrier and one thread's mbarrier.arrive). Everything is checked
// before anything changes: a failure leaves the module as it was.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Channels.h"
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::channels;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;
namespace ttng = mlir::triton::nvidia_gpu;

namespace {

/// A marked slot view and where it is.
struct View {
  ttg::MemDescIndexOp op;
  bool put = false;
  scf::ForOp loop;
};

/// One multi-slot buffer and its views.
struct Buffer {
  ttg::LocalAllocOp alloc;
  int numSlots = 0;
  View put;
  SmallVector<View> gets;
  bool tma = false;
  int64_t bytes = 0; ///< one slot's tile (TMA)
};

/// The buffers one producer loop fills for the same consumer loops with one
/// barrier pair per slot.
struct Channel {
  scf::ForOp putLoop;
  SmallVector<scf::ForOp> getLoops;
  int numSlots = 0;
  bool tma = false;
  SmallVector<Buffer *> buffers;
  Value full, empty; ///< outside the ttg.warp_specialize
};

/// The value a partition's block argument stands for (what the op captured),
/// or `v` itself.
Value outside(Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg)
    return v;
  if (auto parts = dyn_cast<ttg::WarpSpecializePartitionsOp>(
          arg.getOwner()->getParentOp()))
    return parts.getExplicitCaptures()[arg.getArgNumber()];
  return v;
}

/// `a` and `b` are the same value seen from two partitions, or equal
/// constants.
bool sameValue(Value a, Value b) {
  a = outside(a);
  b = outside(b);
  if (a == b)
    return true;
  std::optional<int64_t> ca = getConstantIntValue(a),
                         cb = getConstantIntValue(b);
  return ca && cb && *ca == *cb;
}

std::string where(Operation *op) { return formatLocation(op->getLoc()); }

/// The loop directly in a region of `ws` whose body holds `view`, or null.
scf::ForOp partitionLoopOf(ttg::MemDescIndexOp view, ttg::WarpSpecializeOp ws) {
  auto loop = dyn_cast<scf::ForOp>(view->getParentOp());
  if (!loop)
    return nullptr;
  Operation *parent = loop->getParentOp();
  return parent == ws.getOperation() || parent == ws.getPartitionOp()
             ? loop
             : scf::ForOp();
}

/// The value of `outer` (defined outside `ws`) inside `region` of it: itself
/// in the default region, the partition's argument capturing it elsewhere.
Value inRegion(Value outer, Region *region, ttg::WarpSpecializeOp ws) {
  if (region == &ws.getDefaultRegion())
    return outer;
  ttg::WarpSpecializePartitionsOp parts = ws.getPartitionOp();
  for (auto [i, v] : llvm::enumerate(parts.getExplicitCaptures()))
    if (v == outer)
      return region->getArgument(i);
  return nullptr;
}

bool isTMATarget(ModuleOp module) {
  TargetInfo info = TargetInfo::fromModule(module);
  return info.isCUDA() && info.hasTMA;
}

/// Whether the put view's stores are all TMA-able: each stores a
/// tt.descriptor_load of the body (its only use) whose block is one slot in
/// the buffer's encoding. Sets `bytes` to one slot's tile.
bool tmaProducer(Buffer &buf) {
  auto slotTy = cast<ttg::MemDescType>(buf.put.op.getType());
  int64_t bytes = 0;
  for (Operation *user : buf.put.op->getUsers()) {
    auto store = cast<ttg::LocalStoreOp>(user);
    auto load = store.getSrc().getDefiningOp<tt::DescriptorLoadOp>();
    if (!load || !load->hasOneUse() || load->getBlock() != store->getBlock())
      return false;
    auto tile = load.getResult().getType();
    if (load.getDesc().getType().getSharedLayout() != slotTy.getEncoding() ||
        tile.getShape() != slotTy.getShape())
      return false;
    bytes = tile.getNumElements() * tile.getElementTypeBitWidth() / 8;
  }
  buf.bytes = bytes;
  return bytes > 0;
}

/// The ops that read `view` (through views of it), as ops of `body`.
FailureOr<SmallVector<Operation *>> readersIn(Block *body, Value view) {
  SmallVector<Operation *> out;
  SmallVector<Value> work{view};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      bool isView =
          isMemoryEffectFree(user) && user->getNumResults() > 0 &&
          llvm::all_of(user->getResultTypes(), llvm::IsaPred<ttg::MemDescType>);
      if (isView && !isa<scf::YieldOp>(user)) {
        llvm::append_range(work, user->getResults());
        continue;
      }
      Operation *top = body->findAncestorOpInBlock(*user);
      if (!top || isa<scf::YieldOp>(top))
        return failure();
      out.push_back(top);
    }
  }
  return out;
}

/// Where a read by `reader` (an op of a loop body) is over: after `op`, in
/// the same iteration or (`next`) in the next one.
struct ReadEnd {
  Operation *op = nullptr;
  bool next = false;
};

/// `reader` itself, or for an async wgmma the warp_group_dot_wait that
/// retires it: later in the body, or else (a wgmma left in flight across the
/// back edge, `pendings = 1` in a pipelined consumer) in the next iteration. No
/// op when no wait of the body retires it.
ReadEnd readEnd(Operation *reader) {
  auto dot = dyn_cast<ttng::WarpGroupDotOp>(reader);
  if (!dot || !dot.getIsAsync())
    return {reader, false};
  unsigned later = 0; // async wgmmas issued after `dot`
  auto step = [&](Operation *op) -> bool {
    if (auto next = dyn_cast<ttng::WarpGroupDotOp>(op))
      later += next.getIsAsync() ? 1 : 0;
    else if (auto wait = dyn_cast<ttng::WarpGroupDotWaitOp>(op))
      return wait.getPendings() <= later;
    return false;
  };
  for (Operation *op = dot->getNextNode(); op; op = op->getNextNode())
    if (step(op))
      return {op, false};
  // The next iteration, its instance of `dot` included.
  for (Operation &op : *dot->getBlock())
    if (step(&op))
      return {&op, true};
  return {};
}

Operation *latest(Operation *a, Operation *b) {
  return !a ? b : (!b ? a : (a->isBeforeInBlock(b) ? b : a));
}
Operation *earliest(Operation *a, Operation *b) {
  return !a ? b : (!b ? a : (a->isBeforeInBlock(b) ? a : b));
}

/// Records the marked view `op` of `ws` in `buffers`, checked.
LogicalResult addView(ttg::MemDescIndexOp op, ttg::WarpSpecializeOp ws,
                      SmallVector<Buffer> &buffers) {
  auto mark = op->getAttrOfType<StringAttr>(kChannelAttr);
  if (!op->hasAttr(kChannelAttr))
    return success();
  if (!mark || (mark.getValue() != kPut && mark.getValue() != kGet))
    return op.emitError() << "autopipe channels: " << kChannelAttr
                          << " must be \"put\" or \"get\", got "
                          << op->getAttr(kChannelAttr);
  View view{op, mark.getValue() == kPut, partitionLoopOf(op, ws)};
  if (!view.loop)
    return op.emitError()
           << "autopipe channels: a slot view must be in the body of a loop "
              "directly in a region of the ttg.warp_specialize";
  auto alloc = outside(op.getSrc()).getDefiningOp<ttg::LocalAllocOp>();
  auto type = alloc ? alloc.getType() : ttg::MemDescType();
  if (!alloc || alloc.getSrc() || !type.getMutableMemory() ||
      type.getRank() < 2 || alloc->getParentRegion() == nullptr ||
      ws->isAncestor(alloc))
    return op.emitError()
           << "autopipe channels: a slot view must index a mutable "
              "multi-slot ttg.local_alloc made outside the "
              "ttg.warp_specialize (directly or through a capture)";
  auto *buf =
      llvm::find_if(buffers, [&](const Buffer &b) { return b.alloc == alloc; });
  if (buf == buffers.end()) {
    buffers.push_back(Buffer{alloc, static_cast<int>(type.getShape()[0])});
    buf = &buffers.back();
  }
  if (view.put) {
    if (buf->put.op)
      return op.emitError() << "autopipe channels: the buffer at "
                            << where(alloc) << " has two put views (the "
                            << "other at " << where(buf->put.op) << ")";
    buf->put = view;
  } else {
    buf->gets.push_back(view);
  }
  return success();
}

/// Checks consumer view `get` of `buf` (`regions`: the partitions seen).
LogicalResult checkGet(Buffer &buf, View get,
                       llvm::SmallPtrSet<Region *, 4> &regions) {
  if (!regions.insert(get.loop->getParentRegion()).second)
    return get.op.emitError()
           << "autopipe channels: each get view of the buffer at "
           << where(buf.alloc)
           << " must be in its own partition, not the producer's or "
              "another consumer's";
  if (!sameValue(get.loop.getLowerBound(), buf.put.loop.getLowerBound()) ||
      !sameValue(get.loop.getUpperBound(), buf.put.loop.getUpperBound()) ||
      !sameValue(get.loop.getStep(), buf.put.loop.getStep()))
    return get.op.emitError()
           << "autopipe channels: the consumer loop at " << where(get.loop)
           << " and the producer loop at " << where(buf.put.loop)
           << " must have the same bounds and step (the slot and "
              "phase come from the iteration number)";
  FailureOr<SmallVector<Operation *>> readers =
      readersIn(get.loop.getBody(), get.op.getResult());
  if (failed(readers))
    return get.op.emitError() << "autopipe channels: the slot view "
                                 "leaves the iteration";
  for (Operation *r : *readers)
    if (!readEnd(r).op)
      return r->emitError()
             << "autopipe channels: this async warp_group_dot reads "
                "a slot but no warp_group_dot_wait of the loop body "
                "retires it (the slot could not be released)";
  return success();
}

/// Checks buffer `buf`'s views; whether its producer is TMA.
LogicalResult checkBuffer(Buffer &buf, bool tmaOk) {
  Operation *any = buf.put.op ? buf.put.op : buf.gets.front().op;
  if (!buf.put.op || buf.gets.empty())
    return any->emitError()
           << "autopipe channels: the buffer at " << where(buf.alloc)
           << " needs one put view and at least one get view";
  Region *putRegion = buf.put.loop->getParentRegion();
  llvm::SmallPtrSet<Region *, 4> regions{putRegion};
  for (View &get : buf.gets)
    if (failed(checkGet(buf, get, regions)))
      return failure();
  for (Operation *user : buf.put.op->getUsers())
    if (!isa<ttg::LocalStoreOp>(user) ||
        user->getBlock() != buf.put.loop.getBody())
      return user->emitError()
             << "autopipe channels: a put view may only be written by "
                "ttg.local_store in the producer loop's body";
  if (buf.put.op->use_empty())
    return buf.put.op.emitError()
           << "autopipe channels: the put view is never written";
  buf.tma = tmaOk && tmaProducer(buf);
  return success();
}

/// Collects and checks the marked views of `ws` into buffers (nothing
/// changes).
FailureOr<SmallVector<Buffer>> collect(ttg::WarpSpecializeOp ws) {
  SmallVector<Buffer> buffers;
  WalkResult walk = ws->walk([&](ttg::MemDescIndexOp op) -> WalkResult {
    return failed(addView(op, ws, buffers)) ? WalkResult::interrupt()
                                            : WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  bool tmaOk = isTMATarget(ws->getParentOfType<ModuleOp>());
  for (Buffer &buf : buffers)
    if (failed(checkBuffer(buf, tmaOk)))
      return failure();
  return buffers;
}

/// The consumer loops of `buf`, in view order.
SmallVector<scf::ForOp> getLoopsOf(const Buffer &buf) {
  SmallVector<scf::ForOp> out;
  for (const View &v : buf.gets)
    out.push_back(v.loop);
  return out;
}

SmallVector<Channel> group(MutableArrayRef<Buffer> buffers) {
  SmallVector<Channel> channels;
  for (Buffer &buf : buffers) {
    SmallVector<scf::ForOp> gets = getLoopsOf(buf);
    auto same = [&](const Channel &c) {
      return c.putLoop == buf.put.loop && c.numSlots == buf.numSlots &&
             c.tma == buf.tma && c.getLoops.size() == gets.size() &&
             llvm::all_of(gets, [&](scf::ForOp l) {
               return llvm::is_contained(c.getLoops, l);
             });
    };
    auto *it = llvm::find_if(channels, same);
    if (it == channels.end()) {
      channels.push_back(
          Channel{buf.put.loop, gets, buf.numSlots, buf.tma, {}, {}, {}});
      it = &channels.back();
    }
    it->buffers.push_back(&buf);
  }
  return channels;
}

/// The earliest view of `c` in `loop` (puts or gets).
Operation *firstView(const Channel &c, scf::ForOp loop, bool put) {
  Operation *first = nullptr;
  for (Buffer *buf : c.buffers) {
    if (put && buf->put.loop == loop)
      first = earliest(first, buf->put.op);
    if (!put)
      for (const View &v : buf->gets)
        if (v.loop == loop)
          first = earliest(first, v.op);
  }
  return first;
}

Value barrierView(OpBuilder &b, Value barriers, Value slot) {
  return tt::createSingleBufferView(b, barriers, slot);
}

/// Bytes one slot of TMA channel `c` receives (all its buffers' tiles).
int64_t slotBytes(const Channel &c) {
  int64_t bytes = 0;
  for (Buffer *buf : c.buffers)
    bytes += buf->bytes *
             static_cast<int64_t>(llvm::range_size(buf->put.op->getUsers()));
  return bytes;
}

/// The slot and phase of `loop`'s iteration for `numSlots` slots, built once
/// per loop and slot count at the top of its body.
using SlotCache = DenseMap<std::pair<Operation *, int>, SlotPhase>;
SlotPhase slotOf(SlotCache &cache, scf::ForOp loop, int numSlots) {
  auto key = std::make_pair(loop.getOperation(), numSlots);
  auto it = cache.find(key);
  if (it != cache.end())
    return it->second;
  OpBuilder b = OpBuilder::atBlockBegin(loop.getBody());
  return cache[key] = slotAndPhase(b, loop.getLoc(), loop, numSlots);
}

/// The producer side of `c`: wait for a free slot before its first view;
/// TMA: expect the slot's bytes and turn each stored descriptor load into a
/// TMA copy on full[s]; stores: fence and arrive on full[s] after the last.
void materializeProducer(Channel &c, ttg::WarpSpecializeOp ws,
                         SlotCache &cache) {
  scf::ForOp loop = c.putLoop;
  SlotPhase sp = slotOf(cache, loop, c.numSlots);
  Operation *first = firstView(c, loop, /*put=*/true);
  Location loc = first->getLoc();
  OpBuilder b(first);
  Value one = arith::ConstantIntOp::create(b, loc, 1, 32);
  Value free = arith::XOrIOp::create(b, loc, sp.phase, one);
  Region *region = loop->getParentRegion();
  Value empty = barrierView(b, inRegion(c.empty, region, ws), sp.slot);
  ttng::WaitBarrierOp::create(b, loc, empty, free);
  Value full = barrierView(b, inRegion(c.full, region, ws), sp.slot);
  Value yes = arith::ConstantIntOp::create(b, loc, 1, 1);
  if (c.tma)
    ttng::BarrierExpectOp::create(b, loc, full,
                                  static_cast<uint32_t>(slotBytes(c)), yes);
  Operation *lastStore = nullptr;
  for (Buffer *buf : c.buffers) {
    buf->put.op.getIndexMutable().assign(sp.slot);
    for (Operation *user :
         llvm::make_early_inc_range(buf->put.op->getUsers())) {
      auto store = cast<ttg::LocalStoreOp>(user);
      if (!c.tma) {
        lastStore = latest(lastStore, store);
        continue;
      }
      auto load = store.getSrc().getDefiningOp<tt::DescriptorLoadOp>();
      OpBuilder sb(store);
      ttng::AsyncTMACopyGlobalToLocalOp::create(
          sb, load.getLoc(), load.getDesc(), load.getIndices(), full,
          store.getDst(), yes, /*multicast=*/false, load.getCachePolicyAttr());
      store.erase();
      load.erase();
    }
  }
  if (!lastStore)
    return;
  OpBuilder ab(lastStore->getContext());
  ab.setInsertionPointAfter(lastStore);
  // Generic-proxy stores, read by the consumers' wgmma (async proxy).
  ttng::FenceAsyncSharedOp::create(ab, loc, /*bCluster=*/false);
  ttng::ArriveBarrierOp::create(ab, loc, full, 1);
}

/// The consumer side of `c` in `loop`: wait on full[s] before the first view;
/// release after the last read of this iteration, or, when a read is retired
/// only in the next iteration, there (the previous slot, from the second
/// iteration on: the last slot needs no release, as no producer iteration
/// waits for it).
void materializeConsumer(Channel &c, scf::ForOp loop, ttg::WarpSpecializeOp ws,
                         SlotCache &cache) {
  SlotPhase sp = slotOf(cache, loop, c.numSlots);
  Operation *first = firstView(c, loop, /*put=*/false);
  Region *region = loop->getParentRegion();
  OpBuilder b(first);
  Value full = barrierView(b, inRegion(c.full, region, ws), sp.slot);
  ttng::WaitBarrierOp::create(b, first->getLoc(), full, sp.phase);
  Operation *end = nullptr, *nextEnd = nullptr;
  for (Buffer *buf : c.buffers)
    for (View &v : buf->gets) {
      if (v.loop != loop)
        continue;
      v.op.getIndexMutable().assign(sp.slot);
      FailureOr<SmallVector<Operation *>> readers =
          readersIn(loop.getBody(), v.op.getResult()); // checked in collect
      for (Operation *r : *readers) {
        ReadEnd e = readEnd(r);
        (e.next ? nextEnd : end) = latest(e.next ? nextEnd : end, e.op);
      }
      end = latest(end, v.op);
    }
  Operation *at = nextEnd ? nextEnd : end;
  Location loc = at->getLoc();
  OpBuilder ab(at->getContext());
  ab.setInsertionPointAfter(at);
  Value emptyBars = inRegion(c.empty, region, ws);
  if (!nextEnd) {
    ttng::ArriveBarrierOp::create(ab, loc, barrierView(ab, emptyBars, sp.slot),
                                  1);
    return;
  }
  Value n = arith::ConstantIntOp::create(ab, loc, c.numSlots, 32);
  Value last = arith::ConstantIntOp::create(ab, loc, c.numSlots - 1, 32);
  Value prev = arith::RemUIOp::create(
      ab, loc, arith::AddIOp::create(ab, loc, sp.slot, last), n);
  Value zero = arith::ConstantIntOp::create(ab, loc, 0, 32);
  Value notFirst = arith::CmpIOp::create(ab, loc, arith::CmpIPredicate::ne,
                                         sp.iteration, zero);
  ttng::ArriveBarrierOp::create(ab, loc, barrierView(ab, emptyBars, prev), 1,
                                notFirst);
}

void materialize(Channel &c, ttg::WarpSpecializeOp ws, SlotCache &cache) {
  materializeProducer(c, ws, cache);
  for (scf::ForOp loop : c.getLoops)
    materializeConsumer(c, loop, ws, cache);
  for (Buffer *buf : c.buffers) {
    buf->put.op->removeAttr(kChannelAttr);
    for (View &v : buf->gets)
      v.op->removeAttr(kChannelAttr);
  }
}

std::string describe(const Channel &c, ttg::WarpSpecializeOp ws) {
  auto regionName = [&](scf::ForOp loop) -> std::string {
    Region *r = loop->getParentRegion();
    if (r == &ws.getDefaultRegion())
      return "default";
    return "partition" + std::to_string(r->getRegionNumber());
  };
  std::string text =
      "channel of " + std::to_string(c.buffers.size()) + " buffer(s) (";
  for (auto [i, buf] : llvm::enumerate(c.buffers))
    text += (i ? ", " : "") + where(buf->alloc);
  text += "): " + std::to_string(c.numSlots) +
          " slot(s), full/empty mbarrier per slot; producer " +
          regionName(c.putLoop) + " (";
  if (c.tma) {
    text += "TMA, " + std::to_string(slotBytes(c)) + " bytes a slot";
  } else {
    text += "stores + arrive";
  }
  text += "), consumer(s)";
  for (scf::ForOp loop : c.getLoops)
    text += " " + regionName(loop);
  return text;
}

} // namespace

SlotPhase channels::slotAndPhase(OpBuilder &b, Location loc, scf::ForOp loop,
                                 int numSlots) {
  Value iv = loop.getInductionVar();
  Value diff = arith::SubIOp::create(b, loc, iv, loop.getLowerBound());
  Value iter = arith::DivUIOp::create(b, loc, diff, loop.getStep());
  Type i32 = b.getI32Type();
  if (iter.getType() != i32)
    iter = iter.getType().isIndex()
               ? arith::IndexCastOp::create(b, loc, i32, iter).getResult()
               : arith::TruncIOp::create(b, loc, i32, iter).getResult();
  Value n = arith::ConstantIntOp::create(b, loc, numSlots, 32);
  Value slot = arith::RemUIOp::create(b, loc, iter, n);
  Value use = arith::DivUIOp::create(b, loc, iter, n);
  Value one = arith::ConstantIntOp::create(b, loc, 1, 32);
  Value phase = arith::AndIOp::create(b, loc, use, one);
  return {slot, phase, iter};
}

bool channels::hasChannels(ttg::WarpSpecializeOp ws) {
  bool found = false;
  ws->walk([&](ttg::MemDescIndexOp op) { found |= op->hasAttr(kChannelAttr); });
  return found;
}

LogicalResult
channels::materializeChannels(ttg::WarpSpecializeOp ws,
                              SmallVectorImpl<std::string> &report) {
  FailureOr<SmallVector<Buffer>> buffers = collect(ws);
  if (failed(buffers))
    return failure();
  SmallVector<Channel> chans = group(*buffers);
  ttg::WarpSpecializePartitionsOp parts = ws.getPartitionOp();
  for (Channel &c : chans) {
    c.full = tt::createBarrierAlloc(ws, c.numSlots, /*arriveCount=*/1);
    c.empty = tt::createBarrierAlloc(ws, c.numSlots,
                                     static_cast<int>(c.getLoops.size()));
    for (Value bars : {c.full, c.empty}) {
      parts.getExplicitCapturesMutable().append(bars);
      for (Region *region : ws.getPartitionRegions())
        region->addArgument(bars.getType(), ws.getLoc());
    }
  }
  SlotCache slots;
  for (Channel &c : chans) {
    materialize(c, ws, slots);
    report.push_back(describe(c, ws));
  }
  return success();
}
