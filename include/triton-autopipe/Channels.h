//===- Channels.h - producer/consumer channels of partitioned loops -*- C++
//-*-===//
//
// A channel carries tiles from one partition of a ttg.warp_specialize to the
// others through an N-slot shared-memory buffer. Per slot two mbarriers: "full"
// (the producer's tile landed: a TMA transaction count, or an arrive after its
// stores) and "empty" (every consumer partition is done with the slot). The
// slot of iteration i is i mod N and its phase (i / N) mod 2, computed from the
// loop's induction variable, so producer and consumer loops need no counters
// of their own, only the same trip count.
//
// Contract (what a partitioning pass writes, and the hand-written lit inputs
// of test/lit/insert-barriers/channels*.mlir hold): the buffer is a mutable
// multi-slot ttg.local_alloc outside the ttg.warp_specialize (a capture of the
// partitions); each partition's loop reaches a slot through a ttg.memdesc_index
// marked `autopipe.channel = "put"` (one partition writes: ttg.local_store,
// from a tt.descriptor_load for a TMA copy) or `"get"` (the others read:
// ttg.local_load, ttng.warp_group_dot, views of it), its index operand being
// replaced by the channel's slot. materializeChannels writes the barriers
// (Triton's createBarrierAlloc around the ttg.warp_specialize);
// autopipe-insert-barriers{mode=place} calls it, and so may the pass that
// builds the partitions.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_CHANNELS_H
#define TRITON_AUTOPIPE_CHANNELS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

#include "triton/Dialect/TritonGPU/IR/Dialect.h"

#include <string>

namespace mlir::autopipe::channels {

/// The mark of a slot view: `autopipe.channel = "put"` or `"get"`.
inline constexpr llvm::StringLiteral kChannelAttr = "autopipe.channel";
inline constexpr llvm::StringLiteral kPut = "put";
inline constexpr llvm::StringLiteral kGet = "get";

/// The slot (i32, i mod numSlots) and phase parity (i32, (i / numSlots) mod 2)
/// of `loop`'s current iteration i = (iv - lb) / step, built at `b`'s point.
/// A consumer whose async wgmma is retired only in the next iteration (a
/// `warp_group_dot_wait {pendings = 1}` of the pipelined form) releases the
/// previous iteration's slot there, from the second iteration on.
struct SlotPhase {
  Value slot;
  Value phase;
  Value iteration; ///< i (i32)
};
SlotPhase slotAndPhase(OpBuilder &b, Location loc, scf::ForOp loop,
                       int numSlots);

/// Materializes every channel marked in `ws`: the full/empty barriers before
/// it (captured by its partitions), the waits, arrives and TMA copies in the
/// partitions' loops. One line per channel goes to `report`. On an input
/// outside the contract: a diagnostic on the op at fault and failure, with
/// nothing changed.
LogicalResult materializeChannels(triton::gpu::WarpSpecializeOp ws,
                                  SmallVectorImpl<std::string> &report);

/// Whether `ws` has a marked slot view.
bool hasChannels(triton::gpu::WarpSpecializeOp ws);

} // namespace mlir::autopipe::channels

#endif // TRITON_AUTOPIPE_CHANNELS_H
