"""Flash-attention forward through tensor descriptors (TMA on sm90), causal or not.

The same online-softmax algorithm as :mod:`benchmarks.kernels.attention`, in the
form Triton's own Hopper tutorial uses: Q, K, V and O are read and written
through in-kernel tensor descriptors over the (batch * heads * seq, head_dim)
view, so the K/V loads of the loop become TMA copies and no pointer tensors are
carried through it (which leaves registers for computation pipelining). The
sequence length must be a multiple of BLOCK_M and BLOCK_N (descriptor rows of
one head follow the previous head's).

Example (on an sm90 GPU)::

    import torch
    from benchmarks.kernels.attention import AttnConfig
    from benchmarks.kernels.attention_desc import attention_desc
    q, k, v = (torch.randn(2, 4, 1024, 64, device="cuda", dtype=torch.float16) for _ in range(3))
    o = attention_desc(q, k, v, causal=True, cfg=AttnConfig(128, 64, num_warps=8, num_stages=3))
"""
from __future__ import annotations

import math
from typing import Any

import triton
import triton.language as tl

from .attention import LOG2E, AttnConfig
from .gemm_desc import ensure_allocator


@triton.jit
def _kv_loop_desc(acc, l_i, m_i, q, k_desc, v_desc, row0, rows, lo, hi, qk_scale,  #
                  BLOCK_N: tl.constexpr, DIAGONAL: tl.constexpr):
    """Fold the K/V blocks [lo, hi) of the head starting at descriptor row ``row0``."""
    offs_n = tl.arange(0, BLOCK_N)
    for start_n in range(lo, hi, BLOCK_N):
        k = k_desc.load([row0 + start_n, 0])
        s = tl.dot(q, k.T)
        if DIAGONAL:
            s = tl.where(rows[:, None] >= (start_n + offs_n)[None, :], s, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(s, 1) * qk_scale)
        p = tl.math.exp2(s * qk_scale - m_new[:, None])
        alpha = tl.math.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = acc * alpha[:, None]
        v = v_desc.load([row0 + start_n, 0])
        acc = tl.dot(p.to(v.dtype), v, acc)
        m_i = m_new
    return acc, l_i, m_i


@triton.jit
def attn_desc_kernel(
    q_ptr, k_ptr, v_ptr, o_ptr,  #
    total_rows, seq, qk_scale,  #
    HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, CAUSAL: tl.constexpr,
):
    """Grid (seq // BLOCK_M, batch * heads) over contiguous (batch, heads, seq, head_dim) tensors."""
    q_desc = tl.make_tensor_descriptor(q_ptr, shape=[total_rows, HEAD_DIM], strides=[HEAD_DIM, 1],
                                       block_shape=[BLOCK_M, HEAD_DIM])
    k_desc = tl.make_tensor_descriptor(k_ptr, shape=[total_rows, HEAD_DIM], strides=[HEAD_DIM, 1],
                                       block_shape=[BLOCK_N, HEAD_DIM])
    v_desc = tl.make_tensor_descriptor(v_ptr, shape=[total_rows, HEAD_DIM], strides=[HEAD_DIM, 1],
                                       block_shape=[BLOCK_N, HEAD_DIM])
    o_desc = tl.make_tensor_descriptor(o_ptr, shape=[total_rows, HEAD_DIM], strides=[HEAD_DIM, 1],
                                       block_shape=[BLOCK_M, HEAD_DIM])
    if CAUSAL:
        start_m = tl.num_programs(0) - 1 - tl.program_id(0)
    else:
        start_m = tl.program_id(0)
    row0 = tl.program_id(1) * seq
    rows = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    q = q_desc.load([row0 + start_m * BLOCK_M, 0])

    acc = tl.zeros((BLOCK_M, HEAD_DIM), dtype=tl.float32)
    l_i = tl.zeros((BLOCK_M, ), dtype=tl.float32)
    m_i = tl.full((BLOCK_M, ), float("-inf"), dtype=tl.float32)
    if CAUSAL:
        diag = start_m * BLOCK_M
        acc, l_i, m_i = _kv_loop_desc(acc, l_i, m_i, q, k_desc, v_desc, row0, rows, 0, diag, qk_scale, BLOCK_N,
                                      False)
        acc, l_i, m_i = _kv_loop_desc(acc, l_i, m_i, q, k_desc, v_desc, row0, rows, diag, diag + BLOCK_M,
                                      qk_scale, BLOCK_N, True)
    else:
        acc, l_i, m_i = _kv_loop_desc(acc, l_i, m_i, q, k_desc, v_desc, row0, rows, 0, seq, qk_scale, BLOCK_N,
                                      False)
    o_desc.store([row0 + start_m * BLOCK_M, 0], (acc / l_i[:, None]).to(o_desc.dtype))


def launch_attention_desc(q: Any, k: Any, v: Any, out: Any, causal: bool, cfg: AttnConfig,
                          sm_scale: float | None = None, kernel: Any = None) -> Any:
    """Launch :func:`attn_desc_kernel` (or ``kernel``, e.g. it under ``@auto_pipeline``)
    writing ``out``; returns Triton's compiled kernel."""
    B, H, N, D = q.shape
    for t in (q, k, v, out):
        assert t.shape == q.shape and t.is_contiguous(), "q, k, v, out must be contiguous and of one shape"
    assert N % cfg.block_m == 0 and N % cfg.block_n == 0, "seq must be a multiple of BLOCK_M and BLOCK_N"
    if causal:
        assert cfg.block_m % cfg.block_n == 0, "causal needs BLOCK_M to be a multiple of BLOCK_N"
    ensure_allocator()
    scale = (1.0 / math.sqrt(D)) if sm_scale is None else sm_scale
    grid = (N // cfg.block_m, B * H)
    return (kernel or attn_desc_kernel)[grid](q, k, v, out, B * H * N, N, scale * LOG2E, HEAD_DIM=D, BLOCK_M=cfg.block_m,
                                  BLOCK_N=cfg.block_n, CAUSAL=causal, num_warps=cfg.num_warps,
                                  num_stages=cfg.num_stages)


def attention_desc(q: Any, k: Any, v: Any, causal: bool, cfg: AttnConfig, sm_scale: float | None = None,
                   out: Any | None = None) -> Any:
    """Attention forward of contiguous (batch, heads, seq, head_dim) tensors; writes ``out`` if given."""
    import torch

    if out is None:
        out = torch.empty_like(q)
    launch_attention_desc(q, k, v, out, causal, cfg, sm_scale)
    return out
