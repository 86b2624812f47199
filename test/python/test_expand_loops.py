"""autopipe-expand-loops in the real CUDA pipeline (CPU only): it replaces
Triton's ``tritongpu-pipeline`` (Triton's pass is no longer called), GEMMs
come out exactly as with Triton's, and attention kernels under every schedule
get async wgmma that ptxas does not serialize (its info C7514 would mean every
wgmma of the kernel runs synchronously)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import triton

ROOT = Path(__file__).resolve().parents[2]
ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from benchmarks.kernels.corpus import TARGETS, corpus  # noqa: E402

sys.path.insert(0, str(ROOT / "examples"))
import compile_gemm  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook")


def _attention(head_dim: int, causal: bool = False):
    kind = "causal" if causal else "full"
    return next(e for e in corpus() if e.name.startswith("attn") and f"_d{head_dim}_{kind}_" in e.name)


def _ptxas_log(ptx: str, tmp_path: Path) -> str:
    from triton.backends.nvidia.compiler import get_ptxas

    src = tmp_path / "k.ptx"
    src.write_text(ptx)
    done = subprocess.run([get_ptxas(90).path, "-arch=sm_90a", "-v", str(src), "-o", str(tmp_path / "k.cubin")],
                          capture_output=True, text=True, check=True)
    return done.stdout + done.stderr


def test_triton_pipeline_pass_is_not_called(monkeypatch, capfd):
    """With expand=autopipe (default) Triton's add_pipeline never runs on CUDA;
    our pass reports the loop instead. expand=triton calls Triton's again."""
    from triton._C.libtriton import passes

    calls = []
    original = passes.ttgpuir.add_pipeline
    monkeypatch.setattr(passes.ttgpuir, "add_pipeline", lambda *a: (calls.append(a), original(*a)))
    entry = _attention(64)
    ta.enable(explain=True)
    triton.compile(entry.source(), target=TARGETS["cuda:90"], options=entry.options("cuda:90"))
    err = capfd.readouterr().err
    assert calls == []
    assert re.search(r"autopipe-expand-loops: loop at \S+( \(inlined at \S+\))?: expanded into \d+ stages; 2 async wgmma", err), err
    ta.enable(expand="triton", explain=True)
    triton.compile(entry.source(), target=TARGETS["cuda:80"], options=entry.options("cuda:80"))
    assert len(calls) == 1
    assert "autopipe-expand-loops" not in capfd.readouterr().err


@pytest.mark.parametrize("target", ["cuda:80", "cuda:90"])
def test_gemm_is_tritons(target):
    """A GEMM keeps every wgmma in flight with Triton's rule: same cubin."""
    ta.enable(expand="triton")
    theirs = compile_gemm.compile_gemm(target)
    ta.enable()
    ours = compile_gemm.compile_gemm(target)
    assert ours.asm["cubin"] == theirs.asm["cubin"]


@pytest.mark.parametrize("head_dim", [64, 128])
@pytest.mark.parametrize("schedule", ["auto", "attention-a", "attention-b"])
def test_attention_wgmma_stay_async(schedule, head_dim, tmp_path):
    entry = _attention(head_dim)
    ta.enable(schedule=schedule)
    kernel = triton.compile(entry.source(), target=TARGETS["cuda:90"], options=entry.options("cuda:90"))
    ttgir, ptx = kernel.asm["ttgir"], kernel.asm["ptx"]
    loop = ttgir[ttgir.index("scf.for"):]
    # Every wgmma of the loop is async, none sits under scf.if, and a dot overlaps other work: under the
    # computation-pipelining schedules a wait leaves a group in flight; under the default one the output
    # accumulator's dot crosses the back edge in flight (no wait between it and the yield) and is retired by
    # the next iteration's QK^T wait, which threads the accumulator for its rescale, as Triton does.
    dots = re.findall(r"ttng\.warp_group_dot %.*", loop)
    assert dots and all("isAsync = true" in d for d in dots)
    assert not re.search(r"scf\.if[^\n]*\n\s*%\S+ = ttng\.warp_group_dot ", loop)
    if schedule == "auto":
        body = loop[:loop.index("scf.yield")]
        assert "ttng.warp_group_dot_wait" not in body[body.rindex("ttng.warp_group_dot "):]
        assert re.search(r"ttng\.warp_group_dot_wait %\S+, %\S+ \{pendings = 0", body)
    else:
        assert any(int(n) > 0 for n in re.findall(r"wgmma\.wait_group\.sync\.aligned (\d+)", ptx))
    log = _ptxas_log(ptx, tmp_path)
    assert "C7514" not in log, log
    # Triton's own pipeline on the same kernel: its first dot is synchronous.
    ta.enable(schedule=schedule, expand="triton")
    theirs = triton.compile(entry.source(), target=TARGETS["cuda:90"], options=entry.options("cuda:90"))
    if schedule == "attention-a":
        # Triton predicates the early MMA: scf.if, and a wait 0 right after it.
        assert re.search(r"scf\.if", theirs.asm["ttgir"][theirs.asm["ttgir"].index("scf.for"):])


def test_async_dots_off_keeps_wgmma_synchronous_and_loads_pipelined(tmp_path):
    """``async_dots="off"``: no wgmma is async (no wait in the PTX), the K/V copies are still pipelined,
    and the kernel needs fewer registers than with async wgmma (d64, 128x128 tiles, 8 warps: on H100
    156 -> 128, which is what lets 2 CTAs share an SM; ``auto`` therefore picks it there, see
    test_occupancy.py, so the async reference is ``autopipe``)."""
    from benchmarks.kernels.attention import AttnConfig
    from benchmarks.kernels.corpus import attention_desc_entry

    entry = attention_desc_entry("fp16", 64, False, AttnConfig(128, 128, num_warps=8, num_stages=3))
    regs = {}
    for mode in ("autopipe", "off"):
        ta.enable(async_dots=mode)
        kernel = triton.compile(entry.source(), target=TARGETS["cuda:90"], options=entry.options("cuda:90"))
        ttgir, ptx = kernel.asm["ttgir"], kernel.asm["ptx"]
        loop = ttgir[ttgir.index("scf.for"):]
        assert ("isAsync = true" in loop) == (mode == "autopipe")
        # Synchronous wgmma: each commit is waited for before any branch; async: a group crosses the back edge.
        after_commits = ptx.split("wgmma.commit_group.sync.aligned")[1:]
        crossing = [re.search(r"wgmma\.wait_group|\bbra", seg) for seg in after_commits]
        assert any(m and m.group(0) == "bra" for m in crossing) == (mode == "autopipe")
        assert "ttng.async_tma_copy_global_to_local" in loop  # loads of later iterations in the body
        regs[mode] = int(re.search(r"Used (\d+) registers", _ptxas_log(ptx, tmp_path)).group(1))
    assert regs["off"] < regs["autopipe"], regs


def test_async_dots_setting_is_validated():
    with pytest.raises(ValueError, match="async_dots"):
        ta.enable(async_dots="sometimes")


_TRITON_SHARED: dict[str, int] = {}  # Triton's own shared memory for the kernel below, compiled once


@pytest.mark.parametrize("async_dots", ["auto", "autopipe", "triton", "off"])
@pytest.mark.parametrize("schedule", ["auto", "attention-a", "attention-b"])
def test_two_loop_kernel_fits_in_shared_memory(schedule, async_dots):
    """Causal TMA attention has two pipelined loops. No schedule / wait mode may keep the first loop's
    buffers alive across the second: with attention-b and Triton's waits it did (327704 bytes of shared
    memory at d128, 128x128 tiles, 8 warps: OutOfResources on an H100, whose limit is 232448)."""
    from benchmarks.kernels.attention import AttnConfig
    from benchmarks.kernels.corpus import attention_desc_entry

    entry = attention_desc_entry("fp16", 128, True, AttnConfig(128, 128, num_warps=8, num_stages=3))
    if "triton" not in _TRITON_SHARED:
        ta.disable()
        _TRITON_SHARED["triton"] = triton.compile(entry.source(), target=TARGETS["cuda:90"],
                                                  options=entry.options("cuda:90")).metadata.shared
    ta.enable(schedule=schedule, async_dots=async_dots)
    ours = triton.compile(entry.source(), target=TARGETS["cuda:90"], options=entry.options("cuda:90"))
    assert ours.metadata.shared <= _TRITON_SHARED["triton"], (ours.metadata.shared, _TRITON_SHARED)
