"""``async_dots="auto"`` on sm90 (CPU only): where autopipe-expand-loops marks the module, both wgmma forms
are lowered to cubin and the synchronous one is kept only if ptxas's register count lets more CTAs share an
SM (:mod:`triton_autopipe.occupancy`). The kept form's lowering is reused, so the kernel is exactly what
``async_dots="off"`` or ``"autopipe"`` compiles."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import triton

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import occupancy  # noqa: E402

from benchmarks.kernels.attention import AttnConfig  # noqa: E402
from benchmarks.kernels.corpus import TARGETS, attention_desc_entry  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook")


def _compile(head_dim: int, causal: bool, cfg: str, **settings):
    entry = attention_desc_entry("fp16", head_dim, causal, AttnConfig.parse(cfg))
    ta.enable(**settings)
    try:
        return triton.compile(entry.source(), target=TARGETS["cuda:90"], options=entry.options("cuda:90"))
    finally:
        ta.disable()


def test_ctas_per_sm_limits():
    assert occupancy.ctas_per_sm(registers=128, shared=114712, num_warps=8) == 2
    assert occupancy.ctas_per_sm(registers=129, shared=114712, num_warps=8) == 1  # 136 allocated
    assert occupancy.ctas_per_sm(registers=128, shared=115712, num_warps=8) == 2  # 2 x (115712 + 1 KiB) = 228 KiB
    assert occupancy.ctas_per_sm(registers=128, shared=115713, num_warps=8) == 1
    assert occupancy.ctas_per_sm(registers=32, shared=0, num_warps=4) == 16  # 64 warps an SM


def test_cubin_registers_match_ptxas(tmp_path: Path):
    from triton.backends.nvidia.compiler import get_ptxas

    kernel = _compile(64, False, "128x64w8s3", async_dots="autopipe")
    (tmp_path / "k.ptx").write_text(kernel.asm["ptx"])
    log = subprocess.run([get_ptxas(90).path, "-arch=sm_90a", "-v", str(tmp_path / "k.ptx"), "-o",
                          str(tmp_path / "k.cubin")], capture_output=True, text=True, check=True)
    used = int(re.search(r"Used (\d+) registers", log.stdout + log.stderr).group(1))
    assert occupancy.cubin_registers(kernel.asm["cubin"]) == used


@pytest.mark.parametrize("head_dim,causal,cfg,picks", [
    (64, False, "128x128w8s3", "off"),       # H100: 156 -> 128 registers, 1 -> 2 CTAs an SM
    (128, True, "128x64w8s2", "off"),        # 138 -> 128, 1 -> 2
    (64, True, "128x128w8s3", "autopipe"),   # 159 -> 146: still 1 CTA
    (64, False, "128x64w8s3", "autopipe"),   # 107 -> 94: 2 CTAs either way
])
def test_auto_keeps_the_form_with_more_ctas(head_dim, causal, cfg, picks, capfd):
    auto = _compile(head_dim, causal, cfg, explain=True)
    err = capfd.readouterr().err
    line = re.search(r"async_dots auto: async wgmma (\d+) registers, (\d) CTA\(s\) an SM; synchronous (\d+) "
                     r"registers, (\d): (.*)", err)
    assert line, err
    assert (int(line.group(4)) > int(line.group(2))) == (picks == "off")
    assert line.group(5).startswith("synchronous" if picks == "off" else "async wgmma kept")
    same = _compile(head_dim, causal, cfg, async_dots=picks)
    assert auto.asm["cubin"] == same.asm["cubin"]
    assert auto.metadata.shared == same.metadata.shared


@pytest.mark.parametrize("head_dim,causal,cfg", [
    (64, False, "128x128w4s3"),  # 224 registers, 2 CTAs: all that 114712 bytes of shared memory allow
    (64, True, "64x64w4s3"),     # 107 registers, 3 CTAs: all that 58368 bytes allow
])
def test_async_at_the_shared_memory_limit_is_lowered_once(head_dim, causal, cfg, monkeypatch, capfd):
    """Where the async form already fits as many CTAs as its shared memory allows, the synchronous form
    (same buffers: its shared memory is the same, asserted here) cannot fit more and is not lowered."""
    forms = []
    trial = occupancy._trial
    monkeypatch.setattr(occupancy, "_trial", lambda ttgir, *a: forms.append(str(ttgir)) or trial(ttgir, *a))
    auto = _compile(head_dim, causal, cfg, explain=True)
    err = capfd.readouterr().err
    assert "the most its shared memory and warps allow: async wgmma kept, no synchronous trial" in err, err
    assert len(forms) == 1 and "isAsync = true" in forms[0]
    asyncs, off = (_compile(head_dim, causal, cfg, async_dots=mode) for mode in ("autopipe", "off"))
    assert auto.asm["cubin"] == asyncs.asm["cubin"]
    assert off.metadata.shared == asyncs.metadata.shared


def test_unmarked_modules_get_no_trial(monkeypatch):
    """No room for a second CTA (d128 128x128 tiles, 3 stages: 230 KB of shared memory): no trial."""
    calls = []
    monkeypatch.setattr(occupancy, "_trial", lambda *a: calls.append(a))
    kernel = _compile(128, False, "128x128w8s3")
    assert calls == [] and "isAsync = true" in kernel.asm["ttgir"]


def test_failed_trial_keeps_async(monkeypatch, capfd):
    def fail(*args):
        raise RuntimeError("no ptxas today")

    monkeypatch.setattr(occupancy, "_trial", fail)
    kernel = _compile(64, False, "128x128w8s3", explain=True)
    assert "trial failed (RuntimeError: no ptxas today); async wgmma kept" in capfd.readouterr().err
    assert "isAsync = true" in kernel.asm["ttgir"]
