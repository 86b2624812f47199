"""autopipe-allocate-buffers in the real pipeline (CPU only): with
``buffers="autopipe"`` our pass lowers the GEMM's loads into circular buffers
before Triton's pipeliner expands the loop; the kernel compiles for sm80 and
sm90 with cp.async, and the final TTGIR is the code Triton's own load lowering
gives. ``buffers="autopipe"`` is the default; ``buffers="triton"`` adds
nothing of ours."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import dispatch, pipelines  # noqa: E402

sys.path.insert(0, str(ROOT / "examples"))
import compile_gemm  # noqa: E402

pytestmark = pytest.mark.usefixtures("fresh_hook")

CUDA = ["cuda:80", "cuda:90"]
REPORT = re.compile(r"autopipe-allocate-buffers: loop at \S+compile_gemm\.py:37:5: 2 load\(s\) in circular buffers: "
                    r"load at \S+:38:13: (\d) slot\(s\) !ttg\.memdesc<\dx128x64xf16, #ttg\.(\w+)<")


def _normalized(ttgir: str) -> list[str]:
    """TTGIR lines without SSA names, locations and our marker attribute,
    sorted: equal for the same ops in a different order inside a block."""
    text = re.sub(r"autopipe\.buffers = \d+ : i32, ", "", ttgir)
    lines = [re.sub(r"%[\w#]+|loc\([^)]*\)|#loc\d*", "", line).strip() for line in text.splitlines()]
    return sorted(line for line in lines if line and not line.startswith("#loc"))


@pytest.mark.parametrize("target", CUDA)
def test_gemm_compiles_with_our_buffers(target, capfd):
    ta.enable(buffers="triton")  # our scheduler, Triton's load lowering
    reference = compile_gemm.compile_gemm(target)
    capfd.readouterr()
    ta.enable(buffers="autopipe", explain=True)
    kernel = compile_gemm.compile_gemm(target)
    err = capfd.readouterr().err
    m = REPORT.search(err)
    assert m, err
    slots, encoding = m.groups()
    # sm90: wgmma reads the slot in shared memory, one more slot than the
    # stage distance; sm80: the local_load runs before the copy, 2 slots.
    assert (slots, encoding) == (("3", "nvmma_shared") if target == "cuda:90" else ("2", "swizzled_shared"))
    ptx, ttgir = kernel.asm["ptx"], kernel.asm["ttgir"]
    assert "cp.async.cg.shared.global" in ptx and "cp.async.wait_group" in ptx
    assert "ttg.async_copy_global_to_local" in ttgir and "tt.load" not in ttgir.split("scf.for")[1].split("scf.yield")[0]
    if target == "cuda:90":  # sm80's prefetch pass rebuilds the loop without the marker
        assert "autopipe.buffers = 2 : i32" in ttgir
    assert kernel.metadata.shared == reference.metadata.shared
    # The same code as Triton's load lowering, up to where the slot counter
    # is advanced within its cluster.
    assert _normalized(ttgir) == _normalized(reference.asm["ttgir"])


def test_default_is_ours_and_triton_is_selectable():
    assert pipelines.Settings().buffers == "autopipe"
    assert "buffers=autopipe" in pipelines.Settings().key()
    assert "buffers=triton" in pipelines.Settings(buffers="triton").key()
    with pytest.raises(ValueError, match="unknown buffers"):
        pipelines.Settings(buffers="mine")
    # In Triton's pipeline slot: our load lowering first, unless buffers="triton".
    row = next(r for r in pipelines.SWAPS if r.binding == "passes.ttgpuir.add_pipeline")

    def slot(settings: pipelines.Settings) -> list[str]:
        added: list[str] = []
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(pipelines.plugin, "add_pass", lambda pm, name, opts=None: added.append(name))
            row.handler(dispatch.Plan(settings=settings), lambda *a: added.append("tritongpu-pipeline"), None, 3, False)
        return added

    assert slot(pipelines.Settings()) == ["autopipe-allocate-buffers", "autopipe-print-schedule",
                                          "autopipe-expand-loops"]
    assert slot(pipelines.Settings(buffers="triton")) == ["autopipe-print-schedule", "autopipe-expand-loops"]


def test_environment_selects_buffers(monkeypatch):
    monkeypatch.setenv("TRITON_AUTOPIPE_BUFFERS", "autopipe")
    ta.enable()
    assert ta.current_hook().settings.buffers == "autopipe"
    monkeypatch.setenv("TRITON_AUTOPIPE_BUFFERS", "triton")
    ta.enable()
    assert ta.current_hook().settings.buffers == "triton"
    monkeypatch.delenv("TRITON_AUTOPIPE_BUFFERS")
    ta.enable()
    assert ta.current_hook().settings.buffers == "autopipe"
    with pytest.raises(ValueError, match="unknown buffers"):
        ta.enable(buffers="bogus")


def test_default_pipeline_runs_our_buffers_and_triton_setting_does_not(capfd):
    ta.enable(explain=True)
    compile_gemm.compile_gemm("cuda:90")
    assert REPORT.search(capfd.readouterr().err)
    ta.enable(explain=True, buffers="triton")
    compile_gemm.compile_gemm("cuda:90")
    assert "autopipe-allocate-buffers" not in capfd.readouterr().err


def test_too_many_stages_still_launch():
    """num_stages=8 on the 128x128x64 fp16 GEMM: Triton's buffers need 256 KB,
    more than an sm90 block may use (227 KB), so its kernel cannot launch;
    our scheduler takes 7 stages and the kernel fits, still pipelined."""
    ta.enable(schedule="triton", buffers="triton", expand="triton")
    theirs = compile_gemm.compile_gemm("cuda:90", num_stages=8)
    ta.enable()
    ours = compile_gemm.compile_gemm("cuda:90", num_stages=8)
    assert theirs.metadata.shared > 232448
    assert ours.metadata.shared <= 232448
    assert "ttg.async_copy_global_to_local" in ours.asm["ttgir"]
    assert "memdesc<7x128x64xf16" in ours.asm["ttgir"]


def _mixed_gemm_source():
    """The corpus tl.load GEMM specialised like a launch with K = 300 (A's rows
    not 16-byte aligned: no cp.async) and N = 384 (B's rows aligned)."""
    from triton.compiler import ASTSource

    from benchmarks.kernels.gemm import gemm_kernel

    consts = dict(BLOCK_M=128, BLOCK_N=128, BLOCK_K=64, GROUP_M=8, EVEN_MN=False, EVEN_K=False,
                  stride_ak=1, stride_bn=1, stride_cn=1)
    sig = {n: ("constexpr" if n in consts else "*fp16" if n.endswith("_ptr") else "i32") for n in gemm_kernel.arg_names}
    aligned = ("a_ptr", "b_ptr", "c_ptr", "N", "stride_bk", "stride_cm")
    attrs = {(i, ): [["tt.divisibility", 16]] for i, n in enumerate(gemm_kernel.arg_names) if n in aligned}
    return ASTSource(gemm_kernel, sig, consts, attrs)


@pytest.mark.parametrize("target", CUDA)
def test_unaligned_load_is_register_staged_next_to_cp_async(target, capfd):
    """A load that cannot be a cp.async (Triton leaves it synchronous) is
    pipelined and register-staged by our passes, in the same loop as the
    other operand's cp.async; Triton's own pipeline has no local_store."""
    import triton
    from triton.backends.compiler import GPUTarget

    gpu = GPUTarget("cuda", int(target.split(":")[1]), 32)
    opts = {"num_warps": 8, "num_stages": 4}
    theirs = triton.compile(_mixed_gemm_source(), target=gpu, options=opts).asm["ttgir"]
    ta.enable(explain=True)
    ours = triton.compile(_mixed_gemm_source(), target=gpu, options=opts).asm["ttgir"]
    err = capfd.readouterr().err
    assert "(register-staged: local_store" in err and "[not async: cannot become a cp.async" in err, err
    loop = ours[ours.index("scf.for"):]
    assert "ttg.local_store" in loop and "ttg.async_copy_global_to_local" in loop, loop
    assert "ttg.local_store" not in theirs[theirs.index("scf.for"):]


def _ptx_code(ptx: str) -> str:
    """PTX without debug lines (locations, comments, file table)."""
    return "\n".join(line for line in ptx.splitlines()
                     if not re.match(r"\s*(\.loc\b|//|\.file\b|\$L__tmp)", line))


@pytest.mark.parametrize("name", ["tl.load fp16", "gemm_bf16_128x256x64_w8_s3_even",
                                  "gemm_desc_fp16_128x256x64_w8_s3", "gemm_desc_bf16_128x128x64_w8_s4"])
def test_benchmark_gemms_are_tritons_code_on_sm90(name, always_compile):
    """The benchmark GEMMs (cp.async and TMA loads, async wgmma) come out of our
    schedule + buffers + expansion as the same PTX as Triton's own pipeliner
    gives: on these loops parity with Triton's pipeline holds by construction.
    (The TMA views are made last load first, as Triton's lowering does; in the
    other order the fp16 descriptor GEMM's PTX differed.)"""
    import triton

    from benchmarks.kernels.corpus import BENCH_GEMM, TARGETS, corpus, gemm_entry

    if name == "tl.load fp16":  # the benchmark's fp16 GEMM (the corpus has masked ones)
        entry = gemm_entry("fp16", BENCH_GEMM, even_mn=True, even_k=True, targets=("cuda:90",))
    else:
        entry = next(e for e in corpus() if e.name == name)
    options = entry.options("cuda:90")
    reference = triton.compile(entry.source(), target=TARGETS["cuda:90"], options=options).asm["ptx"]
    ta.enable()
    ours = triton.compile(entry.source(), target=TARGETS["cuda:90"], options=options).asm
    assert "autopipe.buffers" in ours["ttgir"] or "ttg.async_copy_global_to_local" in ours["ttgir"] \
        or "async_tma_copy_global_to_local" in ours["ttgir"]
    assert ta.current_hook().applied, "our pipeline did not run"
    assert _ptx_code(ours["ptx"]) == _ptx_code(reference)
