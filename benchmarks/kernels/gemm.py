"""GEMM with plain ``tl.load``: grouped tile order, masks for ragged M, N and K.

``C[M, N] = A[M, K] @ B[K, N]`` for row- or column-major A and B (any strides),
fp32 accumulation, output in C's dtype. Software pipelining is left to the
compiler (``num_stages``), which is what this corpus exists to exercise.

Example (on a GPU)::

    import torch
    from benchmarks.kernels.gemm import GemmConfig, matmul
    a = torch.randn(1000, 300, device="cuda", dtype=torch.float16)
    b = torch.randn(300, 700, device="cuda", dtype=torch.float16)
    c = matmul(a, b, GemmConfig(64, 64, 32, num_warps=4, num_stages=3))
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import triton
import triton.language as tl


@dataclass(frozen=True)
class GemmConfig:
    """Tile shape and launch options of one GEMM kernel instance.

    >>> GemmConfig(128, 256, 64).with_stages(1).num_stages
    1
    """

    block_m: int
    block_n: int
    block_k: int
    group_m: int = 8
    num_warps: int = 8
    num_stages: int = 3

    def with_stages(self, num_stages: int) -> "GemmConfig":
        """Return a copy with another pipelining depth."""
        return replace(self, num_stages=num_stages)

    def label(self) -> str:
        """Short text naming the tile shape, e.g. ``128x256x64 w8 s3``."""
        return f"{self.block_m}x{self.block_n}x{self.block_k} w{self.num_warps} s{self.num_stages}"


@triton.jit
def grouped_tile(pid, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, GROUP_M: tl.constexpr):
    """Map a linear program id to a (row-tile, col-tile) pair, GROUP_M row tiles at a time.

    Programs that run together then share A row panels and B column panels in L2.
    """
    tiles_m = tl.cdiv(M, BLOCK_M)
    tiles_n = tl.cdiv(N, BLOCK_N)
    per_group = GROUP_M * tiles_n
    group = pid // per_group
    first_m = group * GROUP_M
    rows_in_group = min(tiles_m - first_m, GROUP_M)
    in_group = pid % per_group
    tile_m = first_m + in_group % rows_in_group
    tile_n = in_group // rows_in_group
    return tile_m, tile_n


@triton.jit
def gemm_kernel(
    a_ptr, b_ptr, c_ptr,  #
    M, N, K,  #
    stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,  #
    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,  #
    GROUP_M: tl.constexpr, EVEN_MN: tl.constexpr, EVEN_K: tl.constexpr,
):
    """One BLOCK_M x BLOCK_N tile of C per program; the K loop is the one to pipeline.

    EVEN_MN / EVEN_K (set by the launcher) drop the masks when the shape is a multiple
    of the tile; otherwise every load and the store are masked.
    """
    pid = tl.program_id(0)
    tile_m, tile_n = grouped_tile(pid, M, N, BLOCK_M, BLOCK_N, GROUP_M)

    rows = tile_m * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tile_n * BLOCK_N + tl.arange(0, BLOCK_N)
    ks = tl.arange(0, BLOCK_K)
    a_tile = a_ptr + rows[:, None] * stride_am + ks[None, :] * stride_ak
    b_tile = b_ptr + ks[:, None] * stride_bk + cols[None, :] * stride_bn
    row_ok = rows[:, None] < M
    col_ok = cols[None, :] < N

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        if EVEN_MN and EVEN_K:
            a = tl.load(a_tile)
            b = tl.load(b_tile)
        else:
            k_left = K - k0
            a = tl.load(a_tile, mask=row_ok & (ks[None, :] < k_left), other=0.0)
            b = tl.load(b_tile, mask=(ks[:, None] < k_left) & col_ok, other=0.0)
        acc = tl.dot(a, b, acc)
        a_tile += BLOCK_K * stride_ak
        b_tile += BLOCK_K * stride_bk

    c = acc.to(c_ptr.dtype.element_ty)
    c_tile = c_ptr + rows[:, None] * stride_cm + cols[None, :] * stride_cn
    if EVEN_MN:
        tl.store(c_tile, c)
    else:
        tl.store(c_tile, c, mask=row_ok & col_ok)


def gemm_grid(M: int, N: int, cfg: GemmConfig) -> tuple[int]:
    """Launch grid: one program per output tile.

    >>> gemm_grid(1000, 700, GemmConfig(128, 256, 64))
    (24,)
    """
    return (triton.cdiv(M, cfg.block_m) * triton.cdiv(N, cfg.block_n), )


def launch_gemm(a: Any, b: Any, out: Any, cfg: GemmConfig, kernel: Any = None) -> Any:
    """Launch :func:`gemm_kernel` (or ``kernel``, e.g. it under ``@auto_pipeline``) computing
    ``out = a @ b``; returns Triton's compiled kernel."""
    M, K = a.shape
    K2, N = b.shape
    assert K == K2 and tuple(out.shape) == (M, N), f"shapes differ: {a.shape} @ {b.shape} -> {out.shape}"
    return (kernel or gemm_kernel)[gemm_grid(M, N, cfg)](
        a, b, out, M, N, K,  #
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), out.stride(0), out.stride(1),  #
        BLOCK_M=cfg.block_m, BLOCK_N=cfg.block_n, BLOCK_K=cfg.block_k, GROUP_M=cfg.group_m,
        EVEN_MN=(M % cfg.block_m == 0 and N % cfg.block_n == 0), EVEN_K=(K % cfg.block_k == 0),
        num_warps=cfg.num_warps, num_stages=cfg.num_stages)


def matmul(a: Any, b: Any, cfg: GemmConfig, out: Any | None = None) -> Any:
    """``a @ b`` with :func:`gemm_kernel` (torch tensors on a GPU); writes into ``out`` if given."""
    import torch

    if out is None:
        out = torch.empty((a.shape[0], b.shape[1]), device=a.device, dtype=a.dtype)
    launch_gemm(a, b, out, cfg)
    return out
