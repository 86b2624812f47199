"""Compare the upstream test runs without and with triton-autopipe: OUTDIR/upstream-summary.md (and .json).

    python benchmarks/upstream/compare.py OUTDIR

Reads OUTDIR/tests/ as run_tests.py leaves it: the junit files of every part (``junit-NAME-MODE-PART.xml``), and
``events-NAME-MODE.jsonl`` for what no junit file holds (a part that aborted writes none): tests reported before an
abort, the test that was running when pytest aborted (``crashed``) and those that the time limit left unrun
(``not run``). Per file: counts in both modes, the tests that pass without us and fail with us (regressions), those
that fail in both, and those that only fail without us.
"""
from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_tests import outcome_of, read_events  # noqa: E402

MODES = ("without", "with")
FAILING = ("failed", "error", "crashed", "hung")
COLUMNS = ("passed", "failed", "error", "crashed", "hung", "skipped", "xfailed", "not run")
ORDER = ("pipeliner", "matmul", "descriptor")


def short_id(nodeid: str) -> str:
    """``python/test/unit/language/test_x.py::test_y[p]`` -> ``test_x.py::test_y[p]``."""
    path, sep, rest = nodeid.partition("::")
    return f"{path.rsplit('/', 1)[-1]}{sep}{rest}"


def junit_id(case: ET.Element) -> str:
    name = case.get("name", "")
    classname = case.get("classname", "")
    file = case.get("file")
    parts = classname.split(".")
    if file:
        module = file[:-3].replace("/", ".") if file.endswith(".py") else file.replace("/", ".")
        base = file.rsplit("/", 1)[-1]
        cls = classname[len(module) + 1:] if classname.startswith(module + ".") else ""
    else:
        idx = max((i for i, p in enumerate(parts) if p.startswith("test_")), default=len(parts) - 1)
        base = parts[idx] + ".py"
        cls = ".".join(parts[idx + 1:])
    return f"{base}::{cls + '::' if cls else ''}{name}"


def junit_results(path: Path) -> dict[str, tuple[str, str]]:
    """id -> (outcome, message) of one junit file."""
    results: dict[str, tuple[str, str]] = {}
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        print(f"compare: {path.name}: unreadable junit ({exc})", file=sys.stderr)
        return results
    for case in root.iter("testcase"):
        outcome, msg = "passed", ""
        failure, error, skipped = case.find("failure"), case.find("error"), case.find("skipped")
        if failure is not None:
            outcome, msg = "failed", failure.get("message") or (failure.text or "")
        elif error is not None:
            outcome, msg = "error", error.get("message") or (error.text or "")
        elif skipped is not None:
            outcome = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
            msg = skipped.get("message") or ""
        msg = (msg.strip().splitlines() or [""])[0][:300]
        if outcome in ("failed", "error") and "crashed while running" in msg:
            outcome = "crashed"  # xdist replaced a worker that aborted in this test
        results[junit_id(case)] = (outcome, msg)
    return results


def mode_results(tests: Path, tag: str) -> tuple[dict[str, tuple[str, str]], dict]:
    """All outcomes of one file in one mode, and facts about the run (status file, session event)."""
    results: dict[str, tuple[str, str]] = {}
    for junit in sorted(tests.glob(f"junit-{tag}-*.xml"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        results.update(junit_results(junit))
    events = read_events(tests / f"events-{tag}.jsonl")
    collected: list[str] = []
    reports: dict[str, list[dict]] = {}
    session: dict = {}
    for e in events:
        if e.get("ev") == "collected" and e.get("ids") and not collected:
            collected = [short_id(i) for i in e["ids"]]
        elif e.get("ev") == "report":
            reports.setdefault(short_id(e["id"]), []).append(e)
        elif e.get("ev") == "session" and not session:
            session = e
    for i, reps in reports.items():
        if i not in results:
            o = outcome_of(reps)
            if o == "skipped" and any(r.get("xfail") for r in reps):
                o = "xfailed"
            msg = next((r.get("msg", "") for r in reps if r["outcome"] != "passed"), "")
            results[i] = (o if o != "incomplete" else "crashed", msg)
    for e in events:
        if e.get("ev") == "crash":
            results[short_id(e["id"])] = ("crashed", f"pytest aborted (rc {e.get('rc')}) while running this test")
    for e in events:  # a hang is also a crash (the process was aborted), but says more
        if e.get("ev") == "hang":
            results[short_id(e["id"])] = ("hung", f"still running after {e.get('seconds')} s; process aborted")
        elif e.get("ev") == "timeout":
            for i in e.get("running", []):
                results[short_id(i)] = ("not run", "killed by the file's time limit while running")
    for i in collected:
        if i not in results:
            results[i] = ("not run", "time limit")
    status_file = tests / f"status-{tag}.json"
    status = json.loads(status_file.read_text()) if status_file.exists() else {}
    status["session"] = session
    status["selected"] = len(collected)
    return results, status


def md_list(items: list[tuple[str, str]], limit: int | None = None) -> list[str]:
    shown = items if limit is None else items[:limit]
    lines = [f"- `{i}`: {m}" if m else f"- `{i}`" for i, m in shown]
    if limit is not None and len(items) > limit:
        lines.append(f"- ... and {len(items) - limit} more (see upstream-summary.md)")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--print-limit", type=int, default=30, help="entries per list printed to stdout")
    args = ap.parse_args()
    out = Path(args.outdir).resolve()
    tests = out / "tests"
    names = sorted({p.stem.split("-")[1] for p in tests.glob("status-*-*.json")} |
                   {p.stem.split("-")[1] for p in tests.glob("events-*-*.jsonl")},
                   key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    if not names:
        print(f"compare: no results under {tests}", file=sys.stderr)
        return 1

    table = ["| file | selection (-k) | mode | " + " | ".join(COLUMNS) + " | selected | time (s) | notes |",
             "|---|---|---|" + "---|" * (len(COLUMNS) + 3)]
    sections: dict[str, dict[str, list[tuple[str, str]]]] = {}
    summary: dict = {"files": {}}
    env_line = ""
    for name in names:
        per_mode = {m: mode_results(tests, f"{name}-{m}") for m in MODES}
        for m in MODES:
            results, status = per_mode[m]
            counts = Counter(o for o, _ in results.values())
            notes = []
            if status.get("timed_out"):
                notes.append("TIME LIMIT")
            if status.get("error"):
                notes.append(status["error"])
            if len(status.get("parts", [])) > 1:
                notes.append(f"{len(status['parts']) - 1} restart(s) after aborts")
            if status.get("xdist"):
                notes.append(f"xdist -n {status['xdist']}")
            session = status.get("session") or {}
            if m == "with" and session.get("autopipe"):
                notes.append(f"autopipe {session['autopipe'].split(' ')[0]}")
            if session and not env_line:
                env_line = f"Triton {session.get('triton')}"
            file = status.get("file", name)
            table.append(f"| {file.rsplit('/', 1)[-1]} | {status.get('k') or '(all)'} | {m} | "
                         + " | ".join(str(counts.get(c, 0)) for c in COLUMNS)
                         + f" | {status.get('selected', '?')} | {status.get('seconds', '?')} | {'; '.join(notes)} |")
            summary["files"].setdefault(name, {})[m] = {"counts": dict(counts), "status": {
                k: status.get(k) for k in ("file", "k", "timed_out", "error", "seconds", "xdist", "crashed")}}
        without, with_ = per_mode["without"][0], per_mode["with"][0]
        ids = sorted(set(without) | set(with_))
        sec = {
            "regressions": [(i, f"{with_[i][0]}: {with_[i][1]}") for i in ids
                            if without.get(i, ("",))[0] == "passed" and with_.get(i, ("",))[0] in FAILING],
            "failing in both": [(i, f"without: {without[i][0]}: {without[i][1]} | with: {with_[i][0]}: {with_[i][1]}")
                                for i in ids if without.get(i, ("",))[0] in FAILING
                                and with_.get(i, ("",))[0] in FAILING],
            "failing only without us": [(i, f"{without[i][0]}: {without[i][1]}") for i in ids
                                        if without.get(i, ("",))[0] in FAILING
                                        and with_.get(i, ("",))[0] == "passed"],
            "skipped with us only": [(i, with_[i][1]) for i in ids if without.get(i, ("",))[0] == "passed"
                                     and with_.get(i, ("",))[0] == "skipped"],
            "not comparable (not run in one mode)": [
                (i, f"without: {without.get(i, ('absent',))[0]}, with: {with_.get(i, ('absent',))[0]}")
                for i in ids if "not run" in (without.get(i, ("absent",))[0], with_.get(i, ("absent",))[0])
                or i not in without or i not in with_],
        }
        sections[name] = sec
        summary["files"][name]["lists"] = {k: [i for i, _ in v] for k, v in sec.items()}

    def render(limit: int | None) -> str:
        lines = ["# Upstream Triton tests: Triton's pipeline (without) vs triton-autopipe (with)", ""]
        if env_line:
            lines += [env_line, ""]
        lines += table + [""]
        totals = Counter()
        for name, sec in sections.items():
            for k, v in sec.items():
                totals[k] += len(v)
        lines.append("Totals: " + ", ".join(f"{k}: {v}" for k, v in totals.items()))
        for title in ("regressions", "failing in both", "failing only without us", "skipped with us only",
                      "not comparable (not run in one mode)"):
            lines += ["", f"## {title[0].upper() + title[1:]}"
                      + (" (pass without us, fail with us)" if title == "regressions" else "")]
            for name, sec in sections.items():
                items = sec[title]
                lines.append(f"### {name}: {len(items)}")
                lines += md_list(items, limit if title != "regressions" or limit is None else max(limit, 60))
        return "\n".join(lines) + "\n"

    (out / "upstream-summary.md").write_text(render(None), encoding="utf-8")
    (out / "upstream-summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(render(args.print_limit), end="")
    print(f"(written: {out / 'upstream-summary.md'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
