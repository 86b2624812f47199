"""Shared pytest setup for the Python tests.

Registers the ``gpu`` marker (tests that need a CUDA GPU; they skip themselves
without one) and puts the checkout's root (for ``benchmarks``) and ``python/``
(for an uninstalled ``triton_autopipe``) on ``sys.path``.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Test the installed package (it carries the plugin, autopipe-opt and _C); fall
# back to the checkout's sources only where it is not installed (e.g. on the
# GPU machine, with TRITON_AUTOPIPE_PLUGIN pointing at a carried plugin).
if importlib.util.find_spec("triton_autopipe") is None:
    sys.path.insert(0, str(ROOT / "python"))


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a CUDA GPU and torch; skipped cleanly without them")


@pytest.fixture
def fresh_hook(tmp_path, monkeypatch):
    """No stages hook installed before the test and none left after it (our
    enable()/disable() state restored), and a private Triton cache."""
    from triton import knobs

    ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
    monkeypatch.setenv("TRITON_CACHE_DIR", str(tmp_path / "cache"))
    ta.disable()
    saved = knobs.runtime.add_stages_inspection_hook
    knobs.runtime.add_stages_inspection_hook = None
    yield
    ta.disable()
    knobs.runtime.add_stages_inspection_hook = saved


@pytest.fixture
def always_compile():
    """Compile for real each time: a disk-cache hit would test nothing."""
    from triton import knobs

    old = knobs.compilation.always_compile
    knobs.compilation.always_compile = True
    yield
    knobs.compilation.always_compile = old


def record_calls(monkeypatch, owner, name: str) -> list:
    """Replace ``owner.name`` by a wrapper that records its arguments and
    still calls it; returns the list of recorded argument tuples."""
    calls: list = []
    original = getattr(owner, name)
    monkeypatch.setattr(owner, name, lambda *a: (calls.append(a), original(*a)))
    return calls
