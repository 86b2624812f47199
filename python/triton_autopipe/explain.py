"""``python -m triton_autopipe explain``: what our passes do to a kernel's loops, as a table and a picture.

Compiles one ``@triton.jit`` kernel on the CPU (no GPU) for a target with our passes and ``explain`` on,
prints each decision with its reason and per loop the schedule table (op, source line, stage, cluster), and
writes a picture of the pipelined loop per loop (``loop<N>.svg`` / ``.png``: kernel iterations across,
stages down, each cell the ops of one source iteration, so the prologue, the steady state and the drain
show). ::

    python -m triton_autopipe explain benchmarks/kernels/gemm.py::gemm_kernel --target cuda:90 \\
        --signature a_ptr=*fp16,b_ptr=*fp16,c_ptr=*fp16 --constexprs BLOCK_M=128,BLOCK_N=128,BLOCK_K=64 \\
        --num-warps 8 --num-stages 3 --out /tmp/explain

Pointers are taken as 16-byte aligned and the ints named in ``--aligned`` as divisible by 16 (what Triton's
JIT sees for aligned tensors); other arguments not in ``--signature`` or ``--constexprs`` are ``i32``.
"""
from __future__ import annotations

import argparse
import ast
import dataclasses
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

TARGETS = {"cuda:80": ("cuda", 80, 32), "cuda:90": ("cuda", 90, 32), "hip:gfx942": ("hip", "gfx942", 64),
           "hip:gfx950": ("hip", "gfx950", 64)}

_HEADER = re.compile(r"^autopipe schedule of loop #(\d+) in @(\S+) at (.+?): (\d+) stage\(s\)")
_OP = re.compile(r"^\s+stage (\d+) cluster (\d+)\s+(\S+)\s+\((.*)\)\s*$")
_DECISION = re.compile(r"^(autopipe-[\w-]+): (.*)$")


@dataclasses.dataclass
class ScheduledOp:
    """One op of a scheduled loop body, in body order."""

    name: str
    stage: int
    cluster: int
    location: str

    @property
    def line(self) -> str:
        """``file:line`` of the op (its first location)."""
        m = re.search(r"([^/\s()]+\.py):(\d+)", self.location)
        return f"{m.group(1)}:{m.group(2)}" if m else self.location


@dataclasses.dataclass
class LoopSchedule:
    """The schedule of one loop as ``autopipe-print-schedule`` reports it."""

    index: int
    function: str
    location: str
    stages: int
    ops: list[ScheduledOp] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Report:
    """What the passes said about a module: the decisions (pass, text) and the loop schedules."""

    decisions: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    loops: list[LoopSchedule] = dataclasses.field(default_factory=list)


def parse_report(text: str) -> Report:
    """Parse the passes' text report (``explain``).

    >>> r = parse_report("autopipe-schedule-loops: loop at k.py:3:5: default schedule\\n"
    ...                  "autopipe schedule of loop #0 in @k at k.py:3:5: 2 stage(s) (x), 1 cluster(s), 2 op(s)\\n"
    ...                  "  stage 0 cluster 0  tt.load  (k.py:4:9)\\n  stage 1 cluster 0  tt.dot  (k.py:5:9)\\n")
    >>> r.decisions[0][0], r.loops[0].stages, [(o.name, o.stage, o.line) for o in r.loops[0].ops]
    ('autopipe-schedule-loops', 2, [('tt.load', 0, 'k.py:4'), ('tt.dot', 1, 'k.py:5')])
    """
    report = Report()
    current: Optional[LoopSchedule] = None
    for line in text.splitlines():
        if m := _HEADER.match(line):
            current = LoopSchedule(int(m.group(1)), m.group(2), m.group(3), int(m.group(4)))
            report.loops.append(current)
        elif current is not None and (m := _OP.match(line)):
            current.ops.append(ScheduledOp(m.group(3), int(m.group(1)), int(m.group(2)), m.group(4)))
        elif m := _DECISION.match(line):
            current = None
            report.decisions.append((m.group(1), m.group(2)))
    return report


_BUFFER = re.compile(r"load at [^\s]*?([^/\s]+\.py):(\d+):\d+[^;]*?: (\d+) slot\(s\) [^;]*?, stage \d+ -> \d+ "
                     r"\(([^)]*)\)")


def buffers(report: Report) -> dict[str, str]:
    """``file:line`` of each load in circular buffers -> "N slots, kind" (from ``autopipe-allocate-buffers``).

    >>> r = Report(decisions=[("autopipe-allocate-buffers", "loop at k.py:3:5: 1 load(s) in circular buffers: "
    ...            "load at /a/k.py:4:9: 3 slot(s) !ttg.memdesc<3x64xf16>, stage 0 -> 2 (async copy, local_load)")])
    >>> buffers(r)
    {'k.py:4': '3 slots, async copy, local_load'}
    """
    out = {}
    for name, text in report.decisions:
        if name == "autopipe-allocate-buffers":
            for m in _BUFFER.finditer(text):
                out[f"{m.group(1)}:{m.group(2)}"] = f"{m.group(3)} slots, {m.group(4)}"
    return out


_BUFFER_OPS = ("ttg.async_copy_global_to_local", "ttng.async_tma_copy_global_to_local", "ttg.local_store",
               "ttg.async_wait", "ttng.wait_barrier", "tt.load", "tt.descriptor_load")


def table(loop: LoopSchedule, slots: Optional[dict[str, str]] = None) -> str:
    """The schedule table of one loop (op, source line, stage, cluster, and for the copies and waits of a
    load in circular buffers its slots and copy kind), in body order."""
    slots = slots or {}
    width = max([len(o.name) for o in loop.ops] + [2])
    lines = [f"loop #{loop.index} in @{loop.function} at {loop.location}: {loop.stages} stage(s)",
             f"  {'op':{width}}  {'source':24}  stage  cluster  buffer"]
    for o in loop.ops:
        buffer = slots.get(o.line, "") if o.name in _BUFFER_OPS else ""
        lines.append(f"  {o.name:{width}}  {o.line:24}  {o.stage:5}  {o.cluster:7}  {buffer}".rstrip())
    return "\n".join(lines)


def _short(op: ScheduledOp) -> str:
    name = op.name.split(".", 1)[-1]
    return f"{name} {op.line.rsplit(':', 1)[-1]}"


def draw(loop: LoopSchedule, out: Path, iterations: int = 4) -> list[Path]:
    """Picture of the pipelined loop: kernel iterations (time) across, stages down; the cell of stage s at
    time t runs stage s of source iteration t - s (its ops, by name and source line). Writes SVG and PNG."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: the SVG names every op
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    stages = max(loop.stages, 1)
    steps = iterations + stages - 1
    by_stage: dict[int, list[str]] = {}
    for op in loop.ops:
        if op.name.startswith(("arith.", "scf.")):
            continue  # counters and bookkeeping: the picture shows the work
        by_stage.setdefault(op.stage, []).append(_short(op))
    rows = max(max((len(v) for v in by_stage.values()), default=1), 1)
    fig, ax = plt.subplots(figsize=(2.3 * steps + 1.2, (0.22 * rows + 0.5) * stages + 1.2))
    colors = plt.get_cmap("tab10")
    for t in range(steps):
        for s in range(stages):
            i = t - s
            if not 0 <= i < iterations:
                continue
            ax.add_patch(Rectangle((t, stages - 1 - s), 0.95, 0.92, facecolor=colors(i % 10), alpha=0.25,
                                   edgecolor="black", linewidth=0.6))
            ops = by_stage.get(s, [])
            label = f"iter {i}\n" + "\n".join(ops[:12]) + ("\n..." if len(ops) > 12 else "")
            ax.text(t + 0.04, stages - 1 - s + 0.88, label, fontsize=6, va="top", family="monospace")
    ax.set_xlim(0, steps)
    ax.set_ylim(0, stages)
    ax.set_xticks([t + 0.475 for t in range(steps)])
    phase = ["prologue" if t < stages - 1 else "drain" if t >= iterations else "steady" for t in range(steps)]
    ax.set_xticklabels([f"t={t}\n{p}" for t, p in enumerate(phase)], fontsize=7)
    ax.set_yticks([stages - 1 - s + 0.46 for s in range(stages)])
    ax.set_yticklabels([f"stage {s}" for s in range(stages)], fontsize=8)
    ax.set_title(f"loop #{loop.index} in @{loop.function} ({loop.location}): {stages} stages", fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"loop{loop.index}.svg", out / f"loop{loop.index}.png"]
    for p in paths:
        fig.savefig(p, dpi=130 if p.suffix == ".png" else None)
    plt.close(fig)
    return paths


def _value(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _pairs(text: str, what: str) -> dict[str, str]:
    out = {}
    for item in filter(None, (x.strip() for x in text.split(","))):
        if "=" not in item:
            raise SystemExit(f"explain: {what} entries are NAME=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def load_kernel(spec: str) -> Any:
    """The JIT function named by ``path/to/file.py::name`` (through ``@auto_pipeline`` / ``@triton.autotune``
    wrappers)."""
    from triton.runtime.jit import JITFunction

    path, sep, name = spec.partition("::")
    if not sep or not name:
        raise SystemExit(f"explain: name the kernel as path/to/file.py::kernel, got {spec!r}")
    file = Path(path)
    if not file.is_file():
        raise SystemExit(f"explain: no file {file}")
    sys.path.insert(0, str(file.resolve().parent))
    module_spec = importlib.util.spec_from_file_location(f"_autopipe_explain_{file.stem}", file)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module
    module_spec.loader.exec_module(module)
    obj = getattr(module, name, None)
    for _ in range(4):
        if isinstance(obj, JITFunction) or obj is None:
            break
        obj = getattr(obj, "fn", None)
    if not isinstance(obj, JITFunction):
        raise SystemExit(f"explain: {name!r} in {file} is not a @triton.jit function")
    return obj


def source_for(fn: Any, signature: dict[str, str], constexprs: dict[str, Any], aligned: set[str]) -> Any:
    """An ``ASTSource`` specialised as Triton's JIT would for aligned tensors."""
    from triton.compiler import ASTSource

    sig: dict[str, str] = {}
    attrs: dict[tuple[int, ...], list[list[Any]]] = {}
    unknown = (set(signature) | set(constexprs) | aligned) - set(fn.arg_names)
    if unknown:
        raise SystemExit(f"explain: {sorted(unknown)} are not arguments of {fn.__name__} ({fn.arg_names})")
    for i, name in enumerate(fn.arg_names):
        if name in constexprs:
            sig[name] = "constexpr"
            continue
        sig[name] = signature.get(name, "i32")
        if sig[name].startswith("*") or name in aligned:
            attrs[(i, )] = [["tt.divisibility", 16]]
    return ASTSource(fn, sig, constexprs, attrs)


def explain(spec: str, target: str = "cuda:90", signature: str = "", constexprs: str = "", aligned: str = "",
            num_warps: int = 4, num_stages: int = 3, out: Optional[Path] = None,
            settings: Optional[dict[str, Any]] = None) -> Report:
    """Compile the kernel with ``explain`` and return (and print) the report; pictures go to ``out``."""
    import triton
    from triton.backends.compiler import GPUTarget

    from . import pipelines
    from .decorator import settings_scope

    if target not in TARGETS:
        raise SystemExit(f"explain: unknown target {target!r}; one of {list(TARGETS)}")
    fn = load_kernel(spec)
    src = source_for(fn, _pairs(signature, "--signature"),
                     {k: _value(v) for k, v in _pairs(constexprs, "--constexprs").items()},
                     set(filter(None, (x.strip() for x in aligned.split(",")))))
    fd, report_path = tempfile.mkstemp(prefix="autopipe-explain-", suffix=".txt")
    os.close(fd)
    try:
        with settings_scope(**dict(settings or {}, explain=True)), pipelines.report_to(report_path), \
                triton.knobs.compilation.scope():
            triton.knobs.compilation.always_compile = True  # a cache hit would report nothing
            triton.compile(src, target=GPUTarget(*TARGETS[target]),
                           options={"num_warps": num_warps, "num_stages": num_stages})
        report = parse_report(Path(report_path).read_text())
    finally:
        os.unlink(report_path)
    for name, text in report.decisions:
        print(f"{name}: {text}")
    slots = buffers(report)
    for loop in report.loops:
        print()
        print(table(loop, slots))
        if out is not None:
            for p in draw(loop, out):
                print(f"  picture: {p}")
    if not report.loops:
        print("explain: no loop was scheduled (see the decisions above)")
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kernel", help="path/to/file.py::kernel_name (a @triton.jit function)")
    parser.add_argument("--target", default="cuda:90", choices=list(TARGETS))
    parser.add_argument("--signature", default="", help="argument types, e.g. a_ptr=*fp16,M=i32 (default: i32; "
                        "pointers are taken as 16-byte aligned)")
    parser.add_argument("--constexprs", default="", help="constexpr values, e.g. BLOCK_M=128,EVEN=True")
    parser.add_argument("--aligned", default="", help="int arguments divisible by 16, e.g. K,stride_am")
    parser.add_argument("--num-warps", type=int, default=4)
    parser.add_argument("--num-stages", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="write loop<N>.svg and .png here")
    parser.add_argument("--settings", default="", help="our settings, e.g. schedule=attention-a,async_dots=off")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m triton_autopipe explain", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    settings = {k: _value(v) if k in ("global_to_shared_stages", "shared_to_register_stages") else v
                for k, v in _pairs(args.settings, "--settings").items()}
    report = explain(args.kernel, args.target, args.signature, args.constexprs, args.aligned, args.num_warps,
                     args.num_stages, args.out, settings)
    return 0 if report.loops or report.decisions else 1
