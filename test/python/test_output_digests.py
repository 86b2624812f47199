"""Generated code does not change by accident: the final TTGIR and PTX/AMDGCN of every
corpus kernel on all four targets, with the default settings, hash to the digests
recorded in ``test/golden/output-digests.json`` (``scripts/output_digest.py``).

A change that is meant to change generated code re-records them::

    python scripts/output_digest.py --write test/golden/output-digests.json

The other settings (schedule, buffers, expand, s2r, async_dots, ...) are checked by
``python scripts/output_digest.py --check test/golden/output-digests.json`` (all
variants; a few minutes on 2 cores), which refactorings must pass.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = ROOT / "test" / "golden" / "output-digests.json"


def _script():
    spec = importlib.util.spec_from_file_location("output_digest", ROOT / "scripts" / "output_digest.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["output_digest"] = mod
    spec.loader.exec_module(mod)
    return mod


pytestmark = pytest.mark.skipif(importlib.util.find_spec("triton_autopipe") is None,
                                reason="triton_autopipe is not installed (pip install .)")


def test_every_case_has_a_recorded_digest() -> None:
    """The record covers every (variant, kernel, target) the script compiles: a new
    corpus kernel or variant must be recorded, not silently unchecked."""
    mod = _script()
    want = json.loads(DIGESTS.read_text())
    keys = {f"{v}/{n}/{t}" for v, n, t in mod.cases(list(mod.VARIANTS))}
    assert keys - set(want) == set(), "cases without a recorded digest"
    assert set(want) - keys == set(), "recorded digests of cases that no longer exist"


def test_default_settings_generate_the_recorded_code() -> None:
    mod = _script()
    want = json.loads(DIGESTS.read_text())
    got = mod.digests(["default"], jobs=2, dump=None)
    changed = sorted(k for k in got if want.get(k) != got[k])
    assert not changed, f"generated code changed for {changed} (re-record on purpose only, see module doc)"
