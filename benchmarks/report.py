"""Write benchmark rows as a markdown table, a JSON file and a PNG bar chart.

Ratios are paired by round: in each timed round a row's TFLOPS over the same
problem's "triton" row of the same kernel (Triton's default pipeline) or its
library row (cuBLAS or SDPA), timed in that round of the same process; the
table gives the median of those per-round ratios (with 2 rounds, their mean),
so a clock that drifts between rounds cancels out.

Example::

    from benchmarks.report import write_all
    paths = write_all(rows, meta, out_dir="benchmarks/results", stem="gemm")
    # paths == {"json": ..., "md": ..., "png": ...}  (png absent without matplotlib)

``python -m benchmarks plot results/gemm.json`` redraws the chart from the JSON.
"""
from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any

from .harness import Row


def _fmt(x: float, digits: int = 1) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _by_problem(rows: list[Row]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.problem, []).append(r)
    return groups


def paired_ratio(row: Row, base: Row | None) -> float:
    """Median over rounds of row TFLOPS / base TFLOPS in the same round (mean
    TFLOPS ratio when the round counts differ).

    >>> a, b = Row("b", "p", "k", "x", 1.0), Row("b", "p", "k", "y", 1.0)
    >>> a.tflops, b.tflops = [110.0, 90.0, 100.0], [100.0, 90.0, 100.0]
    >>> paired_ratio(a, b)
    1.0
    """
    if base is None or not base.tflops or not row.tflops:
        return float("nan")
    if len(base.tflops) != len(row.tflops):
        return row.mean_tflops() / base.mean_tflops()
    return statistics.median(t / b for t, b in zip(row.tflops, base.tflops))


def ratios(rows: list[Row]) -> dict[int, tuple[float, float]]:
    """For each row (by index): (TFLOPS / Triton default's, TFLOPS / library's), paired by round."""
    out: dict[int, tuple[float, float]] = {}
    index = {id(r): i for i, r in enumerate(rows)}
    for group in _by_problem(rows).values():
        lib = next((r for r in group if r.is_library), None)
        for r in group:
            base = next((b for b in group if b.pipeline == "triton" and b.kernel == r.kernel), None)
            if r.is_library:  # the library against each Triton kernel's default: use the first one
                base = next((b for b in group if b.pipeline == "triton"), None)
            out[index[id(r)]] = (paired_ratio(r, base), paired_ratio(r, lib))
    return out


def markdown(rows: list[Row], meta: dict[str, Any], title: str) -> str:
    """One markdown table: a row per (problem, kernel, pipeline)."""
    lib_name = next((r.pipeline for r in rows if r.is_library), "library")
    lines = [f"### {title}", "",
             f"{meta.get('device', '?')}; Triton {meta.get('triton', '?')}, torch {meta.get('torch', '?')}; "
             f"mode {meta.get('mode', '?')}; autopipe: {meta.get('autopipe', '?')}. TFLOPS from "
             f"`triton.testing.do_bench` (median), {meta.get('rounds', 2)} rounds in one process (order reversed "
             "every other round); ratios: median over rounds of the ratio within a round; TFLOPS columns: "
             "round 1, round 2 (and the median when more rounds).", "",
             f"| problem | kernel | pipeline | TFLOPS run 1 | TFLOPS run 2 | ÷ Triton default | ÷ {lib_name} | "
             "rel. err | notes |",
             "|---|---|---|---:|---:|---:|---:|---:|---|"]
    rat = ratios(rows)
    for i, r in enumerate(rows):
        t = r.tflops + [float("nan")] * (2 - len(r.tflops))
        if len(r.tflops) > 2:
            t = [t[0], t[1], statistics.median(r.tflops)]
        notes = []
        if not r.ok:
            notes.append(f"**{r.error}**")
        if "ttgir_same_as_triton" in r.info:
            notes.append("TTGIR = Triton's" if r.info["ttgir_same_as_triton"] else "TTGIR differs from Triton's")
        if "machine_code_same_as_triton" in r.info:
            notes.append("cubin = Triton's" if r.info["machine_code_same_as_triton"] else "cubin differs")
        if r.info.get("binary_distinct_from_triton") is False:
            notes.append("**same cache entry as Triton's**")
        if r.info.get("num_stages") is not None:
            notes.append(f"stages {r.info['num_stages']}")
        if r.info.get("n_regs"):
            notes.append(f"{r.info['n_regs']} regs")
        second = _fmt(t[1]) + (f" (median {_fmt(t[2])})" if len(t) > 2 else "")
        lines.append(f"| {r.problem} | {r.kernel} | {r.pipeline} | {_fmt(t[0])} | {second} | "
                     f"{_fmt(rat[i][0], 2)} | {_fmt(rat[i][1], 2)} | {r.rel_err:.1e} | "
                     f"{'; '.join(notes)} |")
    return "\n".join(lines) + "\n"


def write_json(rows: list[Row], meta: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps({"meta": meta, "rows": [r.to_json() for r in rows]}, indent=1, default=str))


def read_json(path: Path) -> tuple[list[Row], dict[str, Any]]:
    data = json.loads(Path(path).read_text())
    return [Row(**r) for r in data["rows"]], data["meta"]


def bar_chart(rows: list[Row], meta: dict[str, Any], path: Path, title: str) -> bool:
    """Grouped bars (mean TFLOPS; whiskers span the timed rounds), a group per problem.

    Returns False (and writes nothing) when matplotlib is missing.
    """
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    groups = _by_problem(rows)
    # One series per (kernel family, pipeline): "flash-attn BM128 BN64 w8" and
    # "flash-attn BM128 BN128 w8" share a colour across problems.
    family = lambda r: r.kernel.split()[0]  # noqa: E731
    series: list[tuple[str, str]] = []
    for r in rows:
        key = (family(r), r.pipeline)
        if key not in series:
            series.append(key)
    n = len(series)
    width = 0.8 / max(n, 1)
    fig, ax = plt.subplots(figsize=(min(16.0, max(8.0, 0.22 * len(groups) * n + 2)), 5))
    for j, (fam, pipeline) in enumerate(series):
        xs, ys, lo, hi = [], [], [], []
        for g, (problem, group) in enumerate(groups.items()):
            r = next((x for x in group if family(x) == fam and x.pipeline == pipeline), None)
            if r is None or not r.tflops:
                continue
            m = r.mean_tflops()
            xs.append(g + (j - (n - 1) / 2) * width)
            ys.append(m)
            lo.append(m - min(r.tflops))
            hi.append(max(r.tflops) - m)
        label = pipeline if fam == pipeline else f"{fam} · {pipeline}"
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=label)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(list(groups), rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("TFLOPS")
    ax.set_title(f"{title} — {meta.get('device', '')}", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def write_all(rows: list[Row], meta: dict[str, Any], out_dir: str | Path, stem: str, title: str) -> dict[str, str]:
    """Write ``<stem>.json``, ``<stem>.md`` and (with matplotlib) ``<stem>.png`` under ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / f"{stem}.json", "md": out / f"{stem}.md", "png": out / f"{stem}.png"}
    write_json(rows, meta, paths["json"])
    paths["md"].write_text(markdown(rows, meta, title))
    if not bar_chart(rows, meta, paths["png"], title):
        del paths["png"]
    return {k: str(v) for k, v in paths.items()}
