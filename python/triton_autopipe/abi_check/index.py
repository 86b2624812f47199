"""Finding the wanted types in a large DWARF image fast, and caching what was found.

A naive walk of libtriton's DWARF takes minutes. :func:`index_types` instead

1. looks the short names of the wanted types up in ``.debug_str``;
2. searches the raw ``.debug_info`` bytes for the 4-byte ``DW_FORM_strp`` offsets of
   those strings; each hit lies inside a DIE of one CU;
3. decodes backwards from each hit to find DIE starts whose abbreviation is a
   class/struct/union *definition* with that ``DW_AT_name`` at that spot;
4. walks (in worker processes) only a few chosen CUs, and only up to the wanted DIEs,
   to verify the enclosing namespaces/classes;
5. decodes just the wanted DIE subtrees (:meth:`~.dwarf.DwarfImage.extract`).

Anything not found that way falls back to walking the remaining CUs, so the fast path
never changes the answer, only the time. :func:`index_cached` keeps the result in a JSON
file keyed by the file's GNU build id, the type list and :data:`CHECKER_VERSION`.

Example::

    records, hit = index_cached(libtriton_so, ["mlir::IRMapping"], Path("~/.cache/x").expanduser())
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from pathlib import Path
from typing import Callable, Iterable, Optional

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import NoteSection

from .dwarf import RECORD_TAGS, DwarfImage, uleb
from .model import Target, TypeRecord, normalize_name

CHECKER_VERSION = "1"

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


# ---------------------------------------------------------------------------
# Indexing

_IMAGE: DwarfImage | None = None      # set before forking workers


def _image() -> DwarfImage:
    assert _IMAGE is not None, "index_types() sets the image before any job runs"
    return _IMAGE


WalkJob = tuple[int, list[Target], Optional[int]]   # (cu index, targets, stop after)
Found = dict[int, tuple[int, str, int]]   # target index -> (die offset, qualified name, extra args)


def _walk_job(args: WalkJob) -> tuple[int, Found]:
    cu_index, targets, stop = args
    img = _image()
    return cu_index, img.walk_scopes(img.cus[cu_index], targets, stop)


def _find_job(pat: bytes) -> list[int]:
    info = _image().info
    out: list[int] = []
    h = info.find(pat)
    while h >= 0:
        out.append(h)
        h = info.find(pat, h + 1)
    return out


def _map_find(pats: list[bytes], workers: int) -> list[list[int]]:
    """All positions of each 4-byte pattern in .debug_info (bytes.find runs
    at ~1 GB/s; the patterns are spread over the workers)."""
    if workers > 1 and len(pats) > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(min(workers, len(pats))) as pool:
            return pool.map(_find_job, pats, chunksize=1)
    return [_find_job(p) for p in pats]


def _map(jobs: list[WalkJob], workers: int) -> list[tuple[int, Found]]:
    if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(workers, len(jobs))) as pool:
            return pool.map(_walk_job, jobs, chunksize=1)
    return [_walk_job(j) for j in jobs]


def _string_offsets(img: DwarfImage, targets: list[Target]) -> dict[int, list[int]]:
    """.debug_str offsets of strings that can be the DW_AT_name of a target.
    (Linkers merge strings and share tails, so any position followed by the
    text and a NUL counts.)"""
    s = img.str
    out: dict[int, list[int]] = {}
    by_base: dict[str, list[int]] = {}
    for i, t in enumerate(targets):
        by_base.setdefault(t.base, []).append(i)
    for base, tis in by_base.items():
        raw_bases = {base.encode()}
        # clang/gcc spell the base identifier the same way; '(anon)' is not a base
        for rb in raw_bases:
            start = 0
            while True:
                h = s.find(rb, start)
                if h < 0:
                    break
                start = h + 1
                nxt = s[h + len(rb):h + len(rb) + 1]
                if nxt not in (b"\0", b"<") or (h > 0 and s[h - 1] != 0):
                    # only whole strings: lld does not tail-merge .debug_str
                    # by default (a tail reference would still be found by
                    # the fallback walk)
                    continue
                e = s.index(b"\0", h)
                text = normalize_name(s[h:e].decode("utf-8", "replace"))
                for ti in tis:
                    # exact spelling only: the reference names in types.txt
                    # are libtriton's own; anything else is found by the
                    # fallback walk
                    if targets[ti].short == text:
                        out.setdefault(ti, []).append(h)
    return out


def _definition_candidates(img: DwarfImage, targets: list[Target], log: Log,
                           workers: int = 1) -> dict[int, list[tuple[int, int]]]:
    """{target: [(cu index, die offset), ...]} of DIEs that look like
    class/struct/union definitions whose DW_AT_name (strp) is a target's name."""
    t0 = time.time()
    offs = _string_offsets(img, targets)
    info = img.info
    cands: dict[int, list[tuple[int, int]]] = {}
    pat_targets: dict[bytes, list[int]] = {}
    for ti, lst in offs.items():
        for o in lst:
            if o < 1 << 32:
                pat_targets.setdefault(o.to_bytes(4, "little"), []).append(ti)
    pats = list(pat_targets)
    nhits = 0
    for pat, hits in zip(pats, _map_find(pats, workers)):
        tis = pat_targets[pat]
        for h in hits:
            nhits += 1
            cu = img.cu_of(h)
            if cu.offset_size != 4 or h < cu.die_start:
                continue
            tab = img.abbrevs(cu)
            # the DIE starts a few bytes before its DW_AT_name
            for s in range(h - 1, max(cu.die_start, h - 24) - 1, -1):
                code, q = uleb(info, s)
                ab = tab.get(code)
                if (ab is None or ab.tag not in RECORD_TAGS or ab.is_decl
                        or ab.has_name_strp_at is None or q + ab.has_name_strp_at != h):
                    continue
                for ti in tis:
                    cands.setdefault(ti, []).append((cu.index, s))
                break
    log(f"  prefilter: {sum(len(v) for v in offs.values())} name strings, "
        f"{nhits} strp hits, {sum(len(v) for v in cands.values())} definition candidates "
        f"({time.time() - t0:.1f}s)")
    return cands


def _absorb(found: Found, results: list[tuple[int, Found]], index: list[int] | None = None) -> None:
    """Merge walk results into ``found``, keeping the match with the fewest extra template
    arguments; ``index`` maps a result's target indices to ``found``'s (a walk for a subset)."""
    for _, res in results:
        for si, v in res.items():
            ti = si if index is None else index[si]
            old = found.get(ti)
            if old is None or v[2] < old[2]:
                found[ti] = v


def _choose_cus(img: DwarfImage, pending: set[int], cands: dict[int, list[tuple[int, int]]],
                walked: set[int]) -> dict[int, int]:
    """{cu index: last DIE to walk to}: per pending target, its (up to) 3 smallest unwalked
    candidate CUs, or one already chosen for another target."""
    chosen: dict[int, int] = {}
    for ti in pending:
        per_cu: dict[int, int] = {}
        for cu_i, die in cands.get(ti, []):
            if cu_i not in walked:
                per_cu[cu_i] = max(per_cu.get(cu_i, die), die)
        already = [c for c in per_cu if c in chosen]
        if already:           # piggy-back on a CU walked anyway
            c = already[0]
            chosen[c] = max(chosen[c], per_cu[c])
            continue
        for c in sorted(per_cu, key=lambda c: img.cus[c].end - img.cus[c].offset)[:3]:
            chosen[c] = max(chosen.get(c, 0), per_cu[c])
    return chosen


def _walk_candidates(img: DwarfImage, targets: list[Target], found: Found, walked: set[int],
                     workers: int, log: Log, t0: float) -> None:
    """The fast path: walk only CUs that hold a definition candidate, in rounds."""
    cands = _definition_candidates(img, targets, log, workers)
    pending = set(range(len(targets)))
    rounds = 0
    while pending:
        rounds += 1
        chosen = _choose_cus(img, pending, cands, walked)
        if not chosen:
            break
        _absorb(found, _map([(c, targets, stop) for c, stop in chosen.items()], workers))
        walked.update(chosen)
        pending = {ti for ti in pending if ti not in found}
        log(f"  round {rounds}: walked {len(chosen)} CUs, "
            f"{len(targets) - len(pending)}/{len(targets)} found ({time.time() - t0:.1f}s)")


def _walk_rest(img: DwarfImage, targets: list[Target], found: Found, walked: set[int], small: bool,
               workers: int, log: Log) -> None:
    """The fallback: walk every CU not walked yet for the targets still missing."""
    missing = [ti for ti in range(len(targets)) if ti not in found]
    if missing and not small:
        # a name whose base identifier occurs neither in .debug_str nor
        # inline in .debug_info cannot name any DIE: no need to walk for it
        missing = [ti for ti in missing
                   if img.str.find(targets[ti].base.encode()) >= 0
                   or img.info.find(targets[ti].base.encode()) >= 0]
    rest = [c.index for c in img.cus if c.index not in walked]
    if not missing or not rest:
        return
    if not small:
        log(f"  fallback: walking {len(rest)} remaining CUs for "
            f"{', '.join(targets[t].name for t in missing)}")
    sub = [targets[t] for t in missing]
    _absorb(found, _map([(c, sub, None) for c in rest], workers), missing)


def index_types(elf_path: str | os.PathLike[str], names: Iterable[str], *, workers: int = 2,
                log: Log = _quiet) -> dict[str, TypeRecord]:
    """Find the definitions of the named types in an ELF file's DWARF and
    return {name: TypeRecord}; names not found are absent from the result."""
    global _IMAGE
    targets = [Target(n) for n in names]
    t0 = time.time()
    img = DwarfImage(elf_path)
    _IMAGE = img
    log(f"  loaded {elf_path}: {len(img.info) >> 20} MiB .debug_info, {len(img.cus)} CUs "
        f"({time.time() - t0:.1f}s)")
    found: Found = {}
    walked: set[int] = set()
    small = len(img.info) < (48 << 20)   # an object file: one plain walk is fast enough
    if not small:
        _walk_candidates(img, targets, found, walked, workers, log, t0)
    _walk_rest(img, targets, found, walked, small, workers, log)
    out = {targets[ti].name: img.extract(die, targets[ti].name, qual) for ti, (die, qual, _) in found.items()}
    log(f"  indexed {len(out)}/{len(targets)} types in {time.time() - t0:.1f}s")
    return out


# ---------------------------------------------------------------------------
# Cache

def gnu_build_id(path: str | os.PathLike[str]) -> str | None:
    """The GNU build id note of an ELF file (hex), if it has one."""
    with open(path, "rb") as f:
        elf = ELFFile(f)
        for sec in elf.iter_sections():
            if not isinstance(sec, NoteSection):
                continue
            for note in sec.iter_notes():
                if note["n_type"] == "NT_GNU_BUILD_ID":
                    return str(note["n_desc"])
    return None


def file_identity(path: str | os.PathLike[str]) -> str:
    """GNU build id; without one: size + mtime + sha256 of the first MiB."""
    bid = gnu_build_id(path)
    if bid:
        return "buildid:" + bid
    st = os.stat(path)
    with open(path, "rb") as f:
        head = hashlib.sha256(f.read(1 << 20)).hexdigest()
    return f"stat:{st.st_size}:{st.st_mtime_ns}:{head}"


def cache_key(identity: str, names: list[str]) -> str:
    """The cache file's key: checker version, file identity and type list."""
    h = hashlib.sha256()
    h.update(f"v{CHECKER_VERSION}\0{identity}\0".encode())
    h.update("\n".join(names).encode())
    return h.hexdigest()[:32]


def index_cached(elf_path: str | os.PathLike[str], names: list[str], cache_dir: Path | None, *,
                 identity: str | None = None, workers: int = 2,
                 log: Log = _quiet) -> tuple[dict[str, TypeRecord], bool]:
    """index_types() through a JSON cache; returns (records, cache_hit)."""
    ident = identity or file_identity(elf_path)
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"abi-{cache_key(ident, names)}.json"
        try:
            data = json.loads(path.read_text())
            if data.get("identity") == ident and data.get("names") == names:
                return {k: TypeRecord.from_json(v) for k, v in data["records"].items()}, True
        except (OSError, ValueError, KeyError, TypeError):
            pass
    recs = index_types(elf_path, names, workers=workers, log=log)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps({"identity": ident, "names": names,
                                       "checker": CHECKER_VERSION,
                                       "records": {k: v.to_json() for k, v in recs.items()}}))
            os.replace(tmp, path)
        except OSError as e:
            log(f"  warning: could not write cache {path}: {e}")
    return recs, False


def probe_identity(path: str | os.PathLike[str]) -> str:
    """sha256 of the whole file (an object file has no build id)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()

