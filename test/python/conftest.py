"""Shared pytest setup for the Python tests.

Registers the ``gpu`` marker (tests that need a CUDA GPU; they skip themselves
without one) and puts the checkout's root (for ``benchmarks``) and ``python/``
(for an uninstalled ``triton_autopipe``) on ``sys.path``.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for p in (ROOT, ROOT / "python"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a CUDA GPU and torch; skipped cleanly without them")
