"""Per-thread settings: concurrent compiles with different settings never mix (CPU only).

Threads compile the same GEMM at once, each with its own settings (``@auto_pipeline``'s scope, or its own
``enable()``), and each thread's TTGIR must equal what a serial compile with those settings gives; then a
serial compile with the disk cache on must come back with the TTGIR of its own settings (the cache key
names the pipeline that compiled it). A bad scope changes nothing. ``AUTOPIPE_THREAD_COMPILES`` sets the
number of concurrent compiles (default 12; the reliability bar is measured with 100).
"""
from __future__ import annotations

import dataclasses
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
import triton  # noqa: E402
from triton import knobs  # noqa: E402
from triton_autopipe import state  # noqa: E402
from triton_autopipe.decorator import settings_scope  # noqa: E402

from benchmarks.kernels.corpus import BENCH_GEMM, TARGETS, gemm_entry  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook")

TARGET = "cuda:80"
#: Settings whose TTGIR differ pairwise (checked), None: Triton's own pipeline.
CASES = {
    "triton": None,
    "registers": dict(buffers="registers"),
    "g2s-4": dict(global_to_shared_stages=4),
    "s2r": dict(s2r="autopipe"),
}
COMPILES = int(os.environ.get("AUTOPIPE_THREAD_COMPILES", "12"))


def _compile() -> str:
    entry = gemm_entry("fp16", BENCH_GEMM, even_mn=True, even_k=True, targets=(TARGET,))
    return triton.compile(entry.source(), target=TARGETS[TARGET], options=entry.options(TARGET)).asm["ttgir"]


def _compile_with(name: str, how: str) -> str:
    overrides = CASES[name]
    if overrides is None:
        return _compile()
    if how == "scope":
        with settings_scope(**overrides):
            return _compile()
    ta._install(dataclasses.replace(ta.settings_from_environment(), **overrides))  # this thread's own enable()
    try:
        return _compile()
    finally:
        ta.disable()


@pytest.fixture(scope="module")
def serial():
    """Each case's TTGIR, compiled alone."""
    old = knobs.compilation.always_compile
    knobs.compilation.always_compile = True
    try:
        out = {name: _compile_with(name, "scope") for name in CASES}
    finally:
        knobs.compilation.always_compile = old
    assert len(set(out.values())) == len(out), "the cases must give different TTGIR for the test to mean anything"
    return out


@pytest.mark.parametrize("how", ["scope", "enable"])
def test_concurrent_compiles_never_mix(serial, how, always_compile):
    names = [list(CASES)[i % len(CASES)] for i in range(COMPILES)]
    start = threading.Barrier(min(4, COMPILES), timeout=120)

    def job(name: str) -> tuple[str, str]:
        try:
            start.wait()
        except threading.BrokenBarrierError:
            pass
        return name, _compile_with(name, how)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(job, names))
    mixed = [name for name, ttgir in results if ttgir != serial[name]]
    assert not mixed, f"{len(mixed)} of {len(results)} compiles got another setting's TTGIR: {mixed}"
    assert state.hook() is None, "no hook may stay installed after the scopes and enables are gone"
    assert knobs.runtime.add_stages_inspection_hook is None


def test_cache_key_matches_the_pipeline(serial, tmp_path, monkeypatch):
    """With the disk cache on, a compile comes back with its own settings' TTGIR, whichever compiled first."""
    monkeypatch.setenv("TRITON_CACHE_DIR", str(tmp_path / "shared-cache"))
    for _ in range(2):
        for name in CASES:
            assert _compile_with(name, "scope") == serial[name], name


def test_failed_scope_changes_nothing():
    before = knobs.runtime.add_stages_inspection_hook
    with pytest.raises(ValueError, match="unknown schedule"):
        with settings_scope(schedule="bogus"):
            pass
    assert knobs.runtime.add_stages_inspection_hook is before and not ta.is_enabled()
    ta.enable(schedule="attention-b")
    with pytest.raises(ValueError):
        with settings_scope(global_to_shared_stages=True):
            pass
    assert ta.current_hook().settings.schedule == "attention-b"


def test_other_threads_do_not_see_a_scope():
    seen = []
    inside = threading.Event()
    done = threading.Event()

    def other():
        inside.wait(30)
        seen.append(state.current())
        done.set()

    t = threading.Thread(target=other)
    t.start()
    with settings_scope(schedule="attention-a"):
        inside.set()
        done.wait(30)
        assert ta.current_hook().settings.schedule == "attention-a"
    t.join()
    assert seen == [None]


def test_multi_cta_kernels_get_tritons_pipeline(always_compile):
    """num_ctas > 1 (CTA clusters): Triton's own pipeline, byte for byte (our buffers do not multicast)."""
    entry = gemm_entry("fp16", BENCH_GEMM, even_mn=True, even_k=True, targets=("cuda:90",))
    options = dict(entry.options("cuda:90"), num_ctas=2)

    def ttgir() -> str:
        return triton.compile(entry.source(), target=TARGETS["cuda:90"], options=options).asm["ttgir"]

    theirs = ttgir()
    with pytest.warns(UserWarning, match="num_ctas=2"), settings_scope():
        ours = ttgir()
    assert ours == theirs
