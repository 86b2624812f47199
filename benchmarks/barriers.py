"""CTA barriers per loop iteration in the machine code, ours vs Triton's pipeline, for every corpus kernel (CPU).

A barrier is ``bar.sync`` / ``barrier.sync`` / ``bar.arrive`` / ``barrier.arrive`` in PTX (CUDA; named barriers
included) and ``s_barrier`` in AMDGCN (HIP). A loop is a backward branch to an earlier label; its barriers are
those between the label and the branch (an inner loop's count is also in the enclosing loop's). The two pipelines are compared
on their hottest loop, the one with the most barriers (LLVM unrolls, peels or splits loops differently in the
two, so the per-loop lists are shown, not matched).
Issue #17's bar: never more barriers per iteration than Triton's pipeline, fewer on attention.

The ``membar`` column is ``autopipe-insert-barriers``' proof, run where Triton's Membar runs (the TTGIR of
``make_llir`` right before ``scf-to-cf``): per loop our passes handled, how many CTA barriers Membar adds there
(the bar: 0 once our barrier pass places them).

    python -m benchmarks barriers --out /tmp/bars            # every corpus kernel, every target it is for
    python -m benchmarks barriers --only attn_desc --targets cuda:90
"""
from __future__ import annotations

import argparse
import contextlib
import json
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: Barrier instructions, per assembly language.
BARRIERS = {
    "ptx": re.compile(r"^\s*(?:@!?%p\d+\s+)?(?:bar|barrier)\.(?:sync|arrive)\b"),
    "amdgcn": re.compile(r"^\s*s_barrier\b"),
}
_LABEL = {"ptx": re.compile(r"^\$(L__BB\d+_\d+):"), "amdgcn": re.compile(r"^(\.LBB\d+_\d+):")}
_BRANCH = {"ptx": re.compile(r"\bbra(?:\.uni)?\s+\$(L__BB\d+_\d+);"),
           "amdgcn": re.compile(r"^\s*s_(?:cbranch_\w+|branch)\s+(\.LBB\d+_\d+)")}


@dataclass
class Loop:
    """One loop of the machine code: its label, size in lines and barriers per iteration."""

    label: str
    lines: int
    barriers: int


def loops(asm: str, language: str) -> list[Loop]:
    """The loops of ``asm`` (``language`` "ptx" or "amdgcn"), outermost first where they nest.

    >>> loops("$L__BB0_1:\\n bar.sync 0;\\n @%p1 bra $L__BB0_1;\\n", "ptx")
    [Loop(label='L__BB0_1', lines=3, barriers=1)]
    """
    lines = asm.splitlines()
    labels: dict[str, int] = {}
    found: list[tuple[int, Loop]] = []
    for i, line in enumerate(lines):
        if m := _LABEL[language].match(line):
            labels[m.group(1)] = i
        m = _BRANCH[language].search(line)
        if m and m.group(1) in labels:
            start = labels[m.group(1)]
            body = lines[start:i + 1]
            found.append((start, Loop(m.group(1), len(body),
                                      sum(bool(BARRIERS[language].match(x)) for x in body))))
    # One entry per label (the last backward branch to it closes the loop).
    by_label: dict[str, tuple[int, Loop]] = {}
    for start, loop in found:
        if loop.label not in by_label or loop.lines > by_label[loop.label][1].lines:
            by_label[loop.label] = (start, loop)
    return [loop for _, loop in sorted(by_label.values(), key=lambda t: t[0])]


@dataclass
class Row:
    """Barriers per iteration of each loop of one kernel on one target, ours and Triton's."""

    kernel: str
    target: str
    triton: list[int] = field(default_factory=list)
    ours: list[int] = field(default_factory=list)
    #: Per loop our passes handled: the CTA barriers Triton's Membar adds in it (autopipe-insert-barriers' proof).
    membar: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def more(self) -> bool:
        """Ours has more barriers than Triton's in its hottest loop (the one with the most barriers: the
        per-loop lists differ in length where LLVM unrolls, peels or splits a loop in one of them)."""
        return max(self.ours, default=0) > max(self.triton, default=0)

    @property
    def fewer(self) -> bool:
        return max(self.ours, default=0) < max(self.triton, default=0)


_PROOF = re.compile(r"^autopipe-insert-barriers: loop at .*?: Membar adds (\d+) CTA barrier", re.M)


@contextlib.contextmanager
def membar_proof(report: Path, link_counters: bool = False):
    """While active, every ``make_llir`` runs ``autopipe-insert-barriers`` (prove) right before ``scf-to-cf``,
    appending its report to ``report`` (with ``link_counters``, after linking the slot counters, which changes
    the code); the compile cache is bypassed (a cached kernel runs no passes)."""
    import triton
    from triton._C.libtriton import passes
    from triton_autopipe import plugin

    original = passes.convert.add_scf_to_cf

    def add_scf_to_cf(pm: Any) -> None:
        plugin.add_pass(pm, plugin.INSERT_BARRIERS,
                        {"remarks": False, "output": str(report), "link-counters": link_counters})
        original(pm)

    passes.convert.add_scf_to_cf = add_scf_to_cf
    always = triton.knobs.compilation.always_compile
    triton.knobs.compilation.always_compile = True
    try:
        yield
    finally:
        passes.convert.add_scf_to_cf = original
        triton.knobs.compilation.always_compile = always


def proof_counts(text: str) -> list[int]:
    """Membar's barriers per loop from the proof's report.

    >>> proof_counts("autopipe-insert-barriers: loop at k.py:3:5: Membar adds 2 CTA barrier(s) in it: ...\\n")
    [2]
    """
    return [int(m.group(1)) for m in _PROOF.finditer(text)]


def count(entry: Any, target: str, link_counters: bool = False) -> Row:
    """Compile ``entry`` for ``target`` with Triton's pipeline and with ours (``link_counters``: with
    ``autopipe-insert-barriers{link-counters=true}`` in ``make_llir``); count barriers per loop."""
    import triton
    from triton_autopipe.decorator import settings_scope

    from .kernels.corpus import TARGETS

    language = "ptx" if target.startswith("cuda") else "amdgcn"
    row = Row(entry.name, target)
    try:
        theirs = triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))
        with tempfile.TemporaryDirectory() as tmp, settings_scope():
            report = Path(tmp) / "proof.txt"
            with membar_proof(report, link_counters):
                ours = triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))
            row.membar = proof_counts(report.read_text() if report.exists() else "")
    except Exception as exc:  # noqa: BLE001 - reported in the row
        row.error = f"{type(exc).__name__}: {str(exc)[:200]}"
        return row
    row.triton = [lp.barriers for lp in loops(theirs.asm[language], language)]
    row.ours = [lp.barriers for lp in loops(ours.asm[language], language)]
    return row


def run(only: str = "", targets: tuple[str, ...] = (), link_counters: bool = False) -> list[Row]:
    """Every corpus kernel whose name contains ``only``, on each of its targets (or those of ``targets``)."""
    from .kernels.corpus import corpus

    rows = []
    for entry in corpus():
        if only not in entry.name:
            continue
        for target in entry.targets:
            if not targets or target in targets:
                rows.append(count(entry, target, link_counters))
    return rows


def table(rows: list[Row]) -> str:
    """Markdown: barriers per iteration of each loop, Triton's and ours."""
    out = ["| kernel | target | Triton (hottest loop) | ours (hottest loop) | | Triton (loops) | ours (loops) "
           "| Membar adds in our loops |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        verdict = r.error or ("MORE" if r.more else "fewer" if r.fewer else "same")
        out.append(f"| {r.kernel} | {r.target} | {max(r.triton, default=0)} | {max(r.ours, default=0)} | {verdict} "
                   f"| {_short(r.triton)} | {_short(r.ours)} | {r.membar} |")
    more = [f"{r.kernel}/{r.target}" for r in rows if r.more]
    out.append("")
    out.append(f"{len(rows)} kernel/target pairs: {sum(r.fewer for r in rows)} with fewer barriers than Triton's, "
               f"{len(more)} with more{': ' + ', '.join(more) if more else ''}. Membar adds "
               f"{sum(sum(r.membar) for r in rows)} barriers in the {sum(len(r.membar) for r in rows)} loops our "
               "passes handled (autopipe-insert-barriers' proof; 0 once our barrier pass places them).")
    return "\n".join(out)


def _short(counts: list[int]) -> str:
    """The loops that have barriers (and how many have none)."""
    some = [c for c in counts if c]
    return f"{some}" + (f" +{len(counts) - len(some)} without" if len(some) < len(counts) else "")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="write barriers.md and barriers.json here")
    parser.add_argument("--only", default="", help="kernels whose corpus name contains this")
    parser.add_argument("--targets", nargs="*", default=[], help="e.g. cuda:90 hip:gfx950 (default: all)")
    parser.add_argument("--link-counters", action="store_true",
                        help="ours with autopipe-insert-barriers{link-counters=true} in make_llir (not in the hook yet)")


def execute(args: argparse.Namespace) -> int:
    rows = run(args.only, tuple(args.targets), args.link_counters)
    text = table(rows)
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "barriers.md").write_text(text + "\n")
        (args.out / "barriers.json").write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 1 if any(r.error for r in rows) else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    raise SystemExit(execute(parser.parse_args()))
