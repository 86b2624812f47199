"""Gluon GEMMs for AMD CDNA3/CDNA4 (gfx942, gfx950) with hand-placed warp-pipeline stages.

These are compile-time corpus entries: the stages marked with
``gl.amd.warp_pipeline_stage`` become ``rocdl.sched.barrier`` borders that
Triton's ``tritonamdgpu-warp-pipeline`` pass turns into ``scf.execute_region``
stages. Both kernels compute ``C = A @ B`` for row-major fp16/bf16 A[M, K],
B[K, N], C[M, N] with fp32 accumulation, masking ragged M, N and K.

* :func:`gluon_gemm_2stage` -- one LDS buffer; stages "memory" (global loads,
  LDS writes) and "compute" (LDS reads, MFMA).
* :func:`gluon_gemm_3stage` -- two LDS buffers; stages "global" (prefetch the
  next K block into registers), "compute" (MFMA on the current buffer) and
  "lds" (write the prefetched block to the other buffer).

Example (CPU, compile only)::

    import triton
    from triton.backends.compiler import GPUTarget
    from triton.experimental.gluon._runtime import GluonASTSource
    from benchmarks.kernels.gluon_amd import gluon_gemm_2stage, gluon_signature
    sig, const = gluon_signature(gluon_gemm_2stage, "fp16", 128, 128, 64, mfma_version=3)
    triton.compile(GluonASTSource(gluon_gemm_2stage, sig, const), target=GPUTarget("hip", "gfx942", 64),
                   options={"num_warps": 4})
"""
from __future__ import annotations

from typing import Any

from triton.experimental import gluon
from triton.experimental.gluon import language as gl


@gluon.constexpr_function
def _mfma_layout(version, num_warps):
    """MFMA accumulator layout: 32x32 instructions, warps split 2 x (num_warps / 2)."""
    k = 8 if version == 3 else 16
    return gl.amd.AMDMFMALayout(version=version, instr_shape=[32, 32, k], transposed=True,
                                warps_per_cta=[2, num_warps // 2])


@gluon.constexpr_function
def _k_width(version):
    """Elements per thread along K in an MFMA operand (fp16/bf16)."""
    return 4 if version == 3 else 8


@gluon.constexpr_function
def _row_major_blocked(num_warps):
    """Coalesced layout for a row-major tile: 8 contiguous elements per thread, 64 lanes."""
    return gl.BlockedLayout(size_per_thread=[1, 8], threads_per_warp=[8, 8], warps_per_cta=[num_warps, 1],
                            order=[1, 0])


@gluon.constexpr_function
def _swizzled(order_fast):
    """Swizzled LDS layout (16-byte vectors) with the given fastest dimension."""
    return gl.SwizzledSharedLayout(vec=8, per_phase=1, max_phase=8, order=[order_fast, 1 - order_fast])


@gluon.jit
def _tile_ptrs(base, row0, col0, stride, ROWS: gl.constexpr, COLS: gl.constexpr, layout: gl.constexpr):
    """Pointers and (row, col) indices of a ROWS x COLS tile of a row-major matrix."""
    rows = row0 + gl.arange(0, ROWS, layout=gl.SliceLayout(1, layout))
    cols = col0 + gl.arange(0, COLS, layout=gl.SliceLayout(0, layout))
    return base + rows[:, None] * stride + cols[None, :], rows, cols


@gluon.jit
def _store_c(c_ptr, acc, M, N, stride_cm, pid_m, pid_n, BLOCK_M: gl.constexpr, BLOCK_N: gl.constexpr,
             layout: gl.constexpr):
    c_ptrs, rows, cols = _tile_ptrs(c_ptr, pid_m * BLOCK_M, pid_n * BLOCK_N, stride_cm, BLOCK_M, BLOCK_N, layout)
    c = gl.convert_layout(acc.to(c_ptr.dtype.element_ty), layout)
    gl.store(c_ptrs, c, mask=(rows[:, None] < M) & (cols[None, :] < N))


@gluon.jit
def gluon_gemm_2stage(a_ptr, b_ptr, c_ptr, M, N, K, stride_am, stride_bk, stride_cm,  #
                      BLOCK_M: gl.constexpr, BLOCK_N: gl.constexpr, BLOCK_K: gl.constexpr,  #
                      MFMA_VERSION: gl.constexpr):
    """Single-buffered LDS GEMM; the K loop carries two warp-pipeline stages."""
    NUM_WARPS: gl.constexpr = gl.num_warps()
    blocked: gl.constexpr = _row_major_blocked(NUM_WARPS)
    mfma: gl.constexpr = _mfma_layout(MFMA_VERSION, NUM_WARPS)
    dot_a: gl.constexpr = gl.DotOperandLayout(operand_index=0, parent=mfma, k_width=_k_width(MFMA_VERSION))
    dot_b: gl.constexpr = gl.DotOperandLayout(operand_index=1, parent=mfma, k_width=_k_width(MFMA_VERSION))

    pid_m = gl.program_id(0)
    pid_n = gl.program_id(1)
    a_ptrs, a_rows, a_cols = _tile_ptrs(a_ptr, pid_m * BLOCK_M, 0, stride_am, BLOCK_M, BLOCK_K, blocked)
    b_ptrs, b_rows, b_cols = _tile_ptrs(b_ptr, 0, pid_n * BLOCK_N, stride_bk, BLOCK_K, BLOCK_N, blocked)
    lds_a = gl.allocate_shared_memory(a_ptr.dtype.element_ty, [BLOCK_M, BLOCK_K], _swizzled(1))
    lds_b = gl.allocate_shared_memory(b_ptr.dtype.element_ty, [BLOCK_K, BLOCK_N], _swizzled(1))

    acc = gl.zeros((BLOCK_M, BLOCK_N), gl.float32, mfma)
    for k0 in range(0, K, BLOCK_K):
        with gl.amd.warp_pipeline_stage("memory", priority=1):
            a = gl.load(a_ptrs, mask=(a_rows[:, None] < M) & (a_cols[None, :] < K - k0), other=0.0)
            b = gl.load(b_ptrs, mask=(b_rows[:, None] < K - k0) & (b_cols[None, :] < N), other=0.0)
            lds_a.store(a)
            lds_b.store(b)
            a_ptrs += BLOCK_K
            b_ptrs += BLOCK_K * stride_bk
        with gl.amd.warp_pipeline_stage("compute", priority=0):
            acc = gl.amd.cdna3.mfma(lds_a.load(dot_a), lds_b.load(dot_b), acc)
    _store_c(c_ptr, acc, M, N, stride_cm, pid_m, pid_n, BLOCK_M, BLOCK_N, blocked)


@gluon.jit
def gluon_gemm_3stage(a_ptr, b_ptr, c_ptr, M, N, K, stride_am, stride_bk, stride_cm,  #
                      BLOCK_M: gl.constexpr, BLOCK_N: gl.constexpr, BLOCK_K: gl.constexpr,  #
                      MFMA_VERSION: gl.constexpr):
    """Double-buffered LDS GEMM: prefetch / MFMA / LDS write as three warp-pipeline stages."""
    NUM_WARPS: gl.constexpr = gl.num_warps()
    blocked: gl.constexpr = _row_major_blocked(NUM_WARPS)
    mfma: gl.constexpr = _mfma_layout(MFMA_VERSION, NUM_WARPS)
    dot_a: gl.constexpr = gl.DotOperandLayout(operand_index=0, parent=mfma, k_width=_k_width(MFMA_VERSION))
    dot_b: gl.constexpr = gl.DotOperandLayout(operand_index=1, parent=mfma, k_width=_k_width(MFMA_VERSION))

    pid_m = gl.program_id(0)
    pid_n = gl.program_id(1)
    a_ptrs, a_rows, a_cols = _tile_ptrs(a_ptr, pid_m * BLOCK_M, 0, stride_am, BLOCK_M, BLOCK_K, blocked)
    b_ptrs, b_rows, b_cols = _tile_ptrs(b_ptr, 0, pid_n * BLOCK_N, stride_bk, BLOCK_K, BLOCK_N, blocked)
    lds_a = gl.allocate_shared_memory(a_ptr.dtype.element_ty, [2, BLOCK_M, BLOCK_K], _swizzled(1))
    lds_b = gl.allocate_shared_memory(b_ptr.dtype.element_ty, [2, BLOCK_K, BLOCK_N], _swizzled(1))

    # Prologue: K block 0 into buffer 0.
    a = gl.load(a_ptrs, mask=(a_rows[:, None] < M) & (a_cols[None, :] < K), other=0.0)
    b = gl.load(b_ptrs, mask=(b_rows[:, None] < K) & (b_cols[None, :] < N), other=0.0)
    lds_a.index(0).store(a)
    lds_b.index(0).store(b)

    acc = gl.zeros((BLOCK_M, BLOCK_N), gl.float32, mfma)
    n_k = gl.cdiv(K, BLOCK_K)
    for i in range(0, n_k):
        cur = i % 2
        with gl.amd.warp_pipeline_stage("global", priority=1):
            # Block i + 1 (all-masked, hence harmless, on the last iteration).
            k_next = (i + 1) * BLOCK_K
            a_ptrs += BLOCK_K
            b_ptrs += BLOCK_K * stride_bk
            a = gl.load(a_ptrs, mask=(a_rows[:, None] < M) & (a_cols[None, :] < K - k_next), other=0.0)
            b = gl.load(b_ptrs, mask=(b_rows[:, None] < K - k_next) & (b_cols[None, :] < N), other=0.0)
        with gl.amd.warp_pipeline_stage("compute", priority=0):
            acc = gl.amd.cdna3.mfma(lds_a.index(cur).load(dot_a), lds_b.index(cur).load(dot_b), acc)
        with gl.amd.warp_pipeline_stage("lds"):
            lds_a.index(1 - cur).store(a)
            lds_b.index(1 - cur).store(b)
    _store_c(c_ptr, acc, M, N, stride_cm, pid_m, pid_n, BLOCK_M, BLOCK_N, blocked)


GLUON_KERNELS = {"gluon_gemm_2stage": gluon_gemm_2stage, "gluon_gemm_3stage": gluon_gemm_3stage}
#: Number of ``warp_pipeline_stage`` blocks in each kernel's K loop.
GLUON_WARP_STAGES = {"gluon_gemm_2stage": 2, "gluon_gemm_3stage": 3}


def gluon_signature(kernel: Any, dtype: str, block_m: int, block_n: int, block_k: int,
                    mfma_version: int) -> tuple[dict[str, str], dict[str, Any]]:
    """(signature, constexprs) for compiling a Gluon GEMM with ``triton.compile(ASTSource(...))``.

    >>> sig, const = gluon_signature(gluon_gemm_2stage, "bf16", 128, 128, 64, 4)
    >>> sig["a_ptr"], const["MFMA_VERSION"]
    ('*bf16', 4)
    """
    consts = dict(BLOCK_M=block_m, BLOCK_N=block_n, BLOCK_K=block_k, MFMA_VERSION=mfma_version)
    sig = {name: ("constexpr" if name in consts else "i32") for name in kernel.arg_names}
    for ptr in ("a_ptr", "b_ptr", "c_ptr"):
        sig[ptr] = f"*{dtype}"
    return sig, consts
