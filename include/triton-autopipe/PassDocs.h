//===- PassDocs.h - names, summaries and options of our passes -*- C++ -*-===//
//
// One constant record per pass. Each pass declares its MLIR `Option<>`s from
// its record, and `getPassDocs()` lists the same records, so `autopipe-opt
// --help`, `triton_autopipe._C.list_passes()` and the passes agree.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_PASSDOCS_H
#define TRITON_AUTOPIPE_PASSDOCS_H

#include "triton-autopipe/Passes.h"

#include <cstddef>

namespace mlir::autopipe::docs {

struct PassRecord {
  const char *argument;
  const char *summary;
  const PassOptionDoc *options;
  std::size_t numOptions;
};

inline constexpr PassOptionDoc printScheduleOptions[] = {
    {"remarks", "bool", "true",
     "Emit one remark per scf.for listing every op of the body with its "
     "stage and cluster."},
    {"output", "string", "",
     "Also write the report as plain text: '-' for stderr, or a file path "
     "(appended to). Empty: no text report."},
};

inline constexpr PassRecord printSchedule = {
    "autopipe-print-schedule",
    "Report the software-pipelining schedule (loop.stage/loop.cluster) of "
    "every scf.for and reject schedules that break a dependency",
    printScheduleOptions, std::size(printScheduleOptions)};

inline constexpr PassOptionDoc scheduleLoopsOptions[] = {
    {"num-stages", "int", "3",
     "Number of pipeline stages (the kernel's num_stages); a loop's "
     "tt.num_stages attribute overrides it. On CUDA it is lowered, with a "
     "remark, when the buffers would not fit in shared memory."},
    {"schedule", "string", "auto",
     "default | attention-a | attention-b | auto (default: the attention "
     "schedules were not reliably ahead of it on any measured attention "
     "kernel). attention-a/b fall back to default on a loop known to run "
     "fewer than their 4 stages, and where scores, P and the accumulator "
     "would need more than 192 registers a thread (they spill there)."},
    {"remarks", "bool", "true",
     "Emit one remark per loop: the schedule chosen and why, or why the loop "
     "was left as is."},
    {"output", "string", "",
     "Also write those lines as text: '-' for stderr, or a file path "
     "(appended to)."},
    {"complete", "bool", "false",
     "On HIP, schedule every op of the loop body (the form "
     "autopipe-allocate-buffers and autopipe-expand-loops need; loads issued "
     "first in the body, for register-staged LDS buffers) instead of only "
     "loads and MMAs (the form Triton's AMD stream pipeliner expects). CUDA "
     "schedules are always complete."},
    {"staged-loads", "bool", "false",
     "On CUDA, also pipeline loads feeding an MMA that cannot become "
     "cp.async copies (rows not 4-byte aligned, ...): set when "
     "autopipe-allocate-buffers lowers the loads, which register-stages "
     "them (Triton leaves them synchronous)."},
    {"staged-bytes", "int", "64",
     "Register budget of staged-loads: if the tiles of a loop's loads that "
     "cannot be async copies add up to more than this many bytes a thread "
     "(held in registers from the top of the body to its end), they stay "
     "synchronous (remark). Measured on H100: 64 bytes 1.41x Triton's, 192 "
     "bytes 0.71x (spills)."},
};

inline constexpr PassRecord scheduleLoops = {
    "autopipe-schedule-loops",
    "Assign pipeline stages and clusters to the ops of every innermost scf.for "
    "(our latency model; default and attention computation-pipelining "
    "schedules), written as loop.stage/loop.cluster for the pipeliner",
    scheduleLoopsOptions, std::size(scheduleLoopsOptions)};

inline constexpr PassOptionDoc warpPipelineRegionsOptions[] = {
    {"remarks", "bool", "false",
     "Also emit one remark per converted loop listing its stages and "
     "priorities."},
    {"auto-partition", "bool", "false",
     "Also split plain GEMM loops (no markers) into 'load' (global loads "
     "and their address/mask computation, moved first), 'compute' (LDS "
     "reads, MMA) and 'store' (LDS writes, moved last) stages, where "
     "provably legal (an alternative to Triton's block-pingpong)."},
    {"auto-partition-warps", "int", "8",
     "auto-partition only applies to kernels with this many warps."},
};

inline constexpr PassRecord warpPipelineRegions = {
    "autopipe-warp-pipeline-regions",
    "AMD warp pipeline: turn the ops between warp-pipeline border markers of "
    "each scf.for into labelled scf.execute_region stages (replaces Triton's "
    "tritonamdgpu-warp-pipeline) and reject ops that need a CTA barrier "
    "inside a stage",
    warpPipelineRegionsOptions, std::size(warpPipelineRegionsOptions)};

inline constexpr PassOptionDoc lowerWarpPipelineOptions[] = {
    {"warps-per-group", "int", "4",
     "Warps in one warp group (the groups leap-frog one stage apart)."},
    {"remarks", "bool", "false",
     "Emit one remark per lowered loop: warp groups, and for each stage "
     "boundary whether it carries an LDS fence and why."},
};

inline constexpr PassRecord lowerWarpPipeline = {
    "autopipe-lower-warp-pipeline",
    "AMD warp pipeline: inline the stages of pipelined loops and emit the "
    "leap-frog schedule (warp-group cond_barriers, a barrier per stage "
    "boundary, s_setprio, LDS fences only where Allocation analysis finds a "
    "dependency); replaces Triton's convert-warp-pipeline",
    lowerWarpPipelineOptions, std::size(lowerWarpPipelineOptions)};

inline constexpr PassOptionDoc allocateBuffersOptions[] = {
    {"global-to-shared-stages", "int", "0",
     "Slots of each circular buffer (the kernel config's "
     "global_to_shared_stages) when at least the count the schedule needs; "
     "0: from the schedule."},
    {"shared-limit", "int", "-1",
     "Shared memory per block in bytes the buffers must fit in, with what the "
     "kernel already allocates (Triton's allocation analysis); -1: the "
     "target's (sm80/87 163 KB, sm86/89/120 99 KB, sm90/100 227 KB, LDS of "
     "gfx942 64 KB, gfx950 160 KB), 0: no budget. Over it, "
     "slots the config added go first; if the schedule's minimum does not "
     "fit, the loop is not pipelined (its schedule is removed)."},
    {"remarks", "bool", "true",
     "Emit one remark per scheduled loop: the loads put in circular buffers "
     "(slots, type, stages) and the loads kept synchronous, with the reason."},
    {"output", "string", "",
     "Also write those lines as text: '-' for stderr, or a file path "
     "(appended to)."},
    {"copy", "string", "auto",
     "How a slot is filled: 'async' (cp.async / TMA on CUDA, direct-to-LDS "
     "loads on gfx950, where a load that cannot be a 16-byte-per-lane copy "
     "is register-staged), 'registers' "
     "(the load stays and its value is written with ttg.local_store at the "
     "end of the iteration: register-staged, any target, any load incl. "
     "tensor descriptors), 'auto' (async on CUDA and gfx950, registers on "
     "gfx942)."},
};

inline constexpr PassRecord allocateBuffers = {
    "autopipe-allocate-buffers",
    "Lower the pipelined loads of every scheduled scf.for into multi-slot "
    "shared-memory (LDS) circular buffers: on CUDA filled by async copies "
    "(cp.async for tt.load; TMA + one mbarrier per slot for sm90 "
    "tt.descriptor_load), on gfx950 by direct-to-LDS async copies, on "
    "gfx942 (and for loads that cannot be async copies on gfx950) "
    "register-staged with ttg.local_store; loop-carried insert/extract slot indices (and "
    "mbarrier phase), in the schedule's stages, within the shared-memory "
    "budget (replaces the load lowering of Triton's tritongpu-pipeline and "
    "of the AMD stream pipeliner)",
    allocateBuffersOptions, std::size(allocateBuffersOptions)};

inline constexpr PassOptionDoc expandLoopsOptions[] = {
    {"num-stages", "int", "3",
     "Stage count of loops without tt.num_stages (the kernel's num_stages); "
     "loops of <= 1 stage get no async wgmma, as in Triton."},
    {"speculate-mma", "bool", "true",
     "Run MMAs scheduled before the last stage unpredicated (they read "
     "allocated memory and write only their own, then dead, result) instead "
     "of under scf.if, which forces a synchronous wgmma."},
    {"async-dots", "string", "auto",
     "Where the kernel loop waits for async wgmma (sm90): 'triton' "
     "(asyncLaunchDots: serializes a dot whose result is read by anything but "
     "the next dot's accumulator), 'autopipe' (every wgmma async, one "
     "warp_group_dot_wait right before each point that needs one complete: "
     "first reader, register-operand rewrite, write into the circular-buffer "
     "slot it read), 'auto' (triton where it keeps every dot in flight, "
     "autopipe elsewhere; on sm90 a module whose loops got autopipe waits "
     "and whose shared memory leaves room for 2+ CTAs an SM is marked "
     "autopipe.sync_wgmma_trial = CTAs, for the Python driver's trial of "
     "'off'), 'off' (every wgmma stays synchronous; the loads are still "
     "pipelined: fewer registers, which can buy occupancy)."},
    {"remarks", "bool", "true",
     "Emit one remark per scheduled loop: expanded or not, and how its wgmma "
     "waits were placed."},
    {"output", "string", "",
     "Also write those lines as text: '-' for stderr, or a file path "
     "(appended to)."},
};

inline constexpr PassRecord expandLoops = {
    "autopipe-expand-loops",
    "Expand every scheduled scf.for into prologue + kernel loop (Triton's "
    "exported PipelineExpander, dynamic trip counts, predication) with early "
    "MMAs speculated, and place async-wgmma waits where a result, register "
    "operand or buffer slot is needed (replaces Triton's tritongpu-pipeline "
    "and, on AMD, the stream pipeliner's expansion)",
    expandLoopsOptions, std::size(expandLoopsOptions)};

inline constexpr PassOptionDoc doubleBufferOperandsOptions[] = {
    {"stages", "int", "2",
     "Shared->register stages (the kernel config's shared_to_register_stages): "
     "1 = off, 2 = double buffering; other values are an error."},
    {"k-slice", "int", "0",
     "K elements per slice; 0: one MMA instruction's K (mma.sync: 256 bits of "
     "the element type, 16 for fp16/bf16; MFMA: its instrShape), the fewest "
     "live registers; must be a multiple of the MMA instruction's K."},
    {"remarks", "bool", "true",
     "Emit one remark per loop holding an MMA: dots split, or why not."},
    {"output", "string", "",
     "Also write those lines as text: '-' for stderr, or a file path "
     "(appended to)."},
    {"prefetch-next", "bool", "true",
     "Load slice 0 of the next iteration at the end of the loop body and carry "
     "it in registers (across the back edge), so it overlaps the last slice's "
     "MMA; slice 0 of the first iteration is loaded before the loop."},
};

inline constexpr PassRecord doubleBufferOperands = {
    "autopipe-double-buffer-operands",
    "Shared->register double buffering for MMAs that read registers (mma.sync, "
    "MFMA): split each tt.dot of a loop whose operands are local_loads along "
    "K and load slice j+1 from shared memory before the MMA of slice j",
    doubleBufferOperandsOptions, std::size(doubleBufferOperandsOptions)};

/// Every pass, in registration order. The plugin's pass table must list the
/// same passes (checked there at compile time).
inline constexpr const PassRecord *allPasses[] = {
    &printSchedule, &scheduleLoops, &warpPipelineRegions, &lowerWarpPipeline,
    &allocateBuffers, &expandLoops, &doubleBufferOperands};

} // namespace mlir::autopipe::docs

#endif // TRITON_AUTOPIPE_PASSDOCS_H
