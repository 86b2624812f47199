"""A seeded, time-bounded mutation fuzzer for our passes, run through ``autopipe-opt``.

It mutates the lit inputs (attribute values and types, deleted / duplicated /
swapped lines, dropped attributes, layout numbers) and our passes' option
values, runs each case in a child process with a memory and time limit, and
reports every crash, out-of-memory abort and hang. A case whose input does not
parse and verify (no pass runs on it) or crashes Triton's parser is Triton's,
not ours: it is counted apart and never reported as a failure.

::

    python -m triton_autopipe.fuzz --seconds 1200 --seed 7 --out /tmp/fuzz
    python -m triton_autopipe.fuzz --seconds 60 --jobs 2   # what CI runs (test_fuzz.py)

Each failure is written to ``--out`` as ``<n>.mlir`` with the command in
``<n>.txt``; the exit status is 1 if there was one.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Optional

#: Markers of a crash in a child's output (LLVM's handlers print them).
CRASH_MARKERS = ("Stack dump:", "Assertion `", "LLVM ERROR", "UNREACHABLE executed", "PLEASE submit",
                 "autopipe-opt crashed")

#: Our passes with the options the fuzzer varies: (name, [(option, kind)]).
PASSES: list[tuple[str, list[tuple[str, str]]]] = [
    ("autopipe-print-schedule", []),
    ("autopipe-schedule-loops", [("num-stages", "int"), ("schedule", "enum:auto,default,attention-a,attention-b"),
                                 ("complete", "bool"), ("staged-loads", "bool"), ("staged-bytes", "int")]),
    ("autopipe-allocate-buffers", [("global-to-shared-stages", "int"), ("shared-limit", "int"),
                                   ("copy", "enum:auto,async,registers")]),
    ("autopipe-expand-loops", [("num-stages", "int"), ("speculate-mma", "bool"),
                               ("async-dots", "enum:auto,autopipe,triton,off")]),
    ("autopipe-double-buffer-operands", [("stages", "int"), ("k-slice", "int"), ("prefetch-next", "bool")]),
    ("autopipe-warp-pipeline-regions", [("auto-partition", "bool"), ("auto-partition-warps", "int")]),
    ("autopipe-lower-warp-pipeline", [("warps-per-group", "int")]),
    ("autopipe-insert-barriers", [("mode", "enum:prove,place")]),
]

#: Pipelines run in the hook's order (what Triton's make_ttgir runs of ours).
CHAINS = [
    ["autopipe-schedule-loops", "autopipe-allocate-buffers", "autopipe-expand-loops"],
    ["autopipe-schedule-loops", "autopipe-expand-loops", "autopipe-double-buffer-operands"],
    ["autopipe-schedule-loops", "autopipe-print-schedule", "autopipe-allocate-buffers", "autopipe-expand-loops"],
    ["autopipe-warp-pipeline-regions", "autopipe-lower-warp-pipeline"],
    ["autopipe-schedule-loops", "autopipe-allocate-buffers", "autopipe-expand-loops", "autopipe-insert-barriers"],
]

EDGE_INTS = [0, 1, 2, 3, 4, 7, 8, 31, 32, 64, 1000, -1, -2, 2**31 - 1, -2**31, 2**32, 2**63 - 1]
INT_TYPES = ["i32", "i64", "i1", "i8", "ui32", "si32", "index"]
_INT_ATTR = re.compile(r"(=\s*)(-?\d+)(\s*:\s*)(i\d+|ui\d+|si\d+|index)\b")
_ATTR_ENTRY = re.compile(r"([\w.\-\"]+)\s*=\s*(\"[^\"]*\"|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\s*:\s*\w+|\[[^\]]*\]|#[\w.<>{}\[\], =\"-]+?)(?=[,}])")
_LIST = re.compile(r"\[(\s*\d+\s*(?:,\s*\d+\s*)*)\]")


@dataclasses.dataclass
class Outcome:
    kind: str  # ok | error | crash | oom | timeout
    rc: int
    tail: str


def classify(rc: int, output: str, timed_out: bool = False) -> Outcome:
    """What a child run of autopipe-opt came to: ``ok`` (exit 0), ``error`` (a
    clean non-zero exit with diagnostics), ``crash``, ``oom`` or ``timeout``."""
    tail = output if len(output) <= 4000 else output[:2000] + "\n...\n" + output[-2000:]
    if timed_out:
        return Outcome("timeout", rc, tail)
    if "out of memory" in output or "std::bad_alloc" in output:
        return Outcome("oom", rc, tail)
    if rc < 0 or rc >= 128 or any(m in output for m in CRASH_MARKERS):
        return Outcome("crash", rc, tail)
    return Outcome("ok" if rc == 0 else "error", rc, tail)


def _limit_memory(bytes_: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (bytes_, bytes_))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_opt(opt: Path, text: str, pipeline: str, timeout: float = 20.0,
            memory: int = 3 << 30) -> Outcome:
    """Runs ``autopipe-opt -p pipeline`` on ``text`` (stdin) with limits."""
    cmd = [str(opt), "-", "-p", pipeline, "-o", os.devnull]
    try:
        proc = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limit_memory(memory), errors="replace")
    except subprocess.TimeoutExpired as exc:
        out = exc.stderr if isinstance(exc.stderr, str) else (exc.stderr or b"").decode(errors="replace")
        return classify(-9, out, timed_out=True)
    return classify(proc.returncode, proc.stderr)


def option_value(kind: str, rng: random.Random) -> str:
    if kind == "int":
        return str(rng.choice(EDGE_INTS + [rng.randint(-8, 64)]))
    if kind == "bool":
        return rng.choice(["true", "false", "1", "0", "maybe"])
    values = kind.split(":", 1)[1].split(",")
    return rng.choice(values + ["bogus", ""])


def random_pipeline(rng: random.Random) -> str:
    """One of our passes or one of the hook's chains, some options varied."""
    opts = dict(PASSES)
    names = rng.choice(CHAINS) if rng.random() < 0.4 else [rng.choice(PASSES)[0]]
    parts = []
    for name in names:
        chosen = [o for o in opts[name] if rng.random() < 0.3]
        args = " ".join(f"{o}={option_value(k, rng)}" for o, k in chosen)
        parts.append(f"{name}{{{args}}}" if args else name)
    return "builtin.module(" + ",".join(parts) + ")"


def _mutate_int(line: str, rng: random.Random) -> str:
    matches = list(_INT_ATTR.finditer(line))
    if not matches:
        return line
    m = rng.choice(matches)
    value = str(rng.choice(EDGE_INTS)) if rng.random() < 0.7 else m.group(2)
    ty = rng.choice(INT_TYPES) if rng.random() < 0.3 else m.group(4)
    return line[:m.start()] + m.group(1) + value + m.group(3) + ty + line[m.end():]


def _mutate_entry(line: str, rng: random.Random) -> str:
    matches = list(_ATTR_ENTRY.finditer(line))
    if not matches:
        return line
    m = rng.choice(matches)
    choice = rng.random()
    if choice < 0.4:  # drop the entry (and a separating comma)
        before, after = line[:m.start()], line[m.end():]
        if after.lstrip().startswith(","):
            after = after.lstrip()[1:]
        elif before.rstrip().endswith(","):
            before = before.rstrip()[:-1]
        return before + after
    replacement = rng.choice(['"x"', "1.5 : f32", "[1, 2]", "unit", "0 : ui32", "-1 : i32", "true"])
    return line[:m.start()] + m.group(1) + " = " + replacement + line[m.end():]


def _mutate_list(line: str, rng: random.Random) -> str:
    matches = list(_LIST.finditer(line))
    if not matches:
        return line
    m = rng.choice(matches)
    items = [s.strip() for s in m.group(1).split(",")]
    i = rng.randrange(len(items))
    items[i] = str(rng.choice([0, 1, 2, 3, 4, 8, 16, 64, 128]))
    return line[:m.start()] + "[" + ", ".join(items) + "]" + line[m.end():]


def mutate(text: str, rng: random.Random, count: int = 0) -> str:
    """``text`` with 1-3 random mutations (or ``count``)."""
    lines = text.split("\n")
    body = [i for i, s in enumerate(lines) if s.strip() and not s.lstrip().startswith("//")]
    if not body:
        return text
    for _ in range(count or rng.randint(1, 3)):
        op = rng.random()
        i = rng.choice(body)
        if op < 0.35:
            lines[i] = _mutate_int(lines[i], rng)
        elif op < 0.55:
            lines[i] = _mutate_entry(lines[i], rng)
        elif op < 0.65:
            lines[i] = _mutate_list(lines[i], rng)
        elif op < 0.78:
            lines[i] = ""
        elif op < 0.9:
            lines.insert(i, lines[i])
            body = [j for j, s in enumerate(lines) if s.strip() and not s.lstrip().startswith("//")]
        else:
            j = rng.choice(body)
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def split_chunks(text: str) -> list[str]:
    """The ``// -----`` chunks of a lit input, RUN/CHECK lines dropped."""
    chunks = re.split(r"^\s*// -----\s*$", text, flags=re.M)
    return [c for c in chunks if "scf.for" in c or "tt.func" in c]


def seeds(root: Path) -> list[str]:
    """Inputs to mutate: every chunk of the lit tests and the lit Inputs."""
    out = []
    for path in sorted(root.glob("test/lit/**/*.mlir")) + sorted(root.glob("test/lit/Inputs/*.ttgir")):
        if "Output" in path.parts:
            continue
        out.extend(split_chunks(path.read_text()))
    return out


@dataclasses.dataclass
class Finding:
    outcome: Outcome
    text: str
    pipeline: str


def is_ours(opt: Path, text: str, outcome: Outcome, timeout: float = 20.0, tries: int = 3) -> bool:
    """Whether a crash, OOM or hang ``outcome`` on ``text`` is our passes'.

    An input that does not parse and verify never reaches our passes, so a
    crash with it is Triton's/MLIR's (a type inference that fails while parsing
    can crash later, in the parser or at context teardown, and only at times):
    the input is run without passes ``tries`` times before the crash counts."""
    if "parseSourceFile" in outcome.tail and "runOnOperation" not in outcome.tail:
        return False
    return all(run_opt(opt, text, "builtin.module()", timeout=timeout).kind == "ok" for _ in range(tries))


def fuzz_one(opt: Path, seed_texts: list[str], case_seed: int, timeout: float) -> tuple[str, Optional[Finding]]:
    """One case: returns its outcome kind ("triton" when the input alone
    does not parse and verify, or crashes Triton's parser) and a finding if it is ours."""
    rng = random.Random(case_seed)
    text = mutate(rng.choice(seed_texts), rng)
    pipeline = random_pipeline(rng)
    outcome = run_opt(opt, text, pipeline, timeout=timeout)
    if outcome.kind in ("ok", "error"):
        return outcome.kind, None
    if not is_ours(opt, text, outcome, timeout=timeout):
        return "triton", None
    return outcome.kind, Finding(outcome, text, pipeline)


def fuzz(opt: Path, root: Path, seconds: float, seed: int, jobs: int = 1, max_cases: int = 0,
         timeout: float = 20.0, out: Optional[Path] = None, log=print) -> list[Finding]:
    """Runs cases for ``seconds`` (or ``max_cases``); returns our findings."""
    seed_texts = seeds(root)
    deadline = time.monotonic() + seconds
    counts: dict[str, int] = {}
    findings: list[Finding] = []
    case = 0

    def record(kind: str, finding: Optional[Finding]) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        if finding is None:
            return
        findings.append(finding)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            n = len(findings)
            (out / f"{n:03d}.mlir").write_text(finding.text)
            (out / f"{n:03d}.txt").write_text(
                f"autopipe-opt {n:03d}.mlir -p '{finding.pipeline}' -o /dev/null\n"
                f"{finding.outcome.kind} rc={finding.outcome.rc}\n{finding.outcome.tail}\n")
        log(f"fuzz: {finding.outcome.kind} (rc={finding.outcome.rc}) with {finding.pipeline}")

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending: set[Future] = set()
        while True:
            more = time.monotonic() < deadline and (not max_cases or case < max_cases)
            while more and len(pending) < 2 * jobs:
                case += 1
                pending.add(pool.submit(fuzz_one, opt, seed_texts, seed * 1_000_003 + case, timeout))
                more = not max_cases or case < max_cases
            if not pending:
                break
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                record(*future.result())
    log(f"fuzz: {sum(counts.values())} cases in {seconds:.0f} s (seed {seed}): " +
        ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return findings


def main(argv: Optional[list[str]] = None) -> int:
    from . import opt_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument("--cases", type=int, default=0, help="stop after this many cases (0: time only)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per autopipe-opt run")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="checkout whose test/lit inputs seed the fuzzer")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "autopipe-fuzz")
    parser.add_argument("--opt", type=Path, default=None, help="autopipe-opt to run (default: the installed one)")
    args = parser.parse_args(argv)
    findings = fuzz(args.opt or opt_path(), args.root, args.seconds, args.seed, args.jobs, args.cases,
                    args.timeout, args.out)
    if findings:
        print(f"fuzz: {len(findings)} failure(s), inputs in {args.out}", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
