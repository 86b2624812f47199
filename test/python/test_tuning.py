"""Autotuning the pipeline (issue #18): ``@auto_pipeline(configs=[...], key=[...])`` times each config on the
launch's arguments, keeps the fastest per key, reports it, and a second process reuses the choice from disk
without timing. CPU: a fake timer and a kernel whose ``run`` records the settings it was launched with."""
from __future__ import annotations

import pytest
import triton
import triton.language as tl

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import tuning  # noqa: E402
from triton_autopipe.config import PipelineConfig, WarpSpecConfig  # noqa: E402
from triton_autopipe.decorator import auto_pipeline  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook")

CONFIGS = [PipelineConfig(global_to_shared_stages=s) for s in (2, 3, 4)]


@triton.jit
def _kernel(x_ptr, n, K, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(x_ptr + offs, tl.load(x_ptr + offs, mask=offs < n), mask=offs < n)


@pytest.fixture
def launches(monkeypatch, tmp_path):
    """Every launch's settings; the fake timer makes 3 slots fastest for K=64 and 4 for others."""
    seen: list = []
    timed: list = []
    monkeypatch.setattr(_kernel, "run", lambda *a, **k: seen.append(ta.current_hook().settings))

    def fake_bench(fn, warmup, rep):
        before = len(seen)
        fn()
        s = seen[before].global_to_shared_stages
        timed.append(s)
        best = 3 if seen[before].schedule and _K[0] == 64 else 4
        return 1.0 + abs(s - best)

    monkeypatch.setattr(tuning, "bench", fake_bench)
    return seen, timed, tmp_path


_K = [64]


def _tuned(cache_dir):
    tuner = auto_pipeline(configs=CONFIGS, key=["K"], schedule="attention-a")(_kernel)
    tuner._cache_dir = cache_dir
    return tuner


def test_picks_the_fastest_per_key_and_reuses_it(launches, capsys):
    seen, timed, cache = launches
    tuner = _tuned(cache)
    _K[0] = 64
    tuner[(1,)]("x", 100, 64, BLOCK=32)
    assert timed == [2, 3, 4], "each config timed once"
    assert seen[-1].global_to_shared_stages == 3 and seen[-1].schedule == "attention-a"
    assert "picked PipelineConfig(global_to_shared_stages=3" in capsys.readouterr().err
    assert tuner.picked("x", 100, 64) == CONFIGS[1]
    tuner[(1,)]("x", 200, 64, BLOCK=32)  # same key (K): no timing
    assert len(timed) == 3 and seen[-1].global_to_shared_stages == 3
    _K[0] = 128
    tuner[(1,)]("x", 100, 128, BLOCK=32)  # new key: timed again
    assert len(timed) == 6 and seen[-1].global_to_shared_stages == 4


def test_a_second_process_reuses_the_choice_from_disk(launches):
    seen, timed, cache = launches
    _K[0] = 64
    _tuned(cache)[(1,)]("x", 100, 64, BLOCK=32)
    assert len(timed) == 3
    files = list(cache.glob("*.json"))
    assert len(files) == 1
    fresh = _tuned(cache)  # a new tuner, as in a new process
    fresh[(1,)]("x", 100, 64, BLOCK=32)
    assert len(timed) == 3, "no re-timing"
    assert seen[-1].global_to_shared_stages == 3


def test_other_configs_are_another_cache_file(launches):
    seen, timed, cache = launches
    a = _tuned(cache)
    b = auto_pipeline(configs=CONFIGS[:2], key=["K"], schedule="attention-a")(_kernel)
    b._cache_dir = cache
    assert a.cache_file() != b.cache_file()


def test_bad_tuning_arguments():
    with pytest.raises(TypeError, match="non-empty list of PipelineConfig"):
        auto_pipeline(configs=[], key=["K"])(_kernel)
    with pytest.raises(ValueError, match=r"\['Q'\] are not arguments"):
        auto_pipeline(configs=CONFIGS, key=["Q"])(_kernel)
    with pytest.raises(ValueError, match="warp specialization is not available"):
        auto_pipeline(configs=[PipelineConfig(warp_spec=WarpSpecConfig())], key=["K"])(_kernel)
    with pytest.raises(TypeError, match="config= or configs="):
        auto_pipeline(config=CONFIGS[0], configs=CONFIGS)
    with pytest.raises(TypeError, match="goes above @triton.jit"):
        auto_pipeline(configs=CONFIGS, key=["K"])(lambda x: x)


def test_composes_with_triton_autotune(monkeypatch, tmp_path):
    """Under it, Triton's autotuner keeps one cache per pipeline config."""
    block_tuned = triton.autotune(configs=[triton.Config({"BLOCK": 32}), triton.Config({"BLOCK": 64})],
                                  key=["n"])(_kernel)
    caches = []
    monkeypatch.setattr(type(block_tuned), "run", lambda self, *a, **k: caches.append(id(self.cache)))
    monkeypatch.setattr(tuning, "bench", lambda fn, warmup, rep: (fn(), 1.0)[1])
    tuner = auto_pipeline(configs=CONFIGS, key=["K"])(block_tuned)
    tuner._cache_dir = tmp_path
    tuner[(1,)]("x", 100, 64)
    assert len(set(caches[:3])) == 3, "each pipeline config gets its own block-size cache"
