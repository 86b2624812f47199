"""GEMM benchmark: corpus GEMMs under each pipeline against cuBLAS, in one process.

For each shape (M = N = K) and dtype: the ``tl.load`` GEMM and (on sm90) the
tensor-descriptor GEMM, each with no pipelining (``num_stages=1``), Triton's
default pipeline and every usable autopipe variant, plus ``torch.matmul``
(cuBLAS). Every variant's output is checked against an fp32 ``torch.matmul``
before it is timed; each is timed twice.

Run on a GPU::

    python -m benchmarks.gemm            # 2048^3, 4096^3, 8192^3 x fp16, bf16
    python -m benchmarks.gemm --quick    # 4096^3 fp16 only
    python -m benchmarks.gemm --unaligned-only   # rows not 16-byte aligned (no cp.async/TMA)

``--unaligned`` adds (M, N, K) = (4096, 4096, 4095) (A's rows unaligned, B's
aligned) and (4095, 4095, 4095) (both unaligned), fp16, ``tl.load`` kernel only:
Triton leaves such loads synchronous, autopipe register-stages them.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from .common import add_common_args, pipelines_for, rep_ms, run_meta
from .harness import Row, Variant, measure_problem
from .kernels.corpus import BENCH_GEMM, BENCH_GEMM_DESC
from .kernels.gemm import GemmConfig, launch_gemm
from .kernels.gemm_desc import launch_gemm_desc
from .pipelines import Pipeline
from .report import write_all

FULL_SIZES = (2048, 4096, 8192)
FULL_DTYPES = ("fp16", "bf16")
QUICK_SIZES = (4096, )
QUICK_DTYPES = ("fp16", )
RTOL = {"fp16": 5e-3, "bf16": 1e-2}


def _triton_variant(name: str, launch: Callable[..., Any], cfg: GemmConfig, p: Pipeline, a: Any, b: Any, out: Any,
                    flops: float) -> Variant:
    c = cfg.with_stages(p.stages(cfg.num_stages))
    kernel = f"{name} {cfg.block_m}x{cfg.block_n}x{cfg.block_k} w{cfg.num_warps}"
    return Variant(kernel, p, lambda: (out, launch(a, b, out, c)), flops, out=out)


UNALIGNED_PROBLEMS = ((4096, 4096, 4095), (4095, 4095, 4095))


def gemm_variants(a: Any, b: Any, out: Any, pipelines: list[Pipeline],
                  kernel_names: tuple[str, ...] = ("tl.load", "tensor-desc")) -> list[Variant]:
    """All variants of ``out = a @ b``: Triton kernels (of ``kernel_names``) x pipelines, then cuBLAS."""
    import torch

    M, K = a.shape
    N = b.shape[1]
    flops = 2.0 * M * N * K
    kernels: list[tuple[str, Callable[..., Any], GemmConfig]] = [("tl.load", launch_gemm, BENCH_GEMM)]
    aligned = all(x * a.element_size() % 16 == 0 for x in (K, N))
    if torch.cuda.get_device_capability() >= (9, 0) and aligned:
        kernels.append(("tensor-desc", launch_gemm_desc, BENCH_GEMM_DESC))
    kernels = [k for k in kernels if k[0] in kernel_names]
    variants = [_triton_variant(n, fn, cfg, p, a, b, out, flops) for n, fn, cfg in kernels for p in pipelines]
    variants.append(Variant("cuBLAS", None, lambda: (torch.matmul(a, b, out=out), None), flops, library="cuBLAS",
                            out=out))
    return variants


def run(args: argparse.Namespace, log: Callable[[str], None] = print) -> tuple[list[Row], dict[str, Any]]:
    """Measure every shape and dtype; returns (rows, meta)."""
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    pipelines = pipelines_for(args)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    dtypes = QUICK_DTYPES if args.quick else FULL_DTYPES
    if getattr(args, "sizes", None):
        sizes = tuple(int(n) for n in args.sizes.split(","))
    if getattr(args, "dtypes", None):
        dtypes = tuple(args.dtypes.split(","))
    problems = [(dtype, (n, n, n)) for dtype in dtypes for n in sizes]
    if getattr(args, "unaligned_only", False):
        problems = []
    if getattr(args, "unaligned", False) or getattr(args, "unaligned_only", False):
        problems += [("fp16", mnk) for mnk in UNALIGNED_PROBLEMS]
    rows: list[Row] = []
    for dtype, (M, N, K) in problems:
        dt = {"fp16": torch.float16, "bf16": torch.bfloat16}[dtype]
        problem = f"{M}³ {dtype}" if M == N == K else f"{M}x{N}x{K} {dtype}"
        log(f"gemm {problem}")
        torch.manual_seed(K)
        a = (torch.randn(M, K, device="cuda") * K**-0.25).to(dt)
        b = (torch.randn(K, N, device="cuda") * K**-0.25).to(dt)
        out = torch.empty(M, N, device="cuda", dtype=dt)
        ref = torch.matmul(a.float(), b.float())
        kernel_names = tuple(getattr(args, "kernels", "tl.load,tensor-desc").split(","))
        rows += measure_problem("gemm", problem, gemm_variants(a, b, out, pipelines, kernel_names), ref, RTOL[dtype],
                                rep_ms(args), rounds=args.rounds, log=log)
        del a, b, out, ref
        torch.cuda.empty_cache()
    return rows, run_meta(args)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m benchmarks gemm``."""
    add_common_args(parser)
    parser.add_argument("--unaligned", action="store_true", help="also GEMMs whose rows are not 16-byte aligned")
    parser.add_argument("--unaligned-only", action="store_true", help="only those")
    parser.add_argument("--kernels", default="tl.load,tensor-desc",
                        help="comma-separated GEMM kernels to time: tl.load, tensor-desc (default both)")
    parser.add_argument("--sizes", default=None, help="comma-separated square sizes (default 2048,4096,8192)")
    parser.add_argument("--dtypes", default=None, help="comma-separated dtypes (default fp16,bf16)")


def execute(args: argparse.Namespace) -> int:
    """Run the benchmark, write its table/JSON/PNG under ``args.out``; 1 if a variant failed numerics."""
    rows, meta = run(args)
    paths = write_all(rows, meta, args.out, "gemm", "GEMM TFLOPS")
    print(open(paths["md"]).read())
    print("wrote", ", ".join(paths.values()))
    return 0 if all(r.ok for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.gemm [options]`` (the same as ``python -m benchmarks gemm``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gemm", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return execute(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
