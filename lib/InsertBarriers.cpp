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
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/Pass.h"

#include "triton/Analysis/Allocation.h"
#include "triton/Analysis/Membar.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"

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

/// The allocation behind a shared-memory value, through views and
/// loop-carried arguments (their initial value), or null.
Operation *allocationOf(Value v) {
  for (int guard = 0; v && guard < 64; ++guard) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
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
    Value src;
    for (Value operand : def->getOperands())
      if (isa<ttg::MemDescType>(operand.getType())) {
        src = operand;
        break;
      }
    v = src;
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
  for (Value v : op->getOperands())
    if (isa<ttg::MemDescType>(v.getType())) {
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

/// The barriers of `loop`'s body (nested regions included).
SmallVector<Operation *> barriersIn(scf::ForOp loop) {
  SmallVector<Operation *> out;
  loop.getBody()->walk([&](Operation *op) {
    if (isBarrier(op))
      out.push_back(op);
  });
  return out;
}

/// One barrier Membar adds: where in the module it goes (before `before`)
/// and why.
struct Added {
  Operation *before;
  std::string reason;
};

struct LoopProof {
  scf::ForOp loop;
  unsigned placed = 0;   ///< ours (autopipe.barrier) already in the loop
  unsigned existing = 0; ///< other barriers already in the loop
  SmallVector<Added> added;
};

/// Runs Membar on a copy of `module` and lists, for each of our loops, the
/// barriers it adds there.
SmallVector<LoopProof> prove(ModuleOp module) {
  IRMapping map;
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone(map)));
  DenseMap<Operation *, Operation *> original;
  module->walk([&](Operation *op) { original[map.lookupOrNull(op)] = op; });
  DenseSet<Operation *> before;
  copy->walk([&](Operation *op) {
    if (isBarrier(op))
      before.insert(op);
  });
  {
    ModuleAllocation allocation(*copy);
    ModuleMembarAnalysis membar(allocation, filterFor(module));
    membar.run();
  }
  SmallVector<LoopProof> proofs;
  module->walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
    if (!isOurs(loop))
      return;
    LoopProof p{loop};
    for (Operation *b : barriersIn(loop))
      (isPlaced(b) ? p.placed : p.existing)++;
    auto copied = cast<scf::ForOp>(map.lookup(loop.getOperation()));
    for (Operation *b : barriersIn(copied)) {
      if (before.contains(b))
        continue;
      Operation *next = b->getNextNode();
      Operation *at = next ? original.lookup(next) : nullptr;
      if (!at) // a barrier before an op Membar created: anchor on the block end
        at = original.lookup(b->getBlock()->getTerminator());
      p.added.push_back({at, reasonFor(b)});
    }
    proofs.push_back(std::move(p));
  });
  return proofs;
}

std::string summary(LoopProof &p) {
  std::string s = "loop at " + formatLocation(p.loop.getLoc()) +
                  ": Membar adds " + std::to_string(p.added.size()) +
                  " CTA barrier(s) in it";
  for (auto [i, a] : llvm::enumerate(p.added))
    s += (i ? "; " : ": ") + a.reason;
  s += "; placed by autopipe-insert-barriers: " + std::to_string(p.placed) +
       ", other barriers already there: " + std::to_string(p.existing);
  return s;
}

struct InsertBarriersPass
    : public autopipe::impl::InsertBarriersPassBase<InsertBarriersPass> {
  using InsertBarriersPassBase::InsertBarriersPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string text;
    llvm::raw_string_ostream os(text);
    SmallVector<LoopProof> proofs = prove(module);
    if (mode == BarrierMode::Place) {
      for (LoopProof &p : proofs)
        for (Added &a : p.added) {
          OpBuilder b(a.before);
          // The mark is the location (ttg.barrier prints no attributes):
          // autopipe.barrier("<reason>") around the op's own location.
          b.create<ttg::BarrierOp>(
              NameLoc::get(b.getStringAttr(kBarrierMark + a.reason),
                           a.before->getLoc()),
              ttg::AddrSpace::Local);
        }
      for (LoopProof &p : proofs)
        if (!p.added.empty()) {
          std::string placed = "loop at " + formatLocation(p.loop.getLoc()) +
                               ": placed " + std::to_string(p.added.size()) +
                               " CTA barrier(s)";
          for (auto [i, a] : llvm::enumerate(p.added))
            placed += (i ? "; " : ": ") + a.reason;
          if (remarks)
            p.loop.emitRemark() << getArgument() << ": " << placed;
          os << getArgument() << ": " << placed << "\n";
        }
      proofs = prove(module);
    }
    for (LoopProof &p : proofs) {
      std::string s = summary(p);
      if (mode == BarrierMode::Place && !p.added.empty())
        p.loop.emitWarning() << getArgument() << ": after placing, " << s;
      else if (remarks)
        p.loop.emitRemark() << getArgument() << ": " << s;
      os << getArgument() << ": " << s << "\n";
    }
    if (failed(writeTextReport(output, text, module, getArgument())))
      signalPassFailure();
  }
};

} // namespace
