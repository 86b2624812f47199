"""The channel API of ``autopipe-insert-barriers`` (issue #17) on a whole kernel, on the CPU.

``benchmarks/kernels/ttgir/ws_gemm_channels.ttgir`` (a hand-written warp-specialized GEMM with marked slot views
and no synchronization between its partitions) goes through our channels, Triton's TMA lowering and Triton's own
``make_llir`` / ``make_ptx`` / ``make_cubin`` for sm90: the PTX must wait on and arrive at mbarriers and copy with
TMA. Without our pass the same file has no mbarrier at all (what the test would see if channels were dropped).
The GPU half (numerics, racecheck, synccheck, TFLOPS) is ``bash benchmarks/device.sh channels``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("triton")


def test_hand_written_ws_gemm_gets_channels_and_compiles(tmp_path: Path) -> None:
    from benchmarks import ws_channels

    kernel = ws_channels.compile_kernel(tmp_path)
    ttgir = (tmp_path / "ws_gemm_channels.ttgir").read_text()
    assert "autopipe.channel" not in ttgir
    assert ttgir.count("ttng.wait_barrier") == 2  # producer: empty; consumer: full
    assert ttgir.count("ttng.arrive_barrier") == 1  # consumer: empty (TMA arrives on full)
    assert ttgir.count("ttng.async_tma_copy_global_to_local") == 2
    counts = ws_channels.ptx_counts(kernel)
    assert counts["mbarrier.try_wait"] >= 2 and counts["mbarrier.arrive"] >= 1
    assert counts["cp.async.bulk.tensor"] >= 2 and counts["wgmma.mma_async"] >= 1
    assert counts["setmaxnreg"] >= 2  # the producer's 40 registers


def test_without_channels_nothing_synchronizes() -> None:
    from benchmarks import ws_channels

    raw = ws_channels.KERNEL.read_text()
    assert "autopipe.channel" in raw and "wait_barrier" not in raw and "arrive_barrier" not in raw
