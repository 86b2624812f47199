"""One entry point: ``python -m benchmarks {gemm,attention,all,compile-time,plot} [options]``.

* ``gemm`` / ``attention``: the GPU benchmarks (see ``benchmarks/gemm.py``, ``benchmarks/attention.py``).
* ``all``: both GPU benchmarks in one process, one combined markdown file ``results.md``.
* ``compile-time``: ``make_ttgir`` time with and without autopipe (CPU is enough).
* ``sweep {attention,gemm}``: block-config sweep under Triton's pipeline (to choose ``BENCH_*`` configs).
* ``plot FILE.json``: redraw the PNG bar chart of a benchmark JSON (e.g. after a device run
  on a machine without matplotlib).

Example::

    python -m benchmarks all --quick --out /tmp/bench
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _all(argv: list[str]) -> int:
    from . import attention, gemm
    from .common import add_common_args
    from .report import write_all

    parser = argparse.ArgumentParser(prog="python -m benchmarks all")
    add_common_args(parser)
    args = parser.parse_args(argv)
    parts, ok = [], True
    for mod, stem, title in ((gemm, "gemm", "GEMM TFLOPS"), (attention, "attention", "Attention forward TFLOPS")):
        rows, meta = mod.run(args)
        paths = write_all(rows, meta, args.out, stem, title)
        parts.append(Path(paths["md"]).read_text())
        ok &= all(r.ok for r in rows)
    combined = "\n".join(parts)
    (Path(args.out) / "results.md").write_text(combined)
    print(combined)
    return 0 if ok else 1


def _plot(argv: list[str]) -> int:
    from .report import bar_chart, read_json

    parser = argparse.ArgumentParser(prog="python -m benchmarks plot")
    parser.add_argument("json", nargs="+")
    args = parser.parse_args(argv)
    for path in map(Path, args.json):
        rows, meta = read_json(path)
        title = "GEMM TFLOPS" if rows and rows[0].bench == "gemm" else "Attention forward TFLOPS"
        if not bar_chart(rows, meta, path.with_suffix(".png"), title):
            print("matplotlib is not installed", file=sys.stderr)
            return 1
        print("wrote", path.with_suffix(".png"))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = ("gemm", "attention", "all", "compile-time", "sweep", "plot")
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "gemm":
        from .gemm import main as run
    elif cmd == "attention":
        from .attention import main as run
    elif cmd == "compile-time":
        from .compile_time import main as run
    elif cmd == "sweep":
        from .sweep import main as run
    elif cmd == "all":
        run = _all
    else:
        run = _plot
    return run(rest)


if __name__ == "__main__":
    sys.exit(main())
