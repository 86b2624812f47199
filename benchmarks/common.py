"""Pieces shared by the GPU benchmarks: command-line options, run metadata, pipeline list.

Example::

    parser = argparse.ArgumentParser(); add_common_args(parser)
    args = parser.parse_args(["--quick"])
    pipelines = pipelines_for(args)   # [no-pipe, triton, autopipe...] (autopipe only when usable)
"""
from __future__ import annotations

import argparse
import datetime
import platform
from pathlib import Path
from typing import Any

from .pipelines import NOPIPE, TRITON, Pipeline, autopipe_pipelines, autopipe_status, parse_variant

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="one shape per family, shorter timing (< 3 min)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="directory for .json/.md/.png (default %(default)s)")
    parser.add_argument("--rep-ms", type=int, default=None, help="do_bench rep in ms (default 100; quick 50)")
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds per variant (default 2)")
    parser.add_argument("--no-autopipe", action="store_true", help="skip the autopipe variants")
    parser.add_argument("--autopipe-variant", action="append", default=[], metavar="NAME[:k=v,...]",
                        help="extra autopipe variant: enable(**kwargs) under this name (repeatable)")


def pipelines_for(args: argparse.Namespace) -> list[Pipeline]:
    """Pipelines to compare, in table order."""
    extra = [parse_variant(v) for v in args.autopipe_variant]
    ap = [] if args.no_autopipe else autopipe_pipelines(extra)
    return [NOPIPE, TRITON, *ap]


def rep_ms(args: argparse.Namespace) -> int:
    return args.rep_ms if args.rep_ms is not None else (50 if args.quick else 100)


def run_meta(args: argparse.Namespace) -> dict[str, Any]:
    """Where and how this run happened (goes into the JSON and table captions)."""
    import torch
    import triton

    ok, reason = autopipe_status()
    if args.no_autopipe:
        ap = "skipped (--no-autopipe)"
    else:
        ap = "enabled variants measured" if ok else f"unavailable ({reason})"
    return {
        "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU",
        "capability": list(torch.cuda.get_device_capability()) if torch.cuda.is_available() else None,
        "triton": triton.__version__,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "mode": "quick" if args.quick else "full",
        "rounds": getattr(args, "rounds", 2),
        "autopipe": ap,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
