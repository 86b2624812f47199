"""The channel API of ``autopipe-insert-barriers`` on a real kernel: a hand-written warp-specialized GEMM.

``benchmarks/kernels/ttgir/ws_gemm_channels.ttgir`` is a bf16 GEMM in the form a partitioning pass writes (a
1-warp TMA producer partition, 8 consumer warps running wgmma, slot views marked ``autopipe.channel``, no
synchronization between the partitions). Here it gets our channels (``autopipe-insert-barriers{mode=place}``),
then the TTGIR steps of Triton's ``make_ttgir`` that a descriptor kernel needs after pipelining (TMA lowering,
fence insertion), and compiles with Triton's own ``make_llir`` / ``make_ptx`` / ``make_cubin``. On a GPU it is
launched and compared with torch; without one it is compiled only (sm90 cubin on the CPU). ::

    python -m benchmarks.ws_channels --out /tmp/ws          # CPU: compile, count the barrier ops in the PTX
    python -m benchmarks.ws_channels --run                  # GPU: numerics over several shapes
    python -m benchmarks.ws_channels --bench --rounds 4     # GPU: TFLOPS vs the same tiles unspecialized, cuBLAS

The benchmark times, in one process and interleaved per round, this kernel, ``gemm_desc_kernel`` (the same
128x128x64 tiles through descriptors, 8 warps, not specialized) under Triton's pipeline at 3 and 4 stages, and
``torch.matmul`` (cuBLAS), bf16, and reports medians of the rounds.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KERNEL = HERE / "kernels" / "ttgir" / "ws_gemm_channels.ttgir"
#: The racecheck baseline: the same ttg.warp_specialize with no channel (``--baseline``).
BASELINE = HERE / "kernels" / "ttgir" / "ws_empty.ttgir"
#: The tile of the hand-written kernel (BLOCK_M, BLOCK_N); BLOCK_K is 64.
TILE = (128, 128)
#: PTX instructions counted in the report.
PTX_OPS = ("mbarrier.try_wait", "mbarrier.arrive", "cp.async.bulk.tensor", "bar.sync", "barrier.sync",
           "setmaxnreg", "wgmma.mma_async")


def materialize(src: Path, out: Path) -> str:
    """Our channels, then Triton's TMA lowering and fence insertion, on ``src``; the TTGIR written to ``out``
    and returned."""
    from triton._C.libtriton import ir, nvidia, passes
    from triton_autopipe import plugin

    ctx = ir.context()
    ir.load_dialects(ctx)
    nvidia.load_dialects(ctx)
    mod = ir.parse_mlir_module(str(src), ctx)
    pm = ir.pass_manager(ctx)
    plugin.add_pass(pm, plugin.INSERT_BARRIERS, {"mode": "place", "remarks": False})
    nvidia.passes.ttnvgpuir.add_tma_lowering(pm)
    nvidia.passes.ttnvgpuir.add_fence_insertion(pm, 90)
    passes.common.add_canonicalizer(pm)
    pm.run(mod, "autopipe-ws-channels")
    text = str(mod)
    out.write_text(text)
    return text


def compile_kernel(out_dir: Path, src: Path = KERNEL) -> Any:
    """The compiled kernel (``triton.compile`` of the materialized TTGIR for sm90)."""
    import triton
    from triton.backends.compiler import GPUTarget

    out_dir.mkdir(parents=True, exist_ok=True)
    ttgir = out_dir / (src.stem + ".ttgir")
    materialize(src, ttgir)
    return triton.compile(str(ttgir), target=GPUTarget("cuda", 90, 32))


def ptx_counts(kernel: Any) -> dict[str, int]:
    """How often each of :data:`PTX_OPS` appears in the kernel's PTX."""
    ptx = kernel.asm["ptx"]
    return {op: ptx.count(op) for op in PTX_OPS}


def run(kernel: Any, M: int, N: int, K: int, seed: int = 0) -> float:
    """Launches the kernel on C = A @ B (bf16, row-major) and returns the largest difference to torch's
    product (fp32 reference) relative to its largest magnitude."""
    import torch
    import triton

    triton.set_allocator(lambda size, align, stream: torch.empty(size, dtype=torch.int8, device="cuda"))
    g = torch.Generator(device="cuda").manual_seed(seed)
    a = torch.randn((M, K), device="cuda", dtype=torch.bfloat16, generator=g)
    b = torch.randn((K, N), device="cuda", dtype=torch.bfloat16, generator=g)
    c = torch.full((M, N), float("nan"), device="cuda", dtype=torch.bfloat16)
    grid = (triton.cdiv(M, TILE[0]) * triton.cdiv(N, TILE[1]), 1, 1)
    kernel[grid](a, b, c, M, N, K, a.stride(0), b.stride(0), c.stride(0))
    torch.cuda.synchronize()
    ref = a.float() @ b.float()
    if torch.isnan(c.float()).any():
        return float("inf")
    return float((c.float() - ref).abs().max() / ref.abs().max().clamp_min(1e-6))


#: Shapes of the numerics check: square, ragged M/N (the descriptor clips), K a multiple of 64 and not, a
#: single K step and many (the phases wrap many times).
SHAPES = ((256, 256, 256), (512, 384, 1024), (300, 200, 192), (128, 128, 64), (1000, 520, 4000), (256, 256, 160))


def bench(kernel: Any, sizes: tuple[int, ...], rounds: int) -> list[dict]:
    """TFLOPS of :func:`run`'s kernel, ``gemm_desc_kernel`` (Triton's pipeline, 3 and 4 stages) and cuBLAS per
    size (M = N = K), medians over ``rounds`` interleaved rounds."""
    import statistics

    import torch
    import triton
    import triton_autopipe as ta
    from triton.testing import do_bench

    from .kernels.gemm import GemmConfig
    from .kernels.gemm_desc import launch_gemm_desc

    ta.disable()
    triton.set_allocator(lambda size, align, stream: torch.empty(size, dtype=torch.int8, device="cuda"))
    rows = []
    for n in sizes:
        a = torch.randn((n, n), device="cuda", dtype=torch.bfloat16)
        b = torch.randn((n, n), device="cuda", dtype=torch.bfloat16)
        c = torch.empty((n, n), device="cuda", dtype=torch.bfloat16)
        grid = (triton.cdiv(n, TILE[0]) * triton.cdiv(n, TILE[1]), 1, 1)
        runs = {
            "ws (ours, channels)": lambda: kernel[grid](a, b, c, n, n, n, n, n, n),
            "triton s3": lambda: launch_gemm_desc(a, b, c, GemmConfig(128, 128, 64, num_warps=8, num_stages=3)),
            "triton s4": lambda: launch_gemm_desc(a, b, c, GemmConfig(128, 128, 64, num_warps=8, num_stages=4)),
            "cublas": lambda: torch.matmul(a, b, out=c),
        }
        times: dict[str, list[float]] = {k: [] for k in runs}
        for fn in runs.values():
            fn()
        for _ in range(rounds):
            for name, fn in runs.items():
                times[name].append(do_bench(fn, warmup=25, rep=100))
        flops = 2.0 * n ** 3
        row = {"size": n}
        for name, ts in times.items():
            row[name] = flops / (statistics.median(ts) * 1e-3) / 1e12
        rows.append(row)
        print(f"  {n}^3: " + ", ".join(f"{k} {v:.1f}" for k, v in row.items() if k != "size") + " TFLOPS; "
              f"ws / cuBLAS {row['ws (ours, channels)'] / row['cublas']:.3f}x, ws / best Triton "
              f"{row['ws (ours, channels)'] / max(row['triton s3'], row['triton s4']):.3f}x")
    return rows


def triton_ws_kernel() -> Any:
    """Triton's own warp specialization (``tl.range(..., warp_specialize=True)``) on a descriptor GEMM, the
    racecheck reference for what Triton's ``ttg.warp_specialize`` lowering reports by itself."""
    import triton
    import triton.language as tl

    @triton.jit
    def triton_ws_gemm(a_ptr, b_ptr, c_ptr, M, N, K, sam, sbk, scm, BM: tl.constexpr, BN: tl.constexpr,
                       BK: tl.constexpr):
        da = tl.make_tensor_descriptor(a_ptr, shape=[M, K], strides=[sam, 1], block_shape=[BM, BK])
        db = tl.make_tensor_descriptor(b_ptr, shape=[K, N], strides=[sbk, 1], block_shape=[BK, BN])
        dc = tl.make_tensor_descriptor(c_ptr, shape=[M, N], strides=[scm, 1], block_shape=[BM, BN])
        pid = tl.program_id(0)
        tiles_n = tl.cdiv(N, BN)
        om = (pid // tiles_n) * BM
        on = (pid % tiles_n) * BN
        acc = tl.zeros((BM, BN), dtype=tl.float32)
        for k in tl.range(0, K, BK, warp_specialize=True):
            acc = tl.dot(da.load([om, k]), db.load([k, on]), acc)
        dc.store([om, on], acc.to(dc.dtype))

    return triton_ws_gemm


def run_triton_ws(M: int, N: int, K: int) -> float:
    """:func:`triton_ws_kernel` at 64x128x64, 4 warps, 3 stages on C = A @ B; its largest relative difference."""
    import torch
    import triton

    triton.set_allocator(lambda size, align, stream: torch.empty(size, dtype=torch.int8, device="cuda"))
    a = torch.randn((M, K), device="cuda", dtype=torch.bfloat16)
    b = torch.randn((K, N), device="cuda", dtype=torch.bfloat16)
    c = torch.empty((M, N), device="cuda", dtype=torch.bfloat16)
    grid = (triton.cdiv(M, 64) * triton.cdiv(N, 128),)
    triton_ws_kernel()[grid](a, b, c, M, N, K, a.stride(0), b.stride(0), c.stride(0), BM=64, BN=128, BK=64,
                             num_warps=4, num_stages=3)
    ref = a.float() @ b.float()
    return float((c.float() - ref).abs().max() / ref.abs().max())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="directory for the TTGIR and PTX (default: a temporary one)")
    ap.add_argument("--run", action="store_true", help="launch on the GPU and check numerics for every shape")
    ap.add_argument("--shapes", default="", help="M,N,K;M,N,K;... instead of the built-in list")
    ap.add_argument("--baseline", action="store_true",
                    help="compile and launch ws_empty.ttgir instead (a racecheck baseline; no numerics)")
    ap.add_argument("--triton-ws", action="store_true",
                    help="launch Triton's own warp_specialize=True GEMM instead (a racecheck reference)")
    ap.add_argument("--bench", action="store_true", help="time it against Triton's pipeline and cuBLAS")
    ap.add_argument("--sizes", default="4096,8192", help="M=N=K sizes of --bench")
    ap.add_argument("--rounds", type=int, default=4, help="interleaved rounds of --bench")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="ws_channels_"))
    out.mkdir(parents=True, exist_ok=True)
    if args.triton_ws:
        import triton_autopipe as ta

        ta.disable()
        print(f"triton's warp_specialize=True GEMM 512x384x1024: max rel diff {run_triton_ws(512, 384, 1024):.2e}")
        return 0
    if args.baseline:
        kernel = compile_kernel(out, BASELINE)
        run(kernel, 256, 256, 64)  # stores zeros: the difference to a @ b means nothing here
        print(f"baseline {BASELINE.name}: launched")
        return 0
    kernel = compile_kernel(out)
    (out / "ws_gemm.ptx").write_text(kernel.asm["ptx"])
    print(f"compiled {KERNEL.name}: {kernel.metadata.num_warps} warps, shared {kernel.metadata.shared} bytes")
    print("  " + ", ".join(f"{k} {v}" for k, v in ptx_counts(kernel).items()))
    if not (args.run or args.bench):
        return 0
    if args.bench:
        bench(kernel, tuple(int(x) for x in args.sizes.split(",")), args.rounds)
        if not args.run:
            return 0
    shapes = [tuple(int(x) for x in s.split(",")) for s in args.shapes.split(";") if s] or SHAPES
    bad = 0
    for M, N, K in shapes:
        err = run(kernel, M, N, K)
        ok = err < 2e-2
        bad += not ok
        print(f"  {M}x{N}x{K}: max rel diff {err:.2e} {'ok' if ok else 'FAILED'}")
    print(f"numerics: {len(shapes) - bad}/{len(shapes)} ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
