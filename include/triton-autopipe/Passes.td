//===- Passes.td - every triton-autopipe pass, declared once -*- tablegen -*-===//
//
// The one declaration of each pass: its argument, summary, description, typed
// options (enums for modes) and the dialects of the ops it creates. mlir-tblgen
// turns it into the pass base classes, options structs, create functions and
// registration (Passes.h.inc, -gen-pass-decls -name Autopipe), docs/passes.md
// (-gen-pass-doc), and, through cmake/gen-pass-list.py over --dump-json, the
// X-macro list behind the plugin's pass table, --list-passes,
// _C.list_passes() and the Python pass names.
// Adding a pass = one `def` here + its .cpp + its tests.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_PASSES_TD
#define TRITON_AUTOPIPE_PASSES_TD

include "mlir/Pass/PassBase.td"

// Options shared by the passes that report per loop.
class RemarksOption<bit default, string desc>
    : Option<"remarks", "remarks", "bool", !if(default, "true", "false"), desc>;
def OutputOption
    : Option<"output", "output", "std::string", /*default=*/"",
             "Also write the report as plain text: '-' for stderr, or a file "
             "path (appended to). Empty: no text report.">;

//===----------------------------------------------------------------------===//
// autopipe-print-schedule
//===----------------------------------------------------------------------===//

def PrintSchedulePass : Pass<"autopipe-print-schedule", "::mlir::ModuleOp"> {
  let summary = "Report the software-pipelining schedule (loop.stage/"
                "loop.cluster) of every scf.for and reject schedules that "
                "break a dependency";
  let description = [{
    Reads `loop.stage` / `loop.cluster` / `tt.scheduled_max_stage` and reports
    each op's stage and cluster in body order (partial schedules, such as
    Triton's AMD scheduler's, list the unplaced ops). It fails with an error
    naming the op and the loop when a value is consumed before it is produced
    (same iteration: stage(def) < stage(use), or the same stage and
    cluster(def) <= cluster(use); loop-carried: stage(def) <= stage(use) + 1,
    an earlier cluster when equal) or when an attribute is malformed: such a
    schedule would make the pipeliner read a value before it exists. Never
    changes the IR.
  }];
  let options = [
    RemarksOption<1, "Emit one remark per scf.for listing every op of the "
                     "body with its stage and cluster.">,
    OutputOption,
  ];
}

//===----------------------------------------------------------------------===//
// autopipe-schedule-loops
//===----------------------------------------------------------------------===//

def ScheduleLoopsPass : Pass<"autopipe-schedule-loops", "::mlir::ModuleOp"> {
  let summary = "Assign pipeline stages and clusters to the ops of every "
                "innermost scf.for (our latency model; default and attention "
                "computation-pipelining schedules), written as "
                "loop.stage/loop.cluster for the pipeliner";
  let description = [{
    Our loop scheduler; replaces Triton's `tritongpu-assign-latencies` +
    `tritongpu-schedule-loops` (and `tritonamdgpu-schedule-loops` on AMD).

    Latency model: loads feeding an MMA operand (on CUDA a `tt.load` that can
    become a cp.async copy, or a tensor-descriptor load that can become a TMA
    copy on sm90; on HIP any such load; with `staged-loads` also CUDA loads
    that cannot be cp.async, within `staged-bytes` a thread) get
    `num_stages - 1` stages of latency; in a CUDA loop without an MMA that
    carries `tt.num_stages` (`tl.range(..., num_stages=N)`), as in Triton,
    every direct `tt.load` that can become a cp.async copy does;
    `autopipe.stage = N` on an op pins it.
    The stage count is lowered, with a remark, when the circular buffers it
    implies would not fit in the target's shared memory (LDS on AMD) next to
    what the kernel has live in the loop: a kernel that cannot launch is worse
    than a shallower pipeline.

    Schedules: `default` puts loads and their address math in stage 0, issued
    after the MMA, pointer increments in stage 1 just before them and the rest
    in the last stage (on GEMMs the same code as Triton's). `attention-a` /
    `attention-b` are the computation-pipelining schedules of Triton #5185 for
    MMA -> softmax -> MMA loops (CUDA); B follows FlashAttention-3's order (the
    accumulator rescale opens the body, so the accumulator is carried once).
    Both fall back to `default` on a loop known to run fewer than their 4
    stages, and where scores, P and the accumulator together would need more
    than 192 registers a thread (they spill there). `auto` is `default`, also
    on attention: the attention schedules were not reliably ahead of it.

    Writes `loop.stage` / `loop.cluster` / `tt.scheduled_max_stage` and
    `autopipe.schedule` on the loop. Loops it cannot schedule (outer, already
    scheduled, barriers, num_stages <= 1, no pipelinable load, a schedule that
    would break a dependency) are left as they were, with a remark naming the
    loop and the reason.
  }];
  let options = [
    Option<"numStages", "num-stages", "int", /*default=*/"3",
           "Number of pipeline stages (the kernel's num_stages); a loop's "
           "tt.num_stages attribute overrides it. On CUDA it is lowered, with "
           "a remark, when the buffers would not fit in shared memory.">,
    Option<"schedule", "schedule", "ScheduleKind", /*default=*/"ScheduleKind::Auto",
           "Which schedule to build: default | attention-a | attention-b | "
           "auto (default: the attention schedules were not reliably ahead of "
           "it). attention-a/b fall back to default on a loop known to run "
           "fewer than their 4 stages, and where scores, P and the "
           "accumulator would need more than 192 registers a thread (they "
           "spill there).", [{::llvm::cl::values(
             clEnumValN(ScheduleKind::Default, "default",
                        "loads first, issued after the MMA (Triton's order)"),
             clEnumValN(ScheduleKind::AttentionA, "attention-a",
                        "attention computation pipelining, schedule A"),
             clEnumValN(ScheduleKind::AttentionB, "attention-b",
                        "attention computation pipelining, schedule B"),
             clEnumValN(ScheduleKind::Auto, "auto",
                        "default, also on attention loops"))}]>,
    RemarksOption<1, "Emit one remark per loop: the schedule chosen and why, "
                     "or why the loop was left as is.">,
    OutputOption,
    Option<"complete", "complete", "bool", /*default=*/"false",
           "On HIP, schedule every op of the loop body (the form "
           "autopipe-allocate-buffers and autopipe-expand-loops need; loads "
           "issued first in the body, for register-staged LDS buffers) "
           "instead of only loads and MMAs (the form Triton's AMD stream "
           "pipeliner expects). CUDA schedules are always complete.">,
    Option<"stagedLoads", "staged-loads", "bool", /*default=*/"false",
           "On CUDA, also pipeline loads feeding an MMA that cannot become "
           "cp.async copies (rows not 4-byte aligned, ...): set when "
           "autopipe-allocate-buffers lowers the loads, which register-stages "
           "them (Triton leaves them synchronous).">,
    Option<"stagedBytes", "staged-bytes", "int", /*default=*/"64",
           "Register budget of staged-loads: if the tiles of a loop's loads "
           "that cannot be async copies add up to more than this many bytes "
           "a thread (held in registers from the top of the body to its end), "
           "they stay synchronous (remark): past it they spill.">,
  ];
}

//===----------------------------------------------------------------------===//
// AMD warp pipeline
//===----------------------------------------------------------------------===//

def WarpPipelineRegionsPass
    : Pass<"autopipe-warp-pipeline-regions", "::mlir::ModuleOp"> {
  let summary = "AMD warp pipeline: turn the ops between warp-pipeline border "
                "markers of each scf.for into labelled scf.execute_region "
                "stages (replaces Triton's tritonamdgpu-warp-pipeline) and "
                "reject ops that need a CTA barrier inside a stage";
  let description = [{
    In each `scf.for` holding Gluon `warp_pipeline_stage` border markers, wraps
    the ops of each stage in a `no_inline` `scf.execute_region` labelled
    `triton.warp_pipeline.stage` (+ `.priority`), yields the values later
    stages use and marks the loop `triton.warp_pipeline.pipelined_for`.

    An op that needs a CTA-wide barrier inside a stage (nested loop, explicit
    barrier or wait, call, or an op with a shared-memory scratch buffer per
    Triton's Allocation analysis: layout conversion through LDS, reduction or
    scan across warps) is an error naming the op, its stage and the fix: the
    warp groups run different stages at the same time, so such a barrier would
    deadlock. A barrier or wait at a stage's edge coincides with the boundary
    and stays there. Fewer than two stages: left as is, with a remark.

    `auto-partition` also splits plain GEMM loops of kernels with
    `auto-partition-warps` warps into `load` / `compute` / `store` stages where
    the reordering is provably legal (an alternative to Triton's
    block-pingpong).
  }];
  let options = [
    RemarksOption<0, "Also emit one remark per converted loop listing its "
                     "stages and priorities.">,
    Option<"autoPartition", "auto-partition", "bool", /*default=*/"false",
           "Also split plain GEMM loops (no markers) into 'load' (global loads "
           "and their address/mask computation, moved first), 'compute' (LDS "
           "reads, MMA) and 'store' (LDS writes, moved last) stages, where "
           "provably legal (an alternative to Triton's block-pingpong).">,
    Option<"autoPartitionWarps", "auto-partition-warps", "int",
           /*default=*/"8",
           "auto-partition only applies to kernels with this many warps.">,
  ];
  // amdg ops too: the AMD dialect has no shipped header, the pass loads it
  // through libtriton (getDependentDialects in the .cpp).
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::ROCDL::ROCDLDialect"
  ];
}

def LowerWarpPipelinePass
    : Pass<"autopipe-lower-warp-pipeline", "::mlir::ModuleOp"> {
  let summary = "AMD warp pipeline: inline the stages of pipelined loops and "
                "emit the leap-frog schedule (warp-group cond_barriers, a "
                "barrier per stage boundary, s_setprio, LDS fences only where "
                "Allocation analysis finds a dependency); replaces Triton's "
                "convert-warp-pipeline";
  let description = [{
    Inlines the stages made by `autopipe-warp-pipeline-regions`. Before the
    loop: `ttg.barrier local`, the warp-group id
    (`tid / (warps-per-group * 64)`), an `amdg.cond_barrier` holding the other
    groups one stage back, and the `s_setprio` of the first stage. At every
    stage boundary: `s_setprio` (when priorities are given),
    `rocdl.sched.barrier`, and `rocdl.s.barrier` or, only where a stage writes
    LDS that a stage of this or the next iteration reads or overwrites (buffer
    overlap from Triton's Allocation analysis), `ttg.barrier local`, placed
    right after the stage causing the dependency: a fence costs more than a
    plain barrier, so it goes only where the data needs it. After the loop:
    `s_setprio 0` and the reconverging `amdg.cond_barrier`.

    Dependencies between stages that run concurrently on two groups are
    reported (remark); a stage that reads and overwrites the same LDS buffer is
    an error (Membar would put a barrier inside it).
  }];
  let options = [
    Option<"warpsPerGroup", "warps-per-group", "int", /*default=*/"4",
           "Warps in one warp group (the groups leap-frog one stage apart).">,
    RemarksOption<0, "Emit one remark per lowered loop: warp groups, and for "
                     "each stage boundary whether it carries an LDS fence and "
                     "why.">,
  ];
  // amdg ops too: loaded through libtriton (getDependentDialects in the .cpp).
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
    "::mlir::triton::gpu::TritonGPUDialect", "::mlir::ROCDL::ROCDLDialect"
  ];
}

//===----------------------------------------------------------------------===//
// autopipe-allocate-buffers
//===----------------------------------------------------------------------===//

def AllocateBuffersPass
    : Pass<"autopipe-allocate-buffers", "::mlir::ModuleOp"> {
  let summary = "Lower the pipelined loads of every scheduled scf.for into "
                "multi-slot shared-memory (LDS) circular buffers (async "
                "copies, TMA or register-staged), within the shared-memory "
                "budget";
  let description = [{
    Replaces the load lowering of Triton's `tritongpu-pipeline` and of the AMD
    stream pipeliner; runs after the scheduler, before the loop expansion.

    `copy=async` (CUDA, gfx950): every scheduled `tt.load` whose consumers run
    in a later stage and feed an MMA becomes a multi-slot `ttg.local_alloc`
    before the loop (the consumer's shared encoding; slots = stage distance +
    1, or the distance when a `local_load` reads before the copy overwrites),
    `ttg.async_copy_global_to_local` + `ttg.async_commit_group` in the load's
    stage and cluster, `ttg.async_wait` + the slot view (+ `ttg.local_load`) in
    the consumer's, with loop-carried insert/extract indices wrapping modulo
    the slot count. sm90 tensor-descriptor loads consumed by a `local_alloc` of
    the descriptor's encoding become TMA copies with one mbarrier per slot
    (phase flipping when the extract index wraps), shared by the loads of a
    group that have the same first reader or are loaded two or more stages
    ahead (attention's K and V get one each at distance 1, so the first MMA
    never waits for V). On gfx950 the same form is
    lowered by Triton's AMD backend to direct-to-LDS loads; a load that cannot
    move 16 bytes a lane is register-staged instead.

    `copy=registers` (gfx942, or any target on request): the loads stay loads
    and each value is written into slot `insert` by a `ttg.local_store` in a
    new last cluster of the load's stage (the global latency overlaps the
    iteration); the consumer reads slot `extract`; no waits.

    A load that cannot be an async copy (rows not 4-byte aligned, a non-zero
    `other` read in shared memory, no TMA for a descriptor) is register-staged
    instead, with `[not async: <why>]` in the remark. Kept synchronous, with a
    remark: descriptor gathers, same-stage consumers, values leaving the
    iteration; loops with a partial schedule or with async copies / shared
    stores already are left as they are. The result is checked with the
    schedule verifier.

    Budget: the buffers plus what the kernel has live while the loop runs
    (Triton's allocation analysis) must fit the target's shared memory (or
    `shared-limit`): slots the config added beyond the schedule's minimum go
    first; if the minimum does not fit, the loop's schedule is removed and
    nothing pipelines it, rather than building a kernel that cannot launch.
  }];
  let options = [
    Option<"stages", "global-to-shared-stages", "int", /*default=*/"0",
           "Slots of each circular buffer (the kernel config's "
           "global_to_shared_stages) when at least the count the schedule "
           "needs; 0: from the schedule.">,
    Option<"sharedLimit", "shared-limit", "int", /*default=*/"-1",
           "Shared memory per block in bytes the buffers must fit in, with "
           "what the kernel already allocates (Triton's allocation analysis); "
           "-1: the target's (sm80/87 163 KB, sm86/89/120 99 KB, sm90/100 "
           "227 KB, LDS of gfx942 64 KB, gfx950 160 KB), 0: no budget. Over "
           "it, slots the config added go first; if the schedule's minimum "
           "does not fit, the loop is not pipelined (its schedule is "
           "removed).">,
    RemarksOption<1, "Emit one remark per scheduled loop: the loads put in "
                     "circular buffers (slots, type, stages) and the loads "
                     "kept synchronous, with the reason.">,
    OutputOption,
    Option<"copy", "copy", "CopyMode", /*default=*/"CopyMode::Auto",
           "How a slot is filled: 'async' (cp.async / TMA on CUDA, "
           "direct-to-LDS loads on gfx950, where a load that cannot be a "
           "16-byte-per-lane copy is register-staged), 'registers' (the load "
           "stays and its value is written with ttg.local_store at the end of "
           "the iteration: register-staged, any target, any load incl. tensor "
           "descriptors), 'auto' (async on CUDA and gfx950, registers on "
           "gfx942).", [{::llvm::cl::values(
             clEnumValN(CopyMode::Async, "async",
                        "cp.async / TMA on CUDA, direct-to-LDS loads on "
                        "gfx950 (a load that cannot be a 16-byte-per-lane "
                        "copy is register-staged)"),
             clEnumValN(CopyMode::Registers, "registers",
                        "the load stays and its value is written with "
                        "ttg.local_store at the end of the iteration "
                        "(register-staged, any target, any load)"),
             clEnumValN(CopyMode::Auto, "auto",
                        "async on CUDA and gfx950, registers on gfx942"))}]>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
    "::mlir::triton::TritonDialect", "::mlir::triton::gpu::TritonGPUDialect",
    "::mlir::triton::nvidia_gpu::TritonNvidiaGPUDialect"
  ];
}

//===----------------------------------------------------------------------===//
// autopipe-expand-loops
//===----------------------------------------------------------------------===//

def ExpandLoopsPass : Pass<"autopipe-expand-loops", "::mlir::ModuleOp"> {
  let summary = "Expand every scheduled scf.for into prologue + kernel loop "
                "(Triton's exported PipelineExpander) with early MMAs "
                "speculated, and place async-wgmma waits where a result, "
                "register operand or buffer slot is needed (replaces Triton's "
                "tritongpu-pipeline)";
  let description = [{
    Replaces `tritongpu-pipeline` (and, on AMD, the stream pipeliner's
    expansion) step by step: Triton's load lowering for loads still
    synchronous (TMA); expansion with Triton's exported PipelineExpander
    (dynamic trip counts, no peeled epilogue, predication), except that an MMA
    scheduled before the last stage runs unpredicated (`speculate-mma`: it
    reads allocated memory and writes only its own result, dead past the end),
    where Triton's `scf.if` would make it a synchronous wgmma; then the
    async-wgmma waits (`async-dots`); then Triton's wait-count update, arith
    cleanup and TMA store pipelining. Loops the expander rejects stay as they
    are (remark).

    `async-dots=autopipe` makes every wgmma of the kernel loop async and puts
    one `warp_group_dot_wait` right before each point that needs one done
    (first reader of a result or of its loop-carried copy, the op rewriting an
    RS wgmma's register operand, a copy into the circular-buffer slot a wgmma
    last read, unknown shared-memory writes, the yield; `wait 0` after the
    loop), with the count of groups issued since. No-op waits are not emitted:
    ptxas serializes the wgmmas of a kernel that has them while groups are in
    flight. `auto` takes Triton's placement where it keeps every wgmma in
    flight and ours elsewhere; on sm90 a module whose loops got our waits and
    whose shared memory leaves room for 2+ CTAs an SM is marked
    `autopipe.sync_wgmma_trial`, so the Python driver can also try `off` and
    keep it only where ptxas's register count fits more CTAs an SM.
  }];
  let options = [
    Option<"numStages", "num-stages", "int", /*default=*/"3",
           "Stage count of loops without tt.num_stages (the kernel's "
           "num_stages); loops of <= 1 stage get no async wgmma, as in "
           "Triton.">,
    Option<"speculateMMA", "speculate-mma", "bool", /*default=*/"true",
           "Run MMAs scheduled before the last stage unpredicated (they read "
           "allocated memory and write only their own, then dead, result) "
           "instead of under scf.if, which forces a synchronous wgmma.">,
    Option<"asyncDots", "async-dots", "AsyncDotsMode",
           /*default=*/"AsyncDotsMode::Auto",
           "Where the kernel loop waits for async wgmma (sm90): 'triton' "
           "(Triton's asyncLaunchDots), 'autopipe' (every wgmma async, one "
           "wait right before each point that needs one complete), 'auto' "
           "(triton where it keeps every dot in flight, autopipe elsewhere), "
           "'off' (every wgmma synchronous, loads still pipelined: fewer "
           "registers, which can buy occupancy).",
           [{::llvm::cl::values(
             clEnumValN(AsyncDotsMode::Triton, "triton",
                        "Triton's asyncLaunchDots: serializes a dot whose "
                        "result is read by anything but the next dot's "
                        "accumulator"),
             clEnumValN(AsyncDotsMode::Autopipe, "autopipe",
                        "every wgmma async, one warp_group_dot_wait right "
                        "before each point that needs one complete"),
             clEnumValN(AsyncDotsMode::Auto, "auto",
                        "triton where it keeps every dot in flight, autopipe "
                        "elsewhere; marks sm90 modules for the driver's trial "
                        "of 'off' where 2+ CTAs an SM fit"),
             clEnumValN(AsyncDotsMode::Off, "off",
                        "every wgmma stays synchronous (the loads are still "
                        "pipelined): fewer registers, which can buy "
                        "occupancy"))}]>,
    RemarksOption<1, "Emit one remark per scheduled loop: expanded or not, "
                     "and how its wgmma waits were placed.">,
    OutputOption,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
    "::mlir::ub::UBDialect", "::mlir::triton::TritonDialect",
    "::mlir::triton::gpu::TritonGPUDialect",
    "::mlir::triton::nvidia_gpu::TritonNvidiaGPUDialect"
  ];
}

//===----------------------------------------------------------------------===//
// autopipe-double-buffer-operands
//===----------------------------------------------------------------------===//

def DoubleBufferOperandsPass
    : Pass<"autopipe-double-buffer-operands", "::mlir::ModuleOp"> {
  let summary = "Shared->register double buffering for MMAs that read "
                "registers (mma.sync, MFMA): split each tt.dot of a loop "
                "whose operands are local_loads along K and load slice j+1 "
                "from shared memory before the MMA of slice j";
  let description = [{
    Opt-in in the hook (`TRITON_AUTOPIPE_S2R=autopipe`), then in place of
    Triton's `tritongpu-prefetch`. Each `tt.dot` of a loop whose operands are
    `local_load`s is split along K into slices (`ttg.memdesc_subslice` views,
    same async-wait token) and the loads of slice j+1 are issued before the
    MMA of slice j, so shared-memory reads overlap the MMAs; the dots chain
    their accumulators in the same K order. With `prefetch-next`, slice 0 of
    the next iteration is loaded at the end of the body and carried in
    registers across the back edge, and the last slice's MMA moves after those
    loads; slice 0 of the first iteration is loaded before the loop.

    Kept in the iteration, with the reason in the remark: a body that writes
    shared memory or commits copies before the tiles are read, an accumulator
    used in the body. Left as is, with a remark: operands that are not
    `local_load`s used only by the dot, K not a multiple of 2 slices, slices
    not a multiple of the instruction's K, MMAs reading shared memory (wgmma).
  }];
  let options = [
    Option<"stages", "stages", "int", /*default=*/"2",
           "Shared->register stages (the kernel config's "
           "shared_to_register_stages): 1 = off, 2 = double buffering; other "
           "values are an error.">,
    Option<"kSlice", "k-slice", "int", /*default=*/"0",
           "K elements per slice; 0: one MMA instruction's K (mma.sync: 256 "
           "bits of the element type, 16 for fp16/bf16; MFMA: its "
           "instrShape), the fewest live registers; must be a multiple of the "
           "MMA instruction's K.">,
    RemarksOption<1, "Emit one remark per loop holding an MMA: dots split, or "
                     "why not.">,
    OutputOption,
    Option<"prefetchNextOpt", "prefetch-next", "bool", /*default=*/"true",
           "Load slice 0 of the next iteration at the end of the loop body "
           "and carry it in registers (across the back edge), so it overlaps "
           "the last slice's MMA; slice 0 of the first iteration is loaded "
           "before the loop.">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::triton::gpu::TritonGPUDialect"
  ];
}

//===----------------------------------------------------------------------===//
// autopipe-insert-barriers
//===----------------------------------------------------------------------===//

def InsertBarriersPass : Pass<"autopipe-insert-barriers", "::mlir::ModuleOp"> {
  let summary = "Membar-aware CTA barriers for the loops our passes handled, "
                "and the proof that Triton's Membar adds none there";
  let description = [{
    Runs Triton's barrier analysis (`ModuleMembarAnalysis` over Triton's
    `ModuleAllocation`, with the target's filter: `NVIDIA::canSkipBarSync` on
    `cuda:*`, `AMD::membarFilter` on `hip:*`) on a copy of the module, lowered
    to blocks first (`scf` to `cf`, as `make_llir` does before Membar) and
    compares, for every `scf.for` carrying an `autopipe.*` attribute (a loop
    our passes handled), the copy with the module. `mode=prove` changes
    nothing and reports per loop how many CTA barriers Membar adds inside it,
    each with its reason (the op after it and the buffers it touches, named by
    the source line of their `ttg.local_alloc`, or the `ttg.async_wait` it
    follows), and how many barriers were already there. `mode=place` inserts
    those barriers as `ttg.barrier local`, marked by their location
    `"autopipe.barrier: <reason>"(<location of the op after it>)` (one remark
    per loop lists them), and proves the result: a loop where Membar
    would still add one gets a warning naming it. An op of our loops that
    takes or yields shared memory but declares no memory effects is invisible
    to Membar: `mode=place` puts a conservative barrier on either side of it
    (with a remark naming it), and the proof names it either way. Loops
    without an `autopipe.*` attribute, loops inside `ttg.warp_specialize`
    partitions (their barriers become partition-scoped at lowering) and
    everything outside our loops are left to Membar at lowering.

    Channels of warp-specialized loops (`mode=place`, first): a
    `ttg.warp_specialize` whose partitions' loops reach multi-slot buffers
    through `ttg.memdesc_index` views marked `autopipe.channel = "put"` (the
    producer's `ttg.local_store`s; from a `tt.descriptor_load` they become TMA
    copies on sm90) or `"get"` (the consumers' reads) gets per slot a full and
    an empty mbarrier (captured by the partitions), the producer's wait on
    empty and expect/arrive on full, the consumers' wait on full before the
    first view and arrive on empty after the last read (an async wgmma: after
    the `warp_group_dot_wait` that retires it), slot and phase from the
    iteration number (include/triton-autopipe/Channels.h, the API the
    partitioning pass calls). Marked views outside that contract are an
    error naming the op; `mode=prove` reports them unmaterialized.

    Run it last (the hook's explain and `python -m benchmarks barriers` run it
    on the TTGIR that Triton's `make_llir` receives: Membar runs there, after
    `ModuleAllocation`); earlier in the pipeline later passes may still add
    shared-memory ops that Membar then synchronizes at lowering.
  }];
  let options = [
    Option<"mode", "mode", "BarrierMode", /*default=*/"BarrierMode::Prove",
           "prove: report only; place: insert the barriers Membar would add "
           "in our loops, marked, then prove.", [{::llvm::cl::values(
             clEnumValN(BarrierMode::Prove, "prove",
                        "report the barriers Membar adds in our loops"),
             clEnumValN(BarrierMode::Place, "place",
                        "insert them (ttg.barrier local), then prove"))}]>,
    Option<"linkCountersOpt", "link-counters", "bool", /*default=*/"false",
           "First write each circular buffer's insert counter as "
           "remsi(extract + 1 + d, N) (d: the constant distance between the "
           "two at loop entry; the same value in every iteration), the form "
           "in which Membar's BufferIndexAnalysis tells the slot a copy "
           "refills from the slot read in the same iteration, so that no "
           "barrier is needed before the refill where the reads of that slot "
           "are already ordered by another barrier. Changes only our loops "
           "whose counters it recognizes (both initial values constant, one "
           "written and one read counter per buffer).">,
    Option<"reprove", "reprove", "bool", /*default=*/"true",
           "With place: run Membar once more on the result and report per "
           "loop what it would still add (0 on loops we handled; a warning "
           "otherwise). The hook turns it off outside explain: each proof "
           "lowers and analyzes a copy of the module.">,
    RemarksOption<1, "Emit one remark per loop we handled: Membar's barriers "
                     "in it and their reasons (and, with place, the ones "
                     "inserted).">,
    OutputOption,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::triton::gpu::TritonGPUDialect",
    "::mlir::triton::nvidia_gpu::TritonNvidiaGPUDialect"
  ];
}

#endif // TRITON_AUTOPIPE_PASSES_TD
