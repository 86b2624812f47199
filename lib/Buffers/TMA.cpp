//===- TMA.cpp - descriptor loads lowered to TMA copies (sm90) -----------===//
//
// A tt.descriptor_load whose only user is a ttg.local_alloc with the
// descriptor's shared encoding, in a later stage, feeding an MMA (Triton's
// canPipelineTMALoad) becomes ttng.async_tma_copy_global_to_local into slot
// `insert`. One mbarrier per slot (init before the loop, inval + dealloc
// after, Triton's createBarrierAlloc) is shared by the TMA loads of one
// stage/cluster group with the same first reader (a GEMM's A and B, not
// attention's K and V, whose waits would hold the first MMA back until V
// landed): ttng.barrier_expect (bytes of all the group's tiles)
// before its first load, ttng.wait_barrier on slot `extract` before its first
// consumer, with a loop-carried phase that flips whenever `extract` wraps.
// The local_alloc is replaced by the slot view. On the descriptor GEMM the
// expanded loop is the same code as Triton's own TMA lowering.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "triton-autopipe/Buffers.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "triton/Dialect/TritonGPU/Transforms/PipeliningUtility.h"
#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::buffers;
namespace ttng = mlir::triton::nvidia_gpu;

/// The load's only user, a local_alloc of the body in the descriptor's
/// shared encoding.
static Result<ttg::LocalAllocOp> sharedConsumer(Block *body,
                                                tt::DescriptorLoadOp load) {
  auto alloc = load->hasOneUse()
                   ? dyn_cast<ttg::LocalAllocOp>(*load->getUsers().begin())
                   : ttg::LocalAllocOp();
  if (!alloc || alloc->getBlock() != body)
    return reject("tensor-descriptor load not consumed by one local_alloc of "
                  "the loop body (only the shared-memory consumer is lowered "
                  "to TMA here)");
  Attribute descEnc = load.getDesc().getType().getSharedLayout();
  if (!isa_and_nonnull<ttg::SharedEncodingTrait>(
          alloc.getType().getEncoding()) ||
      descEnc != alloc.getType().getEncoding())
    return reject(
        "the local_alloc's shared encoding differs from the descriptor's");
  return alloc;
}

Result<Candidate> buffers::analyzeTMA(const AnalysisContext &ctx,
                                      tt::DescriptorLoadOp load) {
  Candidate c;
  c.load = load;
  c.kind = CopyKind::TMA;
  c.loadStage = attrInt(load, kStageAttr);
  c.loadCluster = attrInt(load, kClusterAttr);
  if (!tt::canPipelineTMALoad(load))
    return reject("tensor-descriptor load TMA cannot pipeline");
  Result<ttg::LocalAllocOp> alloc = sharedConsumer(ctx.body, load);
  if (!alloc)
    return reject(alloc.why());
  c.alloc = *alloc;
  c.consumer = *alloc;
  c.reader = firstReader(ctx.body, *alloc);
  c.useStage = attrInt(*alloc, kStageAttr);
  c.useCluster = attrInt(*alloc, kClusterAttr);
  if (c.useStage <= c.loadStage)
    return reject("consumer in the same stage (stage " +
                  std::to_string(c.useStage) + "): nothing to buffer");
  if (!feedsMMA(ctx.body, load.getResult()))
    return reject("does not feed an MMA");
  Result<int> last = lastReadStage(ctx.body, c);
  if (!last)
    return reject(last.why());
  // wgmma reads the slot asynchronously until the last read stage.
  auto tile = load.getResult().getType();
  setSlots(c, slotCount(*last - c.loadStage, SlotReuse::ReadDuringRefill),
           ctx.slotsOption, tile,
           cast<ttg::SharedEncodingTrait>(c.alloc.getType().getEncoding()));
  c.bytes = byteSize(tile);
  return c;
}

void buffers::allocateBarriers(scf::ForOp loop, MutableArrayRef<Group> groups) {
  for (Group &g : groups)
    if (g.tma)
      g.barriers = tt::createBarrierAlloc(loop, g.numSlots, /*arriveCount=*/1);
}

void buffers::createBarrierOps(LoweringState &state, Group &g,
                               Operation *firstLoad, Operation *firstUse,
                               Value wrapped, Value phaseArg) {
  Location loc = state.loc;
  OpBuilder lb(firstLoad);
  Value barIn = tt::createSingleBufferView(lb, g.barriers, g.insert);
  Value yes = lb.create<arith::ConstantIntOp>(loc, 1, 1);
  auto expect = ttng::BarrierExpectOp::create(
      lb, loc, barIn, static_cast<uint32_t>(g.bytes), yes);
  setStage({barIn.getDefiningOp(), yes.getDefiningOp(), expect.getOperation()},
           g.loadStage, g.loadCluster);
  OpBuilder ub(firstUse);
  auto flipped = ub.create<arith::XOrIOp>(loc, phaseArg, state.one);
  auto phase = ub.create<arith::SelectOp>(loc, wrapped, flipped, phaseArg);
  Value barOut = tt::createSingleBufferView(ub, g.barriers, g.extract);
  auto wait = ttng::WaitBarrierOp::create(ub, loc, barOut, phase);
  setStage({flipped.getOperation(), phase.getOperation(),
            barOut.getDefiningOp(), wait.getOperation()},
           g.useStage, g.useCluster);
  g.phase = phase.getResult();
  g.barrierIn = barIn;
}

void buffers::lowerTMACopy(LoweringState &state, Candidate &c, Group &g,
                           Value buffer) {
  auto dload = cast<tt::DescriptorLoadOp>(c.load);
  Location loc = dload.getLoc();
  OpBuilder lb(dload);
  Value view = tt::createSingleBufferView(lb, buffer, g.insert);
  Value yes = lb.create<arith::ConstantIntOp>(loc, 1, 1);
  auto copy = ttng::AsyncTMACopyGlobalToLocalOp::create(
      lb, loc, dload.getDesc(), dload.getIndices(), g.barrierIn, view, yes,
      /*multicast=*/false, dload.getCachePolicyAttr());
  setStage({view.getDefiningOp(), yes.getDefiningOp(), copy.getOperation()},
           c.loadStage, c.loadCluster);
}

/// The first user of the local_alloc of `c` in the consumer's block.
static Operation *firstAllocUser(Candidate &c) {
  Operation *first = nullptr;
  if (c.alloc)
    for (Operation *user : c.alloc->getUsers())
      if (user->getBlock() == c.consumer->getBlock() &&
          (!first || user->isBeforeInBlock(first)))
        first = user;
  return first;
}

void buffers::replaceTMAAllocs(LoweringState &state,
                               MutableArrayRef<Candidate> cands,
                               ArrayRef<Group> groups,
                               ArrayRef<size_t> tmaCands) {
  // Each view right before the alloc's first user, last load first -- the
  // order Triton's TMA lowering gives them (two operands of one MMA: B's
  // view, then A's), which makes the same code.
  for (size_t ci : llvm::reverse(tmaCands)) {
    Candidate &c = cands[ci];
    readSlot(c, state.buffers[ci], groups[c.group].extract, Value(), Type(),
             firstAllocUser(c));
  }
  for (size_t ci : tmaCands)
    cands[ci].load->erase();
}
