"""Numerics of every runnable corpus kernel against torch, with Triton's pipeline and with autopipe.

Marker ``gpu``: run with ``pytest -m gpu test/python/test_gpu_numerics.py``; the
whole module skips when torch is missing or has no CUDA device. Outputs are
pre-filled with NaN so that a tile the kernel never writes fails the check.
Inputs are fresh random normals (scaled so outputs are O(1)), never zeros.

Shapes cover square, skinny and ragged problems, K not a multiple of BLOCK_K,
and trip counts smaller than the number of stages.
"""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed")
if not torch.cuda.is_available():
    pytest.skip("no CUDA GPU (torch.cuda.is_available() is False)", allow_module_level=True)

from benchmarks.kernels.attention import AttnConfig, launch_attention  # noqa: E402
from benchmarks.kernels.attention_desc import launch_attention_desc  # noqa: E402
from benchmarks.kernels.corpus import BENCH_ATTN, BENCH_GEMM, BENCH_GEMM_DESC, DEEP_GEMM, SMALL_ATTN, SMALL_GEMM  # noqa: E402
from benchmarks.kernels.gemm import GemmConfig, launch_gemm  # noqa: E402
from benchmarks.kernels.gemm_desc import launch_gemm_desc  # noqa: E402
from benchmarks.pipelines import AUTOPIPE, TRITON, Pipeline, autopipe_import_error, use  # noqa: E402

pytestmark = pytest.mark.gpu


_IMPORT_ERROR = autopipe_import_error()
PIPELINES = [
    pytest.param(TRITON, id="triton"),
    pytest.param(AUTOPIPE, id="autopipe",
                 marks=pytest.mark.skipif(_IMPORT_ERROR is not None, reason=_IMPORT_ERROR or "")),
]
_AUTOPIPE_SKIP = pytest.mark.skipif(_IMPORT_ERROR is not None, reason=_IMPORT_ERROR or "")
# Attention also under the computation-pipelining schedules (issue: loop scheduling).
ATTN_PIPELINES = PIPELINES + [
    pytest.param(Pipeline(f"autopipe-{s}", autopipe=True, enable_kwargs={"schedule": s}), id=f"autopipe-{s}",
                 marks=_AUTOPIPE_SKIP)
    for s in ("attention-a", "attention-b")
]
# Our register-staged circular buffers (the HIP form: load, local_store at the
# end of the iteration, read from the slot) on this NVIDIA GPU.
REGISTERS = pytest.param(Pipeline("autopipe-registers", autopipe=True, enable_kwargs={"buffers": "registers"}),
                         id="autopipe-registers", marks=_AUTOPIPE_SKIP)
ATTN_PIPELINES.append(REGISTERS)
# Linked slot counters (barriers="linked": Membar drops the barrier before a refill; issue #17).
LINKED = pytest.param(Pipeline("autopipe-linked", autopipe=True, enable_kwargs={"barriers": "linked"}),
                      id="autopipe-linked", marks=_AUTOPIPE_SKIP)
ATTN_PIPELINES.append(LINKED)
# GEMMs also with Triton's load lowering inside our pipeline (ours is the default).
GEMM_PIPELINES = PIPELINES + [
    pytest.param(Pipeline("autopipe-triton-loads", autopipe=True, enable_kwargs={"buffers": "triton"}),
                 id="autopipe-triton-loads", marks=_AUTOPIPE_SKIP),
    REGISTERS,
    LINKED,
]
DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16}
# (atol, rtol) against an fp32 reference, for O(1) outputs.
TOL = {torch.float16: (1e-2, 1e-2), torch.bfloat16: (3e-2, 2e-2)}
CAPABILITY = torch.cuda.get_device_capability()


@pytest.fixture(autouse=True, scope="module")
def _no_tf32():
    old = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32 = old


def _nan(shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    return torch.full(shape, float("nan"), device="cuda", dtype=dtype)


def _check(out: torch.Tensor, ref: torch.Tensor) -> None:
    nan = torch.isnan(out)
    assert not nan.any(), f"{int(nan.sum())} of {out.numel()} outputs never written (still NaN)"
    atol, rtol = TOL[out.dtype]
    torch.testing.assert_close(out.float(), ref.float(), atol=atol, rtol=rtol)


def _gemm_inputs(M: int, N: int, K: int, dtype: torch.dtype, a_col_major: bool = False):
    scale = K**-0.25  # entries of A @ B ~ N(0, 1)
    a = torch.randn((K, M) if a_col_major else (M, K), device="cuda") * scale
    a = a.t() if a_col_major else a
    b = torch.randn((K, N), device="cuda") * scale
    return a.to(dtype), b.to(dtype)


# (M, N, K, config): square; skinny; ragged M/N/K; K % BLOCK_K != 0; trip count < stages.
GEMM_CASES = [
    pytest.param(512, 512, 512, SMALL_GEMM, id="square512-small"),
    pytest.param(1024, 1024, 1024, BENCH_GEMM, id="square1024-bench"),
    pytest.param(4096, 16, 512, SMALL_GEMM, id="skinnyN16"),
    pytest.param(8, 1024, 768, DEEP_GEMM, id="skinnyM8"),
    pytest.param(1000, 700, 300, SMALL_GEMM, id="ragged-1000x700x300"),
    pytest.param(1000, 700, 300, DEEP_GEMM, id="ragged-deep"),
    pytest.param(256, 256, 200, DEEP_GEMM, id="K200-notmultiple"),
    pytest.param(256, 384, 336, DEEP_GEMM, id="K336-aligned-notmultiple"),
    pytest.param(128, 128, 32, SMALL_GEMM, id="trip1-lt-stages3"),
    pytest.param(256, 256, 128, DEEP_GEMM, id="trip2-lt-stages4"),
    pytest.param(300, 200, 100, DEEP_GEMM, id="trip2-ragged-lt-stages4"),
    # A's rows (K = 300) are not 16-byte aligned: no cp.async, register-staged
    # by autopipe; B's (N = 384) are: cp.async / direct copies. Both in one loop.
    pytest.param(256, 384, 300, DEEP_GEMM, id="mixed-staged-A-async-B"),
    pytest.param(512, 512, 300, BENCH_GEMM, id="mixed-bench"),
]


@pytest.mark.parametrize("pipeline", GEMM_PIPELINES)
@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("M,N,K,cfg", GEMM_CASES)
def test_gemm(M: int, N: int, K: int, cfg: GemmConfig, dtype: str, pipeline: Pipeline) -> None:
    dt = DTYPES[dtype]
    a, b = _gemm_inputs(M, N, K, dt)
    out = _nan((M, N), dt)
    with use(pipeline):
        launch_gemm(a, b, out, cfg)
    _check(out, torch.matmul(a.float(), b.float()))


@_AUTOPIPE_SKIP
@pytest.mark.parametrize("buffers", ["autopipe", "registers"])
@pytest.mark.parametrize("dtype", list(DTYPES))
# Tiles with K >= 2 x 32 and K a multiple of 16 (Triton's divisibility
# specialization: otherwise the loads are not known to be aligned, are not
# pipelined on CUDA, and there are no shared-memory operands to split).
@pytest.mark.parametrize("M,N,K,cfg", [c for c in GEMM_CASES if c.values[3] is not SMALL_GEMM
                                       and c.values[2] % 16 == 0])
def test_gemm_mma_v2_double_buffered_operands(M: int, N: int, K: int, cfg: GemmConfig, dtype: str, buffers: str,
                                              monkeypatch) -> None:
    """Our shared->register double buffering (autopipe-double-buffer-operands)
    on mma.sync: Triton's DISABLE_MMA_V3 makes this GPU use mma.sync, whose
    operands come from registers; the dot must have been split along K."""
    monkeypatch.setenv("DISABLE_MMA_V3", "1")
    dt = DTYPES[dtype]
    a, b = _gemm_inputs(M, N, K, dt)
    out = _nan((M, N), dt)
    pipeline = Pipeline(f"autopipe-s2r-{buffers}", autopipe=True, enable_kwargs={"s2r": "autopipe", "buffers": buffers})
    with use(pipeline):
        kernel = launch_gemm(a, b, out, cfg)
    _check(out, torch.matmul(a.float(), b.float()))
    assert "mma.sync" in kernel.asm["ptx"] and "wgmma" not in kernel.asm["ptx"]
    assert "ttg.memdesc_subslice" in kernel.asm["ttgir"]


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_gemm_column_major_a(pipeline: Pipeline) -> None:
    a, b = _gemm_inputs(640, 384, 320, torch.float16, a_col_major=True)
    assert a.stride(0) == 1
    out = _nan((640, 384), torch.float16)
    with use(pipeline):
        launch_gemm(a, b, out, DEEP_GEMM)
    _check(out, torch.matmul(a.float(), b.float()))


# TMA needs 16-byte aligned rows: K and N multiples of 8 (fp16/bf16).
DESC_CASES = [
    pytest.param(512, 512, 512, DEEP_GEMM, id="square512"),
    pytest.param(1024, 1024, 1024, BENCH_GEMM_DESC, id="square1024-bench"),
    pytest.param(4096, 16, 512, DEEP_GEMM, id="skinnyN16"),
    pytest.param(8, 1024, 768, DEEP_GEMM, id="skinnyM8"),
    pytest.param(1000, 696, 328, DEEP_GEMM, id="ragged-1000x696x328"),
    pytest.param(256, 256, 200, DEEP_GEMM, id="K200-notmultiple"),
    pytest.param(256, 256, 64, DEEP_GEMM, id="trip1-lt-stages4"),
    pytest.param(200, 136, 120, GemmConfig(64, 64, 32, group_m=4, num_warps=4, num_stages=5), id="trip4-lt-stages5"),
]


@pytest.mark.skipif(CAPABILITY < (9, 0), reason="tensor-descriptor GEMM targets sm90")
@pytest.mark.parametrize("pipeline", PIPELINES + [REGISTERS])
@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("M,N,K,cfg", DESC_CASES)
def test_gemm_desc(M: int, N: int, K: int, cfg: GemmConfig, dtype: str, pipeline: Pipeline) -> None:
    dt = DTYPES[dtype]
    a, b = _gemm_inputs(M, N, K, dt)
    out = _nan((M, N), dt)
    with use(pipeline):
        launch_gemm_desc(a, b, out, cfg)
    _check(out, torch.matmul(a.float(), b.float()))


@_AUTOPIPE_SKIP
@pytest.mark.skipif(CAPABILITY < (9, 0), reason="tensor-descriptor GEMM targets sm90")
@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("M,N,K,cfg", DESC_CASES)
def test_gemm_desc_mma_v2_register_staged(M: int, N: int, K: int, cfg: GemmConfig, dtype: str, monkeypatch) -> None:
    """Descriptor loads whose tiles go to registers (mma.sync, here through
    Triton's DISABLE_MMA_V3) cannot be TMA copies; ours register-stages them."""
    monkeypatch.setenv("DISABLE_MMA_V3", "1")
    dt = DTYPES[dtype]
    a, b = _gemm_inputs(M, N, K, dt)
    out = _nan((M, N), dt)
    with use(Pipeline("autopipe-desc-mma-v2", autopipe=True, enable_kwargs={"s2r": "off"})):
        kernel = launch_gemm_desc(a, b, out, cfg)
    _check(out, torch.matmul(a.float(), b.float()))
    assert "mma.sync" in kernel.asm["ptx"]
    loop = kernel.asm["ttgir"][kernel.asm["ttgir"].index("scf.for"):]
    assert "ttg.local_store" in loop, loop


# (batch, heads, seq, config): even; ragged seq; seq below one block (trip 1 < stages).
ATTN_CASES = [
    pytest.param(2, 3, 512, SMALL_ATTN, id="seq512"),
    pytest.param(1, 2, 1000, SMALL_ATTN, id="seq1000-ragged"),
    pytest.param(2, 2, 130, SMALL_ATTN, id="seq130-ragged"),
    pytest.param(1, 2, 64, SMALL_ATTN, id="seq64-trip1"),
    pytest.param(1, 1, 37, SMALL_ATTN, id="seq37-partial-block"),
    pytest.param(1, 4, 1024, "bench", id="seq1024-bench"),
    pytest.param(1, 2, 300, "bench", id="seq300-bench-ragged"),
]


@pytest.mark.parametrize("pipeline", ATTN_PIPELINES)
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
@pytest.mark.parametrize("head_dim", [64, 128])
@pytest.mark.parametrize("B,H,N,cfg", ATTN_CASES)
def test_attention(B: int, H: int, N: int, cfg: AttnConfig | str, head_dim: int, causal: bool,
                   pipeline: Pipeline) -> None:
    config = BENCH_ATTN[head_dim] if cfg == "bench" else cfg
    dt = torch.float16
    q, k, v = (torch.randn((B, H, N, head_dim), device="cuda", dtype=dt) for _ in range(3))
    out = _nan((B, H, N, head_dim), dt)
    with use(pipeline):
        launch_attention(q, k, v, out, causal, config)
    ref = torch.nn.functional.scaled_dot_product_attention(q.float(), k.float(), v.float(), is_causal=causal)
    _check(out, ref)


@pytest.mark.parametrize("pipeline", ATTN_PIPELINES)
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
def test_attention_bf16(causal: bool, pipeline: Pipeline) -> None:
    q, k, v = (torch.randn((2, 2, 777, 128), device="cuda", dtype=torch.bfloat16) for _ in range(3))
    out = _nan(q.shape, torch.bfloat16)
    with use(pipeline):
        launch_attention(q, k, v, out, causal, SMALL_ATTN)
    ref = torch.nn.functional.scaled_dot_product_attention(q.float(), k.float(), v.float(), is_causal=causal)
    _check(out, ref)


# Descriptor attention: seq a multiple of the blocks; trip counts 1 (seq 128 at
# BLOCK_N 128, and the causal diagonal loop), 2 and many.
DESC_ATTN_CASES = [
    pytest.param(1, 2, 128, id="seq128-trip1"),
    pytest.param(2, 3, 256, id="seq256"),
    pytest.param(1, 4, 2048, id="seq2048"),
]


@pytest.mark.parametrize("pipeline", ATTN_PIPELINES)
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
@pytest.mark.parametrize("head_dim", [64, 128])
@pytest.mark.parametrize("B,H,N", DESC_ATTN_CASES)
def test_attention_desc(B: int, H: int, N: int, head_dim: int, causal: bool, pipeline: Pipeline) -> None:
    """The tensor-descriptor kernel (TMA K/V loads on sm90) under every schedule."""
    q, k, v = (torch.randn((B, H, N, head_dim), device="cuda", dtype=torch.float16) for _ in range(3))
    out = _nan((B, H, N, head_dim), torch.float16)
    with use(pipeline):
        launch_attention_desc(q, k, v, out, causal, BENCH_ATTN[head_dim])
    ref = torch.nn.functional.scaled_dot_product_attention(q.float(), k.float(), v.float(), is_causal=causal)
    _check(out, ref)


# The bar's configs (profile `bar` of benchmarks/device.sh) under the wgmma wait modes: auto (which takes the synchronous
# form, with its lowering reused from the trial, on the first two: 2 CTAs an SM), async_dots=off, and the
# attention schedules with Triton's waits (two loops when causal: the first loop's buffers must not stay
# allocated across the second).
BAR_ATTN_CONFIGS = [
    pytest.param(128, AttnConfig(128, 64, num_warps=8, num_stages=2), id="d128-128x64w8s2"),
    pytest.param(64, AttnConfig(128, 128, num_warps=8, num_stages=3), id="d64-128x128w8s3"),
    pytest.param(128, AttnConfig(128, 128, num_warps=8, num_stages=3), id="d128-128x128w8s3"),
]
WAIT_MODES = [
    pytest.param(Pipeline(f"autopipe-{s}-{a}", autopipe=True, enable_kwargs={"schedule": s, "async_dots": a}),
                 id=f"autopipe-{s}-{a}", marks=_AUTOPIPE_SKIP)
    for s, a in (("auto", "auto"), ("auto", "off"), ("attention-a", "triton"), ("attention-b", "triton"),
                 ("attention-b", "autopipe"))
]


@pytest.mark.parametrize("pipeline", WAIT_MODES)
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
@pytest.mark.parametrize("head_dim,cfg", BAR_ATTN_CONFIGS)
@pytest.mark.parametrize("B,H,N", [pytest.param(1, 2, 256, id="seq256"), pytest.param(1, 4, 2048, id="seq2048")])
def test_attention_desc_wait_modes(B: int, H: int, N: int, head_dim: int, cfg: AttnConfig, causal: bool,
                                   pipeline: Pipeline) -> None:
    q, k, v = (torch.randn((B, H, N, head_dim), device="cuda", dtype=torch.float16) for _ in range(3))
    out = _nan((B, H, N, head_dim), torch.float16)
    with use(pipeline):
        launch_attention_desc(q, k, v, out, causal, cfg)
    ref = torch.nn.functional.scaled_dot_product_attention(q.float(), k.float(), v.float(), is_causal=causal)
    _check(out, ref)


@_AUTOPIPE_SKIP
@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("M,N,K", [(512, 512, 512), (384, 640, 200)], ids=["square512", "ragged-K200"])
def test_gemm_auto_pipeline_decorator(M: int, N: int, K: int, dtype: str) -> None:
    """``@auto_pipeline(global_to_shared_stages=4)`` on the GEMM kernel, with our
    hook otherwise off: 4-slot buffers in the launched kernel, numerics of torch."""
    import triton_autopipe as ta

    from benchmarks.kernels.gemm import gemm_kernel

    ta.disable()
    a, b = _gemm_inputs(M, N, K, DTYPES[dtype])
    out = _nan((M, N), DTYPES[dtype])
    kernel = launch_gemm(a, b, out, BENCH_GEMM, kernel=ta.auto_pipeline(global_to_shared_stages=4)(gemm_kernel))
    _check(out, torch.matmul(a.float(), b.float()))
    assert "!ttg.memdesc<4x" in kernel.asm["ttgir"] and not ta.is_enabled()


@_AUTOPIPE_SKIP
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
def test_attention_desc_auto_pipeline_decorator(causal: bool) -> None:
    """``@auto_pipeline(schedule="attention-a")`` on the TMA attention kernel."""
    import triton_autopipe as ta

    from benchmarks.kernels.attention_desc import attn_desc_kernel

    ta.disable()
    q, k, v = (torch.randn((1, 2, 512, 64), device="cuda", dtype=torch.float16) for _ in range(3))
    out = _nan(tuple(q.shape), torch.float16)
    launch_attention_desc(q, k, v, out, causal, BENCH_ATTN[64],
                          kernel=ta.auto_pipeline(schedule="attention-a")(attn_desc_kernel))
    ref = torch.nn.functional.scaled_dot_product_attention(q.float(), k.float(), v.float(), is_causal=causal)
    _check(out, ref)


@_AUTOPIPE_SKIP
@pytest.mark.parametrize("M,N,K", [(512, 512, 512), (384, 640, 200)], ids=["square512", "ragged-K200"])
def test_gemm_pipeline_config_below_jit(M: int, N: int, K: int) -> None:
    """Triton PR #327's order: ``@triton.jit`` over ``@auto_pipeline(PipelineConfig(...))`` (issue #18), with our
    hook otherwise off: 4-slot buffers and no S2R split in the launched kernel, numerics of torch."""
    import triton
    import triton_autopipe as ta
    from triton_autopipe import PipelineConfig

    from benchmarks.kernels.gemm import gemm_kernel

    ta.disable()
    config = PipelineConfig(global_to_shared_stages=4, shared_to_register_stages=1, enable_async_copy=True)
    kernel = triton.jit(ta.auto_pipeline(config)(gemm_kernel.fn))
    a, b = _gemm_inputs(M, N, K, torch.float16)
    out = _nan((M, N), torch.float16)
    compiled = launch_gemm(a, b, out, BENCH_GEMM, kernel=kernel)
    _check(out, torch.matmul(a.float(), b.float()))
    assert "!ttg.memdesc<4x" in compiled.asm["ttgir"] and not ta.is_enabled()


@_AUTOPIPE_SKIP
def test_gemm_pipeline_autotune(tmp_path, monkeypatch) -> None:
    """``@auto_pipeline(configs=[...], key=[...])`` times three pipeline configs on the GPU, keeps one per key,
    computes what torch does with it and reuses the choice from disk in a fresh tuner (issue #18's bar)."""
    import triton
    import triton_autopipe as ta
    from triton_autopipe import PipelineConfig, tuning

    from benchmarks.kernels.gemm import gemm_kernel

    ta.disable()
    monkeypatch.setattr(triton.knobs.cache, "dir", str(tmp_path))
    configs = [PipelineConfig(global_to_shared_stages=s) for s in (2, 3, 4)]
    a, b = _gemm_inputs(1024, 1024, 1024, torch.float16)
    out = _nan((1024, 1024), torch.float16)
    tuned = ta.auto_pipeline(configs=configs, key=["K"])(gemm_kernel)
    launch_gemm(a, b, out, BENCH_GEMM, kernel=tuned)
    _check(out, torch.matmul(a.float(), b.float()))
    args = (a, b, out, 1024, 1024, 1024)
    picked = tuned.picked(*args)
    assert picked in configs
    # A second tuner (as in a new process) reads the choice from disk and times nothing.
    timed = []
    monkeypatch.setattr(tuning, "bench", lambda fn, *a, **k: timed.append(fn) or 1.0)
    again = ta.auto_pipeline(configs=configs, key=["K"])(gemm_kernel)
    out2 = _nan((1024, 1024), torch.float16)
    launch_gemm(a, b, out2, BENCH_GEMM, kernel=again)
    assert again.picked(*args) == picked and not timed
    _check(out2, torch.matmul(a.float(), b.float()))


def test_nan_prefill_catches_unwritten_tiles() -> None:
    """The check can fail: a launch that covers only part of C leaves NaN behind."""
    a, b = _gemm_inputs(256, 256, 128, torch.float16)
    out = _nan((256, 256), torch.float16)
    launch_gemm(a[:128], b, out[:128], SMALL_GEMM)  # rows 128.. are never written
    with pytest.raises(AssertionError, match="never written"):
        _check(out, torch.matmul(a.float(), b.float()))
