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
                       configs: list[AttnConfig], kernels: tuple[str, ...] = ("ptr", )) -> list[Variant]:
    """All variants of one attention problem: our kernels x configs x pipelines, then SDPA once."""
    import torch.nn.functional as F

    B, H, N, D = q.shape
    flops = attention_flops(B, H, N, D, causal)
    variants = []
    for cfg in configs:
        for name in kernels:
            prefix, launch = KERNELS[name]
            # the config's stages too: two configs that differ only in num_stages are two kernels, each
            # compared with its own Triton row (no-pipe launches with 1 whatever the label says)
            kernel = f"{prefix} {cfg.label()}"
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


#: The forward config space of Triton's fused-attention tutorial (06), before its Hopper rule.
TUTORIAL_SPACE = tuple(AttnConfig(bm, bn, w, st) for bm in (64, 128) for bn in (64, 128) for st in (2, 3, 4)
                       for w in (4, 8))


def tutorial_configs(causal: bool, capability: tuple[int, int]) -> list[AttnConfig]:
    """The tutorial's configs that its ``keep`` rule leaves on this GPU (on sm90 it drops 8 warps for tiles
    under 128x128); causal also needs BLOCK_M to be a multiple of BLOCK_N (our kernels assert it).

    >>> [c.label() for c in tutorial_configs(True, (9, 0)) if c.num_stages == 3]
    ['BM64 BN64 w4 s3', 'BM128 BN64 w4 s3', 'BM128 BN128 w4 s3', 'BM128 BN128 w8 s3']
    """
    hopper = capability[0] == 9
    return [c for c in TUTORIAL_SPACE
            if not (hopper and c.block_m * c.block_n < 128 * 128 and c.num_warps == 8)
            and (not causal or c.block_m % c.block_n == 0)]


def tune_for_triton(q: Any, k: Any, v: Any, out: Any, causal: bool, kernel: str, rep: int,
                    log: Callable[[str], None] = print) -> AttnConfig:
    """The tutorial-space config that is fastest under Triton's default pipeline (what the tutorial's
    autotuner would pick for Triton); configs that fail to compile or launch (shared memory) are skipped."""
    import torch
    from triton.testing import do_bench

    from .pipelines import TRITON, use

    launch = KERNELS[kernel][1]
    timed: list[tuple[float, AttnConfig]] = []
    with use(TRITON):
        for cfg in tutorial_configs(causal, torch.cuda.get_device_capability()):
            try:
                launch(q, k, v, out, causal, cfg)
                timed.append((do_bench(lambda cfg=cfg: launch(q, k, v, out, causal, cfg), rep=rep), cfg))
            except Exception as e:  # noqa: BLE001 - out of resources etc.: not a candidate
                log(f"  tune: {cfg.label()} skipped ({type(e).__name__})")
    if not timed:
        raise RuntimeError("no tutorial config runs under Triton's default pipeline")
    timed.sort(key=lambda t: t[0])
    log("  tune (Triton default, ms): " + ", ".join(f"{c.label()} {ms:.3f}" for ms, c in timed))
    return timed[0][1]


def run(args: argparse.Namespace, log: Callable[[str], None] = print) -> tuple[list[Row], dict[str, Any]]:
    """Measure every shape, causal and not; returns (rows, meta)."""
    import torch

    pipelines = pipelines_for(args)
    kernels = tuple(getattr(args, "kernels", "ptr,desc").split(","))
    configs = parse_configs(getattr(args, "configs", ""))
    head_dims = {int(d) for d in getattr(args, "head_dims", "").split(",") if d.strip()}
    rows: list[Row] = []
    for B, H, N, D in (QUICK_SHAPES if args.quick else FULL_SHAPES):
        if head_dims and D not in head_dims:
            continue
        torch.manual_seed(N + D)
        q, k, v = (torch.randn(B, H, N, D, device="cuda", dtype=torch.float16) for _ in range(3))
        out = torch.empty_like(q)
        for causal in (False, True):
            problem = f"({B},{H},{N},{D}) {'causal' if causal else 'full'}"
            log(f"attention {problem}")
            ref = _reference(q, k, v, causal)
            if getattr(args, "tune", False):
                problem_configs = [tune_for_triton(q, k, v, out, causal, kernels[0], rep_ms(args) // 2, log)]
                log(f"  tuned config: {problem_configs[0].label()}")
            else:
                problem_configs = configs.get(D, [BENCH_ATTN[D]])
            variants = attention_variants(q, k, v, out, causal, pipelines, problem_configs, kernels)
            rows += measure_problem("attention", problem, variants, ref, RTOL, rep_ms(args), rounds=args.rounds, log=log)
            del ref
            torch.cuda.empty_cache()
    return rows, run_meta(args)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m benchmarks attention``."""
    add_common_args(parser)
    parser.add_argument("--kernels", default="ptr,desc", help=f"comma list of {', '.join(KERNELS)} (default %(default)s)")
    parser.add_argument("--configs", default="", metavar="D=BMxBN[wW][sS],...",
                        help="kernel configs per head dim, several allowed (default: the corpus config of each)")
    parser.add_argument("--head-dims", default="", metavar="D,...",
                        help="only the shapes of these head dims (default: every shape)")
    parser.add_argument("--tune", action="store_true",
                        help="per problem, use the config of the tutorial's space that is fastest under Triton's "
                        "default pipeline (first of --kernels)")


def execute(args: argparse.Namespace) -> int:
    """Run the benchmark, write its table/JSON/PNG under ``args.out``; 1 if a variant failed numerics."""
    rows, meta = run(args)
    paths = write_all(rows, meta, args.out, "attention", "Attention forward TFLOPS")
    print(open(paths["md"]).read())
    print("wrote", ", ".join(paths.values()))
    return 0 if all(r.ok for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.attention [options]`` (the same as ``python -m benchmarks attention``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.attention", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return execute(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
