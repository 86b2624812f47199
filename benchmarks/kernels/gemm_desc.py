"""GEMM through tensor descriptors (TMA on sm90), grouped tile order.

Descriptors are made inside the kernel (``tl.make_tensor_descriptor``), so the
host passes plain pointers; on a GPU Triton then needs a scratch allocator
(:func:`ensure_allocator`). Out-of-range rows, columns and K are handled by the
descriptor itself (zero fill on load, clipping on store): no masks. TMA needs
16-byte aligned row strides, so K and N must be multiples of 8 for fp16/bf16.

Example (on an sm90 GPU)::

    import torch
    from benchmarks.kernels.gemm import GemmConfig
    from benchmarks.kernels.gemm_desc import matmul_desc
    a = torch.randn(1000, 320, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(320, 696, device="cuda", dtype=torch.bfloat16)
    c = matmul_desc(a, b, GemmConfig(128, 128, 64, num_warps=4, num_stages=4))
"""
from __future__ import annotations

from typing import Any

import triton
import triton.language as tl

from .gemm import GemmConfig, gemm_grid, grouped_tile


@triton.jit
def gemm_desc_kernel(
    a_ptr, b_ptr, c_ptr,  #
    M, N, K,  #
    stride_am, stride_bk, stride_cm,  #
    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,  #
    GROUP_M: tl.constexpr,
):
    """Row-major A[M, K], B[K, N], C[M, N]; one C tile per program."""
    a_desc = tl.make_tensor_descriptor(a_ptr, shape=[M, K], strides=[stride_am, 1], block_shape=[BLOCK_M, BLOCK_K])
    b_desc = tl.make_tensor_descriptor(b_ptr, shape=[K, N], strides=[stride_bk, 1], block_shape=[BLOCK_K, BLOCK_N])
    c_desc = tl.make_tensor_descriptor(c_ptr, shape=[M, N], strides=[stride_cm, 1], block_shape=[BLOCK_M, BLOCK_N])

    pid = tl.program_id(0)
    tile_m, tile_n = grouped_tile(pid, M, N, BLOCK_M, BLOCK_N, GROUP_M)
    off_m = tile_m * BLOCK_M
    off_n = tile_n * BLOCK_N

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        a = a_desc.load([off_m, k0])
        b = b_desc.load([k0, off_n])
        acc = tl.dot(a, b, acc)
    c_desc.store([off_m, off_n], acc.to(c_desc.dtype))


_ALLOCATOR_SET = False


def ensure_allocator() -> None:
    """Give Triton a torch-backed allocator for in-kernel descriptor scratch (once)."""
    global _ALLOCATOR_SET
    if _ALLOCATOR_SET:
        return
    import torch

    def alloc(size: int, alignment: int, stream: Any) -> Any:
        return torch.empty(size, device="cuda", dtype=torch.int8)

    triton.set_allocator(alloc)
    _ALLOCATOR_SET = True


def launch_gemm_desc(a: Any, b: Any, out: Any, cfg: GemmConfig) -> Any:
    """Launch :func:`gemm_desc_kernel` computing ``out = a @ b``; returns Triton's compiled kernel."""
    M, K = a.shape
    K2, N = b.shape
    assert K == K2 and tuple(out.shape) == (M, N), f"shapes differ: {a.shape} @ {b.shape} -> {out.shape}"
    for t in (a, b, out):
        assert t.stride(1) == 1, "tensor descriptors need unit inner stride"
        assert (t.stride(0) * t.element_size()) % 16 == 0, "tensor descriptors need 16-byte aligned rows"
    ensure_allocator()
    return gemm_desc_kernel[gemm_grid(M, N, cfg)](
        a, b, out, M, N, K, a.stride(0), b.stride(0), out.stride(0),  #
        BLOCK_M=cfg.block_m, BLOCK_N=cfg.block_n, BLOCK_K=cfg.block_k, GROUP_M=cfg.group_m,
        num_warps=cfg.num_warps, num_stages=cfg.num_stages)


def matmul_desc(a: Any, b: Any, cfg: GemmConfig, out: Any | None = None) -> Any:
    """``a @ b`` with :func:`gemm_desc_kernel` (row-major torch tensors on an sm90 GPU)."""
    import torch

    if out is None:
        out = torch.empty((a.shape[0], b.shape[1]), device=a.device, dtype=a.dtype)
    launch_gemm_desc(a, b, out, cfg)
    return out
