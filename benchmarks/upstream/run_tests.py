"""Run one upstream Triton test file in one mode (Triton's pipeline or ours), within a time limit, surviving aborts.

    python benchmarks/upstream/run_tests.py OUTDIR --name matmul --file python/test/unit/language/test_matmul.py \
        --mode with [-k EXPR] [--limit 240] [--xdist N]

``--file`` is relative to benchmarks/upstream/files (upstream's layout; its pytest.ini and conftest.py files are
used, not this project's). ``--mode with`` sets TRITON_AUTOPIPE=1 (upstream_pytest_plugin.py imports and checks
triton_autopipe), ``without`` removes it. Each mode gets its own fresh Triton cache.

A compiler abort kills pytest (no junit file). Then this reruns the same selection minus every test already
reported and the one that was running (recorded as crashed), until the selection is done or the time limit (for
the whole file and mode) is spent. Under xdist (``--xdist N``), a crashed worker is replaced by xdist itself.

Writes OUTDIR/tests/: ``junit-NAME-MODE-PART.xml``, ``events-NAME-MODE.jsonl`` (see upstream_pytest_plugin.py; this
script adds ``{"ev": "crash"}`` and ``{"ev": "timeout"}`` lines), ``NAME-MODE.log`` and ``status-NAME-MODE.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = Path(os.environ.get("UPSTREAM_FILES", HERE.parents[1] / ".device" / "upstream" / "files"))  # the override is for testing this script
HEARTBEAT_S = 30
MIN_RESTART_S = 15  # no restart with less time than this left (pytest + torch start-up alone takes seconds)


def read_events(path: Path) -> list[dict]:
    events = []
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                pass  # a line cut short by a kill
    return events


def tally(events: list[dict]) -> dict:
    """Collected ids, per-id reports and the order tests started in, from the events."""
    collected: list[str] = []
    reports: dict[str, list[dict]] = {}
    started: list[str] = []
    crashed: list[str] = []
    for e in events:
        ev = e.get("ev")
        if ev == "collected" and not collected:
            collected = e.get("ids", [])
        elif ev == "start":
            started.append(e["id"])
        elif ev == "report":
            reports.setdefault(e["id"], []).append(e)
        elif ev in ("crash", "hang") and e["id"] not in crashed:
            crashed.append(e["id"])
    return {"collected": collected, "reports": reports, "started": started, "crashed": crashed}


def outcome_of(reps: list[dict]) -> str:
    """One test's outcome from its setup/call/teardown reports."""
    if any(r["outcome"] == "failed" and r["when"] == "call" for r in reps):
        return "failed"
    if any(r["outcome"] == "failed" for r in reps):
        return "error"
    if any(r["outcome"] == "skipped" for r in reps):
        return "skipped"
    if any(r["when"] == "call" and r["outcome"] == "passed" for r in reps):
        return "passed"
    return "incomplete"


def summary_line(t: dict) -> str:
    counts: dict[str, int] = {}
    for i, reps in t["reports"].items():
        if i in t["crashed"]:
            continue
        o = outcome_of(reps)
        counts[o] = counts.get(o, 0) + 1
    if t["crashed"]:
        counts["crashed"] = len(t["crashed"])
    done = len(set(t["reports"]) | set(t["crashed"]))
    total = len(t["collected"]) or "?"
    parts = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    return f"{done}/{total} done ({parts or 'nothing yet'})"


def kill_group(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--name", required=True)
    ap.add_argument("--file", required=True, help="test file, relative to benchmarks/upstream/files")
    ap.add_argument("--mode", choices=("with", "without"), required=True)
    ap.add_argument("-k", dest="k", default="", help="pytest -k expression (empty: the whole file)")
    ap.add_argument("--limit", type=float, default=240.0, help="seconds for this file and mode, restarts included")
    ap.add_argument("--test-timeout", type=float, default=90.0,
                    help="seconds one test may run before its process is aborted (hang); 0: none")
    ap.add_argument("--xdist", type=int, default=0, help="pytest-xdist workers (0: no xdist)")
    args = ap.parse_args()

    tag = f"{args.name}-{args.mode}"
    out = Path(args.outdir).resolve() / "tests"
    out.mkdir(parents=True, exist_ok=True)
    events_path, log_path = out / f"events-{tag}.jsonl", out / f"{tag}.log"
    skip_path, status_path = out / f"skip-{tag}.txt", out / f"status-{tag}.json"
    for p in [events_path, log_path, skip_path, status_path, *out.glob(f"junit-{tag}-*.xml")]:
        p.unlink(missing_ok=True)

    env = dict(os.environ)
    env.pop("TRITON_AUTOPIPE", None)
    if args.mode == "with":
        env["TRITON_AUTOPIPE"] = "1"
    cache = Path(os.environ.get("UPSTREAM_CACHE_ROOT", "/tmp/upstream-cache")) / tag
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    env["TRITON_CACHE_DIR"] = str(cache)
    env["UPSTREAM_EVENTS"] = str(events_path)
    env["UPSTREAM_SKIP_IDS"] = str(skip_path)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    env["UPSTREAM_TEST_TIMEOUT"] = str(args.test_timeout)

    start = time.monotonic()
    deadline = start + args.limit
    status: dict = {"name": args.name, "file": args.file, "mode": args.mode, "k": args.k, "limit_s": args.limit,
                    "xdist": args.xdist, "parts": [], "timed_out": False, "error": None}
    prefix = f"[{tag}]"
    print(f"{prefix} start: {args.file}{' -k ' + repr(args.k) if args.k else ''}, limit {args.limit:.0f} s"
          f"{f', xdist -n {args.xdist}' if args.xdist else ''}", flush=True)
    part = 0
    while True:
        remaining = deadline - time.monotonic()
        if part > 0 and remaining < MIN_RESTART_S:
            status["timed_out"] = True
            break
        junit = out / f"junit-{tag}-{part}.xml"
        cmd = [sys.executable, "-m", "pytest", "-c", str(FILES / "pytest.ini"), "--rootdir", str(FILES),
               "-p", "no:cacheprovider", "-p", "upstream_pytest_plugin", "-q", "-rfEs",
               f"--junitxml={junit}", "-o", "junit_family=xunit1", str(FILES / args.file)]
        if args.k:
            cmd += ["-k", args.k]
        if args.xdist > 0:
            cmd += ["-n", str(args.xdist), "--max-worker-restart", "1000"]
        before = tally(read_events(events_path))
        t0 = time.monotonic()
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"\n===== part {part}: {' '.join(cmd)}\n")
            log.flush()
            proc = subprocess.Popen(cmd, cwd=str(FILES), env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            rc = None
            while rc is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    rc = proc.wait(timeout=min(HEARTBEAT_S, left))
                except subprocess.TimeoutExpired:
                    print(f"{prefix} {time.monotonic() - start:.0f} s: "
                          f"{summary_line(tally(read_events(events_path)))}", flush=True)
            if rc is None:
                kill_group(proc)
                rc = proc.returncode
                status["timed_out"] = True
        after = tally(read_events(events_path))
        new_started = after["started"][len(before["started"]):]
        info = {"part": part, "rc": rc, "seconds": round(time.monotonic() - t0, 1), "junit": junit.exists()}
        status["parts"].append(info)
        if status["timed_out"]:
            running = [i for i in new_started if not any(r["when"] == "teardown" for r in after["reports"].get(i, []))]
            with open(events_path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"ev": "timeout", "running": running[-1:] if running else []}) + "\n")
            print(f"{prefix} time limit ({args.limit:.0f} s) reached in part {part}", flush=True)
            break
        if rc in (0, 1, 5):
            break  # finished (5: nothing selected)
        if rc in (2, 3, 4):
            status["error"] = f"pytest exit status {rc} (interrupted / internal error / usage error): see {log_path.name}"
            break
        # Killed by a signal or aborted (rc < 0 or 128+n): the test that was running crashed.
        last = next((i for i in reversed(new_started)
                     if not any(r["when"] == "teardown" for r in after["reports"].get(i, []))), None)
        if last is None:
            status["error"] = f"pytest died (rc {rc}) with no test running: see {log_path.name}"
            break
        with open(events_path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"ev": "crash", "id": last, "rc": rc, "part": part}) + "\n")
        after = tally(read_events(events_path))
        done = set(after["reports"]) | set(after["crashed"])
        skip_path.write_text("".join(i + "\n" for i in sorted(done)), encoding="utf-8")
        left_ids = [i for i in after["collected"] if i not in done]
        print(f"{prefix} part {part} aborted (rc {rc}) in {last.split('::')[-1]}; "
              f"{len(left_ids)} test(s) left{', restarting' if left_ids else ''}", flush=True)
        if not left_ids:
            break
        part += 1

    final = tally(read_events(events_path))
    status["crashed"] = final["crashed"]
    status["seconds"] = round(time.monotonic() - start, 1)
    status["summary"] = summary_line(final)
    status_path.write_text(json.dumps(status, indent=1), encoding="utf-8")
    print(f"{prefix} done in {status['seconds']:.0f} s: {status['summary']}"
          f"{'; TIME LIMIT' if status['timed_out'] else ''}{'; ERROR ' + status['error'] if status['error'] else ''}",
          flush=True)
    return 0 if not status["error"] else 1


if __name__ == "__main__":
    sys.exit(main())
