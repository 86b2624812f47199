"""Shared->register double buffering in the real pipelines, on the CPU:
``enable(s2r="autopipe")`` runs ``autopipe-double-buffer-operands`` in place of
Triton's ``tritongpu-prefetch`` (sm80) and on AMD; the GEMM's MMA is split
along K and still compiles to mma.sync / MFMA. ``s2r="triton"`` (default)
keeps Triton's prefetch on sm80."""
from __future__ import annotations

import pytest
import triton

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from conftest import record_calls  # noqa: E402

from benchmarks.kernels.corpus import BENCH_GEMM, TARGETS, gemm_entry  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook", "always_compile")


@pytest.fixture
def prefetch_calls(monkeypatch) -> list:
    """Records every call of Triton's tritongpu-prefetch (still runs it)."""
    from triton._C.libtriton import passes

    return record_calls(monkeypatch, passes.ttgpuir, "add_prefetch")


def _gemm(target: str):
    entry = gemm_entry("fp16", BENCH_GEMM, even_mn=True, even_k=True, targets=(target,))
    return triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))


@pytest.mark.parametrize("target", ["cuda:80", "hip:gfx942", "hip:gfx950"])
def test_ours_splits_the_mma(target, prefetch_calls, capfd):
    ta.enable(s2r="autopipe", explain=True)
    kernel = _gemm(target)
    err = capfd.readouterr().err
    assert prefetch_calls == []
    assert "autopipe-double-buffer-operands: loop at" in err and "1 dot(s) double-buffered along K" in err, err
    if target == "hip:gfx950":
        # Direct-to-LDS copies are issued before the tiles are read: slice 0
        # stays in the iteration, and the remark says why.
        assert "(0 with slice 0 prefetched across the back edge)" in err, err
        assert "commits copies before slice 0 is loaded (ttg.async_copy_global_to_local" in err, err
    else:
        # Slice 0 of the next iteration is loaded at the end of the body and
        # carried: the loop yields two more tensors than it has dots' results.
        assert "(1 with slice 0 prefetched across the back edge)" in err, err
        loop_head = kernel.asm["ttgir"][kernel.asm["ttgir"].index("scf.for"):].split("\n", 1)[0]
        assert loop_head.count("#ttg.dot_op<{opIdx = 0") == 1 and loop_head.count("#ttg.dot_op<{opIdx = 1") == 1, loop_head
    loop = kernel.asm["ttgir"][kernel.asm["ttgir"].index("scf.for"):]
    assert loop.count("ttg.memdesc_subslice") >= 4, loop
    assert loop.count("tt.dot ") >= 2
    if target.startswith("cuda"):
        assert "mma.sync" in kernel.asm["ptx"]
    else:
        assert "v_mfma" in kernel.asm["amdgcn"]


def test_default_keeps_tritons_prefetch(prefetch_calls, capfd):
    ta.enable(explain=True)
    _gemm("cuda:80")
    assert len(prefetch_calls) == 1
    assert "autopipe-double-buffer-operands" not in capfd.readouterr().err


def test_bad_s2r_setting():
    with pytest.raises(ValueError, match="unknown s2r 'maybe'"):
        ta.enable(s2r="maybe")


def test_prefetch_setting_runs_tritons_prefetch_beyond_sm80(prefetch_calls):
    """``s2r="prefetch"``: Triton's tritongpu-prefetch also on sm90 (where Triton
    runs none; it matters there with MMA v3 off, i.e. mma.sync)."""
    ta.enable(s2r="prefetch")
    _gemm("cuda:90")
    assert len(prefetch_calls) == 1
    ta.enable()
    _gemm("cuda:90")
    assert len(prefetch_calls) == 1
