"""flash-linear-attention's chunk kernels (``fla-core`` from PyPI) with Triton's pipeline and with ours, same process.

Each op runs through fla's own Python API, autotuned in each mode (the autotuners keep one cache per mode, so
ours is tuned with our pipeline and Triton's with Triton's), outputs compared bitwise, then timed interleaved
with ``triton.testing.do_bench``. Ours is ``enable()`` once (as ``TRITON_AUTOPIPE=1``); "ours-scope" is
``settings_scope()`` around each call (what ``@auto_pipeline`` costs a launch). Diagnostic variants
(:data:`VARIANTS`) run at Triton's tuned configs, and torch's profiler gives each kernel's GPU time under
Triton and under ours at the same configs. Needs a CUDA GPU, torch and ``fla-core``::

    python -m benchmarks.fla_chunk --out results/    # fla.csv, fla-kernels.csv, fla-compiled.csv, ttgir/
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
        """Every tuner uses ``mode``'s cache (an empty one for a mode seen first)."""
        caches = self.caches.setdefault(mode, {})
        for tuner in self.tuners:
            tuner.cache = caches.setdefault(id(tuner), {})

    def share(self, mode: str, with_mode: str) -> None:
        """``mode`` uses ``with_mode``'s tuned configs from now on (the same cache objects)."""
        self.caches[mode] = self.caches.setdefault(with_mode, {})


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


#: Diagnostic variants of ours, run at Triton's tuned configs (same launch configs as Triton): which of our
#: steps costs what. Name -> Settings overrides.
VARIANTS: dict[str, dict[str, str]] = {
    "ours@triton-configs": {},
    "buffers=triton": {"buffers": "triton"},
    "expand=triton": {"expand": "triton"},
    "schedule=triton": {"schedule": "triton"},
    "async_dots=triton": {"async_dots": "triton"},
}


def _per_kernel(fn: Callable[[], Any], iters: int = 10) -> dict[str, float]:
    """GPU time per kernel name (microseconds per call of ``fn``), from torch's profiler."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    fn()
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(iters):
            fn()
        torch.cuda.synchronize()
    out: dict[str, float] = {}
    for ev in prof.key_averages():
        t = getattr(ev, "self_device_time_total", None) or getattr(ev, "self_cuda_time_total", 0.0)
        if t:
            out[ev.key] = out.get(ev.key, 0.0) + t / iters
    return out


def _dump_kernels(out: Path, names: dict[str, str]) -> list[dict]:
    """Every compiled fla kernel: TTGIR per mode into ``out/ttgir/`` and one row per (kernel, mode)."""
    from triton.runtime.jit import JITFunction

    rows = []
    (out / "ttgir").mkdir(parents=True, exist_ok=True)
    for obj in gc.get_objects():
        if not isinstance(obj, JITFunction) or "fla" not in (obj.fn.__module__ or ""):
            continue
        for caches in obj.device_caches.values():
            for i, (key, kernel) in enumerate(caches[0].items()):
                mode = next((m for h, m in names.items() if h in str(key)), "triton")
                md = kernel.metadata
                tag = f"{obj.fn.__name__}.{mode.replace('=', '-').replace('@', '-')}.{i}"
                (out / "ttgir" / f"{tag}.ttgir").write_text(kernel.asm.get("ttgir", ""))
                if mode == "triton":  # the input of make_ttgir, to re-compile on a CPU machine
                    (out / "ttgir" / f"{tag}.ttir").write_text(kernel.asm.get("ttir", ""))
                rows.append(dict(kernel=obj.fn.__name__, mode=mode, num_warps=md.num_warps,
                                 num_stages=md.num_stages, shared=md.shared,
                                 regs=getattr(kernel, "n_regs", None), spills=getattr(kernel, "n_spills", None),
                                 file=tag))
    return rows


def measure(rounds: int = 2, out: Path = Path("."), variants: bool = True, only: str = "") -> list[dict]:
    """Per case: Triton (autotuned), ours (autotuned under ``enable()``, our hook installed once, as
    ``TRITON_AUTOPIPE=1`` does), ours per call in ``settings_scope()`` (what ``@auto_pipeline`` costs), and
    the :data:`VARIANTS` at Triton's tuned configs; per-kernel GPU times of Triton and ours at Triton's
    configs. Kernels and their TTGIR go to ``out``."""
    import copy
    import dataclasses

    import torch
    import triton
    import triton_autopipe
    from triton_autopipe import hook as ap_hook
    from triton_autopipe.decorator import settings_scope

    triton_autopipe.disable()
    all_cases = [c for c in cases() if only in c[0]]  # imports fla: its autotuners exist from here on
    modes = ModeCaches()
    base = triton_autopipe.settings_from_environment()
    names = {}  # hash of our cache-key entry -> mode name
    settings_of = {"ours": base}
    for name, over in VARIANTS.items():
        settings_of[name] = dataclasses.replace(base, **over)
    for name, st in settings_of.items():
        names[ap_hook._key_and_hash(st, False, None)[1]] = name
    rows, kernel_rows = [], []

    def use(mode: str) -> None:
        """Caches and pipeline of ``mode`` (outside the timed calls)."""
        modes.activate(mode)
        if mode == "triton" or mode == "ours-scope":
            triton_autopipe.disable()
        else:
            triton_autopipe._install(settings_of[mode])

    for name, make, run in all_cases:
        torch.manual_seed(0)
        inputs = make()

        def call() -> Any:
            return run(*inputs)

        def scoped() -> Any:
            with settings_scope():
                return run(*inputs)

        try:
            use("triton")
            ref = call()  # autotunes Triton's
            for variant in VARIANTS:  # Triton's tuned configs, our pipeline variants
                modes.caches[variant] = {k: copy.copy(v) for k, v in modes.caches["triton"].items()}
            use("ours")
            got = call()  # autotunes ours
            torch.cuda.synchronize()
            row = dict(case=name, bitwise_equal=bool(torch.equal(ref, got)))
            modes.share("ours-scope", "ours")  # ours, tuned above, with a scope around each call
            use("ours-scope")
            scoped()
            timed = ["triton", "ours", "ours-scope"] + (list(VARIANTS) if variants else [])
            times: dict[str, list[float]] = {m: [] for m in timed}
            for _ in range(rounds):
                for m in timed:
                    use(m)
                    times[m].append(triton.testing.do_bench(scoped if m == "ours-scope" else call,
                                                            warmup=25, rep=100))
            best = {m: min(v) for m, v in times.items()}
            row.update(triton_ms=best["triton"], ours_ms=best["ours"], ratio=best["triton"] / best["ours"])
            for m in timed[2:]:
                row[f"ratio {m}"] = best["triton"] / best[m]
            per = {}
            for m in ("triton", "ours@triton-configs") if variants else ("triton",):
                use(m)
                per[m] = _per_kernel(call)
            if variants:
                for k, t in sorted(per["triton"].items(), key=lambda kv: -kv[1]):
                    o = per["ours@triton-configs"].get(k)
                    kernel_rows.append(dict(case=name, kernel=k, triton_us=t, ours_us=o,
                                            ratio=(t / o) if o else float("nan")))
                    print(f"  {k[:60]:60s} Triton {t:8.1f} us  ours {o or float('nan'):8.1f} us", flush=True)
            rows.append(row)
            print(f"{name}: " + ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                          for k, v in row.items() if k != "case"), flush=True)
        except Exception as exc:  # noqa: BLE001 - one op failing must not hide the others
            rows.append(dict(case=name, triton_ms=float("nan"), ours_ms=float("nan"), ratio=float("nan"),
                             bitwise_equal=False, error=repr(exc)[:300]))
            print(f"{name}: FAILED {exc!r}", flush=True)
        finally:
            triton_autopipe.disable()
            # after every case: what a time limit cuts off later is not lost
            _write_csv(out / "fla-kernels.csv", kernel_rows)
            _write_csv(out / "fla-compiled.csv", _dump_kernels(out, names))
    return rows


def _write_csv(path: Path, rows: list[dict]) -> None:
    if rows:
        with open(path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("."))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-variants", action="store_true", help="Triton and ours only (no diagnostics)")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = measure(args.rounds, args.out, variants=not args.no_variants, only=args.only)
    fields: list[str] = []
    for r in rows:
        fields += [k for k in r if k not in fields]
    with open(args.out / "fla.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    ok = [r["ratio"] for r in rows if not math.isnan(r["ratio"])]
    if ok:
        print(f"geomean ours/Triton speed: {math.exp(sum(map(math.log, ok)) / len(ok)):.3f}x; "
              f"below 0.97x: {[r['case'] for r in rows if r['ratio'] < 0.97]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
