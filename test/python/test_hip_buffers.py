"""Our load lowering on AMD (gfx942, gfx950), on the CPU: with autopipe on, the
AMD stream pipeliner (``amd.passes.ttgpuir.add_pipeline``) is no longer called;
``autopipe-schedule-loops`` (complete schedule), ``autopipe-allocate-buffers``
(LDS circular buffers: register-staged on gfx942, direct-to-LDS async copies on
gfx950 where a load allows 16 bytes a lane) and ``autopipe-expand-loops``
pipeline the loop, and the kernel still compiles to an hsaco with MFMA and fits
the target's LDS. ``buffers="triton"`` hands the loop back to Triton's pipeliner."""
from __future__ import annotations

import re

import pytest
import triton

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from conftest import record_calls  # noqa: E402

from benchmarks.kernels.corpus import SHARED_LIMIT as LDS  # noqa: E402
from benchmarks.kernels.corpus import TARGETS, GemmConfig, corpus, gemm_entry  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook", "always_compile")

CASES = [pytest.param(e, t, id=f"{e.name}-{t}") for e in corpus() for t in e.targets
         if t.startswith("hip:") and e.kind in ("tl_load", "tensor_desc")]


@pytest.fixture
def amd_pipeliner_calls(monkeypatch) -> list:
    """Records every call of Triton's AMD stream pipeliner (still runs it)."""
    from triton._C.libtriton import amd

    return record_calls(monkeypatch, amd.passes.ttgpuir, "add_pipeline")


def _compile(entry, target):
    return triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))


@pytest.mark.parametrize("entry,target", CASES)
def test_ours_replaces_amd_pipeliner(entry, target, amd_pipeliner_calls, capfd):
    ta.enable(explain=True)
    kernel = _compile(entry, target)
    err = capfd.readouterr().err
    assert amd_pipeliner_calls == []
    assert "autopipe-expand-loops: loop at" in err and "expanded into" in err, err
    ttgir = kernel.asm["ttgir"]
    loop = ttgir[ttgir.index("scf.for"):]
    stores, copies = loop.count("ttg.local_store"), loop.count("ttg.async_copy_global_to_local")
    # Each iteration writes the tile of a later one into LDS (a register-staged
    # store or an async copy) and reads its own from a slot.
    assert stores + copies >= 2 * entry.loops, loop
    assert "ttg.memdesc_index" in loop and "ttg.local_load" in loop
    amdgcn = kernel.asm["amdgcn"]
    if target == "hip:gfx942":  # no 16-byte direct-to-LDS load: register-staged
        assert "(register-staged: local_store" in err, err
        assert copies == 0 and "ttg.async_copy_global_to_local" not in ttgir
    elif entry.pipelinable:  # gfx950, 16-byte aligned rows: direct-to-LDS
        assert "(async copy, local_load)" in err, err
        assert copies >= entry.loops, loop
        widths = set(re.findall(r"global_load_lds_(\w+)", amdgcn))
        assert widths == {"dwordx4"}, widths
    else:  # gfx950, unaligned rows: no async copy possible, register-staged
        assert copies == 0 and stores >= 2 * entry.loops, loop
        assert "[not async: " in err, err
    assert "v_mfma" in amdgcn
    assert len(kernel.asm["hsaco"]) > 0
    assert kernel.metadata.shared <= LDS[target], kernel.metadata.shared


def test_triton_buffers_keep_amd_pipeliner(amd_pipeliner_calls, capfd):
    entry = next(e for e in corpus() if "hip:gfx942" in e.targets and e.kind == "tl_load")
    ta.enable(buffers="triton", explain=True)
    _compile(entry, "hip:gfx942")
    assert len(amd_pipeliner_calls) == 1
    assert "autopipe-allocate-buffers" not in capfd.readouterr().err


def test_gfx942_kernel_fits_lds(capfd):
    """bf16 128x256x64, 3 stages: Triton's AMD pipeliner gives it more LDS than
    gfx942 has (it could not launch on an MI300); ours lowers the stage count
    until the register-staged buffers fit, and says so."""
    entry = gemm_entry("bf16", GemmConfig(128, 256, 64, group_m=8, num_warps=8, num_stages=3),
                       even_mn=True, even_k=True, targets=("hip:gfx942",))
    theirs = _compile(entry, "hip:gfx942")
    ta.enable(explain=True)
    ours = _compile(entry, "hip:gfx942")
    err = capfd.readouterr().err
    assert theirs.metadata.shared > LDS["hip:gfx942"]
    assert ours.metadata.shared <= LDS["hip:gfx942"]
    assert "num_stages 3 -> 2 so that the buffers fit in shared memory" in err, err
