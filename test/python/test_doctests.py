"""The examples in the package's docstrings run (CPU only)."""
from __future__ import annotations

import doctest

import pytest

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")


@pytest.mark.parametrize("module", ["triton_autopipe.pipelines", "triton_autopipe.decorator", "triton_autopipe.occupancy",
                                    "triton_autopipe.config", "triton_autopipe.state", "triton_autopipe.explain",
                                    "benchmarks.barriers",
                                    # the attention benchmark's --configs parsing and --tune config space
                                    "benchmarks.attention", "benchmarks.kernels.attention"])
def test_docstring_examples(module, fresh_hook):
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, result

