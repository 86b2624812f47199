"""Locate and load the triton-autopipe plugin library into Triton.

>>> from triton_autopipe import plugin
>>> plugin.load()            # idempotent; returns the path it loaded
'/.../triton_autopipe/lib/libTritonAutopipe.so'
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Names of the passes the plugin registers (Triton exposes each as
# ``passes.plugin.add_<name>``): PRINT_SCHEDULE, SCHEDULE_LOOPS,
# WARP_PIPELINE_REGIONS, LOWER_WARP_PIPELINE, ALLOCATE_BUFFERS, EXPAND_LOOPS,
# DOUBLE_BUFFER_OPERANDS, ... and PASSES (their options), generated from
# include/triton-autopipe/Passes.td.
from .pass_names import *  # noqa: F401,F403
from .pass_names import PASSES  # noqa: F401

_PKG = Path(__file__).resolve().parent
_loaded: str | None = None
_fingerprint: str | None = None


def library_path() -> Path:
    """Path of libTritonAutopipe.so: ``$TRITON_AUTOPIPE_PLUGIN`` if set, else the
    copy installed in this package."""
    env = os.environ.get("TRITON_AUTOPIPE_PLUGIN")
    path = Path(env) if env else _PKG / "lib" / "libTritonAutopipe.so"
    if not path.is_file():
        raise FileNotFoundError(
            f"triton-autopipe plugin not found at {path}; reinstall the package "
            "(pip install .) or set TRITON_AUTOPIPE_PLUGIN to the built libTritonAutopipe.so")
    return path


def load() -> str:
    """Load the plugin into Triton once (``passes.plugin.extend_with``)."""
    global _loaded
    if _loaded is None:
        from triton._C.libtriton import passes

        path = str(library_path())
        passes.plugin.extend_with(path)
        _loaded = path
    return _loaded


def fingerprint() -> str:
    """A digest of what compiles a kernel on our side: the plugin library's bytes and this package's Python
    sources (the pipeline they build). It joins Triton's cache key, so a rebuilt or edited plugin never gets
    a kernel its predecessor compiled from Triton's on-disk cache."""
    global _fingerprint
    if _fingerprint is None:
        h = hashlib.sha256(library_path().read_bytes())
        for source in sorted(_PKG.glob("*.py")):
            h.update(source.name.encode() + b"\0" + source.read_bytes())
        _fingerprint = h.hexdigest()[:16]
    return _fingerprint


def add_pass(pm, name: str, options: dict[str, object] | None = None) -> None:
    """Append plugin pass ``name`` to Triton pass manager ``pm`` with ``options``
    (each becomes ``key=value``; bools are written true/false)."""
    from triton._C.libtriton import passes

    load()
    args = []
    for key, value in (options or {}).items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        args.append(f"{key}={value}")
    getattr(passes.plugin, f"add_{name}")(pm, args)
