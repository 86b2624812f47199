"""Our ttgir stage is Triton's own ``make_ttgir`` / ``gluon_to_ttgir`` with only the steps of
``pipelines.SWAPS`` replaced (CPU only).

Every ``add_*`` binding of Triton's pass modules is wrapped with a per-thread recorder; the same TTIR
module (a corpus GEMM) goes through Triton's ``make_ttgir`` with and without our settings, over a grid
of targets, num_stages, num_warps, instrumentation and knobs, and the recorded sequences must be equal
except at the swapped steps, where exactly our passes appear (the spec below, written independently of
the handlers). Also: two threads with different settings compiling at once each get their own passes,
and with no settings active the dispatch is transparent.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import tempfile
import threading
from typing import Any, Callable, Iterator

import pytest

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")

from triton_autopipe import dispatch, pipelines, plugin  # noqa: E402
from triton_autopipe.pipelines import Settings  # noqa: E402

#: Triton's binding modules whose add_* functions are recorded (plus our plugin's).
MODULES = ("passes.ttir", "passes.ttgpuir", "passes.common", "passes.gluon", "passes.convert", "passes.llvmir",
           "nvidia.passes.ttnvgpuir", "nvidia.passes.hopper", "amd.passes.ttgpuir", "passes.plugin")
P = "passes.plugin.add_autopipe-"
SCHED, ALLOC, PRINT, EXPAND, S2R = (P + n for n in ("schedule-loops", "allocate-buffers", "print-schedule",
                                                   "expand-loops", "double-buffer-operands"))
TARGETS = ("cuda:80", "cuda:90", "hip:gfx942", "hip:gfx950")
GEMM = "gemm_fp16_128x128x64_w8_s4_maskMNK_unaligned"

#: Settings of the grid: together they take every branch of every handler.
SETTINGS = (
    Settings(),
    Settings(schedule="triton"),
    Settings(buffers="triton", s2r="autopipe"),
    Settings(expand="triton", s2r="prefetch"),
    Settings(s2r="off", async_dots="off", global_to_shared_stages=4, explain=True),
    Settings(buffers="registers", s2r="autopipe", shared_to_register_stages=1, async_dots="autopipe"),
)


class Recorder:
    """Wraps every ``add_*`` of :data:`MODULES`: on a thread that is recording, each call is appended as
    ``(binding, args after the pass manager)``, and passed on to Triton unless recording is "dry"."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._saved: list[tuple[Any, str, Callable]] = []
        #: Called with the binding path before each recorded call (e.g. a barrier for the thread test).
        self.on_call: Callable[[str], None] = lambda path: None

    def install(self) -> None:
        from triton._C import libtriton

        for path in MODULES:
            module = functools.reduce(getattr, path.split("."), libtriton)
            for name in [n for n in dir(module) if n.startswith("add_")]:
                original = getattr(module, name)
                self._saved.append((module, name, original))
                setattr(module, name, self._wrap(f"{path}.{name}", original))

    def uninstall(self) -> None:
        for module, name, original in reversed(self._saved):
            setattr(module, name, original)
        self._saved.clear()

    def _wrap(self, path: str, original: Callable) -> Callable:
        def record(*args: Any) -> Any:
            calls = getattr(self._local, "calls", None)
            if calls is None:
                return original(*args)
            self.on_call(path)
            calls.append((path, tuple(tuple(a) if isinstance(a, list) else a for a in args[1:])))
            return None if self._local.dry else original(*args)

        return record

    @contextlib.contextmanager
    def recording(self, dry: bool = False) -> Iterator[list]:
        self._local.calls, self._local.dry = [], dry
        try:
            yield self._local.calls
        finally:
            self._local.calls = None


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    """Recorders under the dispatch (so the dispatch's calls of Triton's bindings and our passes are seen)."""
    plugin.load()
    dispatch.uninstall()
    rec = Recorder()
    rec.install()
    dispatch.install()
    yield rec
    dispatch.uninstall()
    rec.uninstall()


@functools.lru_cache(maxsize=None)
def _backend(target: str) -> Any:
    from triton.compiler.compiler import make_backend

    from benchmarks.kernels.corpus import TARGETS as GPU_TARGETS

    return make_backend(GPU_TARGETS[target])


def _context(backend: Any) -> Any:
    from triton._C.libtriton import ir

    context = ir.context()
    ir.load_dialects(context)
    backend.load_dialects(context)
    return context


def _options(target: str, **opts: Any) -> Any:
    backend = _backend(target)
    return backend.parse_options(dict(opts, num_ctas=1))


@functools.lru_cache(maxsize=None)
def _ttir(target: str) -> str:
    """TTIR text of the corpus GEMM for ``target`` (Triton's make_ttir, once per target)."""
    from benchmarks.kernels.corpus import corpus

    entry = next(e for e in corpus() if e.name == GEMM)
    backend = _backend(target)
    options = _options(target, **entry.options(target))
    context = _context(backend)
    src = entry.source()
    mod = src.make_ir(backend.target, options, backend.get_codegen_implementation(options),
                      backend.get_module_map(), context)
    stages: dict = {}
    backend.add_stages(stages, options, src.language)
    return str(stages["ttir"](mod, {}))


def _parse(text: str, context: Any) -> Any:
    from triton._C.libtriton import ir

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "module.mlir")
        with open(path, "w") as f:
            f.write(text)
        mod = ir.parse_mlir_module(path, context)
    mod.context = context
    return mod


def _make_ttgir(target: str, options: Any) -> Callable[[Any, dict], Any]:
    """Triton's own make_ttgir for ``target`` with ``options``, as a stage."""
    backend = _backend(target)
    if target.startswith("cuda"):
        return lambda mod, md: backend.make_ttgir(mod, md, options, int(target.split(":")[1]))
    return lambda mod, md: backend.make_ttgir(mod, md, options)


def record(rec: Recorder, target: str, options: Any, settings: Settings | None, dry: bool = False) -> list:
    """The add_* calls of one make_ttgir on a fresh copy of the target's TTIR (ours with ``settings``)."""
    stage = _make_ttgir(target, options)
    if settings is not None:
        stage = pipelines.with_settings(stage, settings)
    mod = _parse(_ttir(target), _context(_backend(target)))
    with rec.recording(dry) as calls:
        stage(mod, {})
    return list(calls)


# -- The spec: what takes the place of each swapped Triton call (written from the Settings docs) -------------------


def _cuda_spec(settings: Settings, call: tuple) -> list:
    """Our calls in place of one Triton call on CUDA ("$": Triton's own call)."""
    name = call[0].rsplit(".", 1)[-1]
    s = settings
    if name == "add_assign_latencies":
        return ["$"] if s.schedule == "triton" else [SCHED]
    if name == "add_schedule_loops":
        return ["$"] if s.schedule == "triton" else []
    if name == "add_pipeline":
        return ([ALLOC] if s.buffers != "triton" else []) + [PRINT] + ([EXPAND] if s.expand == "autopipe" else ["$"])
    if name == "add_prefetch":
        return {"autopipe": [S2R], "off": []}.get(s.s2r, ["$"])
    return ["$"]


def _hip_spec(settings: Settings, call: tuple) -> list:
    s = settings
    ours = s.schedule != "triton" and s.buffers != "triton" and s.expand == "autopipe"
    if call[0] == "amd.passes.ttgpuir.add_schedule_loops":
        return ["$"] if s.schedule == "triton" else [SCHED]
    if call[0] == "amd.passes.ttgpuir.add_pipeline":
        return ([ALLOC] if ours else []) + [PRINT] + ([EXPAND] if ours else ["$"]) + \
            ([S2R] if s.s2r == "autopipe" else [])
    return ["$"]


def expected(theirs: list, settings: Settings, target: str) -> list:
    """Triton's calls with the spec applied; on sm90 (no Triton prefetch) the S2R step goes right before the
    optimize-dot-operands that follows the pipeliner."""
    spec = _cuda_spec if target.startswith("cuda") else _hip_spec
    out: list = []
    after_pipeline = False
    for call in theirs:
        if call[0] == "passes.ttgpuir.add_pipeline":
            after_pipeline = True
        if call[0] == "passes.ttgpuir.add_prefetch":
            after_pipeline = False
        if call[0] == "passes.ttgpuir.add_optimize_dot_operands" and after_pipeline:
            after_pipeline = False
            out += {"autopipe": [S2R], "prefetch": [("passes.ttgpuir.add_prefetch", ())]}.get(settings.s2r, [])
        out += [call if x == "$" else x for x in spec(settings, call)]
    return out


def _names(calls: list) -> list:
    """Triton's calls with their arguments; ours by name (their options are checked separately)."""
    return [c[0] if c[0].startswith(P) else c for c in calls]


def _check(theirs: list, ours: list, settings: Settings, target: str) -> None:
    assert _names(ours) == expected(theirs, settings, target)
    # Equal except at the table's steps: drop every swapped binding and our passes from both.
    swapped = {row.binding for row in pipelines.SWAPS}
    keep = lambda calls: [c for c in calls if c[0] not in swapped and not c[0].startswith(P)]  # noqa: E731
    assert keep(ours) == keep(theirs)
    # Our passes get the num_stages Triton's pipeliner would have.
    stages = [c for c in theirs if c[0].endswith("add_schedule_loops") or c[0].endswith("add_assign_latencies")]
    for call in ours:
        if call[0] in (SCHED, EXPAND) and stages and stages[0][1]:
            assert f"num-stages={stages[0][1][0]}" in call[1][0], call


GRID = [(t, stages, warps) for t in TARGETS for stages in (1, 3, 4) for warps in (4, 8)]


@pytest.mark.parametrize("target,num_stages,num_warps", GRID)
def test_ours_is_triton_except_the_swapped_steps(recorder, fresh_hook, target, num_stages, num_warps):
    """The calls are recorded without running the passes (they do not depend on the IR), except at one grid
    point per target, where every pass runs for real on the GEMM (so the arguments are valid too)."""
    dry = (num_stages, num_warps) != (3, 8)
    options = _options(target, num_stages=num_stages, num_warps=num_warps)
    theirs = record(recorder, target, options, None, dry=dry)
    assert any(c[0].startswith("passes.ttgpuir.add_coalesce") for c in theirs)
    assert not any(c[0].startswith(P) for c in theirs)
    for settings in SETTINGS:
        _check(theirs, record(recorder, target, options, settings, dry=dry), settings, target)


@pytest.mark.parametrize("target,extra", [
    ("cuda:80", {"instrumentation_mode": "fpsan"}),
    ("cuda:90", {"instrumentation_mode": "fpsan", "fpsan_homomorphic_casts": True}),
    ("hip:gfx942", {"instrumentation_mode": "fpsan"}),
    ("hip:gfx950", {"instrumentation_mode": "fpsan"}),
    ("cuda:90", {"maxnreg": 128}),
    ("hip:gfx942", {"matrix_instr_nonkdim": 16, "kpack": 1}),
])
def test_instrumented_and_other_options(recorder, fresh_hook, target, extra):
    """fpsan (both backends), maxnreg and AMD MFMA options: Triton's branches, ours swapped in the same way."""
    options = _options(target, num_stages=3, num_warps=8, **extra)
    theirs = record(recorder, target, options, None, dry=True)
    if "instrumentation_mode" in extra:
        assert any(c[0].endswith("add_fp_sanitizer") for c in theirs)
    for settings in SETTINGS:
        _check(theirs, record(recorder, target, options, settings, dry=True), settings, target)


def test_clc_branch_is_triton_s(recorder, fresh_hook):
    """clc (Triton accepts it from sm100 only: forced onto sm90 options, calls recorded without running)."""
    options = dataclasses.replace(_options("cuda:90", num_stages=3, num_warps=4), clc=True)
    theirs = record(recorder, "cuda:90", options, None, dry=True)
    assert theirs[1][0] == "nvidia.passes.ttnvgpuir.add_to_clc"
    for settings in SETTINGS:
        _check(theirs, record(recorder, "cuda:90", options, settings, dry=True), settings, "cuda:90")


@pytest.mark.parametrize("knob,value", [("use_buffer_ops", True), ("use_buffer_ops", False),
                                        ("use_block_pingpong", False), ("use_block_pingpong", True),
                                        ("use_in_thread_transpose", False)])
@pytest.mark.parametrize("target", ["hip:gfx942", "hip:gfx950"])
def test_amd_knobs(recorder, fresh_hook, target, knob, value):
    """Buffer ops, block-pingpong (what TRITON_AUTOPIPE_AMD_WARP_PIPELINE=auto switches off) and in-thread
    transpose stay Triton's branches."""
    from triton import knobs

    options = _options(target, num_stages=3, num_warps=8)
    with knobs.amd.scope():
        setattr(knobs.amd, knob, value)
        theirs = record(recorder, target, options, None, dry=True)
        if knob == "use_block_pingpong":
            assert any(c[0].endswith("add_block_pingpong") for c in theirs) == value
        for settings in SETTINGS:
            _check(theirs, record(recorder, target, options, settings, dry=True), settings, target)


def test_hip_plugin_options(recorder, fresh_hook):
    """On HIP our scheduler schedules every op only where our lowering follows; expand-loops gets
    num_stages from the scheduler's call."""
    options = _options("hip:gfx942", num_stages=4, num_warps=4)
    ours = dict(record(recorder, "hip:gfx942", options, Settings(), dry=True))
    assert "complete=true" in ours[SCHED][0] and "num-stages=4" in ours[EXPAND][0]
    theirs = dict(record(recorder, "hip:gfx942", options, Settings(expand="triton"), dry=True))
    assert "complete=true" not in theirs[SCHED][0]


def test_gluon_to_ttgir_swaps_only_the_warp_pipeline(recorder, fresh_hook):
    """HIP gluon_to_ttgir: Triton's own, with our regions pass in place of tritonamdgpu-warp-pipeline."""
    from triton_autopipe import amd_warp_pipeline

    from benchmarks.kernels.corpus import corpus

    entry = next(e for e in corpus() if e.kind == "gluon_warp_pipeline" and "hip:gfx942" in e.targets)
    backend = _backend("hip:gfx942")
    options = _options("hip:gfx942", **entry.options("hip:gfx942"))

    def calls(stage: Callable) -> list:
        src = entry.source()
        mod = src.make_ir(backend.target, options, backend.get_codegen_implementation(options),
                          backend.get_module_map(), _context(backend))
        with recorder.recording() as got:
            stage(mod, {})
        return list(got)

    triton_stage = lambda mod, md: backend.gluon_to_ttgir(mod, md, options)  # noqa: E731
    theirs, ours = calls(triton_stage), calls(amd_warp_pipeline.gluon_to_ttgir(triton_stage))
    regions = P + "warp-pipeline-regions"
    assert [regions if c[0] == "amd.passes.ttgpuir.add_warp_pipeline" else c for c in theirs] == _names(ours)
    assert regions in _names(ours)


def test_threads_with_different_settings(recorder, fresh_hook):
    """Three threads inside make_ttgir at once (a barrier holds each at its first coalesce until all are
    there): ours with two settings and Triton's own; each records exactly its own passes."""
    options = _options("cuda:90", num_stages=3, num_warps=4)
    cases = {"default": Settings(), "triton": Settings(schedule="triton", buffers="triton", expand="triton"),
             "none": None}
    alone = {k: record(recorder, "cuda:90", options, s, dry=True) for k, s in cases.items()}
    barrier = threading.Barrier(len(cases), timeout=60)
    results: dict[str, Any] = {}

    def on_call(path: str) -> None:
        if path == "passes.ttgpuir.add_coalesce":
            barrier.wait()

    def run(key: str) -> None:
        try:
            results[key] = record(recorder, "cuda:90", options, cases[key], dry=True)
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            results[key] = e

    recorder.on_call = on_call
    try:
        threads = [threading.Thread(target=run, args=(k,)) for k in cases]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        recorder.on_call = lambda path: None
    assert results == alone
    assert SCHED in _names(results["default"]) and SCHED not in _names(results["triton"])
    assert not any(c[0].startswith(P) for c in results["none"])


def test_no_settings_is_transparent(recorder, fresh_hook):
    """Installed wrappers with no plan active (or a plan without settings) call Triton's bindings
    unchanged."""
    from triton._C.libtriton import passes

    assert getattr(passes.ttgpuir.add_pipeline, dispatch.ORIGINAL_ATTR, None) is not None
    options = _options("cuda:80", num_stages=3, num_warps=4)
    theirs = record(recorder, "cuda:80", options, None, dry=True)
    with dispatch.active(dispatch.Plan(warp_pipeline=True)):
        assert record(recorder, "cuda:80", options, None, dry=True) == theirs
    assert dispatch.current() is None


def test_install_is_idempotent_and_reversible():
    from triton._C.libtriton import passes

    plugin.load()
    dispatch.install()
    wrapper = passes.ttgpuir.add_pipeline
    dispatch.install()
    assert passes.ttgpuir.add_pipeline is wrapper
    original = getattr(wrapper, dispatch.ORIGINAL_ATTR)
    dispatch.uninstall()
    assert passes.ttgpuir.add_pipeline is original
    dispatch.install()
    assert getattr(passes.ttgpuir.add_pipeline, dispatch.ORIGINAL_ATTR) is original


def test_table_names_real_bindings():
    """Every row of the table names a Triton binding that exists (a Triton release that renames one fails
    here, not silently)."""
    for row in pipelines.SWAPS:
        assert callable(dispatch.original(row.binding)), row.binding
        assert row.ours and row.when


def test_survives_foreign_wrappers(recorder, fresh_hook, monkeypatch):
    """A binding replaced after our install (a test's monkeypatch, a profiler) is wrapped again at the next
    compile; a foreign wrapper around ours still gets our passes exactly once."""
    from triton._C.libtriton import passes

    options = _options("cuda:90", num_stages=3, num_warps=4)
    want = record(recorder, "cuda:90", options, Settings(), dry=True)
    ours = passes.ttgpuir.add_pipeline
    monkeypatch.setattr(passes.ttgpuir, "add_pipeline", lambda *a: ours(*a))
    assert record(recorder, "cuda:90", options, Settings(), dry=True) == want
    monkeypatch.setattr(passes.ttgpuir, "add_pipeline", getattr(ours, dispatch.ORIGINAL_ATTR))
    assert record(recorder, "cuda:90", options, Settings(), dry=True) == want
    monkeypatch.undo()
    assert record(recorder, "cuda:90", options, Settings(), dry=True) == want


def test_design_doc_shows_the_swap_table() -> None:
    """docs/design.md embeds the table the dispatch runs on, as generated (no drift)."""
    from pathlib import Path

    from triton_autopipe import pipelines

    doc = (Path(__file__).resolve().parents[2] / "docs" / "design.md").read_text()
    begin, end = "<!-- swaps:begin -->\n", "\n<!-- swaps:end -->"
    embedded = doc[doc.index(begin) + len(begin):doc.index(end)]
    assert embedded == pipelines.swaps_markdown(), "regenerate the table in docs/design.md from swaps_markdown()"
