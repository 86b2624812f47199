//===- Attributes.h - attributes the passes exchange -----------*- C++ -*-===//
//
// Every discardable attribute one pass (ours or Triton's) writes and another
// reads, declared once: its name, who writes it, who reads it and what it
// means. Passes name attributes through these constants, never as string
// literals, so a rename or a new consumer is one grep away. Triton's own
// attributes are listed where our passes read or write them; their spelling
// is Triton 3.9's and must not change.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_ATTRIBUTES_H
#define TRITON_AUTOPIPE_ATTRIBUTES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::autopipe::attr {

/// The value of an integer attribute read from the IR (`getInt()`, which
/// asserts unless the type is signless or index), or nullopt when `a` is
/// missing, not an integer, or of another signedness: input never asserts.
inline std::optional<int64_t> intValue(Attribute a) {
  auto i = llvm::dyn_cast_or_null<IntegerAttr>(a);
  if (!i || !(i.getType().isSignlessInteger() || i.getType().isIndex()) ||
      i.getValue().getBitWidth() > 64)
    return std::nullopt;
  return i.getValue().getSExtValue();
}

//===-- The schedule (Triton 3.9's form) ----------------------------------===//

/// i32 on every op of a scheduled loop body: its pipeline stage.
/// Producers: autopipe-schedule-loops, Triton's schedule-loops (and the AMD
/// scheduler), autopipe-allocate-buffers (on the ops it creates).
/// Consumers: autopipe-allocate-buffers, autopipe-expand-loops,
/// autopipe-print-schedule, Triton's tritongpu-pipeline.
inline constexpr llvm::StringLiteral kLoopStage = "loop.stage";
/// i32 on every op of a scheduled loop body: the op's place inside one
/// iteration of the pipelined kernel (clusters run in increasing order).
/// Producers and consumers: as kLoopStage.
inline constexpr llvm::StringLiteral kLoopCluster = "loop.cluster";
/// i32 on a scheduled scf.for: its largest stage.
/// Producers: the loop schedulers. Consumers: as kLoopStage;
/// autopipe-allocate-buffers removes it (with the schedule) from a loop whose
/// buffers cannot fit in shared memory.
inline constexpr llvm::StringLiteral kScheduledMaxStage =
    "tt.scheduled_max_stage";
/// i32 on an scf.for (the kernel's `tl.range(num_stages=)`): its stages.
/// Producer: Triton's frontend. Consumers: autopipe-schedule-loops,
/// autopipe-expand-loops (through Triton's getNumStagesOrDefault); checked
/// by checkLoopAttributes.
inline constexpr llvm::StringLiteral kNumStages = "tt.num_stages";
/// i32 on an op: its latency in stages. Producer: Triton's assign-latencies.
/// Consumer: Triton's schedule-loops (we read the schedule, not this).
inline constexpr llvm::StringLiteral kLatency = "tt.latency";

//===-- Ours --------------------------------------------------------------===//

/// i32 on an op of a loop body: a stage the user pins it to.
/// Producer: the user (IR or Python). Consumer: autopipe-schedule-loops.
inline constexpr llvm::StringLiteral kPinnedStage = "autopipe.stage";
/// string on a scheduled scf.for: the schedule kind chosen (default,
/// attention-a, ...). Producer: autopipe-schedule-loops. Consumers: tests
/// (the final TTGIR keeps it).
inline constexpr llvm::StringLiteral kScheduleKind = "autopipe.schedule";
/// i32 on an scf.for: how many of its loads autopipe-allocate-buffers put in
/// circular buffers. Producer: autopipe-allocate-buffers. Consumers: tests
/// (the final TTGIR keeps it).
inline constexpr llvm::StringLiteral kBuffers = "autopipe.buffers";
/// i32 on the ops of a loop being expanded: the op's stage before expansion,
/// copied onto its clones by the expander; removed when expansion is done.
/// Producer and consumer: autopipe-expand-loops.
inline constexpr llvm::StringLiteral kExpandStage = "autopipe.expand_stage";
/// i32 on the module: CTAs an SM that shared memory and warps allow, set when
/// `async-dots=auto` kept async wgmma and two or more CTAs could share an SM.
/// Producer: autopipe-expand-loops. Consumer: the Python driver
/// (triton_autopipe/occupancy.py, TRIAL_ATTR), which tries synchronous wgmma.
inline constexpr llvm::StringLiteral kSyncWgmmaTrial =
    "autopipe.sync_wgmma_trial";
/// unit on an scf.for whose warp-pipeline borders we placed (the heuristic
/// partition). Producer: autopipe-warp-pipeline-regions. Consumers: tests.
inline constexpr llvm::StringLiteral kWarpPipelineAuto =
    "autopipe.warp_pipeline.auto";
/// unit on an scf.for our warp-pipeline lowering turned into a leap-frog
/// schedule. Producer: autopipe-lower-warp-pipeline. Consumers: tests.
inline constexpr llvm::StringLiteral kWarpPipelineLowered =
    "autopipe.warp_pipeline.lowered";

//===-- AMD warp pipeline (Triton 3.9's / Gluon's form) -------------------===//

/// string on a `rocdl.sched.barrier` border marker: the label of the stage it
/// closes. Producers: Gluon's `warp_pipeline_stage`, our auto partition.
/// Consumers: Triton's tritonamdgpu-warp-pipeline, ours.
inline constexpr llvm::StringLiteral kWarpPipelineBorder =
    "triton.warp_pipeline.border";
/// i32 on a border marker or a stage region: the stage's s_setprio priority.
inline constexpr llvm::StringLiteral kWarpPipelinePriority =
    "triton.warp_pipeline.priority";
/// string on a stage `scf.execute_region`: the stage label.
/// Producers: the warp-pipeline region passes. Consumers: their lowerings.
inline constexpr llvm::StringLiteral kWarpPipelineStage =
    "triton.warp_pipeline.stage";
/// unit on an scf.for whose body is a sequence of stage regions.
inline constexpr llvm::StringLiteral kWarpPipelinePipelinedFor =
    "triton.warp_pipeline.pipelined_for";

//===-- Module attributes we read (Triton's) ------------------------------===//

/// string: "cuda:<cc>" or "hip:<arch>". Read through TargetInfo.
inline constexpr llvm::StringLiteral kTarget = "ttg.target";
/// i32: warps of a CTA. Read through TargetInfo.
inline constexpr llvm::StringLiteral kNumWarps = "ttg.num-warps";
/// i32: threads of a warp (32 on CUDA, 64 on CDNA). Read through TargetInfo.
inline constexpr llvm::StringLiteral kThreadsPerWarp = "ttg.threads-per-warp";
/// i32: CTAs of a cluster. Checked by checkModuleAttributes.
inline constexpr llvm::StringLiteral kNumCTAs = "ttg.num-ctas";

} // namespace mlir::autopipe::attr

#endif // TRITON_AUTOPIPE_ATTRIBUTES_H
