"""Compile-time benchmark: the ``make_ttgir`` stage with Triton's passes vs ours, per corpus kernel.

Compiles every (corpus entry, target) with ``triton.compile`` (no GPU needed),
with the disk cache bypassed, under Triton's pipeline and under each usable
autopipe variant, ``--repeat`` times each, interleaved. Stage times come from
Triton's own compilation listener (``knobs.compilation.listener``), so the
"ttgir" figure is exactly the ``make_ttgir`` stage (or its autopipe
replacement) and "total" the whole compile.

Run (CPU or GPU machine)::

    python -m benchmarks.compile_time                       # all targets, 3 repeats
    python -m benchmarks.compile_time --targets cuda:90 --repeat 5
"""
from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
from pathlib import Path
from typing import Any, Callable

import triton
from triton import knobs

from .common import DEFAULT_OUT
from .kernels.corpus import ALL_TARGETS, TARGETS, corpus
from .pipelines import TRITON, Pipeline, autopipe_pipelines, autopipe_status, parse_variant, use


def _compile_times(entry: Any, target: str, pipeline: Pipeline) -> dict[str, float]:
    """Stage times (ms) of one real compile: {"ttir": .., "ttgir": .., ..., "total": ..}."""
    seen: dict[str, Any] = {}

    def listener(*, src: Any, metadata: Any, metadata_group: Any, times: Any, cache_hit: bool) -> None:
        seen["times"], seen["hit"] = times, cache_hit

    old_listener, old_always = knobs.compilation.listener, knobs.compilation.always_compile
    knobs.compilation.listener, knobs.compilation.always_compile = listener, True
    try:
        with use(pipeline):
            triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))
    finally:
        knobs.compilation.listener, knobs.compilation.always_compile = old_listener, old_always
    times = seen["times"]
    assert not seen["hit"], "cache hit despite always_compile"
    out = {name: us / 1000.0 for name, us in times.lowering_stages}
    out["total"] = times.total / 1000.0
    return out


def measure(targets: tuple[str, ...], pipelines: list[Pipeline], repeat: int,
            log: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """One record per (entry, target, pipeline) with the median and all samples of each stage."""
    records = []
    for entry in corpus():
        for target in (t for t in entry.targets if t in targets):
            samples: dict[str, list[dict[str, float]]] = {p.name: [] for p in pipelines}
            error: dict[str, str] = {}
            for _ in range(repeat):
                for p in pipelines:
                    if p.name in error:
                        continue
                    try:
                        samples[p.name].append(_compile_times(entry, target, p))
                    except Exception as exc:
                        error[p.name] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            for p in pipelines:
                s = samples[p.name]
                rec = {"kernel": entry.name, "target": target, "pipeline": p.name, "error": error.get(p.name, ""),
                       "samples": s}
                for stage in ("ttgir", "total"):
                    rec[f"{stage}_ms"] = statistics.median(x[stage] for x in s) if s else float("nan")
                records.append(rec)
                log(f"{entry.name:45s} {target:11s} {p.name:9s} ttgir {rec['ttgir_ms']:8.1f} ms  "
                    f"total {rec['total_ms']:8.1f} ms {rec['error']}")
    return records


def markdown(records: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """Table: per kernel and target, median make_ttgir and total ms per pipeline, ratio to Triton's."""
    pipelines = list(dict.fromkeys(r["pipeline"] for r in records))
    others = [p for p in pipelines if p != "triton"]
    cols = ["kernel", "target", "ttgir triton (ms)"]
    for p in others:
        cols += [f"ttgir {p} (ms)", f"{p} ÷ triton"]
    cols += ["total triton (ms)"] + [f"total {p} (ms)" for p in others]
    head = "| " + " | ".join(cols) + " |"
    lines = ["### Compile time (median of repeats)", "",
             f"{meta['host']}; Triton {meta['triton']}; {meta['repeat']} repeats; autopipe: {meta['autopipe']}.", "",
             head, "|" + "---|" * len(cols)]
    keyed = {(r["kernel"], r["target"], r["pipeline"]): r for r in records}
    for kernel, target in dict.fromkeys((r["kernel"], r["target"]) for r in records):
        base = keyed[(kernel, target, "triton")]
        cells = [kernel, target, f"{base['ttgir_ms']:.1f}"]
        for p in others:
            r = keyed[(kernel, target, p)]
            ratio = r["ttgir_ms"] / base["ttgir_ms"] if base["ttgir_ms"] else float("nan")
            cells += [f"{r['ttgir_ms']:.1f}" if not r["error"] else f"**{r['error'][:60]}**", f"{ratio:.2f}"]
        cells.append(f"{base['total_ms']:.1f}")
        cells += [f"{keyed[(kernel, target, p)]['total_ms']:.1f}" for p in others]
        lines.append("| " + " | ".join(cells) + " |")
    sums = {p: sum(r["ttgir_ms"] for r in records if r["pipeline"] == p and not r["error"]) for p in pipelines}
    lines += ["", "Sum of make_ttgir medians: " + ", ".join(f"{p} {v:.0f} ms" for p, v in sums.items())]
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m benchmarks compile-time``."""
    parser.add_argument("--targets", nargs="+", default=list(ALL_TARGETS), choices=list(ALL_TARGETS),
                        help="targets to compile for (default: all)")
    parser.add_argument("--repeat", type=int, default=3, help="compiles per kernel and pipeline (default %(default)s)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="directory for compile_time.json/.md")
    parser.add_argument("--no-autopipe", action="store_true", help="time Triton's pipeline only")
    parser.add_argument("--autopipe-variant", action="append", default=[], metavar="NAME[:k=v,...]",
                        help="extra autopipe variant: enable(**kwargs) under this name (repeatable)")


def execute(args: argparse.Namespace) -> int:
    """Time every corpus kernel, write compile_time.json/.md under ``args.out``; 1 if a compile failed."""
    ok, reason = autopipe_status()
    extra = [parse_variant(v) for v in args.autopipe_variant]
    pipelines = [TRITON, *([] if args.no_autopipe else autopipe_pipelines(extra))]
    meta = {"host": f"{platform.node()} ({platform.processor() or platform.machine()})", "triton": triton.__version__,
            "python": platform.python_version(), "repeat": args.repeat,
            "autopipe": "skipped" if args.no_autopipe else ("measured" if ok else f"unavailable ({reason})"),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    records = measure(tuple(args.targets), pipelines, args.repeat)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "compile_time.json").write_text(json.dumps({"meta": meta, "records": records}, indent=1))
    md = markdown(records, meta)
    (out / "compile_time.md").write_text(md)
    print(md)
    print("wrote", out / "compile_time.json", out / "compile_time.md")
    return 0 if not any(r["error"] for r in records) else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.compile_time [options]`` (the same as ``python -m benchmarks compile-time``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compile_time", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return execute(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
