"""``PipelineConfig`` / ``WarpSpecConfig`` (issue #18): every field checked where it is written, the config's
settings reach the kernel's compiles in either decorator order, and equal configs share a cache-key entry."""
from __future__ import annotations

import pytest
import triton
import triton.language as tl

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import decorator  # noqa: E402
from triton_autopipe.config import PipelineConfig, WarpSpecConfig  # noqa: E402
from triton_autopipe.decorator import AutoPipelined, auto_pipeline  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook")


@pytest.mark.parametrize("kwargs, message", [
    (dict(global_to_shared_stages=0), r"global_to_shared_stages must be an int in 1\.\.32 or None.*got 0"),
    (dict(global_to_shared_stages=33), r"global_to_shared_stages .* got 33"),
    (dict(global_to_shared_stages=True), r"global_to_shared_stages .* got True"),
    (dict(global_to_shared_stages=2.0), r"global_to_shared_stages .* got 2\.0"),
    (dict(shared_to_register_stages=3), r"shared_to_register_stages must be 1 \(off\), 2 .* got 3"),
    (dict(shared_to_register_stages=True), r"shared_to_register_stages .* got True"),
    (dict(enable_async_copy="yes"), r"enable_async_copy must be a bool, got 'yes'"),
    (dict(schedule="fast"), r"schedule must be one of \('auto', 'default', .*\), got 'fast'"),
    (dict(warp_spec=2), r"warp_spec must be a WarpSpecConfig or None, got 2"),
    (dict(async_dots="sometimes"), r"async_dots must be one of .* or None, got 'sometimes'"),
    (dict(explain="no"), r"explain must be a bool or None, got 'no'"),
])
def test_pipeline_config_rejects_bad_fields(kwargs, message):
    with pytest.raises(ValueError, match="PipelineConfig." + message):
        PipelineConfig(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    (dict(num_consumer_groups=0), r"num_consumer_groups must be an int in 1\.\.2, got 0"),
    (dict(num_consumer_groups=3), r"num_consumer_groups .* got 3"),
    (dict(num_buffers=0), r"num_buffers must be an int in 1\.\.32, got 0"),
    (dict(num_buffers="3"), r"num_buffers .* got '3'"),
])
def test_warp_spec_config_rejects_bad_fields(kwargs, message):
    with pytest.raises(ValueError, match="WarpSpecConfig." + message):
        WarpSpecConfig(**kwargs)


def test_unknown_fields_are_rejected():
    with pytest.raises(TypeError, match="num_stages"):
        PipelineConfig(num_stages=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="buffers"):
        WarpSpecConfig(buffers=3)  # type: ignore[call-arg]


def test_configs_compare_hash_and_print():
    a = PipelineConfig(global_to_shared_stages=4, schedule="attention-a")
    b = PipelineConfig(global_to_shared_stages=4, schedule="attention-a")
    assert a == b and hash(a) == hash(b) and a != PipelineConfig(global_to_shared_stages=3)
    assert "global_to_shared_stages=4" in repr(a) and "schedule='attention-a'" in repr(a)
    with pytest.raises(Exception):  # frozen
        a.schedule = "default"  # type: ignore[misc]
    ws = WarpSpecConfig(num_consumer_groups=2, num_buffers=3)
    assert PipelineConfig(warp_spec=ws) == PipelineConfig(warp_spec=WarpSpecConfig(2, 3))


def test_overrides_map_to_settings():
    o = PipelineConfig(global_to_shared_stages=4, shared_to_register_stages=2, enable_async_copy=False).overrides()
    assert o["global_to_shared_stages"] == 4 and o["s2r"] == "autopipe" and o["buffers"] == "registers"
    o = PipelineConfig().overrides()
    assert o["buffers"] is None and o["s2r"] is None and o["schedule"] == "auto"


def test_warp_spec_is_rejected_until_it_lands():
    cfg = PipelineConfig(warp_spec=WarpSpecConfig(num_consumer_groups=2))
    with pytest.raises(ValueError, match=r"warp_spec: warp specialization is not available yet .*issue #19"):
        auto_pipeline(cfg)


def test_two_configs_are_an_error():
    with pytest.raises(TypeError, match="two PipelineConfigs"):
        auto_pipeline(PipelineConfig(), config=PipelineConfig())
    with pytest.raises(TypeError, match="takes a PipelineConfig"):
        auto_pipeline(config={"schedule": "auto"})


def _copy(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=offs < n), mask=offs < n)


def test_config_above_jit(monkeypatch):
    kernel = auto_pipeline(PipelineConfig(global_to_shared_stages=4, schedule="attention-b"))(triton.jit(_copy))
    assert isinstance(kernel, AutoPipelined)
    seen = []
    monkeypatch.setattr(kernel.fn, "run", lambda *a, **k: seen.append(ta.current_hook().settings))
    kernel[(1,)]("x", "y", 4, BLOCK=4)
    assert seen[0].global_to_shared_stages == 4 and seen[0].schedule == "attention-b"
    assert not ta.is_enabled(), "the scope ends with the launch"


def test_config_below_jit(monkeypatch):
    """PR #327's order: ``@triton.jit`` over ``@auto_pipeline(...)``. The JIT function's launches run in the
    config's scope; another JIT function's do not."""
    def copy_b(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=offs < n), mask=offs < n)

    marked = triton.jit(auto_pipeline(PipelineConfig(global_to_shared_stages=3, shared_to_register_stages=1))(copy_b))
    plain = triton.jit(_copy)
    seen = []
    monkeypatch.setattr(decorator, "_jit_run", lambda self, *a, **k: seen.append(ta.current_hook()
                                                                                  and ta.current_hook().settings))
    marked[(1,)]("x", "y", 4, BLOCK=4)
    marked.warmup("x", "y", 4, BLOCK=4, grid=(1,))
    plain[(1,)]("x", "y", 4, BLOCK=4)
    assert seen[0].global_to_shared_stages == 3 and seen[0].s2r == "autopipe"
    assert seen[0].shared_to_register_stages == 1
    assert seen[1] == seen[0], "warmup runs in the same scope"
    assert seen[2] is None, "an unmarked kernel compiles with Triton's pipeline"


def test_equal_configs_share_a_cache_key():
    keys = []
    for cfg in (PipelineConfig(global_to_shared_stages=4), PipelineConfig(global_to_shared_stages=4),
                PipelineConfig(global_to_shared_stages=2)):
        with decorator.settings_scope(**{k: v for k, v in cfg.overrides().items() if v is not None}):
            keys.append(ta.current_hook()()[1])
    assert keys[0] == keys[1] != keys[2]


def test_exported_from_the_package():
    assert ta.PipelineConfig is PipelineConfig and ta.WarpSpecConfig is WarpSpecConfig
    assert "PipelineConfig" in ta.__all__
