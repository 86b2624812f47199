//===- Common.cpp - what the buffer lowerings share ----------------------===//
//
// The analysis every copy kind starts from (the load's users: one stage and
// cluster, later than the load, reaching an MMA; the slots' shared encoding;
// the last stage a slot is read in) and the lowering steps they share: the
// buffers and loop-carried slot counters, the read of a slot at the
// consumer, and the loop's end (counters yielded, copies drained, buffers
// freed). The slot-count rule itself is in triton-autopipe/Buffers.h.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "triton-autopipe/Buffers.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/DenseSet.h"

#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonGPU/Transforms/Utility.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::buffers;

int buffers::attrInt(Operation *op, StringRef name) {
  return cast<IntegerAttr>(op->getAttr(name)).getInt();
}

void buffers::setStage(Operation *op, int stage, int cluster) {
  Builder b(op->getContext());
  op->setAttr(kStageAttr, b.getI32IntegerAttr(stage));
  op->setAttr(kClusterAttr, b.getI32IntegerAttr(cluster));
}

void buffers::setStage(ArrayRef<Operation *> ops, int stage, int cluster) {
  for (Operation *op : ops)
    setStage(op, stage, cluster);
}

bool buffers::feedsMMA(Block *body, Value value) {
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

bool buffers::readByMMA(ttg::LocalAllocOp alloc) {
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

/// The load's users, all top-level ops of the body in one stage and
/// cluster; sets the consumer (the first in body order) and its place.
/// Returns why not, if they are not.
static std::optional<Rejection> collectUsers(Block *body, Uses &u) {
  Candidate &c = u.candidate;
  for (Operation *user : c.load->getUsers()) {
    if (user->getBlock() != body)
      return reject("used inside a nested region");
    if (isa<scf::YieldOp>(user))
      return reject("value carried to the next iteration");
    u.users.push_back(user);
  }
  if (u.users.empty())
    return reject("no user");
  for (Operation *user : u.users) {
    int s = attrInt(user, kStageAttr), cl = attrInt(user, kClusterAttr);
    if (!c.consumer || user->isBeforeInBlock(c.consumer))
      c.consumer = user;
    if (user != u.users.front() && (s != c.useStage || cl != c.useCluster))
      return reject("users in different stages or clusters");
    c.useStage = s;
    c.useCluster = cl;
  }
  return std::nullopt;
}

Result<Uses> buffers::analyzeUses(const AnalysisContext &ctx, Operation *op,
                                  CopyKind kind) {
  Uses u;
  Candidate &c = u.candidate;
  c.load = op;
  c.kind = kind;
  // A descriptor load's result is a tensor; a tt.load needs tensor pointers.
  auto load = dyn_cast<tt::LoadOp>(op);
  auto resTy = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resTy || (load && !isa<RankedTensorType>(load.getPtr().getType())))
    return reject("scalar or block-pointer load");
  c.loadStage = attrInt(op, kStageAttr);
  c.loadCluster = attrInt(op, kClusterAttr);
  if (std::optional<Rejection> no = collectUsers(ctx.body, u))
    return *no;
  if (c.useStage <= c.loadStage)
    return reject("consumer in the same stage (stage " +
                  std::to_string(c.useStage) + "): nothing to buffer");
  if (!feedsMMA(ctx.body, op->getResult(0)))
    return reject("does not feed an MMA");
  if (u.users.size() == 1)
    c.alloc = dyn_cast<ttg::LocalAllocOp>(u.users.front());
  return u;
}

Result<ttg::SharedEncodingTrait> buffers::slotEncoding(Uses &u) {
  Candidate &c = u.candidate;
  ttg::SharedEncodingTrait enc;
  if (c.alloc) {
    enc = dyn_cast<ttg::SharedEncodingTrait>(c.alloc.getType().getEncoding());
  } else {
    if (llvm::any_of(u.users,
                     [](Operation *op) { return isa<ttg::LocalAllocOp>(op); }))
      return reject("local_alloc consumer next to other users");
    enc = tt::getSharedEncoding(c.load);
  }
  if (!enc)
    return reject("no shared encoding for its consumers");
  return enc;
}

/// A view of a slot (memdesc_trans, memdesc_index, ...): memdesc results only.
static bool isSlotView(Operation *op) {
  return op->getNumResults() > 0 &&
         llvm::all_of(op->getResultTypes(),
                      [](Type t) { return isa<ttg::MemDescType>(t); });
}

Operation *buffers::firstReader(Block *body, ttg::LocalAllocOp alloc) {
  Operation *first = nullptr;
  SmallVector<Value> work{alloc.getResult()};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      Operation *top = body->findAncestorOpInBlock(*user);
      if (!top)
        continue;
      if (top == user && isSlotView(user)) {
        llvm::append_range(work, user->getResults());
        continue;
      }
      if (!first || top->isBeforeInBlock(first))
        first = top;
    }
  }
  return first;
}

Result<int> buffers::lastReadStage(Block *body, const Candidate &c) {
  if (!c.alloc)
    return c.useStage;
  int last = c.useStage;
  ttg::LocalAllocOp alloc = c.alloc; // op handles are values
  SmallVector<Value> work{alloc.getResult()};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      Operation *top = body->findAncestorOpInBlock(*user);
      if (!top || isa<scf::YieldOp>(top))
        return reject("the local_alloc's value leaves the iteration");
      last = std::max(last, attrInt(top, kStageAttr));
      for (Value r : user->getResults())
        if (isa<ttg::MemDescType>(r.getType()))
          work.push_back(r);
    }
  }
  return last;
}

void buffers::setSlots(Candidate &c, int minSlots, int slotsOption,
                       RankedTensorType tile, ttg::SharedEncodingTrait enc) {
  c.minSlots = minSlots;
  c.numSlots = slotCountWithRequest(minSlots, slotsOption);
  auto slotTy =
      ttg::MemDescType::get(tile.getShape(), tile.getElementType(), enc,
                            ttg::SharedMemorySpaceAttr::get(tile.getContext()),
                            /*mutableMemory=*/true);
  c.bufferType = tt::getMultiBufferedType(slotTy, c.numSlots);
}

void buffers::dropSlot(Candidate &c) {
  --c.numSlots;
  c.bufferType = tt::getMultiBufferedType(
      ttg::MemDescType::get(
          c.bufferType.getShape().drop_front(), c.bufferType.getElementType(),
          c.bufferType.getEncoding(), c.bufferType.getMemorySpace(),
          /*mutableMemory=*/true),
      c.numSlots);
}

Counters buffers::createBuffersAndCounters(LoweringState &state,
                                           ArrayRef<Candidate> cands,
                                           ArrayRef<Group> groups) {
  Location loc = state.loc;
  OpBuilder b(state.loop);
  for (const Candidate &c : cands)
    state.buffers.push_back(
        b.create<ttg::LocalAllocOp>(c.load->getLoc(), c.bufferType));
  Value minusOne = b.create<arith::ConstantIntOp>(loc, -1, 32);
  state.zero = b.create<arith::ConstantIntOp>(loc, 0, 32);
  state.one = b.create<arith::ConstantIntOp>(loc, 1, 32);
  Counters counters;
  for (const Group &g : groups)
    counters.slotCount.push_back(
        b.create<arith::ConstantIntOp>(loc, g.numSlots, 32));
  SmallVector<Value> inits;
  unsigned firstArg = state.body->getNumArguments();
  for (const Group &g : groups) {
    counters.firstArg.push_back(firstArg + inits.size());
    inits.append({minusOne, minusOne});
    if (g.tma)
      inits.push_back(state.zero);
  }
  state.loop = addIterArgsToLoop(b, state.loop, inits);
  state.body = state.loop.getBody();
  return counters;
}

std::pair<Value, Value> buffers::advanceCounter(LoweringState &state,
                                                Value counter, Value n,
                                                Operation *before, int stage,
                                                int cluster) {
  OpBuilder ib(before);
  Location loc = state.loc;
  auto add = ib.create<arith::AddIOp>(loc, counter, state.one);
  auto wrap = ib.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, add, n);
  auto sel = ib.create<arith::SelectOp>(loc, wrap, state.zero, add);
  setStage({add.getOperation(), wrap.getOperation(), sel.getOperation()}, stage,
           cluster);
  return {sel.getResult(), wrap.getResult()};
}

Operation *buffers::readPoint(const Candidate &c, Operation *counter) {
  if (c.kind != CopyKind::RegisterStaged ||
      c.load->getBlock() != c.consumer->getBlock())
    return c.consumer;
  Operation *after = c.load;
  if (counter && counter->getBlock() == c.load->getBlock() &&
      c.load->isBeforeInBlock(counter))
    after = counter;
  return after->getNextNode() ? after->getNextNode() : c.consumer;
}

Value buffers::readSlot(Candidate &c, Value buffer, Value extract, Value token,
                        Type type, Operation *before) {
  OpBuilder cb(before ? before : c.consumer);
  Value view = tt::createSingleBufferView(cb, buffer, extract);
  setStage(view.getDefiningOp(), c.useStage, c.useCluster);
  if (c.alloc) {
    tt::replaceUsesAndPropagateType(cb, c.alloc, view);
    if (c.alloc->use_empty())
      c.alloc->erase();
    return Value();
  }
  auto read = cb.create<ttg::LocalLoadOp>(c.load->getLoc(), type, view, token);
  setStage(read, c.useStage, c.useCluster);
  return read.getResult();
}

void buffers::finishLoop(LoweringState &state, ArrayRef<Candidate> cands,
                         ArrayRef<Group> groups) {
  SmallVector<Value> yields;
  for (const Group &g : groups) {
    yields.push_back(g.insert);
    yields.push_back(g.extract);
    if (g.tma)
      yields.push_back(g.phase);
  }
  appendToForOpYield(state.loop, yields);
  // Drain outstanding copies (the last iterations' speculative ones), then
  // free the buffers.
  OpBuilder after(state.loop->getContext());
  after.setInsertionPointAfter(state.loop);
  if (llvm::any_of(cands, [](const Candidate &c) { return c.isAsyncCopy(); }))
    after.create<ttg::AsyncWaitOp>(state.loc, ValueRange{},
                                   after.getI32IntegerAttr(0));
  for (Value buf : llvm::reverse(state.buffers))
    after.create<ttg::LocalDeallocOp>(state.loc, buf);
}
