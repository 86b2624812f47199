//===- Buffers.h - the circular-buffer slot-count rule ---------*- C++ -*-===//
//
// How many slots a circular buffer in shared memory needs, written once: the
// buffer lowering (autopipe-allocate-buffers) allocates that many, the
// scheduler (its shared-memory budget) and the expander (which wgmma instance
// last read the slot a write refills) must count the same way, or the
// schedule, the buffers and the waits disagree.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_BUFFERS_H
#define TRITON_AUTOPIPE_BUFFERS_H

namespace mlir::autopipe {

/// When the last read of a slot ends, relative to the write that refills it
/// in the pipelined kernel iteration.
enum class SlotReuse {
  /// The read is synchronous (a ttg.local_load) and runs before the refill in
  /// the kernel iteration (an earlier cluster, or a register-staged store
  /// placed after every other op); Membar's barrier orders the two.
  ReadBeforeRefill,
  /// The slot may still be read when the refill is issued: an MMA reads it
  /// straight from shared memory (wgmma, asynchronously), or the reader runs
  /// after the copy in the kernel iteration.
  ReadDuringRefill,
};

/// Slots of a buffer written in stage `s_w` and last read in stage `s_r`
/// (`stageDistance` = s_r - s_w >= 1): the copies of `stageDistance` future
/// iterations are in flight while one slot is read, so
///   ReadBeforeRefill: stageDistance slots (the slot being read is free by
///                     the time its refill starts; Triton's choice too);
///   ReadDuringRefill: stageDistance + 1 (the slot being read is never the
///                     one being written).
/// For S pipeline stages and a load S - 1 stages before its reader that is
/// S - 1 or S slots.
constexpr int slotCount(int stageDistance, SlotReuse reuse) {
  return reuse == SlotReuse::ReadBeforeRefill ? stageDistance
                                              : stageDistance + 1;
}

/// The inverse: the largest stage distance `slots` slots allow (a scheduler
/// fitting its stages in a shared-memory budget).
constexpr int stageDistanceFor(int slots, SlotReuse reuse) {
  return reuse == SlotReuse::ReadBeforeRefill ? slots : slots - 1;
}

/// For a buffer of `slots` slots written `stageDistance` stages before it is
/// read: how many iterations back the reader of the slot a write refills ran
/// (slots - stageDistance; 0 means the same iteration, and the schedule must
/// order the read before the write).
constexpr int refillDistance(int slots, int stageDistance) {
  return slots - stageDistance;
}

/// The slots a buffer gets when the user asks for `requested`
/// (`global-to-shared-stages`): more than the schedule needs is granted, fewer
/// is not (the schedule would overwrite slots still being read).
constexpr int slotCountWithRequest(int minSlots, int requested) {
  return requested >= minSlots ? requested : minSlots;
}

} // namespace mlir::autopipe

#endif // TRITON_AUTOPIPE_BUFFERS_H
