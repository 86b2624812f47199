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


def test_proof_counts_per_loop():
    from benchmarks.barriers import proof_counts

    text = ("autopipe-insert-barriers: loop at k.py:3:5: Membar adds 2 CTA barrier(s) in it: before x; before y; "
            "placed by autopipe-insert-barriers: 0, other barriers already there: 0\n"
            "autopipe-allocate-buffers: loop at k.py:3:5: ...\n"
            "autopipe-insert-barriers: loop at k.py:9:5: Membar adds 0 CTA barrier(s) in it; placed by ...\n")
    assert proof_counts(text) == [2, 0]


def test_explain_reports_membar_proof(tmp_path, monkeypatch):
    """In make_llir, right before scf-to-cf, autopipe-insert-barriers places the CTA barriers of our loops (CUDA,
    default ``barriers="placed"``) and proves Membar adds none there; under explain it reports, per loop we
    handled, each barrier and its reason (sm80 attention: after the async_wait). With ``barriers="membar"``
    the proof only reports the barriers Membar adds at lowering."""
    import re

    import triton
    from triton_autopipe import pipelines
    from triton_autopipe.decorator import settings_scope

    from benchmarks.kernels.corpus import TARGETS, corpus

    monkeypatch.setattr(triton.knobs.compilation, "always_compile", True)
    entry = next(e for e in corpus() if e.name == "attn_fp16_d64_full_128x64_w8_s3")
    report = tmp_path / "report.txt"

    def lines(**settings) -> list[str]:
        report.write_text("")
        with pipelines.report_to(str(report)), settings_scope(**settings):
            kernel = triton.compile(entry.source(), target=TARGETS["cuda:80"], options=entry.options("cuda:80"))
        lines.ptx = kernel.asm["ptx"]
        return [line for line in report.read_text().splitlines() if line.startswith("autopipe-insert-barriers:")]

    placed = lines(explain=True)
    assert len(placed) == 2, placed
    assert re.search(r"attention\.py:\d+:\d+.*: placed [1-9]\d* CTA barrier\(s\): .*after ttg\.async_wait "
                     r"at \S+attention\.py:\d+:\d+", placed[0]), placed[0]
    assert re.search(r": Membar adds 0 CTA barrier\(s\) in it; placed by autopipe-insert-barriers: [1-9]", placed[1])
    ptx_placed = lines.ptx
    proof = lines(explain=True, barriers="membar")
    assert len(proof) == 1, proof
    assert re.search(r"attention\.py:\d+:\d+.*: Membar adds [1-9]\d* CTA barrier\(s\) in it: .*after ttg\.async_wait "
                     r"at \S+attention\.py:\d+:\d+", proof[0]), proof[0]
    # Placed or left to Membar: the same barriers (the PTX differs only in its debug locations).
    assert _instructions(ptx_placed) == _instructions(lines.ptx)
    # Without explain nothing is reported.
    assert lines() == [] and lines(barriers="membar") == []


def _instructions(ptx: str) -> list[str]:
    """PTX without debug information: comments, .loc lines, $L__tmp labels and the DWARF sections."""
    out = []
    for line in ptx.split(".section\t.debug")[0].splitlines():
        s = line.split("//")[0].strip()
        if s and not s.startswith((".loc", "$L__tmp", ".file")):
            out.append(s)
    return out


def test_linked_counters_drop_the_refill_barrier():
    """``barriers="linked"`` (autopipe-insert-barriers{link-counters=true} in make_llir): on sm90 cp.async attention
    Membar tells the refilled slot from the one read in the iteration: one CTA barrier an iteration fewer than
    Triton's pipeline and than ours with Membar alone; a bad value is refused where it is given."""
    import triton
    from triton_autopipe.decorator import settings_scope

    from benchmarks.kernels.corpus import TARGETS, corpus

    entry = next(e for e in corpus() if e.name == "attn_fp16_d64_full_128x64_w8_s3")
    target = "cuda:90"

    def hottest(**settings) -> int:
        with settings_scope(**settings):
            k = triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))
        return max(lp.barriers for lp in loops(k.asm["ptx"], "ptx"))

    theirs = count(entry, target).triton
    alone, linked = hottest(), hottest(barriers="linked")
    assert linked == alone - 1 and linked < max(theirs), (theirs, alone, linked)
    with pytest.raises(ValueError, match="barriers"):
        with settings_scope(barriers="fewest"):
            pass
