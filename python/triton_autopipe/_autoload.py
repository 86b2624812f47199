"""Start-up hook, imported by ``triton_autopipe_autoload.pth`` in every Python.

It does nothing unless ``TRITON_AUTOPIPE`` is set to a true value, so the cost
for everyone else is one environment lookup. With the flag set, it enables
triton-autopipe before user code runs::

    $ TRITON_AUTOPIPE=1 python my_triton_script.py   # no import of ours needed
"""
import os

if os.environ.get("TRITON_AUTOPIPE", "").strip().lower() in ("1", "true", "yes", "on"):
    # Importing the package enables it (errors are reported, never raised).
    import triton_autopipe  # noqa: F401
