"""Console entry points.

``autopipe-opt`` runs the installed binary; libpython's directory goes on the
library path because libtriton.so (which it links) is also Triton's Python
extension and references the interpreter's symbols.
"""
from __future__ import annotations

import os
import sys
import sysconfig

from . import opt_path


def autopipe_opt_main() -> None:
    env = dict(os.environ)
    libdir = sysconfig.get_config_var("LIBDIR") or ""
    env["LD_LIBRARY_PATH"] = os.pathsep.join(p for p in (libdir, env.get("LD_LIBRARY_PATH", "")) if p)
    binary = str(opt_path())
    os.execve(binary, [binary, *sys.argv[1:]], env)
