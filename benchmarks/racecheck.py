"""Small attention and GEMM (tl.load, and tensor-descriptor on sm90) runs for ``compute-sanitizer --tool racecheck``.

Each kernel runs once on a tiny problem (racecheck slows kernels down by
orders of magnitude) and is checked against torch; the exit status is 1 on a
numerics failure. Run it under the sanitizer, e.g.::

    compute-sanitizer --tool racecheck --racecheck-report hazard \\
        python -m benchmarks.racecheck --schedule attention-a
"""
from __future__ import annotations

import argparse
import sys
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``python -m benchmarks racecheck``."""
    p.add_argument("--schedule", default="auto", help="triton_autopipe schedule (or 'off' for Triton's pipeline)")
    p.add_argument("--expand", default="autopipe", help="who expands the loops: autopipe | triton")
    p.add_argument("--buffers", default="autopipe", help="who lowers the loads: autopipe | registers | triton")
    p.add_argument("--s2r", default="triton", help="shared->register double buffering: triton | autopipe | off "
                   "(with DISABLE_MMA_V3=1 in the environment the GEMMs use mma.sync)")
    p.add_argument("--barriers", default="placed", help="CTA barriers of our loops: placed | membar | linked")


def execute(args: argparse.Namespace) -> int:
    """Run the small kernels once each; 1 on a numerics failure."""
    import torch

    from benchmarks.kernels.attention import AttnConfig, attention
    from benchmarks.kernels.gemm import GemmConfig, launch_gemm

    if args.schedule != "off":
        import triton_autopipe

        triton_autopipe.enable(schedule=args.schedule, expand=args.expand, buffers=args.buffers, s2r=args.s2r,
                               barriers=args.barriers)
    torch.manual_seed(0)
    ok = True
    for d, cfg, causal in ((64, AttnConfig(128, 64, num_warps=8, num_stages=3), False),
                           (64, AttnConfig(128, 64, num_warps=8, num_stages=3), True),
                           (128, AttnConfig(128, 128, num_warps=8, num_stages=3), False)):
        q, k, v = (torch.randn(1, 2, 512, d, device="cuda", dtype=torch.float16) for _ in range(3))
        out = attention(q, k, v, causal, cfg)
        # fp32 reference by hand (SDPA's own kernels would show up in racecheck's report)
        s = (q.float() @ k.float().transpose(-1, -2)) / d ** 0.5
        if causal:
            s = s.masked_fill(torch.ones(512, 512, device="cuda", dtype=torch.bool).triu(1), float("-inf"))
        ref = torch.softmax(s, dim=-1) @ v.float()
        err = (out.float() - ref).abs().max().item()
        ok &= err < 2e-2
        print(f"attention d{d} {'causal' if causal else 'full'}: max err {err:.1e}")

    def gemm_ok(name: str, launch: Any, k: int = 336) -> bool:
        """One 256x384xk GEMM through `launch`, checked against fp32 torch."""
        a = torch.randn(256, k, device="cuda", dtype=torch.float16)
        b = torch.randn(k, 384, device="cuda", dtype=torch.float16)
        c = torch.empty(256, 384, device="cuda", dtype=torch.float16)
        launch(a, b, c, GemmConfig(128, 128, 64, num_warps=8, num_stages=4))
        err = ((c.float() - a.float() @ b.float()).abs().max() / (k ** 0.5)).item()
        print(f"{name} 256x384x{k}: max err / sqrt(K) {err:.1e}")
        return err < 1e-2

    ok &= gemm_ok("gemm", launch_gemm)
    # K = 300: A's rows are not 16-byte aligned (register-staged by autopipe),
    # B's are (async copies): both forms in one loop.
    ok &= gemm_ok("gemm-mixed", launch_gemm, k=300)
    if torch.cuda.get_device_capability()[0] >= 9:  # TMA: tensor-descriptor GEMM, ragged K
        from benchmarks.kernels.gemm_desc import launch_gemm_desc

        ok &= gemm_ok("gemm-desc", launch_gemm_desc)
    torch.cuda.synchronize()
    print("numerics", "ok" if ok else "FAILED")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.racecheck [options]`` (the same as ``python -m benchmarks racecheck``)."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.racecheck", description=__doc__.splitlines()[0])
    add_arguments(p)
    return execute(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
