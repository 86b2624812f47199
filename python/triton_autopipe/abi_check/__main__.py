"""``python -m triton_autopipe.abi_check`` (see :mod:`.cli`).

The build runs this file by path (``python .../abi_check/__main__.py``), before the package
is installed and without touching ``PYTHONPATH`` (pip's isolated build environment lives
there): then the checkout's ``python/`` directory is put first on ``sys.path``.
"""
import sys
from pathlib import Path

if __package__:
    from .cli import main
else:  # run by path
    sys.path[0] = str(Path(__file__).resolve().parents[2])
    from triton_autopipe.abi_check.cli import main

sys.exit(main())
