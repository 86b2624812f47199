"""One entry point for the benchmarks: ``python -m benchmarks COMMAND [options]``.

* ``gemm`` / ``attention``: the GPU benchmarks (see ``benchmarks/gemm.py``, ``benchmarks/attention.py``).
* ``all``: both GPU benchmarks in one process, one combined markdown file ``results.md``.
* ``compile-time``: ``make_ttgir`` time with and without autopipe (CPU is enough).
* ``barriers``: CTA barriers per loop iteration in PTX / AMDGCN, ours vs Triton's (CPU is enough).
* ``sweep {attention,gemm}``: block-config sweep under Triton's pipeline (to choose ``BENCH_*`` configs).
* ``racecheck``: small runs for ``compute-sanitizer --tool racecheck``.
* ``plot FILE.json``: redraw the PNG bar chart of a benchmark JSON (e.g. after a device run
  on a machine without matplotlib).

``python -m benchmarks COMMAND --help`` lists a command's options. Only the chosen
command's module is imported, so ``--help`` needs neither a GPU nor torch.

Example::

    python -m benchmarks all --quick --out /tmp/bench
"""
from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

Execute = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    """A subcommand: its one-line help and the module (under ``benchmarks``) that defines
    ``add_arguments(parser)`` and ``execute(args) -> int``; ``None`` for the ones below."""

    help: str
    module: str | None


COMMANDS: dict[str, Command] = {
    "gemm": Command("GEMM TFLOPS: corpus GEMMs under each pipeline vs cuBLAS (GPU)", "gemm"),
    "attention": Command("attention forward TFLOPS under each pipeline vs SDPA (GPU)", "attention"),
    "all": Command("gemm and attention in one process, plus OUT/results.md (GPU)", None),
    "compile-time": Command("make_ttgir time with Triton's passes vs ours (CPU is enough)", "compile_time"),
    "barriers": Command("CTA barriers per loop iteration, ours vs Triton, every corpus kernel (CPU)", "barriers"),
    "sweep": Command("block-config sweep under Triton's pipeline (GPU)", "sweep"),
    "racecheck": Command("small runs for compute-sanitizer --tool racecheck (GPU)", "racecheck"),
    "plot": Command("redraw the PNG bar chart of benchmark JSON files", None),
}


def _add_all_arguments(parser: argparse.ArgumentParser) -> None:
    from .common import add_common_args

    add_common_args(parser)


def _execute_all(args: argparse.Namespace) -> int:
    from . import attention, gemm
    from .report import write_all

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


def _add_plot_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("json", nargs="+", help="benchmark JSON files (the PNG is written beside each)")


def _execute_plot(args: argparse.Namespace) -> int:
    from .report import bar_chart, read_json

    for path in map(Path, args.json):
        rows, meta = read_json(path)
        title = "GEMM TFLOPS" if rows and rows[0].bench == "gemm" else "Attention forward TFLOPS"
        if not bar_chart(rows, meta, path.with_suffix(".png"), title):
            print("matplotlib is not installed", file=sys.stderr)
            return 1
        print("wrote", path.with_suffix(".png"))
    return 0


_LOCAL: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Execute]] = {
    "all": (_add_all_arguments, _execute_all),
    "plot": (_add_plot_arguments, _execute_plot),
}


def _define(name: str, parser: argparse.ArgumentParser) -> Execute:
    """Add command ``name``'s options to ``parser`` (importing its module) and return its runner."""
    module = COMMANDS[name].module
    if module is None:
        add, execute = _LOCAL[name]
    else:
        mod = importlib.import_module(f"{__package__ or 'benchmarks'}.{module}")
        add, execute = mod.add_arguments, mod.execute
    add(parser)
    return execute


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser; only ``command``'s subparser gets its options (the others are
    listed by name and help, so that building the parser imports nothing heavy).

    >>> build_parser("plot").parse_args(["plot", "a.json"]).json
    ['a.json']
    """
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="triton-autopipe's benchmarks: one subcommand each.",
                                     epilog="python -m benchmarks COMMAND --help lists a command's options.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        if name == command:
            p.set_defaults(execute=_define(name, p))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default: the command line) and run the chosen command; its exit status.
    Usage errors (no or unknown command, bad option) exit 2 with argparse's message."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    return int(args.execute(args))


if __name__ == "__main__":
    sys.exit(main())
