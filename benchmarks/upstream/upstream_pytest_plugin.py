"""pytest plugin for running upstream Triton's tests with and without triton-autopipe (``-p upstream_pytest_plugin``).

- ``TRITON_AUTOPIPE`` true: imports ``triton_autopipe`` in every pytest process (xdist workers too), which enables
  our pipeline, and refuses to run (UsageError) if it did not get enabled: a "with us" run that silently used
  Triton's pipeline would compare Triton with itself.
- ``UPSTREAM_EVENTS=<file>``: appends one JSON line per event, flushed at once, so that what ran survives a
  process that aborts (LLVM UNREACHABLE, a segfault) or is killed by a time limit:
  ``{"ev": "session", ...}``, ``{"ev": "collected", "ids": [...]}``, ``{"ev": "start", "id": ...}``,
  ``{"ev": "report", "id": ..., "when": ..., "outcome": ..., "duration": ..., "msg": ...}``, ``{"ev": "finish", ...}``.
  Written by the controlling process only (under xdist the workers' reports reach it).
- ``UPSTREAM_TEST_TIMEOUT=<seconds>``: a test running longer aborts the process (recorded as ``{"ev": "hang"}``).
- ``UPSTREAM_SKIP_IDS=<file>``: node ids (one a line) to deselect: the tests a previous, aborted, run of the same
  selection already reported or crashed in (see run_tests.py).
"""
from __future__ import annotations

import json
import os
import threading
import time

import pytest

_TRUE = ("1", "true", "yes", "on")


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


class _Events:
    def __init__(self, path: str):
        self.file = open(path, "a", encoding="utf-8")

    def write(self, **record) -> None:
        record.setdefault("t", round(time.time(), 3))
        self.file.write(json.dumps(record) + "\n")
        self.file.flush()


_events: _Events | None = None
_status = "off"


def _enable_autopipe() -> str:
    """Import triton_autopipe (TRITON_AUTOPIPE is set, so the import enables it); its status in words."""
    import triton_autopipe as ta

    if not ta.is_enabled():
        ta.enable()  # e.g. TRITON_AUTOPIPE=on spelt in a way the import-time check skipped; raises if it cannot
    if not ta.is_enabled():
        raise pytest.UsageError("upstream: TRITON_AUTOPIPE is set but triton_autopipe.is_enabled() is False")
    hook = ta.current_hook()
    from triton_autopipe import plugin

    return f"on ({hook.key()}, plugin {plugin.load()})"


def pytest_configure(config):
    global _events, _status
    if os.environ.get("TRITON_AUTOPIPE", "").strip().lower() in _TRUE:
        try:
            _status = _enable_autopipe()
        except pytest.UsageError:
            raise
        except Exception as exc:  # import error, plugin not found, ...
            raise pytest.UsageError(f"upstream: TRITON_AUTOPIPE is set but triton_autopipe failed: "
                                    f"{type(exc).__name__}: {exc}") from exc
    path = os.environ.get("UPSTREAM_EVENTS")
    if path and not _is_worker(config):
        _events = _Events(path)
        import triton

        _events.write(ev="session", pid=os.getpid(), autopipe=_status, triton=triton.__version__,
                      args=list(config.invocation_params.args))


def pytest_report_header(config):
    return f"triton-autopipe: {_status}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    path = os.environ.get("UPSTREAM_SKIP_IDS")
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            skip = {line.rstrip("\n") for line in f if line.strip()}
        keep = [item for item in items if item.nodeid not in skip]
        dropped = [item for item in items if item.nodeid in skip]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep


def pytest_collection_finish(session):
    if _events is not None and not session.config.pluginmanager.hasplugin("dsession"):
        _events.write(ev="collected", ids=[item.nodeid for item in session.items])


_xdist_collected = False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """Under xdist the controller does not collect; every worker collects the same selection: write it once."""
    global _xdist_collected
    if _events is not None and not _xdist_collected:
        _xdist_collected = True
        _events.write(ev="collected", ids=list(ids), node=getattr(node, "gateway", None) and node.gateway.id)


def pytest_runtest_logstart(nodeid, location):
    if _events is not None:
        _events.write(ev="start", id=nodeid)


def pytest_runtest_logreport(report):
    if _events is None:
        return
    msg = ""
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        msg = crash.message if crash is not None else str(report.longrepr)
        msg = msg.strip().splitlines()[0][:300] if msg.strip() else ""
    elif report.skipped and isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        msg = str(report.longrepr[2])[:200]
    _events.write(ev="report", id=report.nodeid, when=report.when, outcome=report.outcome,
                  duration=round(report.duration, 3), msg=msg, xfail=hasattr(report, "wasxfail"))


def _hung(nodeid: str, seconds: float) -> None:
    """A test ran past UPSTREAM_TEST_TIMEOUT (e.g. a kernel that never finishes): record it and abort the process,
    which run_tests.py (or xdist) treats as a crash in this test, and goes on with the rest."""
    path = os.environ.get("UPSTREAM_EVENTS")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"ev": "hang", "id": nodeid, "seconds": seconds, "t": round(time.time(), 3)}) + "\n")
    os.write(2, f"\nupstream: {nodeid} ran past {seconds:.0f} s; aborting the process\n".encode())
    os.abort()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    seconds = float(os.environ.get("UPSTREAM_TEST_TIMEOUT", "0") or 0)
    timer = None
    if seconds > 0:
        timer = threading.Timer(seconds, _hung, args=(item.nodeid, seconds))
        timer.daemon = True
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.cancel()


def pytest_sessionfinish(session, exitstatus):
    if _events is not None:
        _events.write(ev="finish", exitstatus=int(exitstatus))
