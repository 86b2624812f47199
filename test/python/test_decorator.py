"""``@auto_pipeline``: per-kernel settings, on the CPU.

The decorated kernel's launches (``run``/``warmup``, which ``kernel[grid](...)``
and ``@triton.autotune`` call) run inside a settings scope: our hook installed
with the decorator's settings over the global ones, and the previous state
restored afterwards. Compiles inside such a scope use the settings (slot count,
S2R stages)."""
from __future__ import annotations

import pytest
import triton
import triton.language as tl

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe.decorator import AutoPipelined, auto_pipeline, settings_scope  # noqa: E402

from benchmarks.kernels.corpus import BENCH_GEMM, TARGETS, gemm_entry  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook", "always_compile")


@triton.jit
def _copy_kernel(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=offs < n), mask=offs < n)


def _gemm_ttgir(target: str = "cuda:90") -> str:
    entry = gemm_entry("fp16", BENCH_GEMM, even_mn=True, even_k=True, targets=(target,))
    return triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target)).asm["ttgir"]


def test_launch_runs_inside_the_kernels_settings(monkeypatch):
    kernel = auto_pipeline(schedule="attention-a", global_to_shared_stages=4)(_copy_kernel)
    assert isinstance(kernel, AutoPipelined) and kernel.arg_names == _copy_kernel.arg_names
    seen = []
    monkeypatch.setattr(_copy_kernel, "run", lambda *a, **k: seen.append(ta.current_hook().settings) or "ran")
    assert not ta.is_enabled()
    assert kernel[(1,)]("x", "y", 4, BLOCK=4) == "ran"  # KernelInterface.__getitem__ -> run
    assert seen[0].schedule == "attention-a" and seen[0].global_to_shared_stages == 4
    assert not ta.is_enabled(), "the scope must restore 'no hook'"
    ta.enable(schedule="attention-b", explain=False)
    kernel.run(grid=(1,), warmup=False)
    assert seen[1].schedule == "attention-a"
    assert ta.current_hook().settings.schedule == "attention-b", "the global settings must come back"


def test_unset_settings_come_from_the_global_ones(monkeypatch):
    ta.enable(buffers="registers")
    seen = []
    monkeypatch.setattr(_copy_kernel, "warmup", lambda *a, **k: seen.append(ta.current_hook().settings))
    auto_pipeline(_copy_kernel).warmup(grid=(1,))  # bare decorator: no overrides
    auto_pipeline(schedule="default")(_copy_kernel).warmup(grid=(1,))
    assert [s.buffers for s in seen] == ["registers", "registers"]
    assert [s.schedule for s in seen] == ["auto", "default"]


def test_the_scope_is_restored_when_the_launch_raises(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("launch failed")

    monkeypatch.setattr(_copy_kernel, "run", boom)
    with pytest.raises(RuntimeError, match="launch failed"):
        auto_pipeline(schedule="default")(_copy_kernel).run(grid=(1,), warmup=False)
    assert not ta.is_enabled()


def test_global_to_shared_stages_sets_the_slot_count():
    assert "!ttg.memdesc<3x128x64xf16" in _gemm_ttgir()  # 3 stages: 3 slots
    with settings_scope(global_to_shared_stages=4) as s:
        assert s.global_to_shared_stages == 4
        ttgir = _gemm_ttgir()
    assert "!ttg.memdesc<4x128x64xf16" in ttgir and "!ttg.memdesc<3x128x64xf16" not in ttgir


def test_shared_to_register_stages_turns_our_s2r_on_or_off():
    kernel = auto_pipeline(shared_to_register_stages=2)(_copy_kernel)
    assert kernel.overrides["s2r"] == "autopipe"
    with settings_scope(**kernel.overrides):
        on = _gemm_ttgir("cuda:80")
    with settings_scope(**auto_pipeline(shared_to_register_stages=1)(_copy_kernel).overrides):
        off = _gemm_ttgir("cuda:80")
    loop = lambda t: t[t.index("scf.for"):]  # noqa: E731
    assert loop(on).count("ttg.memdesc_subslice") >= 4
    assert "ttg.memdesc_subslice" not in loop(off)


@pytest.mark.parametrize("kwargs, message", [
    (dict(schedule="fastest"), "unknown schedule"),
    (dict(global_to_shared_stages=-1), "global_to_shared_stages must be"),
    (dict(shared_to_register_stages=3), "shared_to_register_stages must be"),
])
def test_bad_settings_fail_at_decoration(kwargs, message):
    with pytest.raises(ValueError, match=message):
        auto_pipeline(**kwargs)(_copy_kernel)


def test_exported_from_the_package():
    from triton_autopipe import auto_pipeline as exported

    assert exported is auto_pipeline and "auto_pipeline" in ta.__all__


def test_only_kernels_and_their_functions_are_wrapped():
    """A @triton.jit function (above it) or the Python function @triton.jit will compile (below it); nothing
    else."""
    for other in (3, "kernel", object()):
        with pytest.raises(TypeError, match="wraps a @triton.jit function or the Python function"):
            auto_pipeline(schedule="default")(other)

    def f(x):
        return x

    assert auto_pipeline(schedule="default")(f) is f  # marked, left a Python function for @triton.jit


def test_the_cache_key_follows_the_scope_on_every_launch():
    """Triton asks our hook for its cache-key entry on every launch, and we memoize it: the entry must still
    name the settings of the scope the launch runs in, and name the plugin build (its fingerprint)."""
    from triton_autopipe import plugin

    keys = []
    for schedule in ("attention-a", "attention-b", "attention-a"):
        with settings_scope(schedule=schedule):
            hook = ta.current_hook()
            keys.append(hook())  # (key, hash), as Triton's JITFunction.run asks
            assert hook() == keys[-1]  # the memoized answer of the next launch
    assert "schedule=attention-a" in keys[0][0] and "schedule=attention-b" in keys[1][0]
    assert keys[0] == keys[2] and keys[0][1] != keys[1][1]
    assert plugin.fingerprint() in keys[0][0] and len(plugin.fingerprint()) == 16


def test_memoized_settings_stay_strict():
    """The settings of a scope are memoized per value *and type*: ``True`` never passes for ``1``."""
    with settings_scope(global_to_shared_stages=1) as s:
        assert s.global_to_shared_stages == 1
    with pytest.raises(ValueError, match="global_to_shared_stages"):
        with settings_scope(global_to_shared_stages=True):
            pass
    with pytest.raises(TypeError, match="explain must be a bool"):
        ta.settings_from_environment(explain=1)
    assert ta.settings_from_environment(explain=True).explain is True
