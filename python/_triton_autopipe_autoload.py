"""Start-up hook of triton-autopipe, run by ``triton_autopipe_autoload.pth``.

Installed at the top of site-packages so that, without the flag, nothing of
ours is imported: the cost for everyone else is one environment lookup. With
``TRITON_AUTOPIPE`` set to a true value it enables triton-autopipe before user
code runs::

    $ TRITON_AUTOPIPE=1 python my_triton_script.py   # no import of ours needed
"""
import os

if os.environ.get("TRITON_AUTOPIPE", "").strip().lower() in ("1", "true", "yes", "on"):
    # Importing the package enables it (errors are reported, never raised).
    import triton_autopipe  # noqa: F401
