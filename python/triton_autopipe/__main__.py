"""``python -m triton_autopipe COMMAND``: ``explain`` (a kernel's loop schedules, as a table and a picture, on
the CPU) and ``fuzz`` (the mutation fuzzer of our passes). ``COMMAND --help`` lists a command's options.

    python -m triton_autopipe explain path/to/kernel.py::kernel --target cuda:90 --out /tmp/explain
"""
from __future__ import annotations

import sys
from typing import Optional

COMMANDS = {"explain": "a kernel's loop schedules, decisions and a picture of the pipelined loop (CPU)",
            "fuzz": "the seeded mutation fuzzer of our passes (autopipe-opt)"}


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.split("\n\n")[0].replace("``", "'") + "\n\ncommands:")
        for name, text in COMMANDS.items():
            print(f"  {name:8} {text}")
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "explain":
        from .explain import main as explain_main

        return explain_main(rest)
    if command == "fuzz":
        from .fuzz import main as fuzz_main

        return fuzz_main(rest)
    print(f"python -m triton_autopipe: unknown command {command!r}; one of {list(COMMANDS)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
