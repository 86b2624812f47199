"""Digests of what triton-autopipe generates: final TTGIR and PTX / AMDGCN of every
corpus kernel on every target, under every setting the tests cover.

A refactoring that must not change generated code proves it with this script:
record before, compare after (``test/golden/output-digests.json`` holds the
digests of ``main``; ``test_output_digests.py`` re-checks the ``default`` variant).

    python scripts/output_digest.py --write test/golden/output-digests.json   # record
    python scripts/output_digest.py --check test/golden/output-digests.json   # compare (exit 1 on a change)
    python scripts/output_digest.py --check F --variants default --dump /tmp/out  # one variant, keep the text

Paths of the checkout and of Triton are replaced by ``<repo>`` / ``<triton>`` and PTX's DWARF sections dropped
before hashing, so a clean clone elsewhere gives the same digests.
"""
from __future__ import annotations

import argparse
import concurrent.futures as futures
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

#: name -> (Settings fields, environment, targets it matters on (None: all)).
VARIANTS: dict[str, tuple[dict[str, Any], dict[str, str], tuple[str, ...] | None]] = {
    "default": ({}, {}, None),
    "schedule-default": ({"schedule": "default"}, {}, None),
    "attention-a": ({"schedule": "attention-a"}, {}, ("cuda:80", "cuda:90")),
    "attention-b": ({"schedule": "attention-b"}, {}, ("cuda:80", "cuda:90")),
    "schedule-triton": ({"schedule": "triton"}, {}, None),
    "buffers-triton": ({"buffers": "triton"}, {}, None),
    "buffers-registers": ({"buffers": "registers"}, {}, None),
    "buffers-async": ({"buffers": "async"}, {}, None),
    "expand-triton": ({"expand": "triton"}, {}, None),
    "s2r-autopipe": ({"s2r": "autopipe"}, {}, None),
    "s2r-autopipe-1": ({"s2r": "autopipe", "shared_to_register_stages": 1}, {}, ("cuda:80", "hip:gfx942")),
    "s2r-prefetch": ({"s2r": "prefetch"}, {}, ("cuda:80", "cuda:90")),
    "s2r-off": ({"s2r": "off"}, {}, ("cuda:80", )),
    "async-dots-autopipe": ({"async_dots": "autopipe"}, {}, ("cuda:90", )),
    "async-dots-triton": ({"async_dots": "triton"}, {}, ("cuda:90", )),
    "async-dots-off": ({"async_dots": "off"}, {}, ("cuda:90", )),
    "g2s-4": ({"global_to_shared_stages": 4}, {}, None),
    "barriers-linked": ({"barriers": "linked"}, {}, None),
    "amd-warp-pipeline-auto": ({}, {"TRITON_AUTOPIPE_AMD_WARP_PIPELINE": "auto"}, ("hip:gfx942", "hip:gfx950")),
}


def _normalise(text: str) -> str:
    """The text without what depends on where the checkout is: its path, Triton's install path, and PTX's DWARF
    sections (they hold the source paths as raw bytes, and offsets that follow their lengths)."""
    text = text.replace(str(REPO), "<repo>")
    text = re.sub(r'"[^"]*/site-packages/triton/', '"<triton>/', text)
    debug = re.search(r"^\s*\.section\s+\.debug_", text, flags=re.M)
    return text[:debug.start()] if debug else text


def _compile_case(variant: str, name: str, target: str, dump: str | None) -> tuple[str, str]:
    """Digest of one (variant, kernel, target) compile: sha256 over TTGIR + PTX/AMDGCN."""
    import triton
    from triton import knobs

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import triton_autopipe
    from triton_autopipe.pipelines import Settings

    from benchmarks.kernels.corpus import TARGETS, corpus

    fields, env, _ = VARIANTS[variant]
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    knobs.compilation.always_compile = True
    try:
        triton_autopipe._install(Settings(**fields))
        entry = next(e for e in corpus() if e.name == name)
        compiled = triton.compile(entry.source(), target=TARGETS[target], options=entry.options(target))
    finally:
        triton_autopipe.disable()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    code = "ptx" if target.startswith("cuda") else "amdgcn"
    parts = [_normalise(compiled.asm["ttgir"]), _normalise(compiled.asm[code])]
    if dump:
        out = Path(dump) / variant
        out.mkdir(parents=True, exist_ok=True)
        stem = f"{name}-{target.replace(':', '_')}"
        (out / f"{stem}.ttgir").write_text(parts[0])
        (out / f"{stem}.{code}").write_text(parts[1])
    return f"{variant}/{name}/{target}", hashlib.sha256("\0".join(parts).encode()).hexdigest()


def cases(variants: list[str]) -> list[tuple[str, str, str]]:
    """(variant, kernel, target) triples to compile, in a fixed order."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from benchmarks.kernels.corpus import corpus_cases

    out = []
    for v in variants:
        targets = VARIANTS[v][2]
        out += [(v, e.name, t) for e, t in corpus_cases() if targets is None or t in targets]
    return out


def digests(variants: list[str], jobs: int, dump: str | None) -> dict[str, str]:
    """Compile every case of ``variants`` (``jobs`` processes) and return {case: digest}."""
    todo = cases(variants)
    result: dict[str, str] = {}
    if jobs <= 1:
        for i, (v, n, t) in enumerate(todo, 1):
            key, digest = _compile_case(v, n, t, dump)
            result[key] = digest
            print(f"[{i}/{len(todo)}] {key} {digest[:12]}", file=sys.stderr, flush=True)
        return dict(sorted(result.items()))
    with futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        jobs_ = [pool.submit(_compile_case, v, n, t, dump) for v, n, t in todo]
        for i, job in enumerate(futures.as_completed(jobs_), 1):
            key, digest = job.result()
            result[key] = digest
            print(f"[{i}/{len(todo)}] {key} {digest[:12]}", file=sys.stderr, flush=True)
    return dict(sorted(result.items()))


def from_dump(root: Path, variants: list[str]) -> dict[str, str]:
    """{case: digest} of the cases of ``variants`` whose texts a ``--dump`` run wrote under ``root``."""
    result: dict[str, str] = {}
    for v, name, target in cases(variants):
        code = "ptx" if target.startswith("cuda") else "amdgcn"
        stem = root / v / f"{name}-{target.replace(':', '_')}"
        ttgir, asm = stem.with_suffix(".ttgir"), stem.with_suffix(f".{code}")
        if ttgir.is_file() and asm.is_file():
            parts = [_normalise(ttgir.read_text()), _normalise(asm.read_text())]
            result[f"{v}/{name}/{target}"] = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return dict(sorted(result.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="FILE", help="record the digests into FILE")
    mode.add_argument("--check", metavar="FILE", help="compare with the digests in FILE (exit 1 on a difference)")
    parser.add_argument("--from-dump", metavar="DIR",
                        help="with --write: digests of the texts a --dump run left in DIR (no compiling)")
    parser.add_argument("--variants", default="all",
                        help=f"comma-separated subset of: {', '.join(VARIANTS)} (default: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="compile processes")
    parser.add_argument("--dump", metavar="DIR", help="also write each TTGIR and PTX/AMDGCN under DIR/<variant>/")
    args = parser.parse_args(argv)
    variants = list(VARIANTS) if args.variants == "all" else args.variants.split(",")
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; known: {', '.join(VARIANTS)}")
    got = from_dump(Path(args.from_dump), variants) if args.from_dump else digests(variants, args.jobs, args.dump)
    if args.write:
        Path(args.write).parent.mkdir(parents=True, exist_ok=True)
        old = json.loads(Path(args.write).read_text()) if Path(args.write).is_file() else {}
        old.update(got)
        Path(args.write).write_text(json.dumps(dict(sorted(old.items())), indent=1) + "\n")
        print(f"wrote {len(got)} digests to {args.write}")
        return 0
    want = json.loads(Path(args.check).read_text())
    changed = [k for k in got if want.get(k) != got[k]]
    for k in changed:
        print(f"CHANGED {k}: {want.get(k, 'missing')[:12]} -> {got[k][:12]}")
    print(f"{len(got) - len(changed)}/{len(got)} identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
