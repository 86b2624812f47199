"""triton-autopipe: software pipelining for Triton 3.9 as an out-of-tree plugin.

Turn it on for one kernel, with its own settings::

    from triton_autopipe import auto_pipeline, PipelineConfig

    @triton.jit
    @auto_pipeline(PipelineConfig(global_to_shared_stages=3, schedule="attention-a"))
    def attn_fwd(...): ...

(``auto_pipeline(configs=[...], key=[...])`` autotunes the pipeline; ``python -m triton_autopipe explain``
shows a kernel's schedules and a picture of them, on the CPU), or keywords above ``@triton.jit``::

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

import functools
import os
from pathlib import Path
from typing import Any, Optional

__version__ = "0.1.0"
__all__ = ["enable", "disable", "is_enabled", "current_hook", "opt_path", "auto_pipeline", "PipelineConfig",
           "WarpSpecConfig", "__version__"]

_PKG = Path(__file__).resolve().parent

#: Spellings of a boolean in ``TRITON_AUTOPIPE`` / ``TRITON_AUTOPIPE_EXPLAIN``.
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


def parse_bool(value: Optional[str], name: str) -> bool:
    """A boolean environment value, strictly: ``1/true/yes/on`` or ``0/false/no/off`` (or unset);
    anything else is a ValueError naming the variable.

    >>> parse_bool("On", "TRITON_AUTOPIPE"), parse_bool(None, "TRITON_AUTOPIPE")
    (True, False)
    """
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"triton-autopipe: {name}={value!r} is not a boolean; use one of "
                     f"{'/'.join(TRUE_WORDS)} or {'/'.join(w for w in FALSE_WORDS if w)}")


#: The fields :func:`settings_from_environment` reads from ``TRITON_AUTOPIPE_<NAME>``, with their defaults.
_ENV_FIELDS = (("schedule", "auto"), ("buffers", "autopipe"), ("expand", "autopipe"), ("s2r", "triton"),
               ("async_dots", "auto"), ("barriers", "placed"))


def _getenv(name: str) -> Optional[str]:
    """``os.environ.get(name)``, a few times faster on POSIX (``os.environ``'s own bytes dict; it sees every
    change made through ``os.environ``): a scope per launch reads six variables on every launch."""
    data = getattr(os.environ, "_data", None)
    if os.name != "posix" or not isinstance(data, dict):
        return os.environ.get(name)
    raw = data.get(name.encode())
    return None if raw is None else os.fsdecode(raw)


def settings_from_environment(**given: Any):
    """The :class:`~triton_autopipe.pipelines.Settings` of ``given`` (None: from the environment), checked."""
    explain = given.get("explain")
    if explain is None:
        explain = parse_bool(_getenv("TRITON_AUTOPIPE_EXPLAIN"), "TRITON_AUTOPIPE_EXPLAIN")
    values = [explain]
    for name, default in _ENV_FIELDS:
        value = given.get(name)
        if value is None:
            value = (_getenv(f"TRITON_AUTOPIPE_{name.upper()}") or "").strip() or default
        values.append(value)
    try:
        return _settings_of(*values)
    except TypeError as exc:  # an unhashable value: let Settings name it
        if "unhashable" not in str(exc):
            raise
        return _settings_of.__wrapped__(*values)


@functools.lru_cache(maxsize=64, typed=True)  # typed: 1 and True are different values here
def _settings_of(*values: Any):
    """``Settings(explain, *_ENV_FIELDS)`` of these values, memoized: a scope per launch asks on every launch
    (a bad value raises, and is not memoized)."""
    from .pipelines import Settings

    return Settings(**dict(zip(("explain",) + tuple(name for name, _ in _ENV_FIELDS), values)))


def enable(explain: Optional[bool] = None, schedule: Optional[str] = None,
           buffers: Optional[str] = None, expand: Optional[str] = None,
           s2r: Optional[str] = None, async_dots: Optional[str] = None, barriers: Optional[str] = None) -> None:
    """Compile with our passes from now on: called in the main thread, in every thread that has not set
    its own; called in another thread, in that thread only (see :mod:`triton_autopipe.state`). Installs our stages hook (chained after
    any hook already installed) and loads the plugin. Bad values raise before anything changes.
    ``explain`` (a bool) prints each loop's schedule to stderr (default:
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
    default: ``TRITON_AUTOPIPE_ASYNC_DOTS``); ``barriers`` is ``placed`` (default: our pass places the CTA
    barriers of our loops, marked, and proves Triton's Membar adds none), ``membar`` (Triton's Membar alone) or
    ``linked`` (opt-in: refill slots written from read slots, so a barrier before a refill drops; default:
    ``TRITON_AUTOPIPE_BARRIERS``). Calling it again replaces the
    settings.

    >>> enable(schedule="attention-a")   # attention: first dot one stage ahead
    """
    _install(settings_from_environment(explain=explain, schedule=schedule, buffers=buffers, expand=expand,
                                       s2r=s2r, async_dots=async_dots, barriers=barriers))


def _install(settings) -> None:
    """Enable with these :class:`~triton_autopipe.pipelines.Settings`."""
    from . import state
    from .pipelines import Settings

    if not isinstance(settings, Settings):
        raise TypeError(f"triton-autopipe: expected Settings, got {settings!r}")
    state.set_enabled(settings)


def disable() -> None:
    """Stop compiling with our passes (in the main thread: the process's settings; in another thread: that
    thread's); our hook goes once no thread needs it, restoring the one that was installed before it."""
    from . import state

    state.set_enabled(None)


def is_enabled() -> bool:
    """Whether the calling thread compiles with our passes."""
    return current_hook() is not None


def current_hook():
    """The installed :class:`~triton_autopipe.hook.AutopipeHook` if the calling thread compiles with our
    settings (``current_hook().settings``), else None."""
    from . import state

    return state.active_hook_for_thread()


def opt_path() -> Path:
    """Path of the installed ``autopipe-opt`` binary."""
    return _PKG / "bin" / "autopipe-opt"


def _enable_from_environment() -> None:
    """Enable once if ``TRITON_AUTOPIPE`` is set; never raise (this runs at
    interpreter start-up through the .pth file): a bad value is reported on
    stderr and leaves Triton's pipeline in place."""
    import sys

    if os.environ.get("TRITON_AUTOPIPE") is None:
        return
    try:
        if not parse_bool(os.environ.get("TRITON_AUTOPIPE"), "TRITON_AUTOPIPE"):
            return
        from . import state

        if state.current() is not None:
            return
        enable()
    except Exception as exc:
        print(f"triton-autopipe: not enabled: {exc}", file=sys.stderr)


# `import triton_autopipe` with TRITON_AUTOPIPE=1 enables, even without the .pth.
_enable_from_environment()


def __getattr__(name: str):
    if name == "auto_pipeline":  # imported lazily: it needs triton
        from .decorator import auto_pipeline

        return auto_pipeline
    if name in ("PipelineConfig", "WarpSpecConfig"):
        from . import config

        return getattr(config, name)
    raise AttributeError(f"module 'triton_autopipe' has no attribute {name!r}")
