"""Flash-attention forward with online softmax, causal or not, head dim 64 or 128.

``O = softmax(Q K^T * sm_scale [+ causal mask]) V`` for Q, K, V of shape
(batch, heads, seq, head_dim) with unit stride along head_dim. Each program owns
BLOCK_M query rows of one (batch, head) and streams K/V in BLOCK_N blocks; the
K/V loops are what the software pipeliner works on. Sequence lengths that are
not multiples of the blocks are masked. The causal mask is top-left aligned
(``torch.nn.functional.scaled_dot_product_attention(..., is_causal=True)``).

Example (on a GPU)::

    import torch
    from benchmarks.kernels.attention import AttnConfig, attention
    q, k, v = (torch.randn(2, 4, 1000, 64, device="cuda", dtype=torch.float16) for _ in range(3))
    o = attention(q, k, v, causal=True, cfg=AttnConfig(128, 64, num_warps=4, num_stages=3))
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@dataclass(frozen=True)
class AttnConfig:
    """Block sizes and launch options of one attention kernel instance.

    >>> AttnConfig(128, 64).with_stages(1).label()
    'BM128 BN64 w8 s1'
    """

    block_m: int
    block_n: int
    num_warps: int = 8
    num_stages: int = 3

    def with_stages(self, num_stages: int) -> "AttnConfig":
        """Return a copy with another pipelining depth."""
        return replace(self, num_stages=num_stages)

    def label(self) -> str:
        """Short text naming the blocks, warps and stages."""
        return f"BM{self.block_m} BN{self.block_n} w{self.num_warps} s{self.num_stages}"

    @classmethod
    def parse(cls, text: str) -> "AttnConfig":
        """Read ``BMxBN[wW][sS]`` (warps default 8, stages 3).

        >>> AttnConfig.parse("128x64w4s2")
        AttnConfig(block_m=128, block_n=64, num_warps=4, num_stages=2)
        """
        m = re.fullmatch(r"(\d+)x(\d+)(?:w(\d+))?(?:s(\d+))?", text.strip())
        if not m:
            raise ValueError(f"attention config {text!r}: expected BMxBN[wW][sS], e.g. 128x64w8s3")
        bm, bn, w, s = m.groups()
        return cls(int(bm), int(bn), int(w or 8), int(s or 3))


@triton.jit
def _kv_loop(acc, l_i, m_i, q, k_ptrs, v_ptrs, rows, lo, hi, seq, qk_scale, stride_kn, stride_vn,  #
             BLOCK_N: tl.constexpr, DIAGONAL: tl.constexpr, MASK_N: tl.constexpr):
    """Fold the K/V blocks [lo, hi) into the running (acc, l_i, m_i) of one query block."""
    offs_n = tl.arange(0, BLOCK_N)
    k_ptrs += lo * stride_kn
    v_ptrs += lo * stride_vn
    for start_n in range(lo, hi, BLOCK_N):
        cols = start_n + offs_n
        if MASK_N:
            k = tl.load(k_ptrs, mask=cols[None, :] < seq, other=0.0)
        else:
            k = tl.load(k_ptrs)
        s = tl.dot(q, k)
        if DIAGONAL:
            s = tl.where(rows[:, None] >= cols[None, :], s, float("-inf"))
        if MASK_N:
            s = tl.where(cols[None, :] < seq, s, float("-inf"))
        # Every row has seen at least one unmasked column by now (column 0 comes
        # first), so m_new is finite and exp2(-inf - m_new) is a clean 0.
        m_new = tl.maximum(m_i, tl.max(s, 1) * qk_scale)
        p = tl.math.exp2(s * qk_scale - m_new[:, None])
        alpha = tl.math.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = acc * alpha[:, None]
        if MASK_N:
            v = tl.load(v_ptrs, mask=cols[:, None] < seq, other=0.0)
        else:
            v = tl.load(v_ptrs)
        acc = tl.dot(p.to(v.dtype), v, acc)
        m_i = m_new
        k_ptrs += BLOCK_N * stride_kn
        v_ptrs += BLOCK_N * stride_vn
    return acc, l_i, m_i


@triton.jit
def attn_fwd_kernel(
    q_ptr, k_ptr, v_ptr, o_ptr,  #
    stride_qb, stride_qh, stride_qn,  #
    stride_kb, stride_kh, stride_kn,  #
    stride_vb, stride_vh, stride_vn,  #
    stride_ob, stride_oh, stride_on,  #
    H, seq, qk_scale,  #
    HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,  #
    CAUSAL: tl.constexpr, MASK_M: tl.constexpr, MASK_N: tl.constexpr,
):
    """Grid (cdiv(seq, BLOCK_M), batch * heads). qk_scale = sm_scale * log2(e).

    Causal: query blocks are taken heaviest first, and the K/V range splits into
    blocks left of the diagonal (no mask) and the diagonal blocks (masked).
    """
    m_tiles = tl.num_programs(0)
    if CAUSAL:
        start_m = m_tiles - 1 - tl.program_id(0)
    else:
        start_m = tl.program_id(0)
    bh = tl.program_id(1)
    b = (bh // H).to(tl.int64)
    h = (bh % H).to(tl.int64)

    rows = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_d = tl.arange(0, HEAD_DIM)
    offs_n = tl.arange(0, BLOCK_N)
    q_ptrs = q_ptr + b * stride_qb + h * stride_qh + rows[:, None] * stride_qn + offs_d[None, :]
    # K is read transposed: a HEAD_DIM x BLOCK_N tile.
    k_ptrs = k_ptr + b * stride_kb + h * stride_kh + offs_n[None, :] * stride_kn + offs_d[:, None]
    v_ptrs = v_ptr + b * stride_vb + h * stride_vh + offs_n[:, None] * stride_vn + offs_d[None, :]

    if MASK_M:
        q = tl.load(q_ptrs, mask=rows[:, None] < seq, other=0.0)
    else:
        q = tl.load(q_ptrs)

    acc = tl.zeros((BLOCK_M, HEAD_DIM), dtype=tl.float32)
    l_i = tl.zeros((BLOCK_M, ), dtype=tl.float32)
    m_i = tl.full((BLOCK_M, ), float("-inf"), dtype=tl.float32)
    if CAUSAL:
        diag = start_m * BLOCK_M
        # Left of the diagonal: whole blocks, all inside the sequence.
        acc, l_i, m_i = _kv_loop(acc, l_i, m_i, q, k_ptrs, v_ptrs, rows, 0, diag, seq, qk_scale, stride_kn,
                                 stride_vn, BLOCK_N, False, False)
        hi = tl.minimum(diag + BLOCK_M, seq)
        acc, l_i, m_i = _kv_loop(acc, l_i, m_i, q, k_ptrs, v_ptrs, rows, diag, hi, seq, qk_scale, stride_kn,
                                 stride_vn, BLOCK_N, True, MASK_N)
    else:
        acc, l_i, m_i = _kv_loop(acc, l_i, m_i, q, k_ptrs, v_ptrs, rows, 0, seq, seq, qk_scale, stride_kn,
                                 stride_vn, BLOCK_N, False, MASK_N)

    out = (acc / l_i[:, None]).to(o_ptr.dtype.element_ty)
    o_ptrs = o_ptr + b * stride_ob + h * stride_oh + rows[:, None] * stride_on + offs_d[None, :]
    if MASK_M:
        tl.store(o_ptrs, out, mask=rows[:, None] < seq)
    else:
        tl.store(o_ptrs, out)


def launch_attention(q: Any, k: Any, v: Any, out: Any, causal: bool, cfg: AttnConfig,
                     sm_scale: float | None = None) -> Any:
    """Launch :func:`attn_fwd_kernel` writing ``out``; returns Triton's compiled kernel."""
    B, H, N, D = q.shape
    assert k.shape == q.shape and v.shape == q.shape and out.shape == q.shape, "q, k, v, out must have one shape"
    assert D in (16, 32, 64, 128, 256), f"head_dim {D} is not a power of two in [16, 256]"
    for t in (q, k, v, out):
        assert t.stride(3) == 1, "head_dim must be contiguous"
    if causal:
        assert cfg.block_m % cfg.block_n == 0, "causal needs BLOCK_M to be a multiple of BLOCK_N"
    scale = (1.0 / math.sqrt(D)) if sm_scale is None else sm_scale
    grid = (triton.cdiv(N, cfg.block_m), B * H)
    return attn_fwd_kernel[grid](
        q, k, v, out,  #
        q.stride(0), q.stride(1), q.stride(2),  #
        k.stride(0), k.stride(1), k.stride(2),  #
        v.stride(0), v.stride(1), v.stride(2),  #
        out.stride(0), out.stride(1), out.stride(2),  #
        H, N, scale * LOG2E,  #
        HEAD_DIM=D, BLOCK_M=cfg.block_m, BLOCK_N=cfg.block_n, CAUSAL=causal,  #
        MASK_M=(N % cfg.block_m != 0), MASK_N=(N % cfg.block_n != 0),  #
        num_warps=cfg.num_warps, num_stages=cfg.num_stages)


def attention(q: Any, k: Any, v: Any, causal: bool, cfg: AttnConfig, sm_scale: float | None = None,
              out: Any | None = None) -> Any:
    """Attention forward of (batch, heads, seq, head_dim) torch tensors; writes into ``out`` if given."""
    import torch

    if out is None:
        out = torch.empty_like(q)
    launch_attention(q, k, v, out, causal, cfg, sm_scale)
    return out


def attention_flops(batch: int, heads: int, seq: int, head_dim: int, causal: bool) -> float:
    """Matmul FLOPs of the forward pass (two GEMMs; causal does about half).

    >>> attention_flops(1, 1, 1024, 64, causal=False)
    268435456.0
    """
    flops = 4.0 * batch * heads * seq * seq * head_dim
    return flops / 2 if causal else flops
