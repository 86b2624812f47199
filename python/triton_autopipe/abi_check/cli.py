"""The ABI check itself and its command line: ``python -m triton_autopipe.abi_check``.

:func:`check` indexes the types of ``types.txt`` in libtriton.so and in our probe object
(both through the cache), compares each pair and returns a :class:`Result`;
:func:`format_table` renders it; :func:`main` is the CLI that the build runs (CMake's
``abi-check`` target) and that users run to re-check an installed copy. Exit status: 0 when
every type matches, 1 on a mismatch (each difference listed), 2 when an input is missing.

Example::

    $ python -m triton_autopipe.abi_check -v      # the installed probe vs the installed Triton
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .index import Log, _quiet, index_cached, probe_identity
from .model import Problem, TypeRecord, compare

# The installed package keeps the probe object and the type list in triton_autopipe/_abi/.
_ABI_DATA = Path(__file__).resolve().parent.parent / "_abi"

_FIX = ("build against LLVM/MLIR headers that match libtriton's LLVM (e.g. Triton's own LLVM build: "
        "CMAKE_ARGS=-DAUTOPIPE_LLVM_ROOT=<prefix>), or add the type's new layout to the headers in use")


def read_types(path: str | os.PathLike[str]) -> list[str]:
    """The type names of a types.txt (one a line, ``#`` comments)."""
    names = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/triton-autopipe`` (``~/.cache/triton-autopipe``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "triton-autopipe"


def default_libtriton_path() -> Path:
    """libtriton.so of the installed triton package."""
    spec = importlib.util.find_spec("triton")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the triton package is not installed; pass --libtriton")
    return Path(list(spec.submodule_search_locations)[0]) / "_C" / "libtriton.so"


def default_probe_path() -> Path:
    """The probe object installed with the package (``triton_autopipe/_abi/abi_probe.o``)."""
    return _ABI_DATA / "abi_probe.o"


def default_types_path() -> Path:
    """The type list installed with the package (``triton_autopipe/_abi/types.txt``)."""
    return _ABI_DATA / "types.txt"


@dataclass
class Result:
    """What :func:`check` found: the names checked, both sides' records, every difference."""

    names: list[str]
    ref: dict[str, TypeRecord]
    ours: dict[str, TypeRecord]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(libtriton: str | os.PathLike[str], probe: str | os.PathLike[str],
          types: str | os.PathLike[str] | list[str], cache_dir: Path | None = None, *, workers: int = 2,
          log: Log = _quiet) -> Result:
    """Compare the layouts of ``types`` (a types.txt or a list of names) in libtriton.so and in
    our probe object; both indexes go through the cache in ``cache_dir`` (None: no cache)."""
    names = types if isinstance(types, list) else read_types(types)
    if not names:
        raise ValueError("empty type list")
    t = time.time()
    ref, hit = index_cached(libtriton, names, cache_dir, workers=workers, log=log)
    log(f"libtriton: {'cache hit' if hit else 'indexed'} in {time.time() - t:.2f}s")
    t = time.time()
    ours, hit = index_cached(probe, names, cache_dir, identity=probe_identity(probe),
                             workers=workers, log=log)
    log(f"probe: {'cache hit' if hit else 'indexed'} in {time.time() - t:.2f}s")
    problems: list[Problem] = []
    for n in names:
        problems += compare(ref.get(n), ours.get(n), n)
    return Result(names, ref, ours, problems)


def format_table(res: Result) -> str:
    """One line per type: both sizes, member and vtable-slot counts, OK / MISMATCH."""
    rows = [("type", "libtriton", "ours", "members", "vslots", "verdict")]
    bad = {p.type for p in res.problems}
    for n in res.names:
        r, o = res.ref.get(n), res.ours.get(n)
        rows.append((n,
                     "-" if r is None else str(r.size),
                     "-" if o is None else str(o.size),
                     str(len(r.members)) if r else "-",
                     str(sum(len(v) for v in r.vtable.values())) if r else "-",
                     "MISMATCH" if n in bad else "OK"))
    w = [min(max(len(row[i]) for row in rows), 90 if i == 0 else 20) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        name = row[0] if len(row[0]) <= w[0] else row[0][: w[0] - 3] + "..."
        out.append("  ".join([name.ljust(w[0])] + [c.rjust(w[i]) for i, c in enumerate(row) if i][:-1]
                             + [row[-1]]))
    return "\n".join(out)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m triton_autopipe.abi_check",
        description="Compare the layouts of types shared with libtriton.so "
                    "(sizes, member offsets, vtable slots) between libtriton's "
                    "DWARF and our probe object's DWARF.")
    ap.add_argument("--libtriton", help="libtriton.so (default: from the installed triton package)")
    ap.add_argument("--probe", help="probe object built with -g (default: the package's _abi/abi_probe.o)")
    ap.add_argument("--types", help="type list (default: the package's _abi/types.txt)")
    ap.add_argument("--cache-dir", help="cache directory (default: $XDG_CACHE_HOME/triton-autopipe)")
    ap.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    ap.add_argument("-j", "--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="worker processes for libtriton's DWARF (default %(default)s)")
    ap.add_argument("-v", "--verbose", action="store_true", help="timings and where each type was found")
    return ap


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """The CLI: 0 when every type matches, 1 on a mismatch, 2 when an input is missing."""
    a = _parser().parse_args(argv)
    libtriton = Path(a.libtriton) if a.libtriton else default_libtriton_path()
    probe = Path(a.probe) if a.probe else default_probe_path()
    types = Path(a.types) if a.types else default_types_path()
    cache = None if a.no_cache else Path(a.cache_dir) if a.cache_dir else default_cache_dir()
    for what, path in (("libtriton", libtriton), ("probe", probe), ("types", types)):
        if not path.is_file():
            print(f"abi_check: {what} not found: {path}", file=sys.stderr)
            return 2
    t0 = time.time()
    res = check(libtriton, probe, types, cache, workers=a.jobs, log=_stderr if a.verbose else _quiet)
    print(format_table(res))
    if a.verbose:
        for n in res.names:
            for side, recs in (("libtriton", res.ref), ("ours", res.ours)):
                r = recs.get(n)
                if r is not None:
                    print(f"  {n} [{side}]: {r.dwarf_name} @ {r.where}", file=sys.stderr)
    if res.problems:
        print(f"\nABI MISMATCH: {len(res.problems)} difference(s) between libtriton.so and our build:")
        for p in res.problems:
            print(f"  {p}")
        print(f"Fix: {_FIX}.")
        return 1
    print(f"\nABI OK: {len(res.names)} types match ({time.time() - t0:.1f}s)")
    return 0
