"""Compile every corpus kernel for cuda:80, cuda:90, hip:gfx942 and hip:gfx950, on the CPU.

Each (kernel, target) is compiled twice: with Triton's own pipeline and with
autopipe (``triton_autopipe.enable()``). The autopipe cases skip only when
``triton_autopipe`` cannot be imported, and say why. No GPU is needed.

Run: ``pytest test/python/test_corpus_compile.py -q`` (about 2 minutes a pipeline
on 2 cores; ``-k triton`` or ``-k autopipe`` for one of them).
"""
from __future__ import annotations

import re

import pytest
import triton

from benchmarks.kernels.corpus import BENCH_GEMM, SHARED_LIMIT, TARGETS, CorpusEntry, corpus_cases, gemm_entry
from benchmarks.pipelines import AUTOPIPE, TRITON, Pipeline, autopipe_import_error, use

_IMPORT_ERROR = autopipe_import_error()
PIPELINES = [
    pytest.param(TRITON, id="triton"),
    pytest.param(AUTOPIPE, id="autopipe",
                 marks=pytest.mark.skipif(_IMPORT_ERROR is not None, reason=_IMPORT_ERROR or "")),
]
CASES = [pytest.param(e, t, id=f"{e.name}-{t}") for e, t in corpus_cases()]
# Our register-staged buffers (the HIP form) on CUDA as well.
REGISTERS = Pipeline("autopipe-registers", autopipe=True, enable_kwargs={"buffers": "registers"})
CUDA_CASES = [pytest.param(e, t, id=f"{e.name}-{t}") for e, t in corpus_cases() if t.startswith("cuda")]


pytestmark = pytest.mark.usefixtures("always_compile")


def _ops(ttgir: str) -> dict[str, int]:
    """Count of each dialect op in a TTGIR module (``%x = ttg.local_alloc ...`` etc.)."""
    counts: dict[str, int] = {}
    for op in re.findall(r"(?:^\s*|= )((?:tt|ttg|ttng|amdg|scf)\.[a-z_]+)", ttgir, flags=re.M):
        counts[op] = counts.get(op, 0) + 1
    return counts


def _compile(entry: CorpusEntry, target: str, pipeline: Pipeline):
    with use(pipeline):
        return triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("entry,target", CASES)
def test_compiles(entry: CorpusEntry, target: str, pipeline: Pipeline) -> None:
    compiled = _compile(entry, target, pipeline)
    binary = "cubin" if target.startswith("cuda") else "hsaco"
    assert len(compiled.asm[binary]) > 0, f"no {binary} produced"
    if pipeline.autopipe:  # (Triton's AMD pipeliner can exceed the LDS: test_hip_buffers)
        assert compiled.metadata.shared <= SHARED_LIMIT[target], "the kernel could not launch"
    ttgir = compiled.asm["ttgir"]
    ops = _ops(ttgir)

    if entry.kind == "gluon_warp_pipeline":
        assert ttgir.count("triton.warp_pipeline.stage") == entry.warp_stages, ttgir
        assert "triton.warp_pipeline.pipelined_for" in ttgir
        assert "s_setprio" in compiled.asm["amdgcn"], "stage priorities were not emitted"
        return

    if target.startswith("cuda"):
        mma = "wgmma" if target == "cuda:90" else "mma.sync"
        assert mma in compiled.asm["ptx"], f"no {mma} in the PTX"
    else:
        assert "v_mfma" in compiled.asm["amdgcn"], "no MFMA in the AMDGCN"
    if entry.pipelinable and entry.num_stages > 1:
        # Multi-buffered shared memory indexed per iteration: the loop was pipelined.
        assert ops.get("ttg.memdesc_index", 0) >= entry.loops, f"loop not pipelined: {ops}"
        if target == "cuda:90" and entry.kind == "tensor_desc":
            assert ops.get("ttng.async_tma_copy_global_to_local", 0) >= 2, f"no TMA loads in flight: {ops}"
        elif target.startswith("cuda"):
            assert ops.get("ttg.async_copy_global_to_local", 0) >= 2 * entry.loops, f"no cp.async: {ops}"


@pytest.mark.skipif(_IMPORT_ERROR is not None, reason=_IMPORT_ERROR or "")
@pytest.mark.parametrize("entry,target", CUDA_CASES)
def test_register_staged_buffers_fit(entry: CorpusEntry, target: str) -> None:
    """``buffers="registers"`` on CUDA: compiles and fits in shared memory (Triton's TMA
    scratch of a register-staged descriptor load included)."""
    compiled = _compile(entry, target, REGISTERS)
    assert len(compiled.asm["cubin"]) > 0
    assert compiled.metadata.shared <= SHARED_LIMIT[target], (
        f"{compiled.metadata.shared} bytes of shared memory: the kernel could not launch")


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_one_stage_is_not_pipelined(pipeline: Pipeline) -> None:
    """The pipelining check above can fail: with num_stages=1 nothing is multi-buffered."""
    entry = gemm_entry("fp16", BENCH_GEMM.with_stages(1), even_mn=True, even_k=True)
    ops = _ops(_compile(entry, "cuda:90", pipeline).asm["ttgir"])
    assert ops.get("ttg.memdesc_index", 0) == 0 and ops.get("ttg.async_copy_global_to_local", 0) == 0, ops
