"""Measure variants of one problem: numerics first, then each timed twice, interleaved.

A benchmark module (``gemm``, ``attention``) describes each problem as a list
of :class:`Variant` (a name, a function that launches once into a NaN-filled
output, and the FLOPs). :func:`measure_problem` then, for each variant, runs it
once and compares the output with a reference (the first launch also compiles),
and times every variant that passed with ``triton.testing.do_bench`` (median,
L2 flushed) in two rounds: round 1 over all variants, then round 2 in the
reverse order. Both figures are kept.

Example (on a GPU)::

    rows = measure_problem("gemm", "4096^3 fp16", variants, reference=ref, rtol=1e-2, rep_ms=100)
"""
from __future__ import annotations

import contextlib
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from .pipelines import Pipeline, stages_hook_key, use


@dataclass
class Variant:
    """One way to compute a problem.

    ``run()`` launches once and returns ``(output, compiled_kernel_or_None)``;
    the harness calls it (to check and to time) inside ``use(pipeline)``, so the
    JIT picks the binary of that pipeline. ``pipeline`` is None for a library
    call (cuBLAS, SDPA), named by ``library``.
    """

    kernel: str
    pipeline: Pipeline | None
    run: Callable[[], tuple[Any, Any]]
    flops: float
    library: str = ""
    out: Any = None

    @property
    def pipeline_name(self) -> str:
        return self.pipeline.name if self.pipeline is not None else self.library

    def active(self) -> contextlib.AbstractContextManager[Any]:
        """Context in which to launch: the pipeline's, or nothing for a library."""
        return use(self.pipeline) if self.pipeline is not None else contextlib.nullcontext()


@dataclass
class Row:
    """Result of one variant on one problem (what goes to JSON and the tables)."""

    bench: str
    problem: str
    kernel: str
    pipeline: str
    flops: float
    is_library: bool = False
    ok: bool = False
    rel_err: float = float("nan")
    error: str = ""
    ms: list[float] = field(default_factory=list)
    tflops: list[float] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def mean_tflops(self) -> float:
        """Mean of the timed rounds (NaN when not timed)."""
        return sum(self.tflops) / len(self.tflops) if self.tflops else float("nan")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def rel_error(out: Any, ref: Any) -> float:
    """``||out - ref|| / ||ref||`` in float64; NaN anywhere in ``out`` gives inf.

    >>> import torch
    >>> rel_error(torch.ones(4), torch.ones(4))
    0.0
    """
    import torch

    o = out.double()
    if torch.isnan(o).any():
        return math.inf
    r = ref.double()
    return float(torch.linalg.vector_norm(o - r) / torch.linalg.vector_norm(r))


_LOC = re.compile(r"\s*loc\([^\n]*|^#loc.*$", re.M)


def strip_locations(ir: str) -> str:
    """TTGIR text without ``loc(...)`` annotations and ``#loc`` lines (for equality checks)."""
    return _LOC.sub("", ir)


def kernel_info(compiled: Any) -> dict[str, Any]:
    """What a compiled Triton kernel tells about itself (stages, shared memory, registers, hash)."""
    if compiled is None:
        return {}
    md = compiled.metadata
    info = {"hash": getattr(compiled, "hash", None), "num_stages": getattr(md, "num_stages", None),
            "num_warps": getattr(md, "num_warps", None), "shared_bytes": getattr(md, "shared", None),
            "n_regs": getattr(compiled, "n_regs", None), "n_spills": getattr(compiled, "n_spills", None)}
    return info


def measure_problem(bench: str, problem: str, variants: list[Variant], reference: Any, rtol: float,
                    rep_ms: int, warmup_ms: int = 25, rounds: int = 2, log: Callable[[str], None] = print) -> list[Row]:
    """Check every variant against ``reference`` (relative norm error <= rtol), then time the good ones."""
    import torch
    from triton.testing import do_bench

    rows = [Row(bench, problem, v.kernel, v.pipeline_name, v.flops, bool(v.library)) for v in variants]
    ttgir_by_kernel: dict[str, tuple[str, Any, Any]] = {}
    for v, row in zip(variants, rows):
        try:
            if v.out is not None:
                v.out.fill_(float("nan"))
            with v.active():
                out, compiled = v.run()
                hook = stages_hook_key() if v.pipeline is not None else None
            torch.cuda.synchronize()
            row.rel_err = rel_error(out, reference)
            row.ok = row.rel_err <= rtol
            if not row.ok:
                row.error = f"relative error {row.rel_err:.3g} > {rtol:g}"
            row.info = kernel_info(compiled)
            if v.pipeline is not None:
                row.info["stages_hook"] = hook
            if compiled is not None:
                ttgir = strip_locations(compiled.asm.get("ttgir", ""))
                binary = compiled.asm.get("cubin", compiled.asm.get("hsaco", b""))
                if row.pipeline == "triton":
                    ttgir_by_kernel[v.kernel] = (ttgir, row.info.get("hash"), binary)
                elif v.pipeline is not None and v.pipeline.autopipe and v.kernel in ttgir_by_kernel:
                    base_ttgir, base_hash, base_binary = ttgir_by_kernel[v.kernel]
                    row.info["ttgir_same_as_triton"] = ttgir == base_ttgir
                    row.info["machine_code_same_as_triton"] = binary == base_binary
                    row.info["binary_distinct_from_triton"] = row.info.get("hash") != base_hash
            del out
        except Exception as exc:  # a variant that fails to compile or run is reported, not fatal
            row.ok = False
            row.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
        log(f"  check {row.kernel:<28} {row.pipeline:<10} rel_err={row.rel_err:.2e} "
            f"{'ok' if row.ok else 'FAIL ' + row.error}")

    for rnd in range(rounds):
        # Alternate the order (A B C, C B A, ...) so a slow drift of the clock
        # does not favour the variants timed first.
        order = list(zip(variants, rows))
        for v, row in (order if rnd % 2 == 0 else order[::-1]):
            if not row.ok:
                continue
            with v.active():
                ms = do_bench(v.run, warmup=warmup_ms, rep=rep_ms, return_mode="median")
            row.ms.append(ms)
            row.tflops.append(v.flops / (ms * 1e-3) / 1e12)
    for row in rows:
        if row.tflops:
            log(f"  time  {row.kernel:<28} {row.pipeline:<10} " + " / ".join(f"{t:7.1f}" for t in row.tflops) +
                " TFLOPS")
    return rows
