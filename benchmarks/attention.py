"""Attention benchmark: the corpus flash-attention forward under each pipeline against SDPA.

Shapes (batch, heads, seq, head_dim): (8, 16, 8192, 128) and (4, 32, 4096, 64),
causal and not, fp16. Kernels: the pointer (``tl.load``) kernel and the tensor-descriptor kernel
(TMA K/V loads, the form of Triton's Hopper tutorial); ``--kernels`` picks.
Variants: no pipelining (``num_stages=1``), Triton's
default pipeline, every usable autopipe variant, and
``torch.nn.functional.scaled_dot_product_attention`` (torch's default backend).
Outputs are checked against SDPA on fp32 inputs before timing; each variant is
timed twice.

Run on a GPU::

    python -m benchmarks.attention           # both shapes, causal and not
    python -m benchmarks.attention --quick   # (4, 32, 4096, 64), causal and not
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from .common import add_common_args, pipelines_for, rep_ms, run_meta
from .harness import Row, Variant, measure_problem
from .kernels.attention import AttnConfig, attention_flops, launch_attention
from .kernels.attention_desc import launch_attention_desc
from .kernels.corpus import BENCH_ATTN
from .pipelines import Pipeline
from .report import write_all

FULL_SHAPES = ((8, 16, 8192, 128), (4, 32, 4096, 64))
QUICK_SHAPES = ((4, 32, 4096, 64), )
RTOL = 5e-3
#: Kernel name -> (label prefix, launcher).
KERNELS = {"ptr": ("flash-attn", launch_attention), "desc": ("flash-attn-desc", launch_attention_desc)}


def _reference(q: Any, k: Any, v: Any, causal: bool) -> Any:
    """SDPA in fp32 (falls back to the fp16 SDPA output if fp32 does not fit)."""
    import torch
    import torch.nn.functional as F

    try:
        return F.scaled_dot_product_attention(q.float(), k.float(), v.float(), is_causal=causal)
    except torch.OutOfMemoryError:
        torch.cuda.empty_cache()
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal).float()


def attention_variants(q: Any, k: Any, v: Any, out: Any, causal: bool, pipelines: list[Pipeline],
                       cfg: AttnConfig, kernels: tuple[str, ...] = ("ptr", )) -> list[Variant]:
    """All variants of one attention problem: our kernels x pipelines, then SDPA."""
    import torch.nn.functional as F

    B, H, N, D = q.shape
    flops = attention_flops(B, H, N, D, causal)
    variants = []
    for name in kernels:
        prefix, launch = KERNELS[name]
        kernel = f"{prefix} BM{cfg.block_m} BN{cfg.block_n} w{cfg.num_warps}"
        for p in pipelines:
            c = cfg.with_stages(p.stages(cfg.num_stages))
            variants.append(Variant(kernel, p, lambda c=c, launch=launch: (out, launch(q, k, v, out, causal, c)),
                                    flops, out=out))
    variants.append(Variant("SDPA", None, lambda: (F.scaled_dot_product_attention(q, k, v, is_causal=causal), None),
                            flops, library="SDPA"))
    return variants


def parse_configs(text: str) -> dict[int, list[AttnConfig]]:
    """``D=BMxBN[wW][sS]`` items, comma separated, several per head dim allowed.

    >>> parse_configs("64=128x64w8s3,64=128x128")[64][1].label()
    'BM128 BN128 w8 s3'
    """
    configs: dict[int, list[AttnConfig]] = {}
    for item in filter(None, (t.strip() for t in text.split(","))):
        d, sep, cfg = item.partition("=")
        if not sep or not d.isdigit():
            raise ValueError(f"--configs item {item!r}: expected D=BMxBN[wW][sS], e.g. 64=128x64w8s3")
        configs.setdefault(int(d), []).append(AttnConfig.parse(cfg))
    return configs


def run(args: argparse.Namespace, log: Callable[[str], None] = print) -> tuple[list[Row], dict[str, Any]]:
    """Measure every shape, causal and not; returns (rows, meta)."""
    import torch

    pipelines = pipelines_for(args)
    kernels = tuple(getattr(args, "kernels", "ptr,desc").split(","))
    configs = parse_configs(getattr(args, "configs", ""))
    rows: list[Row] = []
    for B, H, N, D in (QUICK_SHAPES if args.quick else FULL_SHAPES):
        torch.manual_seed(N + D)
        q, k, v = (torch.randn(B, H, N, D, device="cuda", dtype=torch.float16) for _ in range(3))
        out = torch.empty_like(q)
        for causal in (False, True):
            problem = f"({B},{H},{N},{D}) {'causal' if causal else 'full'}"
            log(f"attention {problem}")
            ref = _reference(q, k, v, causal)
            variants = [var for cfg in configs.get(D, [BENCH_ATTN[D]])
                        for var in attention_variants(q, k, v, out, causal, pipelines, cfg, kernels)]
            sdpa = [var for var in variants if var.library]
            variants = [var for var in variants if not var.library] + sdpa[:1]
            rows += measure_problem("attention", problem, variants, ref, RTOL, rep_ms(args), rounds=args.rounds, log=log)
            del ref
            torch.cuda.empty_cache()
    return rows, run_meta(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.attention", description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--kernels", default="ptr,desc", help=f"comma list of {', '.join(KERNELS)} (default %(default)s)")
    parser.add_argument("--configs", default="", metavar="D=BMxBN[wW][sS],...",
                        help="kernel configs per head dim, several allowed (default: the corpus config of each)")
    args = parser.parse_args(argv)
    rows, meta = run(args)
    paths = write_all(rows, meta, args.out, "attention", "Attention forward TFLOPS")
    print(open(paths["md"]).read())
    print("wrote", ", ".join(paths.values()))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
