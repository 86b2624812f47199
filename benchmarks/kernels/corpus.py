"""The compile corpus: every kernel instance we compile for every target, GPU or not.

Each :class:`CorpusEntry` knows how to build the ``ASTSource`` that
``triton.compile`` takes, which targets it is meant for and with which options.
Tests (``test/python/test_corpus_compile.py``) and the compile-time benchmark
(``python -m benchmarks compile-time``) iterate over :func:`corpus`.

Example (CPU)::

    import triton
    from benchmarks.kernels.corpus import corpus, TARGETS
    entry = next(e for e in corpus() if e.name.startswith("gemm_"))
    compiled = triton.compile(entry.source(), target=TARGETS["cuda:90"], options=entry.options("cuda:90"))
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from triton.backends.compiler import GPUTarget
from triton.compiler import ASTSource

from .attention import AttnConfig, attn_fwd_kernel
from .attention_desc import attn_desc_kernel
from .gemm import GemmConfig, gemm_kernel
from .gemm_desc import gemm_desc_kernel
from .gluon_amd import GLUON_KERNELS, GLUON_WARP_STAGES, gluon_signature

#: The four targets the plugin supports, by short name.
TARGETS: dict[str, GPUTarget] = {
    "cuda:80": GPUTarget("cuda", 80, 32),
    "cuda:90": GPUTarget("cuda", 90, 32),
    "hip:gfx942": GPUTarget("hip", "gfx942", 64),
    "hip:gfx950": GPUTarget("hip", "gfx950", 64),
}
#: Shared memory (LDS on AMD) per block each target has, in bytes: a kernel
#: asking more cannot launch.
SHARED_LIMIT: dict[str, int] = {"cuda:80": 166912, "cuda:90": 232448, "hip:gfx942": 65536, "hip:gfx950": 163840}
ALL_TARGETS = tuple(TARGETS)
CUDA_TARGETS = ("cuda:80", "cuda:90")
HIP_TARGETS = ("hip:gfx942", "hip:gfx950")


@dataclass(frozen=True)
class CorpusEntry:
    """One kernel instance (kernel + constexprs + launch options) and the targets it is for.

    ``kind`` is what a test may check in the output: ``"tl_load"`` (pointer loads
    in a K loop), ``"tensor_desc"`` (descriptor loads), ``"gluon_warp_pipeline"``.
    ``loops`` is the number of pipelinable loops (attention causal has two);
    ``warp_stages`` the number of ``warp_pipeline_stage`` blocks of a Gluon entry.
    ``pipelinable`` is False where the loads are too narrow for Triton's cp.async
    pipeline (rows not 16-byte aligned): Triton leaves such loops alone on CUDA.
    """

    name: str
    make_source: Callable[[], ASTSource]
    targets: tuple[str, ...]
    num_warps: int
    num_stages: int
    kind: str
    loops: int = 1
    warp_stages: int = 0
    pipelinable: bool = True
    per_target_warps: dict[str, int] = field(default_factory=dict)

    def source(self) -> ASTSource:
        """A fresh ``ASTSource`` (Gluon entries give a ``GluonASTSource``)."""
        return self.make_source()

    def options(self, target: str) -> dict[str, Any]:
        """``triton.compile`` options for one target."""
        return {"num_warps": self.per_target_warps.get(target, self.num_warps), "num_stages": self.num_stages}


def _source(fn: Any, pointers: dict[str, str], constexprs: dict[str, Any], aligned: tuple[str, ...] = (),
            floats: tuple[str, ...] = (), unit: tuple[str, ...] = ()) -> ASTSource:
    """An ``ASTSource`` specialised the way Triton's JIT would specialise a launch.

    Pointers are 16-byte aligned and the ints named in ``aligned`` divisible by 16
    (``tt.divisibility = 16``); the ints named in ``unit`` equal 1 and become
    constexprs. Without these hints no load is wide enough to pipeline.
    """
    consts = dict(constexprs)
    consts.update({name: 1 for name in unit})
    sig: dict[str, str] = {}
    attrs: dict[tuple[int, ...], list[list[Any]]] = {}
    for i, name in enumerate(fn.arg_names):
        if name in consts:
            sig[name] = "constexpr"
        elif name in pointers:
            sig[name] = pointers[name]
            attrs[(i, )] = [["tt.divisibility", 16]]
        elif name in floats:
            sig[name] = "fp32"
        else:
            sig[name] = "i32"
            if name in aligned:
                attrs[(i, )] = [["tt.divisibility", 16]]
    return ASTSource(fn, sig, consts, attrs)


def _mask_label(even_mn: bool, even_k: bool) -> str:
    return {(True, True): "even", (True, False): "maskK", (False, True): "maskMN", (False, False): "maskMNK"}[
        (even_mn, even_k)]


def gemm_entry(dtype: str, cfg: GemmConfig, even_mn: bool, even_k: bool, aligned: bool = True,
               targets: tuple[str, ...] = ALL_TARGETS) -> CorpusEntry:
    """The ``tl.load`` GEMM (row-major A, B, C) with the given tile config and masks.

    ``aligned``: M, N, K (hence the row strides) are multiples of 16 even where
    they are not multiples of the tile (as for M = 1008, K = 336); otherwise
    they are arbitrary (M = 1000, K = 300) and rows are not 16-byte aligned.
    """
    consts = dict(BLOCK_M=cfg.block_m, BLOCK_N=cfg.block_n, BLOCK_K=cfg.block_k, GROUP_M=cfg.group_m,
                  EVEN_MN=even_mn, EVEN_K=even_k)
    ptrs = {p: f"*{dtype}" for p in ("a_ptr", "b_ptr", "c_ptr")}
    sizes = ("M", "N", "K", "stride_am", "stride_bk", "stride_cm")
    name = (f"gemm_{dtype}_{cfg.block_m}x{cfg.block_n}x{cfg.block_k}_w{cfg.num_warps}_s{cfg.num_stages}_"
            f"{_mask_label(even_mn, even_k)}{'' if aligned else '_unaligned'}")
    unit = ("stride_ak", "stride_bn", "stride_cn")
    return CorpusEntry(name, lambda: _source(gemm_kernel, ptrs, consts, sizes if aligned else (), unit=unit), targets,
                       cfg.num_warps, cfg.num_stages, "tl_load", pipelinable=aligned)


def gemm_desc_entry(dtype: str, cfg: GemmConfig, targets: tuple[str, ...] = ("cuda:90", )) -> CorpusEntry:
    """The tensor-descriptor GEMM (TMA on sm90; Triton lowers descriptors to plain loads elsewhere)."""
    consts = dict(BLOCK_M=cfg.block_m, BLOCK_N=cfg.block_n, BLOCK_K=cfg.block_k, GROUP_M=cfg.group_m)
    ptrs = {p: f"*{dtype}" for p in ("a_ptr", "b_ptr", "c_ptr")}
    aligned = ("M", "N", "K", "stride_am", "stride_bk", "stride_cm")
    name = f"gemm_desc_{dtype}_{cfg.block_m}x{cfg.block_n}x{cfg.block_k}_w{cfg.num_warps}_s{cfg.num_stages}"
    return CorpusEntry(name, lambda: _source(gemm_desc_kernel, ptrs, consts, aligned), targets, cfg.num_warps,
                       cfg.num_stages, "tensor_desc")


def attention_entry(dtype: str, head_dim: int, causal: bool, cfg: AttnConfig, ragged: bool,
                    targets: tuple[str, ...] = ALL_TARGETS) -> CorpusEntry:
    """The flash-attention forward for one head dim, causal flag and mask specialisation."""
    consts = dict(HEAD_DIM=head_dim, BLOCK_M=cfg.block_m, BLOCK_N=cfg.block_n, CAUSAL=causal, MASK_M=ragged,
                  MASK_N=ragged)
    ptrs = {p: f"*{dtype}" for p in ("q_ptr", "k_ptr", "v_ptr", "o_ptr")}
    strides = [f"stride_{t}{d}" for t in "qkvo" for d in "bhn"]
    aligned = tuple(strides) + (() if ragged else ("seq", ))
    name = (f"attn_{dtype}_d{head_dim}_{'causal' if causal else 'full'}_{cfg.block_m}x{cfg.block_n}"
            f"_w{cfg.num_warps}_s{cfg.num_stages}{'_ragged' if ragged else ''}")
    return CorpusEntry(name, lambda: _source(attn_fwd_kernel, ptrs, consts, aligned, floats=("qk_scale", )),
                       targets, cfg.num_warps, cfg.num_stages, "tl_load", loops=2 if causal else 1)


def attention_desc_entry(dtype: str, head_dim: int, causal: bool, cfg: AttnConfig,
                         targets: tuple[str, ...] = ("cuda:90", )) -> CorpusEntry:
    """The tensor-descriptor flash-attention forward (TMA K/V loads on sm90)."""
    consts = dict(HEAD_DIM=head_dim, BLOCK_M=cfg.block_m, BLOCK_N=cfg.block_n, CAUSAL=causal)
    ptrs = {p: f"*{dtype}" for p in ("q_ptr", "k_ptr", "v_ptr", "o_ptr")}
    name = (f"attn_desc_{dtype}_d{head_dim}_{'causal' if causal else 'full'}_{cfg.block_m}x{cfg.block_n}"
            f"_w{cfg.num_warps}_s{cfg.num_stages}")
    return CorpusEntry(name, lambda: _source(attn_desc_kernel, ptrs, consts, ("total_rows", "seq"),
                                             floats=("qk_scale", )),
                       targets, cfg.num_warps, cfg.num_stages, "tensor_desc", loops=2 if causal else 1)


def gluon_entry(kernel_name: str, dtype: str, target: str) -> CorpusEntry:
    """A Gluon warp-pipelined GEMM for one AMD target (MFMA version follows the target)."""
    from triton.experimental.gluon._runtime import GluonASTSource

    kernel = GLUON_KERNELS[kernel_name]
    version = {"hip:gfx942": 3, "hip:gfx950": 4}[target]
    sig, consts = gluon_signature(kernel, dtype, 128, 128, 64, version)
    return CorpusEntry(f"{kernel_name}_{dtype}_{target.split(':')[1]}", lambda: GluonASTSource(kernel, sig, consts),
                       (target, ), 4, 1, "gluon_warp_pipeline", warp_stages=GLUON_WARP_STAGES[kernel_name])


#: Tile configs used by the benchmarks on sm90 (also compiled in the corpus).
BENCH_GEMM = GemmConfig(128, 256, 64, group_m=8, num_warps=8, num_stages=3)
BENCH_GEMM_DESC = GemmConfig(128, 256, 64, group_m=8, num_warps=8, num_stages=3)
SMALL_GEMM = GemmConfig(64, 64, 32, group_m=4, num_warps=4, num_stages=3)
DEEP_GEMM = GemmConfig(128, 128, 64, group_m=8, num_warps=8, num_stages=4)
BENCH_ATTN = {64: AttnConfig(128, 64, num_warps=8, num_stages=3), 128: AttnConfig(128, 128, num_warps=8, num_stages=3)}
SMALL_ATTN = AttnConfig(64, 64, num_warps=4, num_stages=3)


def corpus() -> list[CorpusEntry]:
    """Every corpus kernel instance, in a fixed order."""
    entries = [
        gemm_entry("fp16", DEEP_GEMM, even_mn=False, even_k=False, aligned=False),
        gemm_entry("bf16", SMALL_GEMM, even_mn=False, even_k=True, targets=CUDA_TARGETS),
        gemm_entry("bf16", BENCH_GEMM, even_mn=True, even_k=True, targets=ALL_TARGETS),
        gemm_entry("fp16", SMALL_GEMM, even_mn=True, even_k=False, targets=CUDA_TARGETS),
        gemm_desc_entry("fp16", BENCH_GEMM_DESC),
        gemm_desc_entry("bf16", DEEP_GEMM, targets=("cuda:80", "cuda:90", "hip:gfx942")),
        attention_entry("fp16", 64, False, BENCH_ATTN[64], ragged=False, targets=CUDA_TARGETS + ("hip:gfx950", )),
        attention_entry("bf16", 128, True, BENCH_ATTN[128], ragged=False, targets=CUDA_TARGETS),
        attention_entry("fp16", 128, False, SMALL_ATTN, ragged=True, targets=CUDA_TARGETS),
        attention_entry("fp16", 64, True, SMALL_ATTN, ragged=True),
        attention_desc_entry("fp16", 128, True, BENCH_ATTN[128]),
        attention_desc_entry("bf16", 64, False, BENCH_ATTN[64], targets=ALL_TARGETS),
    ]
    for kernel_name in GLUON_KERNELS:
        entries.append(gluon_entry(kernel_name, "fp16", "hip:gfx942"))
        entries.append(gluon_entry(kernel_name, "bf16", "hip:gfx950"))
    return entries


def corpus_cases() -> list[tuple[CorpusEntry, str]]:
    """(entry, target) pairs: everything to compile."""
    return [(e, t) for e in corpus() for t in e.targets]
