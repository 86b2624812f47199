//===- AsyncCopy.cpp - loads lowered to asynchronous copies --------------===//
//
// A tt.load of tensor pointers becomes ttg.async_copy_global_to_local into
// slot `insert` + ttg.async_commit_group in the load's place, and
// ttg.async_wait {num = 0} + the read of slot `extract` before its consumer
// (the slot view replaces a local_alloc consumer; otherwise a local_load,
// then arith.select for a non-zero `other`). On CUDA that is cp.async
// (Triton's canBeConvertedToAsyncLoad: >= 4 bytes a copy); on gfx950
// Triton's AMD backend lowers the same ops to direct-to-LDS loads, made only
// at 16 bytes a lane. Membar orders a slot's refill after its last read.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "triton-autopipe/Buffers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "triton/Analysis/Utility.h"
#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::buffers;

/// The bytes a lane copies at once (the shared layout's vector) are enough
/// for an async copy on this target.
static std::optional<Rejection> checkCopyWidth(const AnalysisContext &ctx,
                                               RankedTensorType tile,
                                               ttg::SharedEncodingTrait enc) {
  int vecBytes = tt::getCopyVecBytes(tile, enc);
  if (ctx.directToLDS && vecBytes < 16)
    return reject("direct-to-LDS copies of " + std::to_string(vecBytes) +
                  " bytes per lane (the shared layout's vector), not 16");
  if (vecBytes < 4)
    return reject("copies of fewer than 4 bytes cannot be asynchronous");
  return std::nullopt;
}

Result<Candidate> buffers::analyzeAsyncCopy(const AnalysisContext &ctx,
                                            tt::LoadOp load) {
  Result<Uses> uses = analyzeUses(ctx, load, CopyKind::AsyncCopy);
  if (!uses)
    return reject(uses.why());
  if (!tt::canBeConvertedToAsyncLoad(load, ctx.axisInfo))
    return reject(
        "cannot become a cp.async (alignment/contiguity or element size)");
  Candidate &c = uses->candidate;
  // The copy zero-fills masked elements; a consumer reading the slot in
  // shared memory cannot see another value.
  if (Value other = load.getOther(); c.alloc && other && !isZeroConst(other))
    return reject("non-zero 'other' with a local_alloc consumer (cp.async "
                  "zero-fills masked elements)");
  Result<ttg::SharedEncodingTrait> enc = slotEncoding(*uses);
  if (!enc)
    return reject(enc.why());
  auto tile = cast<RankedTensorType>(load.getType());
  if (std::optional<Rejection> no = checkCopyWidth(ctx, tile, *enc))
    return *no;
  Result<int> last = lastReadStage(ctx.body, c);
  if (!last)
    return reject(last.why());
  // A register consumer (local_load) of an earlier cluster than the copy has
  // read its slot before the copy refills it (Membar's barrier between);
  // wgmma reading the slot, or a consumer after the copy, still reads it.
  bool readsFirst = !c.alloc && c.useCluster < c.loadCluster;
  setSlots(c,
           slotCount(*last - c.loadStage, readsFirst
                                              ? SlotReuse::ReadBeforeRefill
                                              : SlotReuse::ReadDuringRefill),
           ctx.slotsOption, tile, *enc);
  return c;
}

/// The copy of `load` into slot `insert` and its commit, in the load's place
/// and stage. Returns the commit's token.
static Value createCopy(LoweringState &state, tt::LoadOp load, Value buffer,
                        Value insert, int stage, int cluster) {
  Location loc = load.getLoc();
  OpBuilder lb(load);
  auto view = tt::createSingleBufferView(lb, buffer, insert);
  unsigned contiguity = state.axisInfo.getContiguity(load.getPtr());
  if (Value mask = load.getMask())
    contiguity =
        std::min<unsigned>(contiguity, state.axisInfo.getMaskAlignment(mask));
  auto copy = lb.create<ttg::AsyncCopyGlobalToLocalOp>(
      loc, load.getPtr(), view, load.getMask(), load.getOther(),
      load.getCachePolicyAttr(), load.getIsVolatile(),
      std::max(1u, contiguity));
  auto commit = lb.create<ttg::AsyncCommitGroupOp>(
      loc, copy.getToken().getType(), ValueRange{copy.getToken()});
  setStage({view.getDefiningOp(), copy.getOperation(), commit.getOperation()},
           stage, cluster);
  return commit.getResult();
}

void buffers::lowerAsyncCopy(LoweringState &state, Candidate &c, Group &g,
                             Value buffer) {
  auto load = cast<tt::LoadOp>(c.load);
  Location loc = load.getLoc();
  Value token =
      createCopy(state, load, buffer, g.insert, c.loadStage, c.loadCluster);
  // The wait (every copy group has landed: conservative) and the read,
  // before the first consumer.
  OpBuilder cb(c.consumer);
  auto wait = cb.create<ttg::AsyncWaitOp>(loc, ValueRange{token},
                                          cb.getI32IntegerAttr(0));
  setStage(wait, c.useStage, c.useCluster);
  if (Value result =
          readSlot(c, buffer, g.extract, wait.getResult(), load.getType())) {
    if (Value other = load.getOther(); other && !isZeroConst(other)) {
      auto sel = cb.create<arith::SelectOp>(loc, load.getMask(), result, other);
      setStage(sel, c.useStage, c.useCluster);
      result = sel.getResult();
    }
    load.getResult().replaceAllUsesWith(result);
  }
  load->erase();
}
