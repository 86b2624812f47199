//===- DoubleBufferOperands.cpp - shared->register double buffering ------===//
//
// `autopipe-double-buffer-operands` double-buffers the register operands of
// MMAs that read registers (mma.sync on sm80 -- and sm90 with MMA v3 off --,
// MFMA on gfx942/gfx950): in every scf.for, a `tt.dot` whose A and B operands
// are `ttg.local_load`s of shared-memory tiles (typically circular-buffer
// slots from autopipe-allocate-buffers; directly in the dot-operand layout or
// through one layout conversion) is split along K into slices of
// `k-slice` elements, and the loads are interleaved one slice ahead:
//
//   a0 = local_load A[:, 0:k]   b0 = local_load B[0:k, :]
//   a1 = local_load A[:, k:2k]  b1 = local_load B[k:2k, :]
//   acc = dot(a0, b0, acc)                       // slice 1 loads in flight
//   a2 = ...; b2 = ...
//   acc = dot(a1, b1, acc)
//   ...
//
// so the shared->register loads of slice j + 1 are issued before, and overlap,
// the MMA of slice j, and only two slices of each operand are live in
// registers instead of the whole tile (the loads of the next slice go into
// the second register buffer while the first is consumed). Slices are
// `ttg.memdesc_subslice` views of the original tiles; the dots keep the
// original's attributes and chain their accumulators, so the sum over K is
// the same, in the same order of K blocks.
//
// Across the loop back edge (`prefetch-next`), slice 0 of the next iteration
// is loaded at the end of the body, after the iteration's async copies were
// issued, and carried in registers; the MMA of the last slice moves after
// it, so those loads overlap it too; slice 0 of the first iteration is loaded
// before the loop:
//
//   a0, b0 = <slice 0 of iteration lb>               // before the loop
//   scf.for ... iter_args(..., %a0 = a0, %b0 = b0) {
//     ...                                            // slices 1..n-1 as above
//     acc = dot(%a0, %b0, acc) ... <async copies>
//     a0', b0' = <slice 0 of iteration iv + step>    // wait + view + loads
//     acc = dot(a_{n-1}, b_{n-1}, acc)
//     scf.yield ..., a0', b0'
//   }
//
// The loads of the next iteration are the ones it would run at its top (the
// same async_wait, slot index and view, recomputed from the yielded values);
// the body's own async_wait then waits for nothing new, so its token is
// carried from the end of the previous iteration and the wait goes (Membar
// puts a CTA barrier after every async_wait: one barrier less per iteration).
// That is equivalent only when nothing in the body before those loads writes
// shared memory or commits copies, and the last slice's MMA feeds only the
// yield; otherwise slice 0 stays in the iteration, with the reason in the
// remark. The extra loads of the last iteration (and of a loop that runs no
// iteration) read an allocated slot whose value is not used.
//
// Runs after the loop expansion (the MMA of the kernel loop is then final).
// Left as is, with a remark naming the loop and the reason: dots whose
// operands are not local_loads used only by the dot, whose K is not a
// multiple of 2 * k-slice, MMAs reading shared memory directly (wgmma), dots
// in nested regions.
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
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

using namespace mlir;
using namespace mlir::autopipe;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;

namespace mlir::autopipe {
#define GEN_PASS_DEF_DOUBLEBUFFEROPERANDSPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

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

/// What splitting one dot left: the loads of slice 0 (A, B) and the dot of
/// the last slice, whose result replaced the original dot's.
struct SplitDot {
  ttg::LocalLoadOp firstA, firstB;
  tt::DotOp last;
};

/// Splits one dot into `split`; returns "" when done, else why not.
std::string splitDot(tt::DotOp dot, int64_t kSliceOption, SplitDot &split) {
  ttg::ConvertLayoutOp convertA, convertB;
  auto loadA = operandLoad(dot.getA(), convertA);
  auto loadB = operandLoad(dot.getB(), convertB);
  if (!loadA || !loadB)
    return "its operands are not shared-memory loads (local_load, used only "
           "by the dot)";
  if (loadA->getBlock() != dot->getBlock() ||
      loadB->getBlock() != dot->getBlock())
    return "its operand loads are in another block";
  auto aType = cast<RankedTensorType>(dot.getA().getType());
  auto bType = cast<RankedTensorType>(dot.getB().getType());
  auto aMem = cast<ttg::MemDescType>(loadA.getSrc().getType());
  auto bMem = cast<ttg::MemDescType>(loadB.getSrc().getType());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return "batched (rank > 2) dot";
  int64_t K = aType.getShape()[1];
  unsigned bits = aType.getElementTypeBitWidth();
  // K of one MMA instruction: a slice must hold whole instructions.
  int64_t instrK = 256 / std::max(1u, bits); // mma.sync m16n8k(256 / bits)
  auto dotEnc = dyn_cast<ttg::DotOperandEncodingAttr>(aType.getEncoding());
  if (!dotEnc)
    return "its A operand is not in a dot-operand layout";
  if (auto mfma = dyn_cast<ttg::AMDMfmaEncodingAttr>(dotEnc.getParent())) {
    ArrayRef<unsigned> shape = mfma.getInstrShape();
    if (shape.size() >= 3)
      instrK = shape[2];
  } else if (!isa<ttg::NvidiaMmaEncodingAttr>(dotEnc.getParent())) {
    return "its MMA layout is neither mma.sync nor MFMA";
  }
  int64_t kSlice = kSliceOption > 0
                       ? kSliceOption
                       : instrK;
  if (kSlice % instrK != 0)
    return ("k-slice " + Twine(kSlice) + " is not a multiple of the MMA "
            "instruction's K (" + Twine(instrK) + ")")
        .str();
  if (K % kSlice != 0 || K / kSlice < 2)
    return ("K = " + Twine(K) + " is not a multiple of 2 x " + Twine(kSlice) +
            " (k-slice)")
        .str();
  int64_t n = K / kSlice;

  OpBuilder b(dot);
  Location loc = dot.getLoc();
  auto sliceA = [&](int64_t j) {
    auto memTy = aMem.cloneWith(ArrayRef<int64_t>{aType.getShape()[0], kSlice},
                                aMem.getElementType());
    Value view = ttg::MemDescSubsliceOp::create(
        b, loc, memTy, loadA.getSrc(),
        ArrayRef<int32_t>{0, static_cast<int32_t>(j * kSlice)});
    auto ty = RankedTensorType::get({aType.getShape()[0], kSlice},
                                    aType.getElementType(),
                                    aType.getEncoding());
    return ttg::LocalLoadOp::create(b, loc, ty, view, loadA.getToken())
        .getResult();
  };
  auto sliceB = [&](int64_t j) {
    auto memTy = bMem.cloneWith(ArrayRef<int64_t>{kSlice, bType.getShape()[1]},
                                bMem.getElementType());
    Value view = ttg::MemDescSubsliceOp::create(
        b, loc, memTy, loadB.getSrc(),
        ArrayRef<int32_t>{static_cast<int32_t>(j * kSlice), 0});
    auto ty = RankedTensorType::get({kSlice, bType.getShape()[1]},
                                    bType.getElementType(),
                                    bType.getEncoding());
    return ttg::LocalLoadOp::create(b, loc, ty, view, loadB.getToken())
        .getResult();
  };
  // Slice j + 1 is loaded before the dot of slice j.
  SmallVector<std::pair<Value, Value>> slices;
  slices.push_back({sliceA(0), sliceB(0)});
  Value acc = dot.getC();
  for (int64_t j = 0; j < n; ++j) {
    if (j + 1 < n)
      slices.push_back({sliceA(j + 1), sliceB(j + 1)});
    IRMapping map;
    map.map(dot.getA(), slices[j].first);
    map.map(dot.getB(), slices[j].second);
    map.map(dot.getC(), acc);
    acc = b.clone(*dot, map)->getResult(0);
  }
  split.firstA = slices[0].first.getDefiningOp<ttg::LocalLoadOp>();
  split.firstB = slices[0].second.getDefiningOp<ttg::LocalLoadOp>();
  split.last = acc.getDefiningOp<tt::DotOp>();
  dot.getResult().replaceAllUsesWith(acc);
  dot->erase();
  for (Operation *op : {convertA.getOperation(), convertB.getOperation()})
    if (op)
      op->erase();
  loadA->erase();
  loadB->erase();
  return "";
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

/// Collects into `chain` the ops of `loop`'s body that `roots` (the slice-0
/// loads) are computed from; returns why they cannot be recomputed for the
/// next iteration at the end of the body, or "".
std::string prefetchChain(scf::ForOp loop, ArrayRef<Operation *> roots,
                          DenseSet<Operation *> &chain) {
  Block *body = loop.getBody();
  SmallVector<Operation *> work(roots.begin(), roots.end());
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if (op->getBlock() != body || !chain.insert(op).second)
      continue;
    bool allowed = op->getNumRegions() == 0 &&
                   (isMemoryEffectFree(op) ||
                    isa<ttg::AsyncWaitOp, ttg::LocalLoadOp>(op));
    if (!allowed)
      return ("slice 0's address depends on " +
              op->getName().getStringRef() + " at " +
              formatLocation(op->getLoc()))
          .str();
    if (isa<ttg::LocalLoadOp>(op) && !llvm::is_contained(roots, op))
      return "slice 0's address is read from shared memory";
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        work.push_back(def);
  }
  // Nothing between the top of the body and the slice-0 loads may write
  // shared memory or commit copies: the next iteration's loads, moved to the
  // end of this one, must see what they would have seen at its top.
  Operation *lastRoot = roots.front();
  for (Operation *r : roots)
    if (lastRoot->isBeforeInBlock(r))
      lastRoot = r;
  for (Operation &op : *body) {
    if (&op == lastRoot)
      break;
    if (!chain.contains(&op) && mayWriteOrCommit(&op))
      return ("the body writes shared memory or commits copies before "
              "slice 0 is loaded (" +
              op.getName().getStringRef() + " at " +
              formatLocation(op.getLoc()) + ")")
          .str();
  }
  return "";
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

/// Moves the slice-0 loads of `split` across the back edge of `loop` (see
/// the file comment); returns why not, or "" when done (then `loop` is the
/// new loop).
std::string prefetchNext(scf::ForOp &loop, SplitDot &split) {
  Block *body = loop.getBody();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  if (!split.last->hasOneUse() || *split.last->user_begin() != yield)
    return "the last slice's MMA has users other than the loop's yield";
  DenseSet<Operation *> chain;
  std::string why =
      prefetchChain(loop, {split.firstA, split.firstB}, chain);
  if (!why.empty())
    return why;

  // Slice 0 of the first iteration, before the loop.
  OpBuilder before(loop);
  IRMapping initMap;
  auto initArg = [&](BlockArgument arg) -> Value {
    if (arg.getOwner() != body)
      return arg;
    if (arg == loop.getInductionVar())
      return loop.getLowerBound();
    return loop.getTiedLoopInit(arg)->get();
  };
  Value initA =
      cloneChain(split.firstA.getResult(), chain, before, initArg, initMap);
  Value initB =
      cloneChain(split.firstB.getResult(), chain, before, initArg, initMap);

  // The body's async_waits the slice-0 loads depend on: the next iteration
  // will find what they wait for already waited for at the end of this one,
  // so their tokens are carried from there and they go (each async_wait costs
  // a CTA barrier: Membar puts one after it).
  SmallVector<ttg::AsyncWaitOp> waits;
  for (ttg::LocalLoadOp load : {split.firstA, split.firstB})
    if (Value token = load.getToken())
      if (auto wait = token.getDefiningOp<ttg::AsyncWaitOp>())
        if (wait->getBlock() == body && !llvm::is_contained(waits, wait))
          waits.push_back(wait);
  SmallVector<Value> inits = {initA, initB};
  for (ttg::AsyncWaitOp wait : waits)
    inits.push_back(initMap.lookup(wait.getResult()));

  unsigned firstNew = loop.getNumRegionIterArgs();
  loop = addIterArgsToLoop(before, loop, inits);
  body = loop.getBody();
  yield = cast<scf::YieldOp>(body->getTerminator());

  // Slice 0 of the next iteration, at the end of the body.
  OpBuilder end(yield);
  IRMapping nextMap;
  auto nextArg = [&](BlockArgument arg) -> Value {
    if (arg.getOwner() != body)
      return arg;
    if (arg == loop.getInductionVar())
      return arith::AddIOp::create(end, loop.getLoc(), arg, loop.getStep());
    return yield.getOperand(arg.getArgNumber() - loop.getNumInductionVars());
  };
  Value nextA =
      cloneChain(split.firstA.getResult(), chain, end, nextArg, nextMap);
  Value nextB =
      cloneChain(split.firstB.getResult(), chain, end, nextArg, nextMap);
  SmallVector<Value> nexts = {nextA, nextB};
  for (ttg::AsyncWaitOp wait : waits)
    nexts.push_back(nextMap.lookup(wait.getResult()));
  yield->insertOperands(yield.getNumOperands(), nexts);

  // The first MMA reads the carried slice; the last one follows the loads.
  split.firstA.getResult().replaceAllUsesWith(
      loop.getRegionIterArgs()[firstNew]);
  split.firstB.getResult().replaceAllUsesWith(
      loop.getRegionIterArgs()[firstNew + 1]);
  for (ttg::LocalLoadOp load : {split.firstA, split.firstB}) {
    Operation *view = load.getSrc().getDefiningOp();
    load->erase();
    if (view && isa<ttg::MemDescSubsliceOp>(view) && view->use_empty())
      view->erase();
  }
  for (auto [i, wait] : llvm::enumerate(waits)) {
    wait.getResult().replaceAllUsesWith(
        loop.getRegionIterArgs()[firstNew + 2 + i]);
    wait->erase();
  }
  split.last->moveBefore(yield);
  return "";
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
    std::string report;
    // Loops are collected first: prefetching replaces a loop.
    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops) {
      std::string msg;
      unsigned split = 0;
      SmallVector<SplitDot> splits;
      for (Operation &op :
           llvm::make_early_inc_range(loop.getBody()->without_terminator())) {
        if (isa<tt::DotOpInterface>(op) && !isa<tt::DotOp>(op)) {
          bool wgmma = op.getName().getStringRef() == "ttng.warp_group_dot";
          msg += (msg.empty() ? "" : "; ") + std::string("MMA at ") +
                 formatLocation(op.getLoc()) +
                 (wgmma ? " reads shared memory directly; left as is"
                        : " is not a tt.dot (e.g. scaled); left as is");
          continue;
        }
        auto dot = dyn_cast<tt::DotOp>(op);
        if (!dot)
          continue;
        std::string loc = formatLocation(dot.getLoc());
        SplitDot done;
        std::string why = splitDot(dot, kSlice, done);
        if (why.empty()) {
          ++split;
          splits.push_back(done);
        } else
          msg += (msg.empty() ? "" : "; ") + std::string("dot at ") + loc +
                 " left as is: " + why;
      }
      if (!split && msg.empty())
        continue;
      std::string across;
      if (prefetchNextOpt && split) {
        unsigned moved = 0;
        for (SplitDot &done : splits) {
          std::string loc = formatLocation(done.last.getLoc());
          std::string why = prefetchNext(loop, done);
          if (why.empty())
            ++moved;
          else
            msg += (msg.empty() ? "" : "; ") + std::string("dot at ") + loc +
                   ": slice 0 not prefetched across the back edge: " + why;
        }
        across = " (" + std::to_string(moved) +
                 " with slice 0 prefetched across the back edge)";
      }
      std::string line = "autopipe-double-buffer-operands: loop at " +
                         formatLocation(loop.getLoc()) + ": " +
                         std::to_string(split) +
                         " dot(s) double-buffered along K" + across +
                         (msg.empty() ? "" : "; " + msg);
      if (remarks)
        mlir::emitRemark(loop.getLoc()) << line;
      report += line + "\n";
    }
    if (failed(writeTextReport(output, report, module, getArgument())))
      return signalPassFailure();
  }
};

} // namespace
