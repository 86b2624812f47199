"""AMD warp pipeline with the hook on: our autopipe-warp-pipeline-regions and
autopipe-lower-warp-pipeline replace Triton's tritonamdgpu-warp-pipeline and
convert-warp-pipeline on the HIP path, for Gluon and Triton kernels.

No AMD GPU is needed (or available here): kernels are compiled on the CPU for
gfx942 and gfx950 and the checks read the IR and the AMDGCN text. Runtime
correctness on a GPU is not tested.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import triton
from triton import knobs
from triton.backends.compiler import GPUTarget

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "test" / "lit" / "Inputs"
ARCHS = ["gfx942", "gfx950"]

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import amd_warp_pipeline, plugin  # noqa: E402

from benchmarks.kernels.gluon_amd import GLUON_KERNELS, gluon_signature  # noqa: E402


def _compile_gluon(name: str, arch: str, num_warps: int = 4):
    from triton.experimental.gluon._runtime import GluonASTSource

    kernel = GLUON_KERNELS[name]
    sig, consts = gluon_signature(kernel, "fp16" if arch == "gfx942" else "bf16", 128, 128, 64,
                                  {"gfx942": 3, "gfx950": 4}[arch])
    return triton.compile(GluonASTSource(kernel, sig, consts), target=GPUTarget("hip", arch, 64),
                          options={"num_warps": num_warps})


def _blocks(amdgcn: str) -> list[dict]:
    """Basic blocks of an AMDGCN listing: label, the comment on its label line
    (LLVM marks loop blocks there) and its instructions."""
    blocks: list[dict] = []
    for line in amdgcn.splitlines():
        m = re.match(r"^(\.LBB\d+_\d+|; %bb\.\d+):(.*)$", line)
        if m:
            blocks.append({"label": m.group(1), "comment": m.group(2), "ins": []})
            continue
        text = line.split(";")[0].strip()
        if blocks and text and not text.startswith("."):
            blocks[-1]["ins"].append(text)
    return blocks


def _schedule(amdgcn: str) -> dict:
    """What the leap-frog schedule looks like in machine code: s_barrier and
    s_setprio per iteration of the (single) loop, and the conditional barriers
    (a block that is only `s_barrier`, branched over by `s_cbranch_execz`)
    outside the loop, with their position relative to the loop's blocks."""
    blocks = _blocks(amdgcn)
    loop = [i for i, b in enumerate(blocks) if "Loop Header" in b["comment"] or "in Loop:" in b["comment"]]
    assert loop, "no loop in the AMDGCN"
    body = [ins for i in loop for ins in blocks[i]["ins"]]
    cond = [i for i, b in enumerate(blocks)
            if i not in loop and b["ins"] == ["s_barrier"] and blocks[i - 1]["ins"]
            and blocks[i - 1]["ins"][-1].startswith("s_cbranch_execz")]
    return {
        "barriers": body.count("s_barrier"),
        "setprio": sorted(ins for ins in body if ins.startswith("s_setprio")),
        "cond_before": [i for i in cond if i < min(loop)],
        "cond_after": [i for i in cond if i > max(loop)],
    }


@pytest.fixture
def hook_on(tmp_path, monkeypatch):
    """Our hook on (and nothing else), a private cache; restored afterwards."""
    monkeypatch.setenv("TRITON_CACHE_DIR", str(tmp_path / "cache"))
    ta.disable()
    saved = knobs.runtime.add_stages_inspection_hook
    knobs.runtime.add_stages_inspection_hook = None
    ta.enable(explain=False)
    yield
    ta.disable()
    knobs.runtime.add_stages_inspection_hook = saved


# name, stages, priorities set inside the loop (one per boundary)
GLUON_CASES = [
    ("gluon_gemm_2stage", 2, ["s_setprio 0", "s_setprio 1"]),
    ("gluon_gemm_3stage", 3, ["s_setprio 0", "s_setprio 0", "s_setprio 1"]),
]


@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("name,stages,prios", GLUON_CASES)
def test_gluon_amdgcn_schedule(hook_on, arch, name, stages, prios):
    """One s_barrier per stage boundary per iteration, the stages' priorities,
    and the conditional barrier that holds the second warp group back before
    the loop and lets it reconverge after it."""
    runs = amd_warp_pipeline.runs
    k = _compile_gluon(name, arch)
    assert amd_warp_pipeline.runs == runs + 1  # our lowering ran on this kernel
    ttgir = k.asm["ttgir"]
    # Stage regions made by our regions pass (Triton's pass is not in the list).
    assert ttgir.count("triton.warp_pipeline.stage =") == stages
    assert "triton.warp_pipeline.pipelined_for" in ttgir
    assert "triton.warp_pipeline.border" not in ttgir
    s = _schedule(k.asm["amdgcn"])
    assert s["barriers"] == stages
    assert s["setprio"] == prios
    assert len(s["cond_before"]) == 1 and len(s["cond_after"]) == 1
    amdgcn = k.asm["amdgcn"]
    assert "s_setprio 1" in amdgcn
    # Warp-group id: thread id compared with 256 (4 waves of 64 lanes).
    assert "0x100" in amdgcn or "0xff" in amdgcn


@pytest.mark.parametrize("arch", ARCHS)
def test_gluon_two_warp_groups(hook_on, arch):
    """8 warps = two leap-frogging groups of 4: still exactly one barrier per
    stage boundary per iteration (our LDS fences leave Membar nothing to add
    inside a stage)."""
    k = _compile_gluon("gluon_gemm_3stage", arch, num_warps=8)
    s = _schedule(k.asm["amdgcn"])
    assert s["barriers"] == 3
    assert len(s["cond_before"]) == 1 and len(s["cond_after"]) == 1


def test_lds_fences_in_llvm_ir(hook_on):
    """The 3-stage kernel writes LDS in stage "lds" that stage "compute" of the
    next iteration reads (and "compute" reads what "lds" overwrites): two of the
    three boundaries carry a workgroup fence; the one after "global" (no LDS
    access) is a bare s_barrier."""
    k = _compile_gluon("gluon_gemm_3stage", "gfx950")
    llir = k.asm["llir"]
    loop = llir[llir.index(".lr.ph"):]
    loop = loop[:loop.index("._crit_edge:")] if "._crit_edge:" in loop else loop
    barriers = [m.start() for m in re.finditer(r"call void @llvm\.amdgcn\.s\.barrier\(\)", loop)]
    assert len(barriers) == 3
    fenced = [b for b in barriers if 'fence syncscope("workgroup") release' in loop[max(0, b - 200):b]]
    assert len(fenced) == 2


def _triton_context():
    from triton._C.libtriton import amd, ir, nvidia

    ctx = ir.context()
    ir.load_dialects(ctx)
    amd.load_dialects(ctx)
    nvidia.load_dialects(ctx)
    return ctx


def _ops(text: str) -> dict[str, int]:
    """How many times each op appears in printed IR (order and constant
    placement aside: Triton's pattern drivers fold and hoist constants)."""
    counts: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(r"^\s*(?:%[^=]+=\s*)?([a-z_]+\.[a-z_.]+)", line)
        if m and m.group(1) != "arith.constant":
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return counts


def _run(mod, add, ctx) -> str:
    from triton._C.libtriton import ir

    pm = ir.pass_manager(ctx)
    add(pm)
    pm.run(mod, "test")
    return str(mod)


@pytest.mark.parametrize("name,arch", [("2stage", "gfx942"), ("3stage", "gfx950")])
def test_triton_passes_leave_our_loops_alone(name, arch):
    """Triton's tritonamdgpu-warp-pipeline after our regions pass, and its
    convert-warp-pipeline after our lowering, add or remove no op (they may
    fold constants). Its conversion does rewrite our regions before our
    lowering: the check can fail."""
    from triton._C.libtriton import amd, ir

    ctx = _triton_context()
    mod = ir.parse_mlir_module(str(INPUTS / f"gluon-warp-pipeline-{name}-{arch}.ttgir"), ctx)
    regions = _run(mod, lambda pm: plugin.add_pass(pm, amd_warp_pipeline.REGIONS), ctx)
    assert "triton.warp_pipeline.pipelined_for" in regions
    assert _ops(_run(mod, amd.passes.ttgpuir.add_warp_pipeline, ctx)) == _ops(regions)

    probe = ir.parse_mlir_module(str(INPUTS / f"gluon-warp-pipeline-{name}-{arch}.ttgir"), ctx)
    _run(probe, lambda pm: plugin.add_pass(pm, amd_warp_pipeline.REGIONS), ctx)
    triton_lowered = _run(probe, lambda pm: amd.passes.ttgpuir.add_warp_pipeline_conversion(pm, arch), ctx)
    assert _ops(triton_lowered) != _ops(regions) and "amdg.cond_barrier" in triton_lowered

    ours = _run(mod, lambda pm: plugin.add_pass(pm, amd_warp_pipeline.LOWER), ctx)
    assert ours.count("amdg.cond_barrier") == 2
    after = _run(mod, lambda pm: amd.passes.ttgpuir.add_warp_pipeline_conversion(pm, arch), ctx)
    assert _ops(after) == _ops(ours)
    assert after.count("amdg.cond_barrier") == 2


def test_pipeline_dump_shows_only_our_passes(tmp_path):
    """End to end (MLIR_ENABLE_DUMP): with the flag on, Triton's
    tritonamdgpu-warp-pipeline never runs, ours do, and the module reaching
    Triton's convert-warp-pipeline has no pipelined loop or stage left."""
    script = (
        "import sys; sys.path[:0] = [%r, %r]\n"
        "import triton_autopipe as ta; ta.enable()\n"
        "from test_warp_pipeline import _compile_gluon\n"
        "_compile_gluon('gluon_gemm_3stage', 'gfx942')\n") % (str(ROOT), str(Path(__file__).parent))
    # The child imports the same triton_autopipe as this process.
    env = dict(os.environ, MLIR_ENABLE_DUMP="1", TRITON_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=str(Path(ta.__file__).resolve().parents[1]))
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    dump = proc.stderr
    headers = re.findall(r"IR Dump Before (\S+)", dump)
    assert "TritonAMDGPUWarpPipeline" not in " ".join(headers)
    assert any("WarpPipelineRegionsPass" in h for h in headers)
    assert any("LowerWarpPipelinePass" in h for h in headers)
    start = dump.index("IR Dump Before ConvertWarpPipeline")
    section = dump[start:dump.index("// -----// IR Dump", start + 10)]
    assert "triton.warp_pipeline" not in section and "scf.execute_region" not in section
    assert section.count("amdg.cond_barrier") == 2


@pytest.mark.parametrize("arch", ARCHS)
def test_triton_gemm_unaffected(hook_on, arch):
    """A plain Triton GEMM (no warp_pipeline_stage) goes through our llir
    stage too, where our passes find nothing to do: no stage regions, no
    pipelined loop. (Its AMDGCN may still hold conditional barriers: those of
    Triton's block-pingpong schedule, which stays as it is.)"""
    sys.path.insert(0, str(ROOT / "examples"))
    import compile_gemm

    runs = amd_warp_pipeline.runs
    k = compile_gemm.compile_gemm(f"hip:{arch}")
    assert amd_warp_pipeline.runs == runs + 1
    assert f"hip:{arch}" in ta.current_hook().applied
    assert "triton.warp_pipeline" not in k.asm["ttgir"]
    assert "hsaco" in k.asm


def test_auto_partition_triton_gemm(hook_on, monkeypatch):
    """TRITON_AUTOPIPE_AMD_WARP_PIPELINE=auto: the 8-warp Triton GEMM on gfx942
    runs without block-pingpong and its loop becomes a 3-stage warp pipeline
    (load / compute / store): three barriers and priorities per iteration, the
    conditional barriers around the loop, and no barrier added by Membar
    inside a stage. The switch is part of the compile cache key."""
    sys.path.insert(0, str(ROOT / "examples"))
    import compile_gemm

    key_off = knobs.runtime.add_stages_inspection_hook()[0]
    monkeypatch.setenv(amd_warp_pipeline.AUTO_ENV, "auto")
    assert knobs.runtime.add_stages_inspection_hook()[0] != key_off
    k = compile_gemm.compile_gemm("hip:gfx942")
    assert 'triton.warp_pipeline.stage' not in k.asm["ttgir"]  # regions are made at llir time
    s = _schedule(k.asm["amdgcn"])
    assert s["barriers"] == 3
    assert s["setprio"] == ["s_setprio 0", "s_setprio 0", "s_setprio 1"]
    assert len(s["cond_before"]) == 1 and len(s["cond_after"]) == 1


def test_auto_partition_off_by_default(hook_on, monkeypatch):
    """Without the switch the same kernel gets no warp-group schedule from us."""
    sys.path.insert(0, str(ROOT / "examples"))
    import compile_gemm

    monkeypatch.delenv(amd_warp_pipeline.AUTO_ENV, raising=False)
    k = compile_gemm.compile_gemm("hip:gfx942")
    s = _schedule(k.asm["amdgcn"])
    assert s["setprio"] == [] and s["cond_before"] == []
