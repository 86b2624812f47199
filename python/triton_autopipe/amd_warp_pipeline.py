"""Our AMD warp pipeline on the HIP path (gfx942, gfx950).

Triton 3.9 handles Gluon's ``gl.amd.warp_pipeline_stage`` in two places:
``tritonamdgpu-warp-pipeline`` at the end of ``gluon_to_ttgir`` (border markers
-> ``scf.execute_region`` stages) and ``convert-warp-pipeline`` at the start of
``make_llir`` (stages -> leap-frog schedule). With the hook on, both are ours:

* Gluon kernels get :func:`gluon_to_ttgir`, Triton's list with
  ``autopipe-warp-pipeline-regions`` in place of ``tritonamdgpu-warp-pipeline``;
* every kernel (Gluon or Triton) gets a ``llir`` stage that first runs
  ``autopipe-warp-pipeline-regions`` (a no-op without markers) and
  ``autopipe-lower-warp-pipeline``, then Triton's ``make_llir``. Our lowering
  inlines the stages and drops ``triton.warp_pipeline.pipelined_for``, so
  Triton's ``convert-warp-pipeline`` (which only matches marked loops and stage
  regions) finds nothing left to do.

>>> stages = {"ttgir": ..., "llir": ...}
>>> install(stages, options, Language.GLUON)   # from AutopipeHook.install
"""
from __future__ import annotations

from typing import Any

from . import plugin

#: Our passes (Triton exposes each as ``passes.plugin.add_<name>``).
REGIONS = "autopipe-warp-pipeline-regions"
LOWER = "autopipe-lower-warp-pipeline"

#: How many modules :func:`lower` has run on (for tests and diagnostics).
runs = 0


def install(stages: dict, options: Any, language: Any) -> None:
    """Swap our warp-pipeline passes into ``stages`` (HIP backend)."""
    from triton.backends.compiler import Language

    if language == Language.GLUON and "ttgir" in stages:
        stages["ttgir"] = lambda src, metadata: gluon_to_ttgir(src, metadata, options)
    if "llir" in stages:
        make_llir = stages["llir"]
        stages["llir"] = lambda src, metadata: make_llir(lower(src), metadata)


def gluon_to_ttgir(mod, metadata, options):
    """Triton 3.9's ``HIPBackend.gluon_to_ttgir`` with our regions pass."""
    from triton._C.libtriton import amd, ir, passes
    from triton._instrumentation import is_enabled
    from triton.backends.amd.compiler import is_fpsan_supported

    pm = ir.pass_manager(mod.context)
    pm.enable_debug()
    passes.gluon.add_inliner(pm)
    passes.gluon.add_infer_coalesced_encodings(pm)
    passes.gluon.add_resolve_auto_encodings(pm)
    passes.common.add_sccp(pm)
    passes.ttir.add_loop_aware_cse(pm)
    passes.gluon.add_canonicalizer(pm)
    passes.ttir.add_loop_unroll(pm)
    passes.ttgpuir.add_combine_tensor_select_and_if(pm)
    fpsan = is_enabled(options, "fpsan") and is_fpsan_supported(options.base_arch)
    if fpsan:
        passes.common.add_symbol_dce(pm)
    plugin.add_pass(pm, REGIONS)  # instead of amd.passes.ttgpuir.add_warp_pipeline
    passes.ttgpuir.add_allocate_warp_groups(pm)
    if fpsan:
        amd.passes.ttgpuir.add_fp_sanitizer(pm)
        passes.ttgpuir.add_fp_sanitizer(pm, options.fpsan_homomorphic_casts)
    pm.run(mod, "gluon_to_ttgir")
    metadata["tensordesc_meta"] = mod.get_tensordesc_metadata()
    return mod


def lower(mod):
    """Run our regions pass and lowering on TTGIR ``mod`` (in place)."""
    from triton._C.libtriton import ir

    global runs
    runs += 1
    pm = ir.pass_manager(mod.context)
    pm.enable_debug()
    plugin.add_pass(pm, REGIONS)
    plugin.add_pass(pm, LOWER)
    pm.run(mod, "autopipe_warp_pipeline")
    return mod
