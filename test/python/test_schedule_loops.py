"""autopipe-schedule-loops in the real pipeline (CPU only): GEMM and flash
attention compile for all four targets with our scheduler in place of
Triton's, and the final TTGIR carries our schedule."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import triton

ROOT = Path(__file__).resolve().parents[2]
ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from benchmarks.kernels.corpus import TARGETS, corpus  # noqa: E402

sys.path.insert(0, str(ROOT / "examples"))
import compile_gemm  # noqa: E402

SCHEDULE_ATTR = re.compile(r'autopipe\.schedule = "([a-z-]+)"')


pytestmark = pytest.mark.usefixtures("fresh_hook")


def _attention(causal: bool, head_dim: int = 64):
    kind = "causal" if causal else "full"
    return next(e for e in corpus() if e.name.startswith("attn") and f"_d{head_dim}_{kind}_" in e.name)


def _compile(entry, target: str, **options):
    return triton.compile(entry.source(), target=TARGETS[target], options={**entry.options(target), **options})


@pytest.mark.parametrize("target", list(TARGETS))
def test_gemm_schedule_matches_triton_quality(target):
    """Our default GEMM schedule (and our loop expansion) gives Triton's own
    code: the final TTGIR is Triton's plus our marker attribute on the loop
    (our load lowering, which reorders ops in a cluster, is compared in
    test_allocate_buffers.py)."""
    reference = compile_gemm.compile_gemm(target).asm["ttgir"]
    ta.enable(schedule="auto", buffers="triton")
    ours = compile_gemm.compile_gemm(target).asm["ttgir"]
    marks = SCHEDULE_ATTR.findall(ours)
    assert marks in ([], ["default"])  # sm80's prefetch pass rebuilds the loop without it
    assert re.sub(r' \{autopipe\.schedule = "default"\}', "", ours) == reference
    if target != "cuda:80":
        assert marks == ["default"]


@pytest.mark.parametrize("target", list(TARGETS))
def test_triton_schedule_setting_is_exactly_triton(target):
    reference = compile_gemm.compile_gemm(target).asm["ttgir"]
    ta.enable(schedule="triton", buffers="triton")  # our expansion: same code on a GEMM
    assert compile_gemm.compile_gemm(target).asm["ttgir"] == reference


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("target", list(TARGETS))
def test_attention_compiles_with_our_schedule(target, causal):
    entry = _attention(causal)
    ta.enable(schedule="auto")
    ttgir = _compile(entry, target).asm["ttgir"]
    marks = SCHEDULE_ATTR.findall(ttgir)
    # auto keeps default on attention (see test_auto_explains_its_choice_on_attention).
    assert marks and set(marks) == {"default"}, marks


@pytest.mark.parametrize("schedule", ["attention-a", "attention-b"])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("target", ["cuda:80", "cuda:90"])
def test_attention_schedules_compile_on_cuda(target, causal, schedule, capfd):
    entry = _attention(causal)
    ta.enable(schedule=schedule, explain=True)
    kernel = _compile(entry, target)
    err = capfd.readouterr().err
    assert f"{schedule} schedule, 4 stages, 2 pipelined load(s) ({schedule} requested)" in err
    assert "4 stage(s) (tt.scheduled_max_stage = 3)" in err
    assert schedule in SCHEDULE_ATTR.findall(kernel.asm["ttgir"]) or target == "cuda:80"
    assert kernel.asm["cubin"]


@pytest.mark.parametrize("target", ["hip:gfx942", "hip:gfx950"])
def test_attention_schedule_on_hip_falls_back_to_default(target, capfd):
    ta.enable(schedule="attention-a", explain=True)
    _compile(_attention(False), target)
    err = capfd.readouterr().err
    assert "default schedule" in err
    assert "attention-a requested, but attention schedules are CUDA-only for now; using default" in err


@pytest.mark.parametrize("schedule", ["attention-a", "attention-b"])
def test_attention_schedule_over_register_budget_falls_back(schedule, capfd):
    """d128 TMA attention with 128x64 tiles and 4 warps: scores, P and the accumulator need ~224
    registers a thread (on H100 A/B spilled to 0.34x/0.66x), so the requested schedule is not used."""
    from benchmarks.kernels.attention import AttnConfig
    from benchmarks.kernels.corpus import attention_desc_entry

    entry = attention_desc_entry("fp16", 128, False, AttnConfig(128, 64, num_warps=4, num_stages=3))
    ta.enable(schedule=schedule, explain=True)
    kernel = _compile(entry, "cuda:90")
    err = capfd.readouterr().err
    assert f"{schedule} requested, but scores, P and the accumulator need about 224 registers a thread" in err
    assert set(SCHEDULE_ATTR.findall(kernel.asm["ttgir"])) == {"default"}
    assert kernel.asm["cubin"]


def test_auto_explains_its_choice_on_attention(capfd):
    """auto keeps default on attention (the attention schedules were not
    reliably ahead of it) and says why; on causal head dim 128 the diagonal
    loop's remark also says its scores are masked."""
    ta.enable(schedule="auto", explain=True)
    kernel = _compile(_attention(False), "cuda:90", num_stages=4)
    err = capfd.readouterr().err
    assert "default schedule, 4 stages" in err
    assert "auto: attention-like; default, the most robust on the measured attention kernels" in err
    assert SCHEDULE_ATTR.findall(kernel.asm["ttgir"]) == ["default"]
    kernel = _compile(_attention(True, head_dim=128), "cuda:90")
    err = capfd.readouterr().err
    assert "; its scores are masked (causal diagonal or ragged tail))" in err
    assert SCHEDULE_ATTR.findall(kernel.asm["ttgir"]) == ["default", "default"]


def test_schedule_setting_validated():
    with pytest.raises(ValueError, match="unknown schedule 'fastest'"):
        ta.enable(schedule="fastest")
