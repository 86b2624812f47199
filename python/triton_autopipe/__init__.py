"""triton-autopipe: software pipelining for Triton 3.9 as an out-of-tree plugin.

Turn it on for one kernel, with its own settings::

    @triton_autopipe.auto_pipeline(schedule="attention-a", global_to_shared_stages=3)
    @triton.jit
    def attn_fwd(...): ...

or for unmodified code with the environment::

    $ TRITON_AUTOPIPE=1 python train.py

or from Python::

    import triton_autopipe
    triton_autopipe.enable(explain=True)   # print each loop's schedule
    ...                                    # compile/run Triton kernels
    triton_autopipe.disable()

Environment: ``TRITON_AUTOPIPE=1`` enables at start-up,
``TRITON_AUTOPIPE_EXPLAIN=1`` prints every loop's schedule to stderr,
``TRITON_AUTOPIPE_SCHEDULE=auto|default|attention-a|attention-b|triton``
picks the loop schedule,
``TRITON_AUTOPIPE_BUFFERS=autopipe|registers|async|triton`` picks who lowers
the loads into shared-memory circular buffers (default ``autopipe``: ours,
async copies on CUDA and gfx950 (direct-to-LDS), register-staged on gfx942;
``registers``: register-staged everywhere; ``async``: async copies only),
``TRITON_AUTOPIPE_EXPAND=autopipe|triton`` picks who expands the pipelined
loops and places the async-wgmma waits (default ``autopipe``; ``triton``:
Triton's ``tritongpu-pipeline`` / AMD stream pipeliner),
``TRITON_AUTOPIPE_S2R=triton|autopipe|prefetch|off`` picks the shared->register
double buffering of register MMA operands (default ``triton``: Triton's prefetch
on sm80; ``autopipe``: ours, on every target; ``prefetch``: Triton's on every
CUDA target),
``TRITON_AUTOPIPE_PLUGIN=<path>`` loads another build of the plugin.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

__version__ = "0.1.0"
__all__ = ["enable", "disable", "is_enabled", "current_hook", "opt_path", "auto_pipeline", "__version__"]

_PKG = Path(__file__).resolve().parent
_hook = None  # the AutopipeHook we installed, if any


def _truthy(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def enable(explain: Optional[bool] = None, schedule: Optional[str] = None,
           buffers: Optional[str] = None, expand: Optional[str] = None,
           s2r: Optional[str] = None, async_dots: Optional[str] = None) -> None:
    """Install our stages hook (chained after any hook already installed) and
    load the plugin. ``explain`` prints each loop's schedule to stderr (default:
    ``TRITON_AUTOPIPE_EXPLAIN``); ``schedule`` is ``auto`` (default),
    ``default``, ``attention-a``, ``attention-b`` or ``triton`` (Triton's own
    scheduler; default: ``TRITON_AUTOPIPE_SCHEDULE``); ``buffers`` is
    ``autopipe`` (default: our circular-buffer load lowering), ``registers``
    (ours, register-staged on every target), ``async`` (ours, async copies
    only) or ``triton`` (Triton's; default:
    ``TRITON_AUTOPIPE_BUFFERS``); ``expand`` is
    ``autopipe`` (default: our loop expansion and async-wgmma waits) or
    ``triton`` (Triton's ``tritongpu-pipeline``; default:
    ``TRITON_AUTOPIPE_EXPAND``); ``s2r`` is ``triton`` (default: Triton's
    shared->register prefetch on sm80), ``autopipe`` (our
    ``autopipe-double-buffer-operands`` on every target), ``prefetch``
    (Triton's prefetch on every CUDA target) or ``off`` (default:
    ``TRITON_AUTOPIPE_S2R``); ``async_dots`` is ``auto`` (default), ``autopipe``,
    ``triton`` or ``off`` (sm90 wgmma left synchronous, loads still pipelined;
    default: ``TRITON_AUTOPIPE_ASYNC_DOTS``). Calling it again replaces the
    settings.

    >>> enable(schedule="attention-a")   # attention: first dot one stage ahead
    """
    from .pipelines import Settings

    if explain is None:
        explain = _truthy(os.environ.get("TRITON_AUTOPIPE_EXPLAIN"))
    if schedule is None:
        schedule = os.environ.get("TRITON_AUTOPIPE_SCHEDULE", "").strip() or "auto"
    if buffers is None:
        buffers = os.environ.get("TRITON_AUTOPIPE_BUFFERS", "").strip() or "autopipe"
    if expand is None:
        expand = os.environ.get("TRITON_AUTOPIPE_EXPAND", "").strip() or "autopipe"
    if s2r is None:
        s2r = os.environ.get("TRITON_AUTOPIPE_S2R", "").strip() or "triton"
    if async_dots is None:
        async_dots = os.environ.get("TRITON_AUTOPIPE_ASYNC_DOTS", "").strip() or "auto"
    _install(Settings(explain=bool(explain), schedule=schedule, buffers=buffers, expand=expand, s2r=s2r,
                      async_dots=async_dots))


def _install(settings) -> None:
    """Install our hook with these :class:`~triton_autopipe.pipelines.Settings`."""
    global _hook
    from triton import knobs

    from . import plugin
    from .hook import AutopipeHook

    plugin.load()
    previous = knobs.runtime.add_stages_inspection_hook
    if _hook is not None and previous is _hook:
        previous = _hook.previous
    _hook = AutopipeHook(settings, previous)
    knobs.runtime.add_stages_inspection_hook = _hook


def disable() -> None:
    """Remove our hook, restoring the one that was installed before it."""
    global _hook
    from triton import knobs

    if _hook is None:
        return
    if knobs.runtime.add_stages_inspection_hook is _hook:
        knobs.runtime.add_stages_inspection_hook = _hook.previous
    _hook = None


def is_enabled() -> bool:
    from triton import knobs

    return _hook is not None and knobs.runtime.add_stages_inspection_hook is _hook


def current_hook():
    """The installed :class:`~triton_autopipe.hook.AutopipeHook` (or None)."""
    return _hook if is_enabled() else None


def opt_path() -> Path:
    """Path of the installed ``autopipe-opt`` binary."""
    return _PKG / "bin" / "autopipe-opt"


def _enable_from_environment() -> None:
    """Enable once if ``TRITON_AUTOPIPE`` is set; never raise (this runs at
    interpreter start-up through the .pth file)."""
    if _hook is not None or not _truthy(os.environ.get("TRITON_AUTOPIPE")):
        return
    try:
        enable()
    except Exception as exc:
        import sys

        print(f"triton-autopipe: TRITON_AUTOPIPE is set but enabling failed: {exc!r}", file=sys.stderr)


# `import triton_autopipe` with TRITON_AUTOPIPE=1 enables, even without the .pth.
_enable_from_environment()


def __getattr__(name: str):
    if name == "auto_pipeline":  # imported lazily: it needs triton
        from .decorator import auto_pipeline

        return auto_pipeline
    raise AttributeError(f"module 'triton_autopipe' has no attribute {name!r}")
