//===- DoubleBufferOperands.cpp - shared->register double buffering ------===//
//
// `autopipe-double-buffer-operands` double-buffers the register operands of
// MMAs that read registers (mma.sync; MFMA on gfx942/gfx950): a `tt.dot` in
// an scf.for whose A and B are `ttg.local_load`s of shared-memory tiles is
// split along K into slices, the loads of slice j + 1 issued before the MMA
// of slice j, so they overlap it and only two slices of each operand are live
// in registers. With `prefetch-next`, slice 0 of the next iteration is loaded
// at the end of the body and carried across the back edge. Runs after the
// loop expansion; every dot or loop left as is gets the reason in the remark.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/Pass.h"

#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/Utility.h"

#include <optional>

using namespace mlir;
using namespace mlir::autopipe;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_DOUBLEBUFFEROPERANDSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {
struct DoubleBufferOperandsPass;
/// The pass's argument (Passes.td), for messages of the helpers below.
constexpr llvm::StringLiteral kArgument =
    autopipe::impl::DoubleBufferOperandsPassBase<
        DoubleBufferOperandsPass>::getArgumentName();

/// Why a dot or a loop is left as is (the text of its remark).
struct WhyNot {
  std::string reason;
};

/// A `T`, or why there is none.
template <typename T> struct OrWhyNot {
  OrWhyNot(T value) : value(std::move(value)) {}
  OrWhyNot(WhyNot why) : why(std::move(why.reason)) {}
  explicit operator bool() const { return value.has_value(); }
  T &operator*() { return *value; }

  std::optional<T> value;
  std::string why;
};

/// The "; "-separated notes of one loop's remark.
struct Notes {
  std::string text;
  void add(const Twine &note) {
    text += (text.empty() ? "" : "; ") + note.str();
  }
};

/// The local_load an operand comes from, directly or through one layout
/// conversion (`convert`, which then goes too); both used only on this path.
ttg::LocalLoadOp operandLoad(Value operand, ttg::ConvertLayoutOp &convert) {
  convert = operand.getDefiningOp<ttg::ConvertLayoutOp>();
  if (convert) {
    if (!convert->hasOneUse())
      return nullptr;
    operand = convert.getSrc();
  }
  auto load = operand.getDefiningOp<ttg::LocalLoadOp>();
  return load && load->hasOneUse() ? load : nullptr;
}

/// How one dot is split: its operand loads (and conversions, may be null)
/// and `numSlices` slices of `kSlice` K elements.
struct DotSlicing {
  ttg::LocalLoadOp loadA, loadB;
  ttg::ConvertLayoutOp convertA, convertB;
  int64_t kSlice;
  int64_t numSlices;
};

/// K of one MMA instruction for an A operand of type `aType` (mma.sync:
/// m16n8k(256 / bits); MFMA: its instrShape); a slice must hold whole ones.
OrWhyNot<int64_t> instructionK(RankedTensorType aType) {
  int64_t instrK = 256 / std::max(1u, aType.getElementTypeBitWidth());
  auto dotEnc = dyn_cast<ttg::DotOperandEncodingAttr>(aType.getEncoding());
  if (!dotEnc)
    return WhyNot{"its A operand is not in a dot-operand layout"};
  if (auto mfma = dyn_cast<ttg::AMDMfmaEncodingAttr>(dotEnc.getParent())) {
    ArrayRef<unsigned> shape = mfma.getInstrShape();
    if (shape.size() >= 3)
      instrK = shape[2];
  } else if (!isa<ttg::NvidiaMmaEncodingAttr>(dotEnc.getParent())) {
    return WhyNot{"its MMA layout is neither mma.sync nor MFMA"};
  }
  return instrK;
}

/// How `dot` can be split into slices of `kSliceOption` K elements (0: one
/// MMA instruction's K, the fewest registers), or why it cannot.
OrWhyNot<DotSlicing> planSlicing(tt::DotOp dot, int64_t kSliceOption) {
  DotSlicing s;
  s.loadA = operandLoad(dot.getA(), s.convertA);
  s.loadB = operandLoad(dot.getB(), s.convertB);
  if (!s.loadA || !s.loadB)
    return WhyNot{"its operands are not shared-memory loads (local_load, used "
                  "only by the dot)"};
  if (s.loadA->getBlock() != dot->getBlock() ||
      s.loadB->getBlock() != dot->getBlock())
    return WhyNot{"its operand loads are in another block"};
  auto aType = cast<RankedTensorType>(dot.getA().getType());
  auto bType = cast<RankedTensorType>(dot.getB().getType());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return WhyNot{"batched (rank > 2) dot"};
  int64_t K = aType.getShape()[1];
  OrWhyNot<int64_t> instrK = instructionK(aType);
  if (!instrK)
    return WhyNot{instrK.why};
  s.kSlice = kSliceOption > 0 ? kSliceOption : *instrK;
  if (s.kSlice % *instrK != 0)
    return WhyNot{("k-slice " + Twine(s.kSlice) +
                   " is not a multiple of the MMA instruction's K (" +
                   Twine(*instrK) + ")")
                      .str()};
  if (K % s.kSlice != 0 || K / s.kSlice < 2)
    return WhyNot{("K = " + Twine(K) + " is not a multiple of 2 x " +
                   Twine(s.kSlice) + " (k-slice)")
                      .str()};
  s.numSlices = K / s.kSlice;
  return s;
}

/// Loads slice `j` of the dot operand of type `type` that `load` reads (K is
/// dimension `kDim`): a `ttg.memdesc_subslice` view of the tile and a
/// local_load of it straight into the operand's layout.
Value loadSlice(OpBuilder &b, Location loc, ttg::LocalLoadOp load,
                RankedTensorType type, unsigned kDim, int64_t j,
                int64_t kSlice) {
  auto mem = cast<ttg::MemDescType>(load.getSrc().getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[kDim] = kSlice;
  SmallVector<int32_t> offsets = {0, 0};
  offsets[kDim] = static_cast<int32_t>(j * kSlice);
  auto memTy = mem.cloneWith(ArrayRef<int64_t>(shape), mem.getElementType());
  Value view =
      ttg::MemDescSubsliceOp::create(b, loc, memTy, load.getSrc(), offsets);
  auto ty =
      RankedTensorType::get(shape, type.getElementType(), type.getEncoding());
  return ttg::LocalLoadOp::create(b, loc, ty, view, load.getToken())
      .getResult();
}

/// What splitting one dot left: the loads of slice 0 (A, B) and the dot of
/// the last slice, whose result replaced the original dot's.
struct SplitDot {
  ttg::LocalLoadOp firstA, firstB;
  tt::DotOp last;
};

/// Splits `dot` as planned: slice j + 1 is loaded before the dot of slice j;
/// the dots keep the original's attributes and chain their accumulators, so
/// the sum over K is the same, in the same order of K blocks.
SplitDot splitDot(tt::DotOp dot, DotSlicing s) {
  OpBuilder b(dot);
  Location loc = dot.getLoc();
  auto aType = cast<RankedTensorType>(dot.getA().getType());
  auto bType = cast<RankedTensorType>(dot.getB().getType());
  auto slice = [&](int64_t j) -> std::pair<Value, Value> {
    Value a = loadSlice(b, loc, s.loadA, aType, /*kDim=*/1, j, s.kSlice);
    Value bv = loadSlice(b, loc, s.loadB, bType, /*kDim=*/0, j, s.kSlice);
    return {a, bv};
  };
  SmallVector<std::pair<Value, Value>> slices;
  slices.push_back(slice(0));
  Value acc = dot.getC();
  for (int64_t j = 0; j < s.numSlices; ++j) {
    if (j + 1 < s.numSlices)
      slices.push_back(slice(j + 1));
    IRMapping map;
    map.map(dot.getA(), slices[j].first);
    map.map(dot.getB(), slices[j].second);
    map.map(dot.getC(), acc);
    acc = b.clone(*dot, map)->getResult(0);
  }
  SplitDot split{slices[0].first.getDefiningOp<ttg::LocalLoadOp>(),
                 slices[0].second.getDefiningOp<ttg::LocalLoadOp>(),
                 acc.getDefiningOp<tt::DotOp>()};
  dot.getResult().replaceAllUsesWith(acc);
  dot->erase();
  for (Operation *op : {s.convertA.getOperation(), s.convertB.getOperation()})
    if (op)
      op->erase();
  s.loadA->erase();
  s.loadB->erase();
  return split;
}

/// Whether `op` may write memory or start/commit copies that later waits
/// count (ops without a memory-effect interface are assumed to).
bool mayWriteOrCommit(Operation *op) {
  if (isa<ttg::AsyncCommitGroupOp, ttg::AsyncCopyGlobalToLocalOp>(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return op->getNumRegions() != 0 ||
           !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>();
  return effects.hasEffect<MemoryEffects::Write>() ||
         effects.hasEffect<MemoryEffects::Allocate>() ||
         effects.hasEffect<MemoryEffects::Free>();
}

/// The ops of `body` that `roots` (the slice-0 loads) are computed from, or
/// why they cannot be recomputed for the next iteration at its end.
OrWhyNot<DenseSet<Operation *>> prefetchChain(Block *body,
                                              ArrayRef<Operation *> roots) {
  DenseSet<Operation *> chain;
  SmallVector<Operation *> work(roots.begin(), roots.end());
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if (op->getBlock() != body || !chain.insert(op).second)
      continue;
    bool allowed =
        op->getNumRegions() == 0 &&
        (isMemoryEffectFree(op) || isa<ttg::AsyncWaitOp, ttg::LocalLoadOp>(op));
    if (!allowed)
      return WhyNot{("slice 0's address depends on " +
                     op->getName().getStringRef() + " at " +
                     formatLocation(op->getLoc()))
                        .str()};
    if (isa<ttg::LocalLoadOp>(op) && !llvm::is_contained(roots, op))
      return WhyNot{"slice 0's address is read from shared memory"};
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        work.push_back(def);
  }
  return chain;
}

/// The first op before the last of `roots` (outside `chain`) that writes
/// shared memory or commits copies: the next iteration's loads, moved to the
/// end of this one, must see what they would have seen at its top.
Operation *writerBeforeSlice0(Block *body, const DenseSet<Operation *> &chain,
                              ArrayRef<Operation *> roots) {
  Operation *lastRoot = roots.front();
  for (Operation *r : roots)
    if (lastRoot->isBeforeInBlock(r))
      lastRoot = r;
  for (Operation &op : *body) {
    if (&op == lastRoot)
      break;
    if (!chain.contains(&op) && mayWriteOrCommit(&op))
      return &op;
  }
  return nullptr;
}

/// Clones `v`'s computation in `chain` at `b`, with the body's arguments
/// mapped by `arg` (ops outside the chain are used as they are).
Value cloneChain(Value v, const DenseSet<Operation *> &chain, OpBuilder &b,
                 function_ref<Value(BlockArgument)> arg, IRMapping &map) {
  if (Value done = map.lookupOrNull(v))
    return done;
  if (auto ba = dyn_cast<BlockArgument>(v)) {
    Value mapped = arg(ba);
    map.map(v, mapped);
    return mapped;
  }
  Operation *op = v.getDefiningOp();
  if (!chain.contains(op))
    return v;
  for (Value operand : op->getOperands())
    cloneChain(operand, chain, b, arg, map);
  b.clone(*op, map);
  return map.lookup(v);
}

/// The body's async_waits the slice-0 loads depend on: the next iteration
/// finds what they wait for already waited for at the end of this one, so
/// their tokens are carried from there and they go (each async_wait costs a
/// CTA barrier: Membar puts one after it).
SmallVector<ttg::AsyncWaitOp> carriedWaits(Block *body, SplitDot split) {
  SmallVector<ttg::AsyncWaitOp> waits;
  for (ttg::LocalLoadOp load : {split.firstA, split.firstB})
    if (Value token = load.getToken())
      if (auto wait = token.getDefiningOp<ttg::AsyncWaitOp>())
        if (wait->getBlock() == body && !llvm::is_contained(waits, wait))
          waits.push_back(wait);
  return waits;
}

/// Slice 0 (A, B, then the waits' tokens) recomputed at `b`, with the body's
/// arguments mapped by `arg`.
SmallVector<Value> cloneSlice0(SplitDot split,
                               const DenseSet<Operation *> &chain, OpBuilder &b,
                               function_ref<Value(BlockArgument)> arg,
                               ArrayRef<ttg::AsyncWaitOp> waits) {
  IRMapping map;
  SmallVector<Value> values = {
      cloneChain(split.firstA.getResult(), chain, b, arg, map),
      cloneChain(split.firstB.getResult(), chain, b, arg, map)};
  for (ttg::AsyncWaitOp wait : waits)
    values.push_back(map.lookup(wait.getResult()));
  return values;
}

/// In the new loop: the first MMA reads the carried slice, the waits' users
/// the carried tokens (iter args from `firstNew` on); the old slice-0 loads,
/// their views and the waits go; the last MMA follows the next loads.
void useCarriedSlice0(scf::ForOp loop, SplitDot split,
                      ArrayRef<ttg::AsyncWaitOp> waits, unsigned firstNew) {
  auto iterArgs = loop.getRegionIterArgs();
  split.firstA.getResult().replaceAllUsesWith(iterArgs[firstNew]);
  split.firstB.getResult().replaceAllUsesWith(iterArgs[firstNew + 1]);
  for (ttg::LocalLoadOp load : {split.firstA, split.firstB}) {
    Operation *view = load.getSrc().getDefiningOp();
    load->erase();
    if (view && isa<ttg::MemDescSubsliceOp>(view) && view->use_empty())
      view->erase();
  }
  for (auto [i, carried] : llvm::enumerate(waits)) {
    ttg::AsyncWaitOp wait = carried;
    wait.getResult().replaceAllUsesWith(iterArgs[firstNew + 2 + i]);
    wait->erase();
  }
  split.last->moveBefore(loop.getBody()->getTerminator());
}

/// Moves the slice-0 loads of `split` across the back edge of `loop`:
///
///   a0, b0 = <slice 0 of iteration lb>               // before the loop
///   scf.for ... iter_args(..., %a0 = a0, %b0 = b0) {
///     ...                                            // slices 1..n-1
///     acc = dot(%a0, %b0, acc) ... <async copies>
///     a0', b0' = <slice 0 of iteration iv + step>    // wait + view + loads
///     acc = dot(a_{n-1}, b_{n-1}, acc)
///     scf.yield ..., a0', b0'
///   }
///
/// Equivalent only when nothing in the body before those loads writes shared
/// memory or commits copies and the last slice's MMA feeds only the yield.
/// The extra loads of the last iteration read an allocated slot whose value
/// is not used. Returns the new loop, or why not.
OrWhyNot<scf::ForOp> prefetchNext(scf::ForOp loop, SplitDot split) {
  Block *body = loop.getBody();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  if (!split.last->hasOneUse() || *split.last->user_begin() != yield)
    return WhyNot{"the last slice's MMA has users other than the loop's yield"};
  SmallVector<Operation *> roots = {split.firstA, split.firstB};
  OrWhyNot<DenseSet<Operation *>> chain = prefetchChain(body, roots);
  if (!chain)
    return WhyNot{chain.why};
  if (Operation *op = writerBeforeSlice0(body, *chain, roots))
    return WhyNot{("the body writes shared memory or commits copies before "
                   "slice 0 is loaded (" +
                   op->getName().getStringRef() + " at " +
                   formatLocation(op->getLoc()) + ")")
                      .str()};

  OpBuilder before(loop);
  auto initArg = [&](BlockArgument arg) -> Value {
    if (arg.getOwner() != body)
      return arg;
    if (arg == loop.getInductionVar())
      return loop.getLowerBound();
    return loop.getTiedLoopInit(arg)->get();
  };
  SmallVector<ttg::AsyncWaitOp> waits = carriedWaits(body, split);
  SmallVector<Value> inits = cloneSlice0(split, *chain, before, initArg, waits);

  unsigned firstNew = loop.getNumRegionIterArgs();
  scf::ForOp newLoop = addIterArgsToLoop(before, loop, inits);
  body = newLoop.getBody();
  yield = cast<scf::YieldOp>(body->getTerminator());
  OpBuilder end(yield);
  auto nextArg = [&](BlockArgument arg) -> Value {
    if (arg.getOwner() != body)
      return arg;
    if (arg == newLoop.getInductionVar())
      return arith::AddIOp::create(end, newLoop.getLoc(), arg,
                                   newLoop.getStep());
    return yield.getOperand(arg.getArgNumber() - newLoop.getNumInductionVars());
  };
  SmallVector<Value> nexts = cloneSlice0(split, *chain, end, nextArg, waits);
  yield->insertOperands(yield.getNumOperands(), nexts);
  useCarriedSlice0(newLoop, split, waits, firstNew);
  return newLoop;
}

/// Splits the dots of `loop`'s body; notes what it leaves as is.
SmallVector<SplitDot> splitDotsOf(scf::ForOp loop, int64_t kSlice,
                                  Notes &notes) {
  SmallVector<SplitDot> splits;
  for (Operation &op :
       llvm::make_early_inc_range(loop.getBody()->without_terminator())) {
    if (isa<tt::DotOpInterface>(op) && !isa<tt::DotOp>(op)) {
      bool wgmma = op.getName().getStringRef() == "ttng.warp_group_dot";
      notes.add("MMA at " + formatLocation(op.getLoc()) +
                (wgmma ? " reads shared memory directly; left as is"
                       : " is not a tt.dot (e.g. scaled); left as is"));
      continue;
    }
    auto dot = dyn_cast<tt::DotOp>(op);
    if (!dot)
      continue;
    std::string loc = formatLocation(dot.getLoc());
    OrWhyNot<DotSlicing> plan = planSlicing(dot, kSlice);
    if (plan)
      splits.push_back(splitDot(dot, *plan));
    else
      notes.add("dot at " + loc + " left as is: " + plan.why);
  }
  return splits;
}

/// Double-buffers the dots of `loop`; returns its report line, or nullopt if
/// the loop holds no MMA.
std::optional<std::string> bufferLoop(scf::ForOp loop, int64_t kSlice,
                                      bool prefetch) {
  Notes notes;
  SmallVector<SplitDot> splits = splitDotsOf(loop, kSlice, notes);
  if (splits.empty() && notes.text.empty())
    return std::nullopt;
  std::string across;
  if (prefetch && !splits.empty()) {
    unsigned moved = 0;
    for (SplitDot &done : splits) {
      std::string loc = formatLocation(done.last.getLoc());
      OrWhyNot<scf::ForOp> next = prefetchNext(loop, done);
      if (next) {
        loop = *next;
        ++moved;
      } else {
        notes.add("dot at " + loc +
                  ": slice 0 not prefetched across the back edge: " + next.why);
      }
    }
    across = " (" + std::to_string(moved) +
             " with slice 0 prefetched across the back edge)";
  }
  return "autopipe-double-buffer-operands: loop at " +
         formatLocation(loop.getLoc()) + ": " + std::to_string(splits.size()) +
         " dot(s) double-buffered along K" + across +
         (notes.text.empty() ? "" : "; " + notes.text);
}

/// The pass on `module` (options checked), with its option values.
LogicalResult bufferModule(ModuleOp module, int64_t kSlice, bool prefetch,
                           bool remarks, StringRef output) {
  std::string report;
  // Loops are collected first: prefetching replaces a loop.
  SmallVector<scf::ForOp> loops;
  module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops) {
    Location loc = loop.getLoc(); // prefetching may replace `loop`
    std::optional<std::string> line = bufferLoop(loop, kSlice, prefetch);
    if (!line)
      continue;
    if (remarks)
      mlir::emitRemark(loc) << *line;
    report += *line + "\n";
  }
  return writeTextReport(output, report, module, kArgument);
}

struct DoubleBufferOperandsPass
    : public autopipe::impl::DoubleBufferOperandsPassBase<
          DoubleBufferOperandsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (stages != 1 && stages != 2) {
      module.emitError() << "autopipe-double-buffer-operands: stages must be 1 "
                            "(off) or 2 (double buffering), got "
                         << static_cast<int>(stages);
      return signalPassFailure();
    }
    if (kSlice < 0) {
      module.emitError() << "autopipe-double-buffer-operands: k-slice must be "
                            ">= 0, got "
                         << static_cast<int>(kSlice);
      return signalPassFailure();
    }
    if (stages == 1)
      return;
    if (failed(bufferModule(module, kSlice, prefetchNextOpt, remarks, output)))
      return signalPassFailure();
  }
};

} // namespace
