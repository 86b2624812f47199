//===- InsertBarriers.cpp - Membar-aware barriers for our loops, and proof
//-===//
//
// `autopipe-insert-barriers` runs Triton's own barrier analysis (Membar, with
// the target's filter: NVIDIA::canSkipBarSync or AMD::membarFilter, over
// Triton's ModuleAllocation) on a copy of the module and compares, loop by
// loop, the copy with the module: the CTA barriers Membar adds inside a loop
// our passes handled (an scf.for carrying an `autopipe.*` attribute) are the
// ones the lowering would add. `mode=prove` only reports them (per loop: how
// many, each with its reason: the ops and the buffer on either side, or the
// async_wait it follows); `mode=place` inserts them in the module as
// `ttg.barrier local` located at `"autopipe.barrier: <reason>"(<the op's
// location>)` (the mark survives printing) and proves the result,
// so that Membar has nothing left to add there (a loop where it still would
// is a warning naming the barriers). Nothing outside those loops changes.
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Channels.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"
#include "triton-autopipe/TargetInfo.h"

#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

#include "triton/Analysis/Allocation.h"
#include "triton/Analysis/Membar.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace mlir;
using namespace mlir::autopipe;
namespace ttg = mlir::triton::gpu;

// The backends' Membar filters: exported by libtriton.so, declared in headers
// the wheel does not ship (third_party/*/include). The mangled names carry the
// parameter types, so a mismatch fails the link (-Wl,--no-undefined).
namespace mlir::triton::NVIDIA {
bool canSkipBarSync(Operation *before, Operation *after, bool lhsIsRead,
                    bool rhsIsRead, Allocation *allocation);
} // namespace mlir::triton::NVIDIA
namespace mlir::triton::AMD {
bool membarFilter(Operation *op1, Operation *op2, bool lhsIsRead,
                  bool rhsIsRead, Allocation *allocation);
} // namespace mlir::triton::AMD

namespace mlir::autopipe {
#define GEN_PASS_DEF_INSERTBARRIERSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

/// Location name of the barriers this pass placed: "autopipe.barrier: why".
constexpr llvm::StringLiteral kBarrierMark = "autopipe.barrier: ";

bool isPlaced(Operation *barrier) {
  auto name = dyn_cast<NameLoc>(barrier->getLoc());
  return name && name.getName().getValue().starts_with(kBarrierMark);
}

bool isBarrier(Operation *op) {
  if (isa<gpu::BarrierOp>(op))
    return true;
  auto bar = dyn_cast<ttg::BarrierOp>(op);
  return bar && (static_cast<uint32_t>(bar.getAddrSpace()) &
                 static_cast<uint32_t>(ttg::AddrSpace::Local));
}

/// A loop one of our passes handled: it carries an `autopipe.*` attribute.
bool isOurs(scf::ForOp loop) {
  return llvm::any_of(loop->getAttrs(), [](NamedAttribute a) {
    return a.getName().getValue().starts_with("autopipe.");
  });
}

/// The target's Membar filter, as the lowering passes it (none elsewhere).
MembarFilterFn filterFor(ModuleOp module) {
  auto target = module->getAttrOfType<StringAttr>(ttg::AttrTargetName);
  if (!target)
    return nullptr;
  if (target.getValue().starts_with("cuda:"))
    return triton::NVIDIA::canSkipBarSync;
  if (target.getValue().starts_with("hip:"))
    return triton::AMD::membarFilter;
  return nullptr;
}

bool isMemDesc(Value v) { return isa<ttg::MemDescType>(v.getType()); }

/// The allocation behind a shared-memory value, through views and
/// loop-carried arguments (their initial value), or null.
Operation *allocationOf(Value v) {
  for (int guard = 0; v && guard < 64; ++guard) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      // A warp-specialized partition's argument: what the op captured.
      if (auto parts = dyn_cast<ttg::WarpSpecializePartitionsOp>(
              arg.getOwner()->getParentOp())) {
        v = parts.getExplicitCaptures()[arg.getArgNumber()];
        continue;
      }
      auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
      if (!loop || arg.getArgNumber() < loop.getNumInductionVars())
        return nullptr;
      v = loop.getInitArgs()[arg.getArgNumber() - loop.getNumInductionVars()];
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (isa<ttg::LocalAllocOp>(def))
      return def;
    // A view (memdesc_index, _trans, _subslice, _reinterpret, ...): its
    // first memdesc operand.
    auto views = llvm::make_filter_range(def->getOperands(), isMemDesc);
    v = views.empty() ? Value() : *views.begin();
  }
  return nullptr;
}

/// What `op` touches in shared memory, for a reason: "reads|writes <buffer>"
/// per memdesc operand and result, or its scratch.
std::string accesses(Operation *op) {
  std::string out;
  auto add = [&](const std::string &s) {
    out += (out.empty() ? "" : ", ") + s;
  };
  for (Value v : llvm::make_filter_range(op->getOperands(), isMemDesc)) {
    Operation *alloc = allocationOf(v);
    add("the buffer " +
        (alloc ? "of " + formatLocation(alloc->getLoc()) : std::string("?")));
  }
  if (auto alloc = dyn_cast<ttg::LocalAllocOp>(op))
    add("writes its buffer");
  if (out.empty())
    add("its scratch");
  return out;
}

std::string describeOp(Operation *op) {
  return op->getName().getStringRef().str() + " at " +
         formatLocation(op->getLoc());
}

/// Why Membar put `barrier` where it is, in words.
std::string reasonFor(Operation *barrier) {
  Operation *prev = barrier->getPrevNode();
  if (prev && isa<ttg::AsyncWaitOp>(prev))
    return "after " + describeOp(prev) +
           " (the other threads' async copies become visible)";
  Operation *next = barrier->getNextNode();
  if (!next)
    return "at the end of the block";
  return "before " + describeOp(next) + " (" + accesses(next) + ")";
}

/// The allocations `op` (or an op nested in it) views: its memdesc operands
/// and results, traced to their local_alloc.
DenseSet<Operation *> buffersOf(Operation *op) {
  DenseSet<Operation *> out;
  auto add = [&](ValueRange values) {
    for (Value v : llvm::make_filter_range(values, isMemDesc))
      if (Operation *alloc = allocationOf(v))
        out.insert(alloc);
  };
  op->walk([&](Operation *inner) {
    add(inner->getOperands());
    add(inner->getResults());
  });
  return out;
}

/// The other side of the hazard a barrier before `at` orders: the nearest
/// earlier op of `loop`'s body (the same block, then, across the back edge,
/// from the body's end) touching one of `at`'s buffers; "" when none is found.
std::string partnerOf(Operation *at, scf::ForOp loop) {
  DenseSet<Operation *> mine = buffersOf(at);
  if (mine.empty() || at->getBlock() != loop.getBody())
    return "";
  // A view (memdesc_index) touches nothing itself.
  auto partner = [&](Operation *op) {
    return !isa<ttg::MemDescIndexOp>(op) &&
           llvm::any_of(buffersOf(op),
                        [&](Operation *a) { return mine.contains(a); });
  };
  for (Operation *op = at->getPrevNode(); op; op = op->getPrevNode())
    if (partner(op))
      return ", after " + describeOp(op);
  for (Operation &op : llvm::reverse(*loop.getBody())) {
    if (&op == at)
      break;
    if (partner(&op))
      return ", after " + describeOp(&op) + " of the previous iteration";
  }
  return "";
}

/// The barriers of `loop`'s body (nested regions included).
SmallVector<Operation *> barriersIn(scf::ForOp loop) {
  SmallVector<Operation *> out;
  loop.getBody()->walk([&](Operation *op) {
    if (isBarrier(op))
      out.push_back(op);
  });
  return out;
}

/// One barrier Membar adds: where in the module it goes and why.
struct Added {
  Operation *at;      ///< the barrier goes right before it (or after)
  bool after = false; ///< right after `at` (a block's last op)
  std::string reason;
};

struct LoopProof {
  scf::ForOp loop;
  unsigned placed = 0;   ///< ours (autopipe.barrier) already in the loop
  unsigned existing = 0; ///< other barriers already in the loop
  SmallVector<Added> added;
  /// Ops touching shared memory whose effects Membar cannot see.
  SmallVector<Operation *> unknown;
};

/// An op of a loop body that takes or yields shared memory but declares no
/// memory effects: Membar records nothing for it (it would add no barrier
/// around it), so it gets a conservative barrier on both sides. Not: ops with
/// regions (their nested ops are looked at), terminators, calls (Membar
/// follows them into the callee) and wgmma waits (their memdesc operands
/// only keep the buffers of running wgmmas alive; they access nothing).
bool touchesSharedUnknown(Operation *op) {
  if (op->getNumRegions() || op->hasTrait<OpTrait::IsTerminator>() ||
      isa<MemoryEffectOpInterface, CallOpInterface,
          triton::nvidia_gpu::WarpGroupDotWaitOp>(op))
    return false;
  return llvm::any_of(op->getOperands(), isMemDesc) ||
         llvm::any_of(op->getResults(), isMemDesc);
}

/// The innermost loop of ours holding `op` (itself excluded), or null.
scf::ForOp ourLoopOf(Operation *op) {
  for (Operation *p = op->getParentOp(); p; p = p->getParentOp())
    if (auto loop = dyn_cast<scf::ForOp>(p); loop && isOurs(loop))
      return loop;
  return nullptr;
}

/// Lowers the copy's structured control flow to blocks, as `make_llir` does
/// before Membar (Membar's BufferIndexAnalysis reasons about cf-form loops).
/// The ops keep their identity: the conversion moves them into blocks.
LogicalResult toControlFlow(ModuleOp copy) {
  ConversionTarget target(*copy.getContext());
  target.addIllegalOp<scf::ForOp, scf::IfOp, scf::WhileOp, scf::ExecuteRegionOp,
                      scf::IndexSwitchOp>();
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
  RewritePatternSet patterns(copy.getContext());
  populateSCFToControlFlowConversionPatterns(patterns);
  return applyPartialConversion(copy, target, std::move(patterns));
}

/// Whether `p`'s loop is inside a warp-specialized partition (its barriers are
/// scoped to the partition's warps at lowering: left to Membar).
bool inPartition(const LoopProof &p) {
  return static_cast<bool>(p.loop->getParentOfType<ttg::WarpSpecializeOp>());
}

/// Runs Membar on a copy of `module` lowered to blocks, as in `make_llir`, and
/// lists, for each of our loops, the barriers it adds there (the op after the
/// barrier, or before it at a block's end, is found in the module); without
/// the loops inside warp-specialized partitions when `skipPartitions`.
SmallVector<LoopProof> prove(ModuleOp module, bool skipPartitions = false) {
  IRMapping map;
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone(map)));
  DenseMap<Operation *, Operation *> original;
  module->walk([&](Operation *op) { original[map.lookupOrNull(op)] = op; });
  DenseSet<Operation *> before;
  copy->walk([&](Operation *op) {
    if (isBarrier(op))
      before.insert(op);
  });
  // Without the lowering (it failed), Membar runs on the structured form,
  // where it forgets more across the back edge: never fewer barriers.
  (void)toControlFlow(*copy);
  {
    ModuleAllocation allocation(*copy);
    ModuleMembarAnalysis membar(allocation, filterFor(module));
    membar.run();
  }
  SmallVector<LoopProof> proofs;
  DenseMap<Operation *, unsigned> index;
  module->walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
    if (!isOurs(loop))
      return;
    index[loop] = proofs.size();
    LoopProof p{loop};
    for (Operation *b : barriersIn(loop))
      (isPlaced(b) ? p.placed : p.existing)++;
    loop.getBody()->walk([&](Operation *op) {
      if (touchesSharedUnknown(op) && ourLoopOf(op) == loop)
        p.unknown.push_back(op);
    });
    proofs.push_back(std::move(p));
  });
  copy->walk([&](Operation *b) {
    if (!isBarrier(b) || before.contains(b))
      return;
    Operation *next = b->getNextNode();
    Operation *at = next ? original.lookup(next) : nullptr;
    bool after = false;
    if (!at || !ourLoopOf(at)) {
      // Before a branch the lowering created: anchor after the op before it.
      Operation *prev = b->getPrevNode();
      if (Operation *p = prev ? original.lookup(prev) : nullptr;
          p && ourLoopOf(p) && !p->hasTrait<OpTrait::IsTerminator>()) {
        at = p;
        after = true;
      }
    }
    scf::ForOp loop = at ? ourLoopOf(at) : nullptr;
    if (!loop)
      return;
    std::string why = reasonFor(b);
    Operation *before = b->getPrevNode();
    if (!after && !(before && isa<ttg::AsyncWaitOp>(before)))
      why += partnerOf(at, loop);
    proofs[index.lookup(loop)].added.push_back({at, after, why});
  });
  if (skipPartitions)
    llvm::erase_if(proofs, inPartition);
  return proofs;
}

/// ": reason; reason; ..." of the barriers in `added` (nothing when none).
std::string reasons(ArrayRef<Added> added) {
  std::string s;
  for (auto [i, a] : llvm::enumerate(added))
    s += (i ? "; " : ": ") + a.reason;
  return s;
}

/// Whether `op` already has a barrier of ours (or any) right before (or,
/// with `after`, right after) it.
bool hasBarrierBeside(Operation *op, bool after) {
  Operation *n = after ? op->getNextNode() : op->getPrevNode();
  return n && isBarrier(n);
}

std::string summary(LoopProof &p) {
  std::string s = "loop at " + formatLocation(p.loop.getLoc()) +
                  ": Membar adds " + std::to_string(p.added.size()) +
                  " CTA barrier(s) in it" + reasons(p.added);
  for (Operation *op : p.unknown)
    s += "; " + describeOp(op) +
         " touches shared memory without declaring its effects (Membar "
         "cannot order it: " +
         (hasBarrierBeside(op, false) && hasBarrierBeside(op, true)
              ? "a barrier on either side)"
              : "it needs a barrier on either side)");
  s += "; placed by autopipe-insert-barriers: " + std::to_string(p.placed) +
       ", other barriers already there: " + std::to_string(p.existing);
  return s;
}

//===-- Linked slot counters ----------------------------------------------===//
//
// Our circular buffers keep two loop-carried counters per group, `insert`
// (the slot the copies fill) and `extract` (the slot the consumers read),
// each advanced by one a kernel iteration with the pipeliner's wrap
// (select(cmpi sge(c + 1, N), 0, c + 1)). Membar's BufferIndexAnalysis tells
// two slots apart only when both indices are `base + constant` of the same
// base, so it cannot see that a refill of slot `insert` never touches the
// slot `extract` read in the same iteration, and puts a CTA barrier before
// the refill. With both initial values constant, insert == (extract + d) mod N
// in every iteration (d: their difference at entry; both advance by one), so
// `insert` is rewritten as remsi(extract_arg + 1 + d, N): the same value, in
// the form Membar reads.

/// The constant value of `v` through constants, addi, cmpi and select.
std::optional<int64_t> evaluate(Value v, int depth = 0) {
  Operation *def = v.getDefiningOp();
  if (!def || depth > 32)
    return std::nullopt;
  if (auto c = dyn_cast<arith::ConstantIntOp>(def))
    return c.value();
  if (auto add = dyn_cast<arith::AddIOp>(def)) {
    auto l = evaluate(add.getLhs(), depth + 1);
    auto r = evaluate(add.getRhs(), depth + 1);
    return l && r ? std::optional<int64_t>(*l + *r) : std::nullopt;
  }
  if (auto sel = dyn_cast<arith::SelectOp>(def)) {
    auto c = evaluate(sel.getCondition(), depth + 1);
    if (!c)
      return std::nullopt;
    return evaluate(*c ? sel.getTrueValue() : sel.getFalseValue(), depth + 1);
  }
  if (auto cmp = dyn_cast<arith::CmpIOp>(def)) {
    auto l = evaluate(cmp.getLhs(), depth + 1);
    auto r = evaluate(cmp.getRhs(), depth + 1);
    if (!l || !r)
      return std::nullopt;
    switch (cmp.getPredicate()) {
    case arith::CmpIPredicate::sge:
      return *l >= *r;
    case arith::CmpIPredicate::slt:
      return *l < *r;
    case arith::CmpIPredicate::eq:
      return *l == *r;
    default:
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// A loop-carried wrap counter: iter arg `arg`, its next value `next` in the
/// body, the slot count N (value and constant) and the initial value.
struct WrapCounter {
  BlockArgument arg;
  arith::SelectOp next;
  Value n;
  int64_t slots, init;
};

std::optional<WrapCounter> wrapCounter(scf::ForOp loop, unsigned i) {
  Block *body = loop.getBody();
  auto sel =
      body->getTerminator()->getOperand(i).getDefiningOp<arith::SelectOp>();
  if (!sel || sel->getBlock() != body)
    return std::nullopt;
  auto cmp = sel.getCondition().getDefiningOp<arith::CmpIOp>();
  auto add = sel.getFalseValue().getDefiningOp<arith::AddIOp>();
  if (!cmp || !add || cmp.getPredicate() != arith::CmpIPredicate::sge ||
      cmp.getLhs() != add.getResult() || evaluate(sel.getTrueValue()) != 0)
    return std::nullopt;
  BlockArgument arg = loop.getRegionIterArg(i);
  if (add.getLhs() != arg && add.getRhs() != arg)
    return std::nullopt;
  Value one = add.getLhs() == arg ? add.getRhs() : add.getLhs();
  std::optional<int64_t> n = evaluate(cmp.getRhs());
  std::optional<int64_t> init = evaluate(loop.getInitArgs()[i]);
  if (evaluate(one) != 1 || !n || !init || *n < 1 || *init < -1 || *init >= *n)
    return std::nullopt;
  return WrapCounter{arg, sel, cmp.getRhs(), *n, *init};
}

/// True if slot view `view` is written by one of its users (a copy's or a
/// store's destination).
bool isWrittenSlot(Value view) {
  for (OpOperand &use : view.getUses()) {
    auto mem = dyn_cast<MemoryEffectOpInterface>(use.getOwner());
    if (!mem)
      continue;
    SmallVector<MemoryEffects::EffectInstance> effects;
    mem.getEffectsOnValue(view, effects);
    if (llvm::any_of(effects, [](MemoryEffects::EffectInstance &e) {
          return isa<MemoryEffects::Write>(e.getEffect());
        }))
      return true;
  }
  return false;
}

/// Links the insert counter of each circular buffer of `loop` to its extract
/// counter (see above); returns how many were linked.
unsigned linkCounters(scf::ForOp loop) {
  DenseMap<unsigned, WrapCounter> counters;
  DenseMap<Value, unsigned> byNext;
  for (unsigned i = 0; i < loop.getNumRegionIterArgs(); ++i)
    if (std::optional<WrapCounter> c = wrapCounter(loop, i)) {
      counters.try_emplace(i, *c);
      byNext[c->next.getResult()] = i;
    }
  // Per buffer: the counters indexing its written slots and its read ones.
  llvm::MapVector<Value, std::pair<DenseSet<unsigned>, DenseSet<unsigned>>>
      users;
  loop.getBody()->walk([&](ttg::MemDescIndexOp view) {
    auto it = byNext.find(view.getIndex());
    if (it == byNext.end())
      return;
    auto &[writes, reads] = users[view.getSrc()];
    (isWrittenSlot(view.getResult()) ? writes : reads).insert(it->second);
  });
  // insert -> extract, where every buffer indexed by insert is written
  // through it only and read through one extract, the same for all.
  llvm::MapVector<unsigned, unsigned> links;
  DenseSet<unsigned> refused;
  for (auto &[buffer, sides] : users) {
    auto &[writes, reads] = sides;
    if (writes.size() != 1 || reads.size() != 1 ||
        *writes.begin() == *reads.begin()) {
      refused.insert(writes.begin(), writes.end());
      refused.insert(reads.begin(), reads.end());
      continue;
    }
    unsigned ins = *writes.begin(), ext = *reads.begin();
    auto [it, fresh] = links.try_emplace(ins, ext);
    if (!fresh && it->second != ext)
      refused.insert(ins);
  }
  unsigned linked = 0;
  for (auto [ins, ext] : links) {
    if (refused.contains(ins) || links.count(ext))
      continue;
    WrapCounter &i = counters.find(ins)->second;
    WrapCounter &e = counters.find(ext)->second;
    if (i.slots != e.slots)
      continue;
    int64_t d = ((i.init - e.init) % i.slots + i.slots) % i.slots;
    if (d == 0)
      continue; // the same slot: nothing to tell apart
    OpBuilder b(i.next);
    Location loc = i.next.getLoc();
    Type ty = i.arg.getType();
    Value offset =
        b.create<arith::ConstantOp>(loc, ty, b.getIntegerAttr(ty, 1 + d));
    Value sum = b.create<arith::AddIOp>(loc, e.arg, offset);
    Value slot = b.create<arith::RemSIOp>(loc, sum, i.n);
    i.next.getResult().replaceAllUsesWith(slot);
    ++linked;
  }
  return linked;
}

/// A CTA barrier right before `at` (or after it), marked by its location
/// "autopipe.barrier: <why>"(<at's location>): ttg.barrier prints no
/// attributes, and the mark survives printing.
void placeBarrier(Operation *at, bool after, const std::string &why) {
  OpBuilder b(at);
  if (after)
    b.setInsertionPointAfter(at);
  b.create<ttg::BarrierOp>(
      NameLoc::get(b.getStringAttr(kBarrierMark + why), at->getLoc()),
      ttg::AddrSpace::Local);
}

/// The barriers Membar adds in `p`'s loop, placed.
void placeAdded(LoopProof &p) {
  for (Added &a : p.added)
    placeBarrier(a.at, a.after, a.reason);
}

/// A barrier on either side of an op Membar cannot see (unless one is there);
/// returns the reason.
std::string guardUnknown(Operation *op) {
  std::string why = "conservative: " + describeOp(op) +
                    " touches shared memory without declaring its effects";
  for (bool after : {false, true})
    if (!hasBarrierBeside(op, after))
      placeBarrier(op, after, why);
  return why;
}

/// Links the slot counters of every loop of ours (link-counters), reporting
/// each loop it changed.
void linkAllCounters(
    ModuleOp module,
    llvm::function_ref<void(scf::ForOp, const std::string &)> report) {
  module->walk([&](scf::ForOp loop) {
    if (!isOurs(loop))
      return;
    if (unsigned n = linkCounters(loop))
      report(loop, "loop at " + formatLocation(loop.getLoc()) + ": " +
                       std::to_string(n) +
                       " insert counter(s) written as (extract + 1 + "
                       "distance) mod slots (the same values), so that "
                       "Membar tells a refilled slot from the one read in "
                       "the same iteration");
  });
}

struct InsertBarriersPass
    : public autopipe::impl::InsertBarriersPassBase<InsertBarriersPass> {
  using InsertBarriersPassBase::InsertBarriersPassBase;

  /// Places the barriers Membar would add in our loops (conservative ones
  /// around the ops it cannot see first, so that its own account for them);
  /// the proofs of the loops handled, before placing.
  template <typename Report>
  SmallVector<LoopProof> place(ModuleOp module, Report &report,
                               llvm::raw_ostream &os) {
    SmallVector<LoopProof> proofs = prove(module);
    for (LoopProof &p : proofs)
      if (inPartition(p))
        report(p.loop, "loop at " + formatLocation(p.loop.getLoc()) +
                           ": inside a warp-specialized partition: its "
                           "barriers are left to Membar");
    llvm::erase_if(proofs, inPartition);
    bool guarded = false;
    for (LoopProof &p : proofs)
      for (Operation *op : p.unknown) {
        std::string why = guardUnknown(op);
        if (remarks)
          op->emitRemark() << getArgument() << ": " << why
                           << "; a CTA barrier on either side";
        os << getArgument() << ": " << why << " (in the loop at "
           << formatLocation(p.loop.getLoc())
           << "): a CTA barrier on either side\n";
        guarded = true;
      }
    if (guarded)
      proofs = prove(module, /*skipPartitions=*/true);
    for (LoopProof &p : proofs) {
      placeAdded(p);
      if (!p.added.empty())
        report(p.loop, "loop at " + formatLocation(p.loop.getLoc()) +
                           ": placed " + std::to_string(p.added.size()) +
                           " CTA barrier(s)" + reasons(p.added));
    }
    return proofs;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string text;
    llvm::raw_string_ostream os(text);
    // One line of the report, and the remark on `loop` if asked for.
    auto report = [&](Operation *at, const std::string &msg) {
      if (remarks)
        at->emitRemark() << getArgument() << ": " << msg;
      os << getArgument() << ": " << msg << "\n";
    };
    // The channels of warp-specialized loops first: their waits and arrives
    // order the partitions, and Membar then sees what the lowering will.
    SmallVector<ttg::WarpSpecializeOp> partitioned;
    module->walk([&](ttg::WarpSpecializeOp ws) {
      if (channels::hasChannels(ws))
        partitioned.push_back(ws);
    });
    for (ttg::WarpSpecializeOp ws : partitioned) {
      std::string at = "ttg.warp_specialize at " + formatLocation(ws.getLoc());
      if (mode != BarrierMode::Place) {
        report(ws, at + ": channels marked, not materialized (mode=prove)");
        continue;
      }
      SmallVector<std::string> lines;
      if (failed(channels::materializeChannels(ws, lines)))
        return signalPassFailure();
      for (const std::string &line : lines)
        report(ws, at + ": " + line);
    }
    if (linkCountersOpt)
      linkAllCounters(module, report);
    bool anyOurs = false;
    module->walk([&](scf::ForOp loop) { anyOurs |= isOurs(loop); });
    if (!anyOurs) { // no loop of ours to synchronize or report
      if (!text.empty() &&
          failed(writeTextReport(output, text, module, getArgument())))
        signalPassFailure();
      return;
    }
    if (failed(checkAllocatable(module, getArgument())))
      return signalPassFailure();
    SmallVector<LoopProof> proofs;
    if (mode == BarrierMode::Place) {
      proofs = place(module, report, os);
      if (!reprove) {
        if (failed(writeTextReport(output, text, module, getArgument())))
          signalPassFailure();
        return;
      }
      proofs = prove(module, /*skipPartitions=*/true);
    } else {
      proofs = prove(module);
    }
    for (LoopProof &p : proofs) {
      if (mode == BarrierMode::Place && !p.added.empty()) {
        p.loop.emitWarning()
            << getArgument() << ": after placing, " << summary(p);
        os << getArgument() << ": " << summary(p) << "\n";
      } else {
        report(p.loop, summary(p));
      }
    }
    if (failed(writeTextReport(output, text, module, getArgument())))
      signalPassFailure();
  }
};

} // namespace
