"""Config sweep: TFLOPS of candidate block configs under Triton's default pipeline (and optionally autopipe).

Used to choose the benchmark configs in ``kernels/corpus.py`` (``BENCH_*``);
not part of the comparison tables. Each candidate is checked against torch
before it is timed; configs that fail to compile (e.g. too much shared memory)
are reported and skipped.

Run on a GPU::

    python -m benchmarks.sweep attention
    python -m benchmarks.sweep gemm --autopipe
    # every config under each schedule, paired ratios to Triton's default:
    python -m benchmarks.sweep attention --kernels desc --autopipe \
        --autopipe-variant ap-attn-b:schedule=attention-b --rounds 4 --out /tmp/sweep
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .attention import KERNELS as ATTN_KERNELS
from .harness import Row, Variant, measure_problem
from .kernels.attention import AttnConfig, attention_flops
from .kernels.gemm import GemmConfig, launch_gemm
from .kernels.gemm_desc import launch_gemm_desc
from .pipelines import TRITON, Pipeline, autopipe_pipelines, parse_variant
from .report import write_all

ATTN_CANDIDATES = {
    64: [AttnConfig(128, 64, 4, 3), AttnConfig(128, 64, 8, 3), AttnConfig(128, 128, 8, 2), AttnConfig(128, 128, 8, 3),
         AttnConfig(128, 128, 8, 4), AttnConfig(128, 64, 4, 4), AttnConfig(64, 64, 4, 3)],
    128: [AttnConfig(128, 64, 4, 3), AttnConfig(128, 64, 8, 3), AttnConfig(128, 64, 8, 4), AttnConfig(128, 128, 8, 2),
          AttnConfig(128, 128, 8, 3), AttnConfig(64, 64, 4, 3)],
}
GEMM_CANDIDATES = [GemmConfig(128, 256, 64, 8, 8, 3), GemmConfig(128, 256, 64, 8, 8, 4), GemmConfig(128, 128, 64, 8, 4, 4),
                   GemmConfig(128, 128, 64, 8, 8, 4), GemmConfig(128, 128, 64, 8, 4, 5)]


def sweep_attention(pipelines: list[Pipeline], rep: int, kernels: tuple[str, ...] = ("ptr", ),
                    rounds: int = 1, causal_flags: tuple[bool, ...] = (False, True)) -> list[Row]:
    import torch
    import torch.nn.functional as F

    rows: list[Row] = []
    for B, H, N, D in ((8, 16, 8192, 128), (4, 32, 4096, 64)):
        q, k, v = (torch.randn(B, H, N, D, device="cuda", dtype=torch.float16) for _ in range(3))
        out = torch.empty_like(q)
        for causal in causal_flags:
            ref = F.scaled_dot_product_attention(q, k, v, is_causal=causal).float()
            variants = [Variant(f"{ATTN_KERNELS[kn][0]} {c.label()}", p,
                                lambda c=c, fn=ATTN_KERNELS[kn][1]: (out, fn(q, k, v, out, causal, c)),
                                attention_flops(B, H, N, D, causal), out=out)
                        for kn in kernels for c in ATTN_CANDIDATES[D] for p in pipelines]
            rows += measure_problem("sweep", f"({B},{H},{N},{D}) {'causal' if causal else 'full'}", variants, ref,
                                    5e-3, rep, rounds=rounds)
    return rows


def sweep_gemm(pipelines: list[Pipeline], rep: int) -> list[Row]:
    import torch

    rows: list[Row] = []
    for n in (4096, 8192):
        a = (torch.randn(n, n, device="cuda") * n**-0.25).half()
        b = (torch.randn(n, n, device="cuda") * n**-0.25).half()
        out = torch.empty(n, n, device="cuda", dtype=torch.float16)
        ref = torch.matmul(a, b).float()
        variants: list[Variant] = []
        for name, fn in (("tl.load", launch_gemm), ("tensor-desc", launch_gemm_desc)):
            for c in GEMM_CANDIDATES:
                for p in pipelines:
                    variants.append(Variant(f"{name} {c.label()}", p, lambda c=c, fn=fn: (out, fn(a, b, out, c)),
                                            2.0 * n**3, out=out))
        rows += measure_problem("sweep", f"{n}³ fp16", variants, ref, 5e-3, rep, rounds=1)
    return rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m benchmarks sweep``."""
    parser.add_argument("what", choices=("attention", "gemm"), help="which kernel family to sweep")
    parser.add_argument("--autopipe", action="store_true", help="also sweep under autopipe")
    parser.add_argument("--autopipe-variant", action="append", default=[], metavar="NAME[:k=v,...]",
                        help="extra autopipe variant (with --autopipe; repeatable)")
    parser.add_argument("--kernels", default="ptr", help="attention kernels: ptr, desc (default %(default)s)")
    parser.add_argument("--full-only", action="store_true", help="attention: skip the causal problems")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--rep-ms", type=int, default=50)
    parser.add_argument("--out", default=None, help="also write the full table (paired ratios) here")


def execute(args: argparse.Namespace) -> int:
    """Time the candidate configs and print the best one per problem."""
    extra = [parse_variant(v) for v in args.autopipe_variant]
    pipelines = [TRITON, *(autopipe_pipelines(extra) if args.autopipe else [])]
    if args.what == "attention":
        rows = sweep_attention(pipelines, args.rep_ms, tuple(args.kernels.split(",")), args.rounds,
                               (False, ) if args.full_only else (False, True))
    else:
        rows = sweep_gemm(pipelines, args.rep_ms)
    if args.out:
        import torch
        import triton
        meta = {"device": torch.cuda.get_device_name(), "triton": triton.__version__, "rounds": args.rounds}
        paths = write_all(rows, meta, args.out, f"sweep-{args.what}", f"Sweep: {args.what} TFLOPS")
        print(open(paths["md"]).read())
    best: dict[str, Any] = {}
    for r in rows:
        if r.ok and (r.problem not in best or r.mean_tflops() > best[r.problem].mean_tflops()):
            best[r.problem] = r
    print("| problem | best config | pipeline | TFLOPS |\n|---|---|---|---:|")
    for problem, r in best.items():
        print(f"| {problem} | {r.kernel} | {r.pipeline} | {r.mean_tflops():.1f} |")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.sweep WHAT [options]`` (the same as ``python -m benchmarks sweep``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweep", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return execute(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
