"""Inputs that once crashed ``autopipe-opt`` never crash it again, and the fuzzer finds none.

``test/reliability/fuzz-crashes/`` holds the inputs of a mutation fuzzer's
crashes (its README lists the command of each). Where the crash was in one of
our passes, the run must now end cleanly (output, or diagnostics and exit 1);
where it is in Triton's own parser or passes, ``autopipe-opt`` must still end
with a message and a stack trace, never silently. Then a seeded, time-bounded
run of :mod:`triton_autopipe.fuzz` must find no crash, OOM or hang of ours.
"""
from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CRASHES = ROOT / "test" / "reliability" / "fuzz-crashes"

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import fuzz  # noqa: E402

OPT = ta.opt_path()


def _rows() -> list[tuple[str, str, str]]:
    """(file, where, command) of each row of the README's table."""
    rows = []
    for line in (CRASHES / "README.md").read_text().splitlines():
        m = re.match(r"\|\s*(\d\d)\s*\|[^|]*\|\s*([^|]+?)\s*\|\s*`([^`]+)`", line)
        if m:
            rows.append((f"{m.group(1)}.mlir", m.group(2), m.group(3)))
    return rows


ROWS = _rows()


def test_table_covers_every_input():
    assert len(ROWS) == 29
    assert sorted(r[0] for r in ROWS) == sorted(p.name for p in CRASHES.glob("*.mlir"))


def _run(command: str) -> fuzz.Outcome:
    args = shlex.split(command)
    assert args[0] == "autopipe-opt"
    proc = subprocess.run([str(OPT)] + args[1:], cwd=CRASHES, capture_output=True, text=True, timeout=60,
                          preexec_fn=fuzz._limit_memory(3 << 30), errors="replace")
    return fuzz.classify(proc.returncode, proc.stderr)


@pytest.mark.parametrize("name,where,command", ROWS, ids=[r[0] for r in ROWS])
def test_crash_input(name, where, command):
    outcome = _run(command)
    if where.startswith("autopipe-"):
        # Ours: a clean end (the loop left as is with a remark, or an error).
        assert outcome.kind in ("ok", "error"), f"{name}: {outcome.kind} rc={outcome.rc}\n{outcome.tail}"
        if outcome.kind == "error":
            assert "error:" in outcome.tail
    else:
        # Triton's parser or passes: still a message and a stack trace.
        assert outcome.rc != 0
        assert outcome.kind == "crash" and "Stack dump:" in outcome.tail, outcome.tail
        assert "autopipe-opt crashed" in outcome.tail


def test_classify():
    assert fuzz.classify(0, "").kind == "ok"
    assert fuzz.classify(1, "x.mlir:1:1: error: bad").kind == "error"
    assert fuzz.classify(-11, "").kind == "crash"
    assert fuzz.classify(134, "LLVM ERROR: out of memory").kind == "oom"
    assert fuzz.classify(1, "Assertion `x' failed").kind == "crash"
    assert fuzz.classify(-9, "", timed_out=True).kind == "timeout"


def test_crash_triage():
    """A crash on an input that does not parse and verify is never ours (our
    passes never run on it); on one that does, it is."""
    crash = fuzz.Outcome("crash", -6, "Stack dump:\n")
    bad = "module {\n  tt.func @f() {\n    %0 = arith.constant 1 : i32 : i64\n    tt.return\n  }\n}\n"
    good = "module {\n  tt.func @f() {\n    tt.return\n  }\n}\n"
    assert not fuzz.is_ours(OPT, bad, crash)
    assert fuzz.is_ours(OPT, good, crash)
    in_parser = fuzz.Outcome("crash", -11, "#3 mlir::parseSourceFile(...)\n")
    assert not fuzz.is_ours(OPT, good, in_parser)


def test_mutations_are_seeded():
    import random

    text = (CRASHES / "16.mlir").read_text()
    assert fuzz.mutate(text, random.Random(3)) == fuzz.mutate(text, random.Random(3))
    assert fuzz.random_pipeline(random.Random(5)) == fuzz.random_pipeline(random.Random(5))
    assert fuzz.seeds(ROOT), "the lit inputs seed the fuzzer"


def test_fuzz_finds_no_crash(tmp_path):
    """About a minute of seeded fuzzing (2 jobs): every crash, OOM or hang of
    our passes fails (its input is in the failure message)."""
    findings = fuzz.fuzz(OPT, ROOT, seconds=60, seed=0, jobs=2, out=tmp_path, log=lambda s: None)
    assert not findings, "\n\n".join(f"{f.outcome.kind}: {f.pipeline}\n{f.text}\n{f.outcome.tail}"
                                     for f in findings[:3])
