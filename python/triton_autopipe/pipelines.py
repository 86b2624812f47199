"""Which of Triton 3.9's ``make_ttgir`` steps our passes replace, and with what.

We run Triton's own ``make_ttgir`` (CUDA sm80/sm90, HIP gfx942/gfx950) and
HIP ``gluon_to_ttgir``; :mod:`triton_autopipe.dispatch` swaps only the
bindings listed in :data:`SWAPS` while a :class:`Settings` is active on the
thread, so every other step is Triton's by construction. :data:`SWAPS` is the
one table of what replaces what (``docs/design.md`` shows it).

>>> row = next(r for r in SWAPS if r.binding == "passes.ttgpuir.add_pipeline")
>>> row.ours
'autopipe-allocate-buffers, autopipe-print-schedule, autopipe-expand-loops'
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from typing import Any, Callable, Iterator

from . import dispatch, plugin

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


#: Values of ``Settings.barriers`` / ``TRITON_AUTOPIPE_BARRIERS``: who places the CTA barriers of our loops.
#: ``placed`` (default): ``autopipe-insert-barriers{mode=place}`` in ``make_llir`` right before ``scf-to-cf``
#: places, marked, the barriers Membar's analysis finds in our loops (the same machine code: checked on every
#: corpus kernel for sm80/sm90) and proves that Triton's Membar has none left to add there (CUDA; on HIP the
#: proof only reports, see :func:`with_barrier_pass`); ``membar``: Triton's Membar alone, at lowering;
#: ``linked`` (opt-in, not yet timed on a GPU): as ``placed``, after writing each circular buffer's refill slot
#: from its read slot (``link-counters``), so that the analysis tells them apart and drops the barrier before
#: the refill (sm90 cp.async GEMM and attention loops: one ``bar.sync`` an iteration fewer than Triton's).
BARRIERS = ("placed", "membar", "linked")

#: The most circular-buffer slots a load may get (``autopipe-allocate-buffers``' limit).
MAX_SLOTS = 32


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
    #: Who places the CTA barriers of our loops (:data:`BARRIERS`).
    barriers: str = "placed"

    def __post_init__(self) -> None:
        for name, allowed in (("schedule", SCHEDULES), ("buffers", BUFFERS), ("expand", EXPANDS),
                              ("async_dots", ASYNC_DOTS), ("s2r", S2RS),
                              ("barriers", BARRIERS)):
            value = getattr(self, name)
            if not isinstance(value, str) or value not in allowed:
                raise ValueError(f"triton-autopipe: unknown {name} {value!r}; expected one of {allowed}")
        if type(self.explain) is not bool:
            raise TypeError(f"triton-autopipe: explain must be a bool (True or False), got {self.explain!r}")
        if type(self.global_to_shared_stages) is not int or not 0 <= self.global_to_shared_stages <= MAX_SLOTS:
            raise ValueError(f"triton-autopipe: global_to_shared_stages must be an int in 0..{MAX_SLOTS} "
                             f"(0: from the schedule), got {self.global_to_shared_stages!r}")
        if type(self.shared_to_register_stages) is not int or self.shared_to_register_stages not in (1, 2):
            raise ValueError("triton-autopipe: shared_to_register_stages must be the int 1 (off) or 2 "
                             f"(double buffering), got {self.shared_to_register_stages!r}")

    def key(self) -> str:
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in dataclasses.fields(self))



# -- Options of our passes for one Settings -----------------------------------------------------------------------


#: Where ``explain``'s text report goes: ``-`` (stderr), or a file path (appended to) inside
#: :func:`report_to` (``python -m triton_autopipe explain`` reads it back).
_report_target: contextvars.ContextVar[str] = contextvars.ContextVar("triton_autopipe_report", default="-")


@contextlib.contextmanager
def report_to(path: str) -> Iterator[None]:
    """Compiles of the calling context under ``explain`` append their report to ``path`` (no spaces)."""
    token = _report_target.set(path)
    try:
        yield
    finally:
        _report_target.reset(token)


def _with_output(settings: Settings, opts: dict[str, object]) -> dict[str, object]:
    """``opts`` plus ``output=-`` (remarks and schedules to stderr, or :func:`report_to`'s file) under
    ``explain``."""
    if settings.explain:
        opts["output"] = _report_target.get()
    return opts


def schedule_options(settings: Settings, num_stages: int, complete: bool = False) -> dict[str, object]:
    """``autopipe-schedule-loops`` in place of Triton's scheduler (``complete``: on HIP, schedule every op, for
    our own lowering). Where our passes lower and expand the loop, loads that cannot be async copies are
    pipelined too (register-staged by ``autopipe-allocate-buffers``)."""
    opts: dict[str, object] = {"num-stages": num_stages, "schedule": settings.schedule, "remarks": False}
    if complete:
        opts["complete"] = True
    if settings.buffers != "triton" and settings.expand == "autopipe":
        opts["staged-loads"] = True
    return _with_output(settings, opts)


def print_schedule_options(settings: Settings) -> dict[str, object]:
    """``autopipe-print-schedule``: the last point where the schedule is on the IR."""
    return _with_output(settings, {"remarks": settings.explain})


def allocate_buffers_options(settings: Settings) -> dict[str, object]:
    """``autopipe-allocate-buffers``: our load lowering (circular buffers + async copies) before the loop is
    expanded."""
    opts: dict[str, object] = {"remarks": False}
    if settings.buffers in ("registers", "async"):
        opts["copy"] = settings.buffers
    if settings.global_to_shared_stages:
        opts["global-to-shared-stages"] = settings.global_to_shared_stages
    return _with_output(settings, opts)


def expand_options(settings: Settings, num_stages: int) -> dict[str, object]:
    """``autopipe-expand-loops``: our loop expansion + async-wgmma waits in place of Triton's pipeliner."""
    opts: dict[str, object] = {"num-stages": num_stages, "remarks": False}
    if settings.async_dots != "auto":
        opts["async-dots"] = settings.async_dots
    return _with_output(settings, opts)


def double_buffer_options(settings: Settings) -> dict[str, object]:
    """``autopipe-double-buffer-operands``: our shared->register double buffering."""
    return _with_output(settings, {"remarks": False, "stages": settings.shared_to_register_stages})


# -- Handlers: what each swapped binding adds while a plan is active ----------------------------------------------
# handler(plan, original, pm, *Triton's arguments); ``original`` is Triton's binding.


def _triton_form(plan: dispatch.Plan, num_stages: int) -> bool:
    """``num_stages`` < 1 (which Triton takes as "no pipelining"): Triton's own steps for the whole
    pipeliner, so that the kernel compiles exactly as without us."""
    if num_stages < 1:
        plan.state["triton_form"] = True
    return plan.state.get("triton_form", False)


def _cuda_assign_latencies(plan: dispatch.Plan, original: Callable, pm: Any, num_stages: int) -> None:
    settings = plan.settings
    if settings.schedule == "triton" or _triton_form(plan, num_stages):
        original(pm, num_stages)
    else:
        plugin.add_pass(pm, plugin.SCHEDULE_LOOPS, schedule_options(settings, num_stages))


def _cuda_schedule_loops(plan: dispatch.Plan, original: Callable, pm: Any) -> None:
    if plan.settings.schedule == "triton" or plan.state.get("triton_form"):
        original(pm)  # else autopipe-schedule-loops, added in place of assign-latencies, did both


def _cuda_pipeline(plan: dispatch.Plan, original: Callable, pm: Any, num_stages: int, dump: bool) -> None:
    settings = plan.settings
    if _triton_form(plan, num_stages):
        original(pm, num_stages, dump)
        return
    if settings.buffers != "triton":
        plugin.add_pass(pm, plugin.ALLOCATE_BUFFERS, allocate_buffers_options(settings))
    plugin.add_pass(pm, plugin.PRINT_SCHEDULE, print_schedule_options(settings))
    if settings.expand == "autopipe":
        plugin.add_pass(pm, plugin.EXPAND_LOOPS, expand_options(settings, num_stages))
    else:
        original(pm, num_stages, dump)
    plan.state["s2r_pending"] = True  # Triton's prefetch slot (or, on sm90, where it would be) comes next


def _cuda_prefetch(plan: dispatch.Plan, original: Callable, pm: Any) -> None:
    """Triton's prefetch slot (sm80): ours, Triton's, or none (``s2r="off"``)."""
    plan.state["s2r_pending"] = False
    settings = plan.settings
    if settings.s2r == "autopipe":
        plugin.add_pass(pm, plugin.DOUBLE_BUFFER_OPERANDS, double_buffer_options(settings))
    elif settings.s2r in ("triton", "prefetch"):
        original(pm)


def _cuda_optimize_dot_operands(plan: dispatch.Plan, original: Callable, pm: Any, *args: Any) -> None:
    """The first call after the pipeliner that Triton's prefetch did not precede (sm90, where Triton runs
    none): our S2R step or Triton's prefetch goes first."""
    if plan.state.pop("s2r_pending", False):
        settings = plan.settings
        if settings.s2r == "autopipe":
            plugin.add_pass(pm, plugin.DOUBLE_BUFFER_OPERANDS, double_buffer_options(settings))
        elif settings.s2r == "prefetch":
            dispatch.original("passes.ttgpuir.add_prefetch")(pm)
    original(pm, *args)


def _hip_ours(settings: Settings) -> bool:
    """Whether our lowering (register-staged LDS buffers + our expansion, on our complete schedule) replaces
    the AMD stream pipeliner; with Triton's scheduler or load lowering the stream pipeliner does both."""
    return settings.schedule != "triton" and settings.buffers != "triton" and settings.expand == "autopipe"


def _hip_schedule_loops(plan: dispatch.Plan, original: Callable, pm: Any, num_stages: int) -> None:
    settings = plan.settings
    plan.state["num_stages"] = num_stages
    if settings.schedule == "triton" or _triton_form(plan, num_stages):
        original(pm, num_stages)
    else:
        plugin.add_pass(pm, plugin.SCHEDULE_LOOPS, schedule_options(settings, num_stages, complete=_hip_ours(settings)))


def _hip_pipeline(plan: dispatch.Plan, original: Callable, pm: Any, *args: Any) -> None:
    settings = plan.settings
    if plan.state.get("triton_form"):
        original(pm, *args)
        return
    ours = _hip_ours(settings)
    if ours:
        plugin.add_pass(pm, plugin.ALLOCATE_BUFFERS, allocate_buffers_options(settings))
    plugin.add_pass(pm, plugin.PRINT_SCHEDULE, print_schedule_options(settings))
    if ours:
        plugin.add_pass(pm, plugin.EXPAND_LOOPS, expand_options(settings, plan.state["num_stages"]))
    else:
        original(pm, *args)
    if settings.s2r == "autopipe":
        plugin.add_pass(pm, plugin.DOUBLE_BUFFER_OPERANDS, double_buffer_options(settings))


def _llir_scf_to_cf(plan: dispatch.Plan, original: Callable, pm: Any) -> None:
    """``make_llir``: ``autopipe-insert-barriers`` right before ``scf-to-cf``, on the TTGIR Triton's Membar will
    see. Where the plan says so (:func:`with_barrier_pass`: CUDA, ``barriers`` ``placed`` or ``linked``) it
    places the CTA barriers of our loops and proves Membar adds none there; ``linked`` links the slot counters
    first; under ``explain`` it reports per loop the barriers and their reasons."""
    settings = plan.settings
    place = bool(plan.state.get("place-barriers"))
    if settings.explain or place or settings.barriers == "linked":
        plugin.add_pass(pm, plugin.INSERT_BARRIERS, _with_output(settings, {
            "mode": "place" if place else "prove", "remarks": False,
            "link-counters": settings.barriers == "linked",
            # the proof after placing: under explain (it costs a lowered copy of the module per compile)
            "reprove": settings.explain}))
    original(pm)


def with_barrier_pass(stage: Callable[[Any, dict], Any], settings: Settings,
                      backend: str = "cuda") -> Callable[[Any, dict], Any]:
    """Triton's ``stages["llir"]`` with :func:`_llir_scf_to_cf` where it has something to do.

    Barriers are placed on CUDA only (there the machine code is the same as Membar's own on every corpus
    kernel). On HIP the lowering's Membar (``amd.passes.ttgpuir.add_membar``, over AMD's own shared-memory
    allocation) does not see the offsets Triton's generic ``ModuleAllocation`` gives our proof: placing there
    added an ``s_barrier`` to 4 of the corpus's 14 AMD kernel/target pairs (attention), so HIP keeps
    Membar's own barriers and the proof only reports."""
    place = backend == "cuda" and settings.barriers != "membar"
    if not (place or settings.explain or settings.barriers == "linked"):
        return stage

    def llir(src: Any, metadata: dict) -> Any:
        with dispatch.active(dispatch.Plan(settings=settings, state={"place-barriers": place})):
            return stage(src, metadata)

    return llir


def _hip_warp_pipeline(plan: dispatch.Plan, original: Callable, pm: Any) -> None:
    from .amd_warp_pipeline import REGIONS

    plugin.add_pass(pm, REGIONS)


@dataclasses.dataclass(frozen=True)
class Swap:
    """One Triton binding our passes replace: ``binding`` (under ``triton._C.libtriton``), ``ours`` (what
    takes its place, in order), ``when`` (under which settings), ``handler`` (adds it), ``plan_field`` (the
    :class:`~triton_autopipe.dispatch.Plan` field that must be set for the row to apply)."""

    binding: str
    ours: str
    when: str
    handler: Callable[..., None]
    plan_field: str = "settings"


#: Which Triton step each of our passes replaces (CUDA: sm80/sm90 make_ttgir; HIP: gfx942/gfx950 make_ttgir,
#: gluon_to_ttgir). Everything not listed is Triton's. Block-pingpong stays Triton's (the automatic warp
#: pipeline switches it off through ``knobs.amd.use_block_pingpong``).
SWAPS: tuple[Swap, ...] = (
    Swap("passes.ttgpuir.add_assign_latencies", "autopipe-schedule-loops",
         "schedule != triton (else Triton's)", _cuda_assign_latencies),
    Swap("passes.ttgpuir.add_schedule_loops", "nothing (autopipe-schedule-loops did both)",
         "schedule != triton (else Triton's)", _cuda_schedule_loops),
    Swap("passes.ttgpuir.add_pipeline", "autopipe-allocate-buffers, autopipe-print-schedule, autopipe-expand-loops",
         "allocate-buffers: buffers != triton; print-schedule: always; expand-loops: expand == autopipe "
         "(else Triton's pipeline)", _cuda_pipeline),
    Swap("passes.ttgpuir.add_prefetch", "autopipe-double-buffer-operands",
         "s2r == autopipe; s2r == off: nothing; else Triton's (sm80 only: sm90 calls none)", _cuda_prefetch),
    Swap("passes.ttgpuir.add_optimize_dot_operands", "autopipe-double-buffer-operands, or Triton's prefetch, first",
         "only its call after the pipeliner where no prefetch came before it (sm90): s2r == autopipe (ours) "
         "or s2r == prefetch (Triton's)", _cuda_optimize_dot_operands),
    Swap("passes.convert.add_scf_to_cf", "autopipe-insert-barriers, then Triton's",
         "make_llir: on CUDA places the CTA barriers of our loops (barriers != membar: the same code as Membar's, "
         "marked, proved to leave Membar none there); on HIP and with barriers == membar only the proof, under "
         "explain; barriers == linked links the slot counters first", _llir_scf_to_cf),
    Swap("amd.passes.ttgpuir.add_schedule_loops", "autopipe-schedule-loops",
         "schedule != triton (else Triton's); complete schedule when our lowering follows", _hip_schedule_loops),
    Swap("amd.passes.ttgpuir.add_pipeline",
         "autopipe-allocate-buffers, autopipe-print-schedule, autopipe-expand-loops, autopipe-double-buffer-operands",
         "allocate-buffers + expand-loops: schedule, buffers != triton and expand == autopipe (else Triton's "
         "stream pipeliner); print-schedule: always; double-buffer-operands: s2r == autopipe", _hip_pipeline),
    Swap("amd.passes.ttgpuir.add_warp_pipeline", "autopipe-warp-pipeline-regions",
         "Gluon kernels on gfx942/gfx950 (gluon_to_ttgir)", _hip_warp_pipeline, plan_field="warp_pipeline"),
)


# -- Running Triton's stages with our settings --------------------------------------------------------------------


def with_settings(stage: Callable[[Any, dict], Any], settings: Settings) -> Callable[[Any, dict], Any]:
    """Triton's ``stages["ttgir"]`` (``stage(src, metadata)``) run with our passes swapped in per ``settings``."""

    def ttgir(src: Any, metadata: dict) -> Any:
        with dispatch.active(dispatch.Plan(settings=settings)):
            return stage(src, metadata)

    return ttgir


def make_ttgir_cuda(mod, metadata, opt, capability: int, settings: Settings):
    """Triton's ``CUDABackend.make_ttgir`` (sm80/sm90) with our passes swapped in per ``settings``."""
    from triton.backends.nvidia.compiler import CUDABackend

    if capability // 10 not in (8, 9):
        raise ValueError(f"triton-autopipe: no CUDA pipeline for sm{capability}")
    with dispatch.active(dispatch.Plan(settings=settings)):
        return CUDABackend.make_ttgir(mod, metadata, opt, capability)


def make_ttgir_hip(mod, metadata, options, settings: Settings):
    """Triton's ``HIPBackend.make_ttgir`` (gfx942/gfx950) with our passes swapped in per ``settings``."""
    from triton.backends.amd.compiler import HIPBackend

    with dispatch.active(dispatch.Plan(settings=settings)):
        return HIPBackend.make_ttgir(mod, metadata, options)


def swaps_markdown() -> str:
    """:data:`SWAPS` as a Markdown table (for ``docs/design.md``).

    >>> print(swaps_markdown().splitlines()[2])
    | `passes.ttgpuir.add_assign_latencies` | autopipe-schedule-loops | schedule != triton (else Triton's) |
    """
    rows = ["| Triton binding | ours in its place | when |", "|---|---|---|"]
    rows += [f"| `{row.binding}` | {row.ours} | {row.when} |" for row in SWAPS]
    return "\n".join(rows)
