"""Which software pipeline compiles a kernel: none, Triton's own, or autopipe.

A :class:`Pipeline` is a named way of compiling: a forced ``num_stages`` (1 for
"no pipelining") and whether ``triton_autopipe`` is enabled while compiling
and launching. :func:`use` switches to one for the duration of a ``with``.

Triton 3.9 keeps compiled kernels in memory per ``JITFunction``, keyed by the
launch specialisation; when a stages-inspection hook is installed its hash is
part of that key (``runtime/jit.py``: ``("custom_pipeline", hash)``) and of the
on-disk key (``compiler.py``: ``key += inspect_stages_key``). So toggling
autopipe in one process compiles separately and never reuses Triton's binary
(the benchmarks also check that the two binaries' hashes differ).

Example::

    from benchmarks.pipelines import NOPIPE, TRITON, autopipe_pipelines, use
    for p in [NOPIPE, TRITON, *autopipe_pipelines()]:
        with use(p):
            ...  # launch with p.stages(config_stages)
"""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Pipeline:
    """A named way to compile: forced stage count and/or autopipe on.

    >>> NOPIPE.stages(3), TRITON.stages(3)
    (1, 3)
    """

    name: str
    autopipe: bool = False
    force_stages: int | None = None
    enable_kwargs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def stages(self, config_stages: int) -> int:
        """The ``num_stages`` to launch with, given the config's own."""
        return self.force_stages if self.force_stages is not None else config_stages


NOPIPE = Pipeline("no-pipe", force_stages=1)
TRITON = Pipeline("triton")
AUTOPIPE = Pipeline("autopipe", autopipe=True)


def _import_autopipe() -> Any:
    """Import ``triton_autopipe`` from the environment or this checkout's ``python/``.

    Raises ImportError also when what imports lacks ``enable``/``disable``/``is_enabled``
    (e.g. a half-written checkout seen as a namespace package).
    """
    try:
        import triton_autopipe as ap
    except ImportError:
        src = REPO / "python"
        if (src / "triton_autopipe").is_dir() and str(src) not in sys.path:
            sys.path.insert(0, str(src))
        import triton_autopipe as ap
    missing = [name for name in ("enable", "disable", "is_enabled") if not hasattr(ap, name)]
    if missing:
        raise ImportError(f"triton_autopipe at {getattr(ap, '__path__', '?')} lacks {', '.join(missing)}")
    return ap


def autopipe_import_error() -> str | None:
    """Why ``triton_autopipe`` cannot be imported here, or None if it can (tests
    use it as the reason of their autopipe skips)."""
    try:
        _import_autopipe()
    except Exception as exc:  # ImportError, or any failure while importing the package
        return f"triton_autopipe cannot be imported: {type(exc).__name__}: {exc}"
    return None


def _ready_plugin_path() -> str | None:
    """The plugin path from ``$TRITON_AUTOPIPE_PLUGIN`` or the checkout's ``.ready-plugin`` file."""
    if os.environ.get("TRITON_AUTOPIPE_PLUGIN"):
        return os.environ["TRITON_AUTOPIPE_PLUGIN"]
    marker = REPO / ".ready-plugin"
    if marker.is_file():
        path = marker.read_text().strip()
        if path and Path(path).is_file():
            return path
    return None


_STATUS: tuple[bool, str] | None = None


def autopipe_status() -> tuple[bool, str]:
    """(usable, reason): whether autopipe can be imported and enabled here.

    Probes once per process: import, ``enable()``, then restores the state it found.
    """
    global _STATUS
    if _STATUS is not None:
        return _STATUS
    try:
        ap = _import_autopipe()
    except Exception as exc:  # ImportError, or the package failing on import
        _STATUS = (False, f"cannot import triton_autopipe: {type(exc).__name__}: {exc}")
        return _STATUS
    plugin = _ready_plugin_path()
    if plugin and not os.environ.get("TRITON_AUTOPIPE_PLUGIN"):
        os.environ["TRITON_AUTOPIPE_PLUGIN"] = plugin
    was = bool(ap.is_enabled())
    try:
        ap.enable()
        ok = bool(ap.is_enabled())
        _STATUS = (ok, "ok" if ok else "triton_autopipe.enable() left is_enabled() False")
    except Exception as exc:
        _STATUS = (False, f"triton_autopipe.enable() failed: {type(exc).__name__}: {exc}")
    finally:
        if not was:
            with contextlib.suppress(Exception):
                ap.disable()
    return _STATUS


def autopipe_pipelines(extra: list[Pipeline] | None = None) -> list[Pipeline]:
    """The autopipe variants to run: the default one plus ``extra``, or none if unusable."""
    ok, _ = autopipe_status()
    return [AUTOPIPE, *(extra or [])] if ok else []


def parse_variant(text: str) -> Pipeline:
    """An extra autopipe variant from ``NAME[:key=value,...]`` (kwargs for ``enable()``).

    >>> parse_variant("ap-deep:explain=0").enable_kwargs
    {'explain': 0}
    """
    name, _, rest = text.partition(":")
    kwargs: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        kwargs[key] = int(value) if value.lstrip("-").isdigit() else value
    return Pipeline(name, autopipe=True, enable_kwargs=kwargs)


@contextlib.contextmanager
def use(pipeline: Pipeline) -> Iterator[Pipeline]:
    """Make ``pipeline`` the active one (autopipe on or off) inside the ``with``; restore after."""
    ap = None
    was = False
    if pipeline.autopipe:
        ap = _import_autopipe()
    elif "triton_autopipe" in sys.modules:
        with contextlib.suppress(ImportError):
            ap = _import_autopipe()
    if ap is not None:
        was = bool(ap.is_enabled())
    try:
        if ap is not None:
            if pipeline.autopipe:
                ap.enable(**pipeline.enable_kwargs)
            elif was:
                ap.disable()
        yield pipeline
    finally:
        if ap is not None:
            if was:
                ap.enable()
            else:
                ap.disable()


def stages_hook_key() -> str | None:
    """The key of the installed stages-inspection hook (None when there is none)."""
    from triton import knobs

    hook = knobs.runtime.add_stages_inspection_hook
    if hook is None:
        return None
    key, _ = hook()
    return str(key)
