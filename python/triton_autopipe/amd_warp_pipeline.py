"""Our AMD warp pipeline on the HIP path (gfx942, gfx950).

Triton 3.9 handles Gluon's ``gl.amd.warp_pipeline_stage`` in two places:
``tritonamdgpu-warp-pipeline`` at the end of ``gluon_to_ttgir`` (border markers
-> ``scf.execute_region`` stages) and ``convert-warp-pipeline`` at the start of
``make_llir`` (stages -> leap-frog schedule). With the hook on, both are ours:

* Gluon kernels run Triton's own ``gluon_to_ttgir`` with
  ``autopipe-warp-pipeline-regions`` swapped in for ``tritonamdgpu-warp-pipeline``
  (:func:`gluon_to_ttgir`);
* every kernel (Gluon or Triton) gets a ``llir`` stage that first runs
  ``autopipe-warp-pipeline-regions`` (a no-op without markers) and
  ``autopipe-lower-warp-pipeline``, then Triton's ``make_llir``. Our lowering
  inlines the stages and drops ``triton.warp_pipeline.pipelined_for``, so
  Triton's ``convert-warp-pipeline`` (which only matches marked loops and stage
  regions) finds nothing left to do.

Beyond Gluon (``TRITON_AUTOPIPE_AMD_WARP_PIPELINE=auto``, off by default):
8-warp Triton kernels without asynchronous copies (gfx942; gfx950 uses them
by default and keeps block-pingpong) get Triton's block-pingpong switched off and our regions
pass splits their GEMM loops into "load" / "compute" stages automatically
(where provably legal; see lib/WarpPipelinePartition.cpp), which our lowering
then schedules like a Gluon warp pipeline.

>>> stages = {"ttgir": ..., "llir": ...}
>>> install(stages, options, Language.GLUON)   # from AutopipeHook.install
"""
from __future__ import annotations

import os
from typing import Any, Callable

from . import plugin

#: Our passes (Triton exposes each as ``passes.plugin.add_<name>``).
REGIONS = plugin.WARP_PIPELINE_REGIONS
LOWER = plugin.LOWER_WARP_PIPELINE

#: Environment switch for the automatic partition of Triton GEMM loops.
AUTO_ENV = "TRITON_AUTOPIPE_AMD_WARP_PIPELINE"
#: Kernels the automatic partition applies to (two warp groups of 4).
AUTO_WARPS = 8


def auto_partition() -> bool:
    """Whether ``TRITON_AUTOPIPE_AMD_WARP_PIPELINE=auto`` is set."""
    return os.environ.get(AUTO_ENV, "").strip().lower() == "auto"


def _auto_applies(options: Any) -> bool:
    """Automatic partition for this compile: switch on, 8 warps, and no
    asynchronous copies (their waits need barriers of their own inside a
    stage; gfx950 uses them by default and keeps Triton's block-pingpong)."""
    from triton.backends.amd.compiler import is_async_copy_enabled

    return (auto_partition() and options.num_warps == AUTO_WARPS
            and not is_async_copy_enabled(options.base_arch))


#: How many modules :func:`lower` has run on (for tests and diagnostics).
runs = 0


def install(stages: dict, options: Any, language: Any) -> None:
    """Swap our warp-pipeline passes into ``stages`` (HIP backend)."""
    from triton.backends.compiler import Language

    if language == Language.GLUON and "ttgir" in stages:
        stages["ttgir"] = gluon_to_ttgir(stages["ttgir"])
    auto = language == Language.TRITON and _auto_applies(options)
    if "llir" in stages:
        make_llir = stages["llir"]
        stages["llir"] = lambda src, metadata: make_llir(lower(src, auto), metadata)


def install_auto(stages: dict, options: Any) -> None:
    """With the automatic partition on, run the (already installed) ttgir stage
    of an 8-warp Triton kernel without Triton's block-pingpong: both schedule
    the same loop with the same barriers, only one may."""
    if not (_auto_applies(options) and "ttgir" in stages):
        return
    make_ttgir = stages["ttgir"]

    def ttgir(src, metadata):
        from triton import knobs

        with knobs.amd.scope():
            knobs.amd.use_block_pingpong = False
            return make_ttgir(src, metadata)

    stages["ttgir"] = ttgir


def gluon_to_ttgir(stage: Callable[[Any, dict], Any]) -> Callable[[Any, dict], Any]:
    """Triton's ``gluon_to_ttgir`` stage (``stage(src, metadata)``) run with our regions pass in place of
    ``tritonamdgpu-warp-pipeline`` (row ``amd.passes.ttgpuir.add_warp_pipeline`` of
    :data:`triton_autopipe.pipelines.SWAPS`)."""

    def ttgir(src: Any, metadata: dict) -> Any:
        from . import dispatch

        with dispatch.active(dispatch.Plan(warp_pipeline=True)):
            return stage(src, metadata)

    return ttgir


def lower(mod, auto: bool = False):
    """Run our regions pass (``auto``: with the automatic partition) and
    lowering on TTGIR ``mod`` (in place)."""
    from triton._C.libtriton import ir

    global runs
    runs += 1
    pm = ir.pass_manager(mod.context)
    pm.enable_debug()
    plugin.add_pass(pm, REGIONS, {"auto-partition": True} if auto else None)
    plugin.add_pass(pm, LOWER)
    pm.run(mod, "autopipe_warp_pipeline")
    return mod
