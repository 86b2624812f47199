"""``@auto_pipeline``: our pipelining for one kernel, with its own settings.

The decorator wraps a ``@triton.jit`` function. Every launch (``kernel[grid](...)``,
``kernel.run``, ``kernel.warmup``, and an ``@triton.autotune`` on top of it)
compiles with our passes and the given settings, whether or not
``triton_autopipe.enable()`` / ``TRITON_AUTOPIPE=1`` is on; the settings take
part in Triton's cache key, so each setting compiles once. Settings not given
come from the global ones (``enable()`` or the environment).

Example::

    import triton, triton.language as tl
    from triton_autopipe import auto_pipeline

    @auto_pipeline(schedule="attention-a", global_to_shared_stages=3)
    @triton.jit
    def attn_fwd(Q, K, V, O, ...):
        ...

    attn_fwd[grid](q, k, v, o, ...)   # compiled with our attention-a schedule

Launches from several threads at once, each with its own settings, are
supported: the settings are the launching thread's (:mod:`triton_autopipe.state`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
from typing import Any, Iterator, Optional

from triton.runtime.jit import KernelInterface

#: Keyword arguments of :func:`auto_pipeline` and the Settings field each sets.
_FIELDS = ("schedule", "buffers", "expand", "s2r", "async_dots", "explain", "global_to_shared_stages",
           "shared_to_register_stages", "barriers")


@contextlib.contextmanager
def settings_scope(**overrides: Any) -> Iterator[Any]:
    """The calling thread compiles with its current settings (or the environment's) plus ``overrides``
    for the duration of the ``with``; then with what it had before. Other threads are not affected
    (:mod:`triton_autopipe.state`). Bad values raise before anything changes. Yields the
    :class:`~triton_autopipe.pipelines.Settings`.

    PyTorch runs the backward of CUDA tensors on its own autograd thread, which a scope around
    ``loss.backward()`` does not reach (measured on the H200: settings there are the process's, not the
    scope's). For kernels launched from backward, decorate them with ``@auto_pipeline`` (it opens its scope
    at each launch, on the launching thread) or use ``enable()``.

    >>> with settings_scope(schedule="attention-b") as s:
    ...     s.schedule
    'attention-b'
    """
    import triton_autopipe as ta

    from . import state

    unknown = set(overrides) - set(_FIELDS)
    if unknown:
        raise TypeError(f"triton-autopipe: unknown setting(s) {sorted(unknown)}; expected some of {list(_FIELDS)}")
    base = state.current() or ta.settings_from_environment()
    given = {k: v for k, v in overrides.items() if v is not None}
    with state.scope(_replaced(base, given) if given else base) as settings:
        yield settings


#: (base settings, ((name, type, value), ...)) -> the settings with those fields replaced.
_REPLACED: dict[tuple, Any] = {}


def _replaced(base: Any, given: dict[str, Any]) -> Any:
    """``dataclasses.replace(base, **given)``, memoized for hashable values (a scope per launch asks on every
    launch); the value's type is part of the key, so ``True`` never stands for ``1``."""
    try:
        key = (base, tuple((k, type(v), v) for k, v in sorted(given.items())))
        hit = _REPLACED.get(key)
    except TypeError:  # unhashable: let Settings name the bad value
        return dataclasses.replace(base, **given)
    if hit is None:
        hit = dataclasses.replace(base, **given)
        if len(_REPLACED) > 256:
            _REPLACED.clear()
        _REPLACED[key] = hit
    return hit


class AutoPipelined(KernelInterface):
    """A ``@triton.jit`` function whose launches compile with our settings
    (see :func:`auto_pipeline`); other attributes are the wrapped function's."""

    def __init__(self, fn: Any, overrides: dict[str, Any]):
        from .pipelines import Settings

        # Validate now (bad values are the decorator's error, not the launch's).
        dataclasses.replace(Settings(), **{k: v for k, v in overrides.items() if v is not None})
        self.fn = fn
        self.overrides = overrides
        functools.update_wrapper(self, fn, updated=())

    def run(self, *args: Any, **kwargs: Any) -> Any:
        with settings_scope(**self.overrides):
            return self.fn.run(*args, **kwargs)

    def warmup(self, *args: Any, **kwargs: Any) -> Any:
        with settings_scope(**self.overrides):
            return self.fn.warmup(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fn, name)

    def __repr__(self) -> str:
        return f"auto_pipeline({self.overrides})({self.fn!r})"


#: Attribute a plain function gets from ``@auto_pipeline`` below ``@triton.jit``: the overrides.
_MARK = "__triton_autopipe_overrides__"


#: Triton's own ``JITFunction.run``, once :func:`_patch_jit_run` replaced it.
_jit_run: Any = None


def _patch_jit_run() -> None:
    """Once: Triton's ``JITFunction.run`` (which ``kernel[grid](...)``, ``.warmup`` and the autotuner all
    call) runs inside a settings scope when its function carries :data:`_MARK` (``@auto_pipeline`` written
    below ``@triton.jit``, as PR #327 does); other kernels pay one attribute lookup."""
    global _jit_run
    from triton.runtime.jit import JITFunction

    if _jit_run is not None:
        return
    _jit_run = JITFunction.run

    @functools.wraps(_jit_run)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        overrides = getattr(self.fn, _MARK, None)
        if overrides is None:
            return _jit_run(self, *args, **kwargs)
        with settings_scope(**overrides):
            return _jit_run(self, *args, **kwargs)

    JITFunction.run = run


def auto_pipeline(fn: Optional[Any] = None, *, config: Optional[Any] = None, configs: Optional[list] = None,
                  key: Optional[list] = None, schedule: Optional[str] = None,
                  buffers: Optional[str] = None, expand: Optional[str] = None, s2r: Optional[str] = None,
                  async_dots: Optional[str] = None, explain: Optional[bool] = None,
                  global_to_shared_stages: Optional[int] = None,
                  shared_to_register_stages: Optional[int] = None, barriers: Optional[str] = None) -> Any:
    """Compile this kernel with our pipelining and these settings.

    Give a :class:`~triton_autopipe.config.PipelineConfig` (``auto_pipeline(PipelineConfig(...))`` or
    ``config=``) or keywords: ``schedule``, ``buffers``, ``expand``, ``s2r``, ``async_dots``, ``explain``,
    ``barriers``: as
    for :func:`triton_autopipe.enable`; ``global_to_shared_stages``: circular-buffer slots per pipelined
    load (default: the schedule's distance; more slots than the shared memory holds are reduced, with a
    remark); ``shared_to_register_stages``: 2 (double buffering) or 1 (off) for our shared->register
    buffering, which it turns on (``s2r="autopipe"``) unless ``s2r`` says otherwise. Keywords given with a
    config override its fields. ``configs=[PipelineConfig(...), ...]`` with ``key=[argument names]``
    autotunes the pipeline: the fastest config per key, timed on the launch's arguments and kept on disk
    (:mod:`triton_autopipe.tuning`); keywords then apply to every config. Write it above or below ``@triton.jit`` (and under ``@triton.autotune``);
    usable bare (``@auto_pipeline``) or called.

    >>> from triton_autopipe import PipelineConfig
    >>> @auto_pipeline(PipelineConfig(global_to_shared_stages=4, schedule="auto"))   # doctest: +SKIP
    ... @triton.jit
    ... def kernel(...): ...
    """
    from .config import PipelineConfig

    if isinstance(fn, PipelineConfig):
        if config is not None:
            raise TypeError("triton-autopipe: auto_pipeline got two PipelineConfigs (positional and config=)")
        fn, config = None, fn
    overrides: dict[str, Any] = {}
    if config is not None:
        if not isinstance(config, PipelineConfig):
            raise TypeError(f"triton-autopipe: auto_pipeline(config=...) takes a PipelineConfig, got {config!r}")
        if config.warp_spec is not None:
            raise ValueError("triton-autopipe: PipelineConfig.warp_spec: warp specialization is not available "
                             f"yet in triton-autopipe (issue #19); drop warp_spec={config.warp_spec!r}")
        overrides.update(config.overrides())
    given = dict(schedule=schedule, buffers=buffers, expand=expand, s2r=s2r, async_dots=async_dots,
                 explain=explain, global_to_shared_stages=global_to_shared_stages,
                 shared_to_register_stages=shared_to_register_stages, barriers=barriers)
    if shared_to_register_stages is not None and s2r is None:
        given["s2r"] = "autopipe"
    overrides.update({k: v for k, v in given.items() if v is not None})
    for name in _FIELDS:
        overrides.setdefault(name, None)
    # Validate now (bad values are the decorator's error, not the launch's).
    from .pipelines import Settings

    dataclasses.replace(Settings(), **{k: v for k, v in overrides.items() if v is not None})

    if configs is not None and config is not None:
        raise TypeError("triton-autopipe: auto_pipeline takes config= or configs=, not both")

    def wrap(f: Any) -> Any:
        if configs is not None:
            if not hasattr(f, "run"):
                raise TypeError("triton-autopipe: auto_pipeline(configs=...) goes above @triton.jit "
                                "(and above @triton.autotune)")
            from .tuning import PipelineTuner

            return PipelineTuner(f, configs, list(key or []), overrides)
        if hasattr(f, "run"):  # above @triton.jit (or above @triton.autotune's result)
            return AutoPipelined(f, overrides)
        if callable(f) and hasattr(f, "__code__"):  # below @triton.jit: mark the function
            setattr(f, _MARK, {k: v for k, v in overrides.items() if v is not None})
            _patch_jit_run()
            return f
        raise TypeError(f"triton-autopipe: auto_pipeline wraps a @triton.jit function or the Python function "
                        f"@triton.jit will compile, got {f!r}")

    return wrap(fn) if fn is not None else wrap
