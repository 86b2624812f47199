"""The Triton stages-inspection hook that runs Triton's ``make_ttgir`` with our passes swapped in.

Triton 3.9 calls ``knobs.runtime.add_stages_inspection_hook`` in two ways:
``hook()`` must return ``(key, hash)``, which joins the compile cache key, and
``hook(backend, stages, options, language, capability)`` may replace entries of
``stages``. We wrap ``stages["ttgir"]`` of Triton-language kernels on sm80/sm90
and gfx942/gfx950 so it runs with our settings active (the bindings of
:data:`~triton_autopipe.pipelines.SWAPS` then add our passes), then call the
hook that was installed before ours,
so a user's hook keeps working (and has the last word).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import warnings
from typing import Any, Callable, Optional

from . import __version__, amd_warp_pipeline, occupancy, pipelines, plugin, state

CUDA_FAMILIES = (8, 9)
HIP_ARCHS = ("gfx942", "gfx950")

_warned: set[str] = set()  # what was warned about once


def _warn_once(what: str) -> None:
    if what not in _warned:
        _warned.add(what)
        warnings.warn(f"triton-autopipe: {what} is not supported; using Triton's own pipeline", stacklevel=3)


def _make_ttgir_sm90_auto(src, metadata, make_ttgir: Callable, settings: pipelines.Settings, num_warps: int,
                          stages: dict, reuse: occupancy.Reuse):
    """Triton's sm90 ``make_ttgir`` stage with our passes and ``async_dots="auto"``: async wgmma, or synchronous
    where ptxas lets more CTAs share an SM (:mod:`triton_autopipe.occupancy`)."""
    ttir = str(src)  # make_ttgir rewrites src in place; the synchronous trial starts from the same TTIR
    ttgir = pipelines.with_settings(make_ttgir, settings)(src, metadata)
    off = dataclasses.replace(settings, async_dots="off", explain=False)
    return occupancy.choose(ttir, ttgir, metadata, stages, num_warps, settings.explain,
                            pipelines.with_settings(make_ttgir, off), reuse)


@functools.lru_cache(maxsize=256)
def _key(settings: Optional[pipelines.Settings], amd_auto: bool) -> str:
    if settings is None:
        return "triton-autopipe-off"
    key = f"triton-autopipe-{__version__}-{plugin.fingerprint()}[{settings.key()}]"
    if amd_auto:
        key += "[amd-warp-pipeline=auto]"
    return key


@functools.lru_cache(maxsize=256)
def _key_and_hash(settings: Optional[pipelines.Settings], amd_auto: bool,
                  previous: Optional[tuple[str, str]]) -> tuple[str, str]:
    """The ``(key, hash)`` Triton adds to the cache key of each launch: ours, then the previous hook's."""
    key = _key(settings, amd_auto)
    if previous is not None:
        key = f"{key}+{previous[0]}:{previous[1]}"
    return key, hashlib.sha256(key.encode()).hexdigest()


class AutopipeHook:
    """Callable installed as ``triton.knobs.runtime.add_stages_inspection_hook`` (one per process, see
    :mod:`triton_autopipe.state`). It reads the calling thread's settings each time Triton calls it: for the
    cache key and for the stages alike; a thread with none gets Triton's pipeline (and the previous hook's)."""

    def __init__(self, previous: Optional[Callable] = None):
        self.previous = previous
        #: Targets whose ttgir stage we replaced, e.g. {"cuda:90", "hip:gfx942"}.
        self.applied: set[str] = set()
        self._last: Optional[tuple] = None  # (settings, amd_auto, previous, (key, hash)) of the last launch

    @property
    def settings(self) -> Optional[pipelines.Settings]:
        """The settings the calling thread compiles with (None: Triton's pipeline)."""
        return state.current()

    def key(self) -> str:
        return _key(self.settings, amd_warp_pipeline.auto_partition())

    def __call__(self, *args: Any):
        if not args:
            # Triton asks on every launch: the pair is memoized on what it depends on (the last
            # one by identity, which is what a loop of launches asks again and again).
            settings = state.current()
            amd_auto = amd_warp_pipeline.auto_partition()
            previous = self.previous() if self.previous is not None else None
            last = self._last
            if last is not None and last[0] is settings and last[1] == amd_auto and last[2] == previous:
                return last[3]
            pair = _key_and_hash(settings, amd_auto, previous)
            self._last = (settings, amd_auto, previous, pair)
            return pair
        backend, stages, options, language, capability = args
        settings = self.settings
        if settings is not None:
            self.install(backend, stages, options, language, capability, settings)
        if self.previous is not None:
            return self.previous(backend, stages, options, language, capability)
        return None

    def install(self, backend, stages, options, language, capability, settings: pipelines.Settings) -> None:
        from triton.backends.compiler import Language

        if backend.target.backend == "hip" and getattr(options, "arch", None) in HIP_ARCHS:
            # AMD warp pipeline: our passes for Gluon and Triton kernels alike.
            amd_warp_pipeline.install(stages, options, language)
        if language != Language.TRITON or "ttgir" not in stages:
            return  # Gluon kernels: Triton's gluon_to_ttgir (our warp-pipeline pass on HIP)
        if getattr(options, "num_ctas", 1) > 1:
            # CTA clusters: our buffers do not multicast, and on the H200 Triton's own
            # test_tensor_descriptor matmuls with num_ctas=2 hung with our lowering. Triton's form.
            _warn_once(f"num_ctas={options.num_ctas}")
            return
        target = backend.target.backend
        if target == "cuda":
            if capability // 10 not in CUDA_FAMILIES:
                _warn_once(f"cuda:{capability}")
                return
            make_ttgir = stages["ttgir"]  # Triton's own, run with our passes swapped in
            if "llir" in stages:  # before the sm90 trials copy the stages: they lower with the proof too
                stages["llir"] = pipelines.with_barrier_pass(stages["llir"], settings)
            if capability == 90 and settings.expand == "autopipe" and settings.async_dots == "auto":
                trials = dict(stages)  # the backend's own lowering, for the trials
                reuse = occupancy.Reuse()
                reuse.wrap(stages)
                stages["ttgir"] = lambda src, metadata: _make_ttgir_sm90_auto(
                    src, metadata, make_ttgir, settings, options.num_warps, trials, reuse)
            else:
                stages["ttgir"] = pipelines.with_settings(make_ttgir, settings)
            self.applied.add(f"cuda:{capability}")
        elif target == "hip":
            arch = options.arch
            if arch not in HIP_ARCHS:
                _warn_once(f"hip:{arch}")
                return
            stages["ttgir"] = pipelines.with_settings(stages["ttgir"], settings)
            amd_warp_pipeline.install_auto(stages, options)
            if "llir" in stages:
                stages["llir"] = pipelines.with_barrier_pass(stages["llir"], settings, "hip")
            self.applied.add(f"hip:{arch}")
        else:
            _warn_once(f"backend {target!r}")
