"""Compile a tl.load GEMM for sm80, sm90, gfx942 and gfx950 -- no GPU needed.

Plain Triton code: nothing of triton-autopipe is imported. Run it with the
flag to get our pipeline, and with EXPLAIN to see each loop's schedule::

    TRITON_AUTOPIPE=1 TRITON_AUTOPIPE_EXPLAIN=1 python examples/compile_gemm.py
"""
from __future__ import annotations

import argparse
import sys

import triton
import triton.language as tl
from triton.backends.compiler import GPUTarget
from triton.compiler import ASTSource


@triton.jit
def matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K, stride_am, stride_bk, stride_cm,
                  BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                  GROUP_M: tl.constexpr):
    pid = tl.program_id(0)
    num_m = tl.cdiv(M, BLOCK_M)
    num_n = tl.cdiv(N, BLOCK_N)
    group = GROUP_M * num_n
    first_m = (pid // group) * GROUP_M
    size_m = min(num_m - first_m, GROUP_M)
    pid_m = first_m + (pid % group) % size_m
    pid_n = (pid % group) // size_m
    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    a = a_ptr + rm[:, None] * stride_am + rk[None, :]
    b = b_ptr + rk[:, None] * stride_bk + rn[None, :]
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_K)):
        x = tl.load(a, mask=(rm[:, None] < M) & (rk[None, :] < K - k * BLOCK_K), other=0.0)
        y = tl.load(b, mask=(rk[:, None] < K - k * BLOCK_K) & (rn[None, :] < N), other=0.0)
        acc += tl.dot(x, y)
        a += BLOCK_K
        b += BLOCK_K * stride_bk
    c = c_ptr + rm[:, None] * stride_cm + rn[None, :]
    tl.store(c, acc.to(tl.float16), mask=(rm[:, None] < M) & (rn[None, :] < N))


TARGETS = {
    "cuda:80": GPUTarget("cuda", 80, 32),
    "cuda:90": GPUTarget("cuda", 90, 32),
    "hip:gfx942": GPUTarget("hip", "gfx942", 64),
    "hip:gfx950": GPUTarget("hip", "gfx950", 64),
}


def compile_gemm(target: str, num_stages: int = 3):
    """Compile the GEMM for ``target`` (a key of TARGETS); returns the kernel."""
    sig = {"a_ptr": "*fp16", "b_ptr": "*fp16", "c_ptr": "*fp16", "M": "i32", "N": "i32", "K": "i32",
           "stride_am": "i32", "stride_bk": "i32", "stride_cm": "i32",
           "BLOCK_M": "constexpr", "BLOCK_N": "constexpr", "BLOCK_K": "constexpr", "GROUP_M": "constexpr"}
    # What the JIT would specialize: 16-byte aligned pointers and strides.
    attrs = {(i,): [["tt.divisibility", 16]] for i in range(9)}
    src = ASTSource(matmul_kernel, sig, attrs=attrs,
                    constexprs={"BLOCK_M": 128, "BLOCK_N": 128, "BLOCK_K": 64, "GROUP_M": 8})
    return triton.compile(src, target=TARGETS[target], options={"num_stages": num_stages, "num_warps": 8})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated, from: " + ", ".join(TARGETS))
    parser.add_argument("--num-stages", type=int, default=3)
    args = parser.parse_args()
    from triton import knobs

    hook = knobs.runtime.add_stages_inspection_hook
    print(f"stages hook: {type(hook).__module__ + '.' + type(hook).__name__ if hook else None}; "
          f"triton_autopipe imported: {'triton_autopipe' in sys.modules}")
    for target in args.targets.split(","):
        kernel = compile_gemm(target, args.num_stages)
        binary = "cubin" if target.startswith("cuda") else "hsaco"
        print(f"{target}: ttgir {len(kernel.asm['ttgir'])} chars, {binary} {len(kernel.asm[binary])} bytes, "
              f"shared memory {kernel.metadata.shared} bytes")


if __name__ == "__main__":
    main()
