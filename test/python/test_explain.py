"""``python -m triton_autopipe explain`` (issue #18): the schedule table, the decisions and a picture of the
pipelined loop, on the CPU."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import explain  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
GEMM = f"{ROOT}/benchmarks/kernels/gemm.py::gemm_kernel"
GEMM_ARGS = dict(signature="a_ptr=*fp16,b_ptr=*fp16,c_ptr=*fp16",
                 constexprs="BLOCK_M=128,BLOCK_N=128,BLOCK_K=64,GROUP_M=8,EVEN_MN=True,EVEN_K=True,"
                            "stride_ak=1,stride_bn=1,stride_cn=1",
                 aligned="M,N,K,stride_am,stride_bk,stride_cm", num_warps=8, num_stages=3)

pytestmark = pytest.mark.usefixtures("fresh_hook")


def test_explain_gemm_table_and_picture(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    report = explain.explain(GEMM, "cuda:90", out=tmp_path, **GEMM_ARGS)
    assert [d for d, _ in report.decisions][:1] == ["autopipe-schedule-loops"]
    assert any("3 stages" in text for _, text in report.decisions)
    (loop,) = report.loops
    assert loop.stages == 3 and loop.function == "gemm_kernel"
    stage_of = {o.name: o.stage for o in loop.ops}
    assert stage_of["ttg.async_copy_global_to_local"] == 0 and stage_of["ttng.warp_group_dot"] == 2
    printed = capsys.readouterr().out
    assert "ttng.warp_group_dot" in printed and "gemm.py:99" in printed  # the table, with source lines
    copies = [line for line in printed.splitlines() if "ttg.async_copy_global_to_local" in line]
    assert len(copies) == 2 and all("3 slots, async copy" in line for line in copies)
    svg, png = tmp_path / "loop0.svg", tmp_path / "loop0.png"
    assert png.stat().st_size > 20_000 and png.read_bytes()[:4] == b"\x89PNG"
    text = svg.read_text()
    for op in loop.ops:
        if not op.name.startswith(("arith.", "scf.")):
            assert op.name.split(".", 1)[1] in text, op.name
    for phase in ("prologue", "steady", "drain"):
        assert phase in text


def test_explain_names_an_unscheduled_loop_and_its_reason(capsys):
    args = dict(GEMM_ARGS, constexprs=GEMM_ARGS["constexprs"].replace(",stride_ak=1,stride_bn=1,stride_cn=1", ""))
    report = explain.explain(GEMM, "cuda:90", **args)
    assert not report.loops
    assert any("left as is" in text for _, text in report.decisions)
    assert "no loop was scheduled" in capsys.readouterr().out


def test_explain_rejects_bad_input():
    with pytest.raises(SystemExit, match="path/to/file.py::kernel"):
        explain.explain("gemm.py")
    with pytest.raises(SystemExit, match="not arguments of gemm_kernel"):
        explain.explain(GEMM, signature="nope=i32")
    with pytest.raises(SystemExit, match="unknown target"):
        explain.explain(GEMM, target="cuda:100")


@pytest.mark.parametrize("argv", [["--help"], ["explain", "--help"], ["fuzz", "--help"]])
def test_help_exits_zero(argv):
    proc = subprocess.run([sys.executable, "-m", "triton_autopipe", *argv], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "usage" in proc.stdout.lower() or "commands" in proc.stdout
