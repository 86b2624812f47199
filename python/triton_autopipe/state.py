"""Which settings each thread compiles with: per thread, and the same for the cache key and the pipeline.

A thread compiles with, first found: its innermost :func:`scope` (``@auto_pipeline`` launches), its own
``enable()``/``disable()`` (called in that thread), the process's (``enable()`` in the main thread,
``TRITON_AUTOPIPE=1`` at start-up), else none (Triton's own pipeline). ``enable()`` in any other thread
applies to that thread only. One :class:`~triton_autopipe.hook.AutopipeHook` is installed as Triton's stages hook while any
thread may need it; it reads the calling thread's settings both when Triton asks for the cache key and when
it builds the stages, so the key always names the pipeline that compiled the kernel, and what one thread
sets never reaches another thread's compile.

>>> from triton_autopipe.pipelines import Settings
>>> with scope(Settings(schedule="attention-b")) as s:
...     current().schedule
'attention-b'
>>> current() is None or current().schedule != "attention-b"
True
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator, Optional

_lock = threading.RLock()
_local = threading.local()
#: Settings of the process's enable() (None: not enabled).
_process: Any = None
#: Settings of each non-main thread's own enable() (or _OFF after its disable()), by thread id.
_own: dict[int, Any] = {}
_OFF = object()
#: Scopes open in all threads.
_open_scopes = 0
#: The hook we installed (it stays the same object while installed).
_hook: Any = None
#: The hook we last removed ourselves, reused by the next install.
_spare: Any = None
#: ``triton.knobs``, once imported.
_knobs: Any = None


def _scopes() -> list:
    stack = getattr(_local, "scopes", None)
    if stack is None:
        stack = _local.scopes = []
    return stack


def current() -> Any:
    """The :class:`~triton_autopipe.pipelines.Settings` the calling thread compiles with, or None."""
    stack = _scopes()
    if stack:
        return stack[-1]
    own = _own.get(threading.get_ident())
    if own is _OFF:
        return None
    return own if own is not None else _process


def _sync() -> None:
    """Install our hook if a thread may need it, remove it when none does (call with the lock held).

    A scope per launch (``@auto_pipeline``) installs and removes it on every launch, so this is kept
    cheap: Triton's knobs are looked up once and the hook we removed ourselves is reused."""
    global _hook, _spare, _knobs
    if _knobs is None:
        from triton import knobs

        _knobs = knobs
    runtime = _knobs.runtime
    needed = _process is not None or _open_scopes > 0 or any(v is not _OFF for v in _own.values())
    installed = _hook is not None and runtime.add_stages_inspection_hook is _hook
    if needed and not installed:
        if _spare is None:
            from . import plugin
            from .hook import AutopipeHook

            plugin.load()
            _spare = AutopipeHook(None)
        _hook, _spare = _spare, None
        _hook.previous = runtime.add_stages_inspection_hook
        runtime.add_stages_inspection_hook = _hook
    elif not needed and installed:
        runtime.add_stages_inspection_hook = _hook.previous
        _hook.previous = None
        _hook, _spare = None, _hook
    elif not needed:
        _hook = None  # someone else replaced it; what is there now is theirs


def set_enabled(settings: Any) -> None:
    """``enable()`` (``settings``) / ``disable()`` (None): in the main thread the process's settings, in
    any other thread that thread's own."""
    global _process
    with _lock:
        if threading.current_thread() is threading.main_thread():
            _process = settings
        else:
            _own[threading.get_ident()] = _OFF if settings is None else settings
        _sync()


def hook() -> Any:
    """Our installed hook, or None."""
    from triton import knobs

    return _hook if _hook is not None and knobs.runtime.add_stages_inspection_hook is _hook else None


@contextlib.contextmanager
def scope(settings: Any) -> Iterator[Any]:
    """The calling thread compiles with ``settings`` for the duration; then what it had before."""
    global _open_scopes
    with _lock:
        _open_scopes += 1
        try:
            _sync()
        except BaseException:
            _open_scopes -= 1
            raise
    _scopes().append(settings)
    try:
        yield settings
    finally:
        _scopes().pop()
        with _lock:
            _open_scopes -= 1
            _sync()


def active_hook_for_thread() -> Optional[Any]:
    """Our hook if the calling thread compiles with our settings."""
    return hook() if current() is not None else None
