"""A dispatch around Triton's ``add_*`` pass bindings, so Triton's own
``make_ttgir`` / ``gluon_to_ttgir`` run with only the pipeliner steps swapped.

Each swapped binding (e.g. ``passes.ttgpuir.add_pipeline``) is replaced once by
a wrapper that looks up the :class:`Plan` active on the calling thread: with
none, it calls Triton's original unchanged; with one, it calls the handler of
the table row (:data:`triton_autopipe.pipelines.SWAPS`), which adds our passes
and/or Triton's original. Plans are thread-local, so two threads compiling
with different settings (or one with Triton's own pipeline) never mix.

>>> with active(Plan(settings)):            # doctest: +SKIP
...     CUDABackend.make_ttgir(mod, metadata, options, 90)
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
from typing import Any, Callable, Iterator, Optional, Sequence

#: Attribute a wrapper carries: the binding it replaced.
ORIGINAL_ATTR = "__autopipe_original__"


@dataclasses.dataclass
class Plan:
    """What one ``make_ttgir`` / ``gluon_to_ttgir`` call of one thread runs.

    ``settings`` (a :class:`~triton_autopipe.pipelines.Settings`, or None:
    Triton's pipeliner), ``warp_pipeline``: our AMD warp-pipeline regions pass
    in place of Triton's. The handlers keep their own state in ``state``
    (e.g. num_stages seen at the scheduler, a shared->register step pending).
    """

    settings: Any = None
    warp_pipeline: bool = False
    state: dict[str, Any] = dataclasses.field(default_factory=dict)


_local = threading.local()
_lock = threading.Lock()
#: "module.path.add_x" -> Triton's original binding, for every installed wrapper.
_originals: dict[str, Callable] = {}
#: "module.path.add_x" -> our wrapper installed there.
_wrappers: dict[str, Callable] = {}


def current() -> Optional[Plan]:
    """The plan active on this thread (None: Triton's bindings run unchanged)."""
    return getattr(_local, "plan", None)


@contextlib.contextmanager
def active(plan: Plan, swaps: Optional[Sequence[Any]] = None) -> Iterator[Plan]:
    """Make ``plan`` the calling thread's plan for the duration (nesting restores
    the outer one). ``swaps`` (default: the package's table) are installed first."""
    install(swaps)
    saved = current()
    _local.plan = plan
    try:
        yield plan
    finally:
        _local.plan = saved


def _resolve(path: str) -> tuple[Any, str]:
    """(binding module, attribute) of ``"passes.ttgpuir.add_pipeline"``."""
    from triton._C import libtriton

    *modules, name = path.split(".")
    return functools.reduce(getattr, modules, libtriton), name


def _wrapper(row: Any, original: Callable) -> Callable:
    """Triton's ``original`` where no plan (or one without ``row.plan_field``) is active, else ``row.handler``.
    Inside a handler every dispatch passes straight through (so a wrapper of ours that someone else wrapped
    and we wrapped again runs the handler once)."""
    handler, field = row.handler, row.plan_field

    def dispatch(*args: Any, **kwargs: Any) -> None:
        plan = current()
        if plan is None or not getattr(plan, field) or getattr(_local, "busy", False):
            return original(*args, **kwargs)
        _local.busy = True
        try:
            return handler(plan, original, *args, **kwargs)
        finally:
            _local.busy = False

    dispatch.__name__ = dispatch.__qualname__ = getattr(original, "__name__", row.binding.rsplit(".", 1)[-1])
    dispatch.__doc__ = f"triton-autopipe dispatch around Triton's {row.binding} (triton_autopipe.pipelines.SWAPS)"
    setattr(dispatch, ORIGINAL_ATTR, original)
    return dispatch


def _installed(path: str) -> bool:
    module, name = _resolve(path)
    return path in _wrappers and getattr(module, name) is _wrappers[path]


def install(swaps: Optional[Sequence[Any]] = None) -> None:
    """Wrap every binding of ``swaps`` (rows with ``binding``, ``handler`` and ``plan_field``; a handler is
    called as ``handler(plan, original, pm, *args)`` with Triton's binding as ``original``; default:
    :data:`triton_autopipe.pipelines.SWAPS`). Idempotent; a binding whose wrapper was replaced since (e.g.
    a test's monkeypatch undone) is wrapped again, around what is there now."""
    if swaps is None:
        from .pipelines import SWAPS

        swaps = SWAPS
    rows: Sequence[Any] = swaps
    if all(_installed(row.binding) for row in rows):
        return
    with _lock:
        for row in rows:
            if _installed(row.binding):
                continue
            module, name = _resolve(row.binding)
            original = getattr(module, name)
            _originals[row.binding] = original
            _wrappers[row.binding] = _wrapper(row, original)
            setattr(module, name, _wrappers[row.binding])


def uninstall() -> None:
    """Put Triton's original bindings back where our wrapper is still in place (tests that wrap the bindings
    themselves call this first, then :func:`install` again)."""
    with _lock:
        for path, original in _originals.items():
            if _installed(path):
                module, name = _resolve(path)
                setattr(module, name, original)
        _originals.clear()
        _wrappers.clear()


def original(path: str) -> Callable:
    """Triton's binding at ``path`` as it was before our wrapper (or the
    binding itself where none is installed)."""
    if path in _originals:
        return _originals[path]
    module, name = _resolve(path)
    return getattr(module, name)
