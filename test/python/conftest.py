"""Shared pytest setup for the Python tests.

Registers the ``gpu`` marker (tests that need a CUDA GPU; they skip themselves
without one) and puts the checkout's root (for ``benchmarks``) and ``python/``
(for an uninstalled ``triton_autopipe``) on ``sys.path``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import importlib.util

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
