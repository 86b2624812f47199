//===- RegisterStaged.cpp - loads staged through registers into slots ----===//
//
// The form for targets without a usable async copy (gfx942, which has no
// 16-byte direct-to-LDS load; `copy=registers` anywhere; loads that cannot be
// async copies): the load (tt.load with its mask and `other`, or
// tt.descriptor_load) stays where it is, and a ttg.local_store writes its
// value into slot `insert` in a new cluster after every other op of the
// kernel iteration (the load's stage), so the global load's latency overlaps
// the rest of the iteration. The consumer reads slot `extract`: the slot
// view replaces the local_alloc it fed, or a local_load replaces the value.
// No copy groups, no waits: Membar orders the store after the slot's last
// read and the next read after the store.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "triton-autopipe/Buffers.h"

#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::buffers;

Result<Candidate> buffers::analyzeRegisterStaged(const AnalysisContext &ctx,
                                                 Operation *load) {
  Result<Uses> uses = analyzeUses(ctx, load, CopyKind::RegisterStaged);
  if (!uses)
    return reject(uses.why());
  // The stored value includes `other`: any `other` is fine.
  Result<ttg::SharedEncodingTrait> enc = slotEncoding(*uses);
  if (!enc)
    return reject(enc.why());
  Candidate &c = uses->candidate;
  Result<int> last = lastReadStage(ctx.body, c);
  if (!last)
    return reject(last.why());
  // The store runs last in the kernel iteration, after every synchronous
  // read (local_load) of the slot it overwrites; only an MMA reading the slot
  // itself (wgmma, asynchronously) needs the extra slot.
  bool readsFirst = !c.alloc || !readByMMA(c.alloc);
  setSlots(c,
           slotCount(*last - c.loadStage, readsFirst
                                              ? SlotReuse::ReadBeforeRefill
                                              : SlotReuse::ReadDuringRefill),
           ctx.slotsOption,
           cast<RankedTensorType>(load->getResult(0).getType()), *enc);
  return c;
}

void buffers::lowerRegisterStaged(LoweringState &state, Candidate &c, Group &g,
                                  Value buffer) {
  Value value = c.load->getResult(0);
  OpBuilder sb(state.body->getTerminator());
  Value view = tt::createSingleBufferView(sb, buffer, g.insert);
  auto store = sb.create<ttg::LocalStoreOp>(c.load->getLoc(), value, view);
  setStage(view.getDefiningOp(), c.loadStage, state.storeCluster);
  setStage(store, c.loadStage, state.storeCluster);
  if (Value read = readSlot(c, buffer, g.extract, Value(), value.getType(),
                            readPoint(c, g.extract.getDefiningOp())))
    value.replaceUsesWithIf(read, [&](OpOperand &use) {
      return use.getOwner() != store.getOperation();
    });
}
