"""CTA barriers per loop iteration in the machine code: ours never more than Triton's pipeline (issue #17's bar).

``benchmarks/barriers.py`` counts ``bar.sync``-like instructions (PTX) and ``s_barrier`` (AMDGCN) between a loop's
label and its backward branch; here that count is checked on hand-written assembly and on every corpus kernel.
"""
from __future__ import annotations

import pytest

from benchmarks.barriers import Row, count, loops

PTX = """
$L__BB0_1:
    bar.sync 0;
    cp.async.wait_group 1;
$L__BB0_2:
    @%p3 bar.sync 1, 256;
    barrier.arrive 2, 256;
    @%p2 bra $L__BB0_2;
    bar.sync 0;
    @%p1 bra $L__BB0_1;
    bar.sync 0;
    ret;
"""

GCN = """
.LBB0_1:
    s_waitcnt vmcnt(0)
    s_barrier
    s_cbranch_scc1 .LBB0_1
    s_barrier
    s_branch .LBB0_3
.LBB0_3:
    s_endpgm
"""


def test_loops_in_ptx():
    got = loops(PTX, "ptx")
    assert [(lp.label, lp.barriers) for lp in got] == [("L__BB0_1", 4), ("L__BB0_2", 2)]


def test_loops_in_amdgcn():
    got = loops(GCN, "amdgcn")
    assert [(lp.label, lp.barriers) for lp in got] == [(".LBB0_1", 1)]  # the forward branch is no loop


def test_row_verdicts():
    assert Row("k", "cuda:90", triton=[3], ours=[4]).more
    assert Row("k", "hip:gfx942", triton=[2], ours=[2, 2]).more is False  # the hottest loop counts
    assert Row("k", "hip:gfx942", triton=[4, 0, 0], ours=[5]).more
    assert Row("k", "cuda:90", triton=[5], ours=[2]).fewer
    assert not Row("k", "cuda:90", triton=[2], ours=[2]).fewer


def _pairs():
    from benchmarks.kernels.corpus import corpus

    out = []
    for e in corpus():
        if e.name.startswith("gluon"):
            continue  # Gluon kernels: Triton's pipeline does not run on them
        for t in e.targets:
            out.append(pytest.param(e, t, id=f"{e.name}-{t}"))
    return out


@pytest.mark.parametrize("entry,target", _pairs())
def test_never_more_barriers_than_triton(entry, target):
    row = count(entry, target)
    assert not row.error, row.error
    assert row.triton, "Triton's code has a loop"
    assert not row.more, f"barriers per loop: Triton {row.triton}, ours {row.ours}"
