"""Our ``make_ttgir`` pass lists for the CUDA (sm80, sm90) and HIP (gfx942,
gfx950) backends of Triton 3.9.

Each list is data: named steps, each adding passes to a pass manager. The
lists follow Triton 3.9's ``make_ttgir``, except that the software pipeliner
is ours: loop scheduling (``autopipe-schedule-loops`` in place of Triton's
assign-latencies + schedule-loops; ``Settings(schedule="triton")`` keeps
Triton's), the circular-buffer load lowering (``autopipe-allocate-buffers``:
async copies on CUDA and gfx950, register-staged LDS buffers on gfx942;
``buffers="triton"`` skips it) and the loop expansion with async-wgmma waits
(``autopipe-expand-loops`` as the ``pipeline`` step; ``expand="triton"`` keeps
``tritongpu-pipeline`` on CUDA and the AMD stream pipeliner on HIP), with
``autopipe-print-schedule`` in between (the last point where the schedule is
on the IR).

>>> from triton.backends.nvidia.compiler import CUDAOptions
>>> names = [s.name for s in cuda_steps(CUDAOptions(num_stages=3), 90, Settings())]
>>> names[names.index("schedule_loops"):names.index("pipeline") + 1]
['schedule_loops', 'allocate_buffers', 'print_schedule', 'pipeline']
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

from . import plugin

#: Names of the steps our passes own (replaced as the pass issues land).
SCHEDULING_STEPS = ("assign_latencies", "schedule_loops", "print_schedule", "pipeline")


#: Values of ``Settings.schedule`` / ``TRITON_AUTOPIPE_SCHEDULE``: ours
#: (``autopipe-schedule-loops``) or ``triton`` (Triton's own scheduler).
SCHEDULES = ("auto", "default", "attention-a", "attention-b", "triton")

#: Values of ``Settings.buffers`` / ``TRITON_AUTOPIPE_BUFFERS``: ``autopipe``
#: (default: ``autopipe-allocate-buffers`` lowers the loads into circular
#: buffers -- async copies on CUDA and gfx950 (direct-to-LDS), register-staged
#: on gfx942 and wherever a load cannot be an async copy; on CUDA the loop
#: expansion lowers what it leaves with Triton's load lowering), ``registers``
#: (register-staged buffers everywhere: the gfx942 form, also for testing it
#: on an NVIDIA GPU), ``async`` (async copies only; gfx942 is left unlowered)
#: or ``triton`` (Triton's load lowering for all).
BUFFERS = ("triton", "autopipe", "registers", "async")

#: Values of ``Settings.expand`` / ``TRITON_AUTOPIPE_EXPAND``: who expands the
#: scheduled loops (prologue + kernel) and places the async-wgmma waits:
#: ``autopipe`` (``autopipe-expand-loops``, default) or ``triton`` (Triton's
#: ``tritongpu-pipeline``; on HIP Triton's AMD stream pipeliner, which also
#: takes over there when ``buffers`` or ``schedule`` is ``triton``).
EXPANDS = ("autopipe", "triton")
#: Where the kernel loop waits for async wgmma (sm90, our expansion):
#: ``auto`` (default: Triton's waits where Triton keeps every wgmma in flight,
#: ours elsewhere, and ``off`` where ptxas says it fits more CTAs an SM -- see
#: :mod:`triton_autopipe.occupancy`), ``autopipe`` (every wgmma async, waits at
#: first need), ``triton`` (Triton's asyncLaunchDots) or ``off`` (wgmma stays
#: synchronous; loads are still pipelined -- fewer registers: on H100, d64
#: attention with 128x128 tiles and 8 warps drops from 156 to 128 registers a
#: thread and runs 1.29-1.37x Triton's default); ``autopipe-expand-loops``'
#: ``async-dots``.
ASYNC_DOTS = ("auto", "autopipe", "triton", "off")

#: Values of ``Settings.s2r`` / ``TRITON_AUTOPIPE_S2R``: shared->register
#: double buffering of register MMA operands (mma.sync, MFMA): ``triton``
#: (default: Triton's ``tritongpu-prefetch`` on sm80, nothing elsewhere, as in
#: Triton), ``autopipe`` (``autopipe-double-buffer-operands`` on every target:
#: K slices, slice j+1 loaded before the MMA of slice j, slice 0 of the next
#: iteration before the yield), ``prefetch`` (Triton's ``tritongpu-prefetch``
#: on every CUDA target, e.g. sm90 with MMA v3 off, where Triton runs none) or
#: ``off``.
S2RS = ("triton", "autopipe", "prefetch", "off")


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the user asked for; part of Triton's compile cache key."""

    explain: bool = False
    schedule: str = "auto"
    buffers: str = "autopipe"
    expand: str = "autopipe"
    s2r: str = "triton"
    async_dots: str = "auto"
    #: Circular-buffer slots per pipelined load (0: from the schedule's
    #: distance); ``autopipe-allocate-buffers``' ``global-to-shared-stages``.
    global_to_shared_stages: int = 0
    #: Shared->register stages of our S2R (``s2r="autopipe"``): 2 = double
    #: buffering, 1 = off; ``autopipe-double-buffer-operands``' ``stages``.
    shared_to_register_stages: int = 2

    def __post_init__(self) -> None:
        if self.schedule not in SCHEDULES:
            raise ValueError(f"triton-autopipe: unknown schedule {self.schedule!r}; expected one of {SCHEDULES}")
        if self.buffers not in BUFFERS:
            raise ValueError(f"triton-autopipe: unknown buffers {self.buffers!r}; expected one of {BUFFERS}")
        if self.expand not in EXPANDS:
            raise ValueError(f"triton-autopipe: unknown expand {self.expand!r}; expected one of {EXPANDS}")
        if self.async_dots not in ASYNC_DOTS:
            raise ValueError(f"triton-autopipe: unknown async_dots {self.async_dots!r}; expected one of {ASYNC_DOTS}")
        if self.s2r not in S2RS:
            raise ValueError(f"triton-autopipe: unknown s2r {self.s2r!r}; expected one of {S2RS}")
        if not isinstance(self.global_to_shared_stages, int) or self.global_to_shared_stages < 0:
            raise ValueError("triton-autopipe: global_to_shared_stages must be an int >= 0 (0: from the schedule), "
                             f"got {self.global_to_shared_stages!r}")
        if self.shared_to_register_stages not in (1, 2):
            raise ValueError("triton-autopipe: shared_to_register_stages must be 1 (off) or 2 (double buffering), "
                             f"got {self.shared_to_register_stages!r}")

    def key(self) -> str:
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in dataclasses.fields(self))


@dataclasses.dataclass(frozen=True)
class Step:
    name: str
    add: Callable[[Any, bool], None]  # add(pm, dump_enabled)


def _schedule_loops(settings: Settings, num_stages: int, complete: bool = False) -> Step:
    """Our scheduler in place of Triton's assign-latencies + schedule-loops
    (``complete``: on HIP, schedule every op, for our own lowering). Where our
    passes lower and expand the loop, loads that cannot be async copies are
    pipelined too (register-staged by ``autopipe-allocate-buffers``)."""
    opts: dict[str, object] = {"num-stages": num_stages, "schedule": settings.schedule, "remarks": False}
    if complete:
        opts["complete"] = True
    if settings.buffers != "triton" and settings.expand == "autopipe":
        opts["staged-loads"] = True
    if settings.explain:
        opts["output"] = "-"
    return Step("schedule_loops", lambda pm, dump: plugin.add_pass(pm, plugin.SCHEDULE_LOOPS, opts))


def _print_schedule(settings: Settings) -> Step:
    opts = {"remarks": settings.explain}
    if settings.explain:
        opts["output"] = "-"
    return Step("print_schedule", lambda pm, dump: plugin.add_pass(pm, plugin.PRINT_SCHEDULE, opts))


def _allocate_buffers(settings: Settings) -> Step:
    """Our load lowering (circular buffers + async copies) before Triton's
    pipeliner expands the loop."""
    opts: dict[str, object] = {"remarks": False}
    if settings.buffers in ("registers", "async"):
        opts["copy"] = settings.buffers
    if settings.global_to_shared_stages:
        opts["global-to-shared-stages"] = settings.global_to_shared_stages
    if settings.explain:
        opts["output"] = "-"
    return Step("allocate_buffers", lambda pm, dump: plugin.add_pass(pm, plugin.ALLOCATE_BUFFERS, opts))


def _expand_loops(settings: Settings, num_stages: int) -> Step:
    """Our loop expansion + async-wgmma waits in place of Triton's
    ``tritongpu-pipeline`` (same step name: it is the same point of the list)."""
    opts: dict[str, object] = {"num-stages": num_stages, "remarks": False}
    if settings.async_dots != "auto":
        opts["async-dots"] = settings.async_dots
    if settings.explain:
        opts["output"] = "-"
    return Step("pipeline", lambda pm, dump: plugin.add_pass(pm, plugin.EXPAND_LOOPS, opts))


def _double_buffer_operands(settings: Settings) -> Step:
    """Our shared->register double buffering (in place of tritongpu-prefetch)."""
    opts: dict[str, object] = {"remarks": False, "stages": settings.shared_to_register_stages}
    if settings.explain:
        opts["output"] = "-"
    return Step("prefetch", lambda pm, dump: plugin.add_pass(pm, plugin.DOUBLE_BUFFER_OPERANDS, opts))


def cuda_steps(opt, capability: int, settings: Settings) -> list[Step]:
    """Triton 3.9's NVIDIA make_ttgir for sm80/sm90, as named steps."""
    from triton._C.libtriton import nvidia, passes
    from triton._instrumentation import is_enabled

    ttir, ttgpuir, common = passes.ttir, passes.ttgpuir, passes.common
    ttng = nvidia.passes.ttnvgpuir
    family = capability // 10
    if family not in (8, 9):
        raise ValueError(f"triton-autopipe: no CUDA pipeline for sm{capability}")
    s: list[Step] = []
    add = lambda name, fn: s.append(Step(name, fn))  # noqa: E731

    add("convert_to_ttgpuir",
        lambda pm, dump: ttir.add_convert_to_ttgpuir(pm, f"cuda:{capability}", opt.num_warps, 32, opt.num_ctas))
    if opt.clc:
        add("to_clc", lambda pm, dump: ttng.add_to_clc(pm))
    add("coalesce", lambda pm, dump: ttgpuir.add_coalesce(pm))
    add("f32_dot_tc", lambda pm, dump: ttgpuir.add_f32_dot_tc(pm, family >= 8))
    add("assign_cga_layouts", lambda pm, dump: ttng.add_assign_cga_layouts(pm))
    add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("optimize_cta_locality", lambda pm, dump: ttng.add_optimize_cta_locality(pm))
    add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("optimize_thread_locality", lambda pm, dump: ttgpuir.add_optimize_thread_locality(pm))
    add("accelerate_matmul", lambda pm, dump: ttgpuir.add_accelerate_matmul(pm))
    add("check_matmul_two_cta", lambda pm, dump: ttng.add_check_matmul_two_cta(pm))
    add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("optimize_dot_operands", lambda pm, dump: ttgpuir.add_optimize_dot_operands(pm, capability >= 80))
    add("optimize_descriptor_encoding", lambda pm, dump: ttng.add_optimize_descriptor_encoding(pm))
    add("loop_aware_cse", lambda pm, dump: ttir.add_loop_aware_cse(pm))
    add("fuse_nested_loops", lambda pm, dump: ttgpuir.add_fuse_nested_loops(pm))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    add("licm", lambda pm, dump: ttir.add_triton_licm(pm))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    add("combine_tensor_select_and_if", lambda pm, dump: ttgpuir.add_combine_tensor_select_and_if(pm))
    add("hopper_warpspec", lambda pm, dump: nvidia.passes.hopper.add_hopper_warpspec(pm, opt.num_stages, dump))
    if settings.schedule == "triton":
        add("assign_latencies", lambda pm, dump: ttgpuir.add_assign_latencies(pm, opt.num_stages))
        add("schedule_loops", lambda pm, dump: ttgpuir.add_schedule_loops(pm))
    else:
        s.append(_schedule_loops(settings, opt.num_stages))
    if settings.buffers != "triton":
        s.append(_allocate_buffers(settings))
    s.append(_print_schedule(settings))
    if settings.expand == "autopipe":
        s.append(_expand_loops(settings, opt.num_stages))
    else:
        add("pipeline", lambda pm, dump: ttgpuir.add_pipeline(pm, opt.num_stages, dump))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    add("loop_aware_cse", lambda pm, dump: ttir.add_loop_aware_cse(pm))
    if settings.s2r == "autopipe":
        s.append(_double_buffer_operands(settings))
    elif (family == 8 and settings.s2r == "triton") or settings.s2r == "prefetch":
        add("prefetch", lambda pm, dump: ttgpuir.add_prefetch(pm))
    add("optimize_dot_operands", lambda pm, dump: ttgpuir.add_optimize_dot_operands(pm, capability >= 80))
    add("coalesce_async_copy", lambda pm, dump: ttgpuir.add_coalesce_async_copy(pm))
    add("optimize_tmem_layouts", lambda pm, dump: ttng.add_optimize_tmem_layouts(pm))
    add("tmem_load_reduce", lambda pm, dump: ttng.add_tmem_load_reduce(pm))
    if family >= 9:
        add("tma_lowering", lambda pm, dump: ttng.add_tma_lowering(pm))
    add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("interleave_tmem", lambda pm, dump: ttng.add_interleave_tmem(pm))
    add("reduce_data_duplication", lambda pm, dump: ttgpuir.add_reduce_data_duplication(pm))
    add("reorder_instructions", lambda pm, dump: ttgpuir.add_reorder_instructions(pm))
    add("loop_aware_cse", lambda pm, dump: ttir.add_loop_aware_cse(pm))
    add("symbol_dce", lambda pm, dump: common.add_symbol_dce(pm))
    add("fence_insertion", lambda pm, dump: ttng.add_fence_insertion(pm, capability))
    add("lower_mma", lambda pm, dump: ttng.add_lower_mma(pm))
    add("hoist_mbarrier_lifecycle", lambda pm, dump: ttng.add_hoist_mbarrier_lifecycle(pm, capability))
    add("sccp", lambda pm, dump: common.add_sccp(pm))
    add("cse", lambda pm, dump: common.add_cse(pm))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    if is_enabled(opt, "fpsan"):
        add("fp_sanitizer", lambda pm, dump: ttgpuir.add_fp_sanitizer(pm, opt.fpsan_homomorphic_casts))
        add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm, True))
        add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
        add("cse", lambda pm, dump: common.add_cse(pm))
    return s


def hip_steps(options, settings: Settings) -> tuple[list[Step], list[Step]]:
    """Triton 3.9's AMD make_ttgir (gfx942/gfx950) as two lists of named steps:
    Triton runs the conversion to TTGIR in a pass manager of its own first."""
    from triton._C.libtriton import amd, passes
    from triton._instrumentation import is_enabled
    from triton.backends.amd import compiler as amdc
    from triton import knobs

    ttir, ttgpuir, common = passes.ttir, passes.ttgpuir, passes.common
    amdg = amd.passes.ttgpuir
    early = [Step("convert_to_ttgpuir", lambda pm, dump: ttir.add_convert_to_ttgpuir(
        pm, f"hip:{options.arch}", options.num_warps, options.warp_size, options.num_ctas))]
    s: list[Step] = []
    add = lambda name, fn: s.append(Step(name, fn))  # noqa: E731

    add("coalesce", lambda pm, dump: ttgpuir.add_coalesce(pm))
    add("f32_dot_tc", lambda pm, dump: ttgpuir.add_f32_dot_tc(pm, False))
    add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("optimize_thread_locality", lambda pm, dump: ttgpuir.add_optimize_thread_locality(pm))
    add("accelerate_matmul", lambda pm, dump: amdg.add_accelerate_matmul(pm, options.arch, options.matrix_instr_nonkdim, options.kpack))
    add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("optimize_epilogue", lambda pm, dump: amdg.add_optimize_epilogue(pm))
    add("optimize_dot_operands", lambda pm, dump: amdg.add_optimize_dot_operands(pm, options.arch))
    add("hoist_layout_conversions", lambda pm, dump: amdg.add_hoist_layout_conversions(pm))
    add("sink_layout_conversions", lambda pm, dump: amdg.add_sink_layout_conversions(pm))
    add("fuse_nested_loops", lambda pm, dump: ttgpuir.add_fuse_nested_loops(pm))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    add("licm", lambda pm, dump: ttir.add_triton_licm(pm))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    use_async_copy = amdc.is_async_copy_enabled(options.base_arch)
    use_block_pingpong = amdc.is_pingpong_schedule_enabled(options.arch, use_async_copy)
    add("optimize_descriptor_encoding", lambda pm, dump: amdg.add_optimize_descriptor_encoding(pm))
    # Our lowering (register-staged LDS buffers + our expansion) needs our
    # complete schedule; with Triton's scheduler or load lowering the AMD
    # stream pipeliner does both.
    ours = settings.schedule != "triton" and settings.buffers != "triton" and settings.expand == "autopipe"
    if settings.schedule == "triton":
        add("schedule_loops", lambda pm, dump: amdg.add_schedule_loops(pm, options.num_stages))
    else:
        s.append(_schedule_loops(settings, options.num_stages, complete=ours))
    if ours:
        s.append(_allocate_buffers(settings))
    s.append(_print_schedule(settings))
    if ours:
        s.append(_expand_loops(settings, options.num_stages))
    else:
        add("pipeline", lambda pm, dump: amdg.add_pipeline(pm, use_async_copy, use_block_pingpong))
    if settings.s2r == "autopipe":
        s.append(_double_buffer_operands(settings))
    if use_async_copy:
        add("coalesce_async_copy", lambda pm, dump: amdg.add_coalesce_async_copy(pm, options.arch))
    add("convert_to_tensor_ops", lambda pm, dump: amdg.add_convert_to_tensor_ops(pm))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("reduce_data_duplication", lambda pm, dump: ttgpuir.add_reduce_data_duplication(pm))
    if amdc.is_in_thread_transpose_enabled(options.arch):
        add("in_thread_transpose", lambda pm, dump: amdg.add_in_thread_transpose(pm))
        add("remove_layout_conversions", lambda pm, dump: ttgpuir.add_remove_layout_conversions(pm))
    add("move_up_prologue_loads", lambda pm, dump: amdg.add_move_up_prologue_loads(pm))
    if use_block_pingpong and options.num_stages > 1:
        add("block_pingpong", lambda pm, dump: amdg.add_block_pingpong(pm, options.num_stages))
    if knobs.amd.use_buffer_ops:
        add("canonicalize_pointers", lambda pm, dump: amdg.add_canonicalize_pointers(pm))
        add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
        add("convert_to_buffer_ops", lambda pm, dump: amdg.add_convert_to_buffer_ops(
            pm, options.arch, knobs.amd.use_buffer_atomics, knobs.amd.buffer_ops_analyze_small_tensor_range))
        add("optimize_buffer_op_ptr", lambda pm, dump: amdg.add_optimize_buffer_op_ptr(pm))
    add("fold_true_cmpi", lambda pm, dump: amdg.add_fold_true_cmpi(pm))
    add("prepare_if_combining", lambda pm, dump: amdg.add_prepare_if_combining(pm))
    add("canonicalize", lambda pm, dump: common.add_canonicalizer(pm))
    add("cse", lambda pm, dump: common.add_cse(pm))
    add("symbol_dce", lambda pm, dump: common.add_symbol_dce(pm))
    if is_enabled(options, "fpsan") and amdc.is_fpsan_supported(options.base_arch):
        add("amd_fp_sanitizer", lambda pm, dump: amdg.add_fp_sanitizer(pm))
        add("fp_sanitizer", lambda pm, dump: ttgpuir.add_fp_sanitizer(pm, options.fpsan_homomorphic_casts))
    return early, s


def _run(mod, steps: list[Step], label: str) -> None:
    from triton._C.libtriton import ir

    pm = ir.pass_manager(mod.context)
    dump = pm.enable_debug()
    for step in steps:
        step.add(pm, dump)
    pm.run(mod, label)


def make_ttgir_cuda(mod, metadata, opt, capability: int, settings: Settings):
    """Drop-in for ``CUDABackend.make_ttgir`` (sm80/sm90) with our steps."""
    from triton._C.libtriton import ir

    if opt.maxnreg is not None:
        mod.set_attr("ttg.maxnreg", ir.builder(mod.context).get_int32_attr(opt.maxnreg))
    _run(mod, cuda_steps(opt, capability, settings), "make_ttgir")
    metadata["tensordesc_meta"] = mod.get_tensordesc_metadata()
    return mod


def make_ttgir_hip(mod, metadata, options, settings: Settings):
    """Drop-in for ``HIPBackend.make_ttgir`` (gfx942/gfx950) with our steps."""
    early, main = hip_steps(options, settings)
    _run(mod, early, "make_ttgir_early")
    _run(mod, main, "make_ttgir")
    metadata["tensordesc_meta"] = mod.get_tensordesc_metadata()
    return mod
