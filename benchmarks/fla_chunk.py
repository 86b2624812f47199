"""flash-linear-attention's chunk kernels (``fla-core`` from PyPI) with Triton's pipeline and with ours, same process.

Each op runs through fla's own Python API, autotuned in each mode (the autotuners keep one cache per mode, so
ours is tuned with our pipeline and Triton's with Triton's), outputs compared bitwise, then timed interleaved
(Triton, ours, Triton, ours) with ``triton.testing.do_bench``. Ours is ``settings_scope()``: the default
settings, per launch, thread-local. Needs a CUDA GPU, torch and ``fla-core``::

    python -m benchmarks.fla_chunk --out results/       # writes fla.csv and prints a table
"""
from __future__ import annotations

import argparse
import csv
import gc
import math
import sys
from pathlib import Path
from typing import Any, Callable


def _autotuners() -> list:
    from triton.runtime.autotuner import Autotuner

    return [o for o in gc.get_objects() if isinstance(o, Autotuner)]


class ModeCaches:
    """One autotune cache per mode for every Autotuner of the process."""

    def __init__(self) -> None:
        self.caches: dict[str, dict[int, dict]] = {"triton": {}, "ours": {}}
        self.tuners = _autotuners()  # once: walking the heap costs milliseconds, not for a timed call

    def activate(self, mode: str) -> None:
        for tuner in self.tuners:
            tuner.cache = self.caches[mode].setdefault(id(tuner), {})


def cases(B: int = 4, H: int = 16) -> list[tuple[str, Callable[[], tuple], Callable[..., Any]]]:
    """(name, make inputs, run forward [+ backward]) for the chunk ops the issue measured."""
    import torch
    import torch.nn.functional as F

    dev = "cuda"

    def qkv(T: int, D: int, dtype, l2: bool = False):
        q = torch.randn(B, T, H, D, device=dev, dtype=dtype)
        k = torch.randn(B, T, H, D, device=dev, dtype=dtype)
        if l2:
            k = F.normalize(k.float(), p=2, dim=-1).to(dtype)
        v = torch.randn(B, T, H, D, device=dev, dtype=dtype)
        return q, k, v

    def gdr_inputs(T=4096, D=128, dtype=torch.bfloat16):
        q, k, v = qkv(T, D, dtype, l2=True)
        g = F.logsigmoid(torch.randn(B, T, H, device=dev, dtype=torch.float32))
        beta = torch.rand(B, T, H, device=dev, dtype=dtype).sigmoid()
        return q, k, v, g, beta

    def dr_inputs(T=4096, D=128, dtype=torch.bfloat16):
        q, k, v = qkv(T, D, dtype, l2=True)
        beta = torch.rand(B, T, H, device=dev, dtype=dtype).sigmoid()
        return q, k, v, beta

    def gla_inputs(T=2048, D=128, dtype=torch.bfloat16):
        q, k, v = qkv(T, D, dtype)
        g = F.logsigmoid(torch.randn(B, T, H, D, device=dev, dtype=torch.float32)) / 16
        return q, k, v, g

    def ret_inputs(T=2048, D=64, dtype=torch.float16):
        return qkv(T, D, dtype)

    from fla.ops.delta_rule import chunk_delta_rule
    from fla.ops.gated_delta_rule import chunk_gated_delta_rule
    from fla.ops.gla import chunk_gla
    from fla.ops.retention import chunk_retention

    def fwd(fn):
        return lambda *a: fn(*a)[0]

    def fwd_bwd(fn):
        def run(*a):
            leaves = [x.detach().requires_grad_(x.is_floating_point()) for x in a]
            out = fn(*leaves)[0]
            out.sum().backward()
            return torch.cat([out.flatten().float()] + [x.grad.flatten().float() for x in leaves
                                                         if x.grad is not None])
        return run

    return [
        ("gated_delta_rule fwd B4 T4096 H16 D128 bf16", gdr_inputs, fwd(chunk_gated_delta_rule)),
        ("delta_rule fwd B4 T4096 H16 D128 bf16", dr_inputs, fwd(chunk_delta_rule)),
        ("retention fwd B4 T2048 H16 D64 fp16", ret_inputs, fwd(chunk_retention)),
        ("gla fwd B4 T2048 H16 D128 bf16", gla_inputs, fwd(chunk_gla)),
        ("gla fwd+bwd B4 T2048 H16 D128 bf16", gla_inputs, fwd_bwd(chunk_gla)),
        ("gated_delta_rule fwd+bwd B4 T4096 H16 D128 bf16", gdr_inputs, fwd_bwd(chunk_gated_delta_rule)),
    ]


def measure(rounds: int = 2) -> list[dict]:
    import torch
    import triton
    import triton_autopipe
    from triton_autopipe.decorator import settings_scope

    triton_autopipe.disable()
    all_cases = cases()  # imports fla: its autotuners exist from here on
    modes = ModeCaches()
    rows = []
    for name, make, run in all_cases:
        torch.manual_seed(0)
        inputs = make()

        def theirs() -> Any:
            modes.activate("triton")
            return run(*inputs)

        def ours() -> Any:
            modes.activate("ours")
            with settings_scope():
                return run(*inputs)

        try:
            ref, got = theirs(), ours()  # autotunes each mode
            torch.cuda.synchronize()
            same = bool(torch.equal(ref, got))
            times: dict[str, list[float]] = {"triton": [], "ours": []}
            for _ in range(rounds):
                times["triton"].append(triton.testing.do_bench(theirs, warmup=25, rep=100))
                times["ours"].append(triton.testing.do_bench(ours, warmup=25, rep=100))
            t, o = min(times["triton"]), min(times["ours"])
            rows.append(dict(case=name, triton_ms=t, ours_ms=o, ratio=t / o, bitwise_equal=same))
            print(f"{name}: Triton {t:.3f} ms, ours {o:.3f} ms, {t / o:.3f}x, equal={same}", flush=True)
        except Exception as exc:  # noqa: BLE001 - one op failing must not hide the others
            rows.append(dict(case=name, triton_ms=float("nan"), ours_ms=float("nan"), ratio=float("nan"),
                             bitwise_equal=False, error=repr(exc)[:300]))
            print(f"{name}: FAILED {exc!r}", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("."))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    rows = measure(args.rounds)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "fla.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["case", "triton_ms", "ours_ms", "ratio", "bitwise_equal", "error"])
        writer.writeheader()
        writer.writerows(rows)
    ok = [r["ratio"] for r in rows if not math.isnan(r["ratio"])]
    if ok:
        print(f"geomean ours/Triton speed: {math.exp(sum(map(math.log, ok)) / len(ok)):.3f}x; "
              f"below 0.97x: {[r['case'] for r in rows if r['ratio'] < 0.97]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
