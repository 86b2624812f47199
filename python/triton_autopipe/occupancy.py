"""``async_dots="auto"`` on sm90: synchronous wgmma where ptxas says they fit more CTAs on an SM.

Async wgmma keep accumulators in flight, which costs registers. Synchronous
wgmma (``async_dots="off"``; the loads stay pipelined) need fewer, and where
that lets one more CTA share an SM the kernel runs much faster (H100, TMA
attention: d64 BM128 BN128 8 warps 156 -> 128 registers, 1.29-1.37x; d128
BM128 BN64 8 warps s2 138 -> 124, 1.19-1.26x). Where it buys no occupancy it
is slower (up to 12%). The register count that decides it is ptxas's, and it
lands within a few registers of the boundary, so it is measured, not guessed:
``autopipe-expand-loops`` marks a module whose loops got async wgmma under
``auto`` and whose shared memory leaves room for two or more CTAs an SM
(``autopipe.sync_wgmma_trial``); for those only, :func:`choose` compiles both
forms to cubin and keeps the synchronous one if it fits more CTAs. The async form is lowered first; if
it already fits as many CTAs as its shared memory and warps allow, the synchronous form (same buffers,
hence the same shared memory) cannot fit more and is not lowered at all.

>>> ctas_per_sm(registers=156, shared=114712, num_warps=8)
1
>>> ctas_per_sm(registers=128, shared=114712, num_warps=8)
2
"""
from __future__ import annotations

import dataclasses
import functools
import io
import math
import os
import sys
import tempfile
from typing import Any, Callable

#: Module attribute set by autopipe-expand-loops: CTAs an SM that shared memory and warps allow.
TRIAL_ATTR = "autopipe.sync_wgmma_trial"

# sm90 (H100/H200) per-SM limits.
REGISTERS_PER_SM = 65536
REGISTER_UNIT = 8  # registers a thread are allocated in units of 8 (256 a warp)
SHARED_PER_SM = 233472
SHARED_RESERVED_PER_CTA = 1024
WARPS_PER_SM = 64
CTAS_PER_SM = 32


def ctas_per_sm(registers: int, shared: int, num_warps: int) -> int:
    """CTAs of a kernel that fit on one sm90 SM at once."""
    threads = 32 * num_warps
    by_registers = REGISTERS_PER_SM // (math.ceil(registers / REGISTER_UNIT) * REGISTER_UNIT * threads)
    by_shared = SHARED_PER_SM // (shared + SHARED_RESERVED_PER_CTA)
    return min(by_registers, by_shared, WARPS_PER_SM // num_warps, CTAS_PER_SM)


def most_ctas(shared: int, num_warps: int) -> int:
    """CTAs an SM that shared memory and warps allow, whatever the registers: a kernel at this count gains
    nothing from fewer registers.

    >>> most_ctas(shared=114712, num_warps=8)
    2
    """
    return ctas_per_sm(REGISTER_UNIT, shared, num_warps)


EIATTR_REGCOUNT = 0x2F  # .nv.info attribute: (symbol index, registers) of one function
EIFMT_SVAL = 4  # .nv.info format with a 16-bit size and a payload


def cubin_registers(cubin: bytes) -> int:
    """Registers a thread of the (single) kernel of ``cubin``: the ``EIATTR_REGCOUNT`` entry of the global
    ``.nv.info`` section for the symbol of the kernel's ``.text.<name>`` section (its ``sh_info``)."""
    from elftools.elf.elffile import ELFFile

    elf = ELFFile(io.BytesIO(cubin))
    kernels = [s["sh_info"] & 0xFFFFFF for s in elf.iter_sections() if s.name.startswith(".text.")]
    if len(kernels) != 1:
        raise ValueError(f"expected one kernel in the cubin, found {len(kernels)}")
    info = elf.get_section_by_name(".nv.info")
    data = info.data() if info is not None else b""
    at = 0
    while at + 4 <= len(data):
        fmt, attr = data[at], data[at + 1]
        if fmt != EIFMT_SVAL:
            at += 4 if fmt == 3 else 2  # EIFMT_HVAL: 2-byte value; EIFMT_NVAL: none
            continue
        size = int.from_bytes(data[at + 2:at + 4], "little")
        payload = data[at + 4:at + 4 + size]
        if attr == EIATTR_REGCOUNT and int.from_bytes(payload[:4], "little") == kernels[0]:
            return int.from_bytes(payload[4:8], "little")
        at += 4 + size
    raise ValueError("no register count for the kernel in the cubin's .nv.info")


@dataclasses.dataclass
class Trial:
    """One form lowered to cubin: its register count, shared memory, CTAs an SM, and each stage's
    (input, output, metadata it set), so the real pipeline can take the outputs of the form it keeps."""

    registers: int
    shared: int
    ctas: int
    steps: list[tuple[Any, Any, dict]]


def _parse(text: str, context: Any) -> Any:
    """A module parsed from ``text`` in ``context`` (which, as Triton does, rides along as ``.context``)."""
    from triton._C.libtriton import ir

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "module.mlir")
        with open(path, "w") as f:
            f.write(text)
        mod = ir.parse_mlir_module(path, context)
    mod.context = context
    return mod


LOWERING = ("llir", "ptx", "cubin")


def _trial(ttgir: Any, metadata: dict, stages: dict, num_warps: int) -> Trial:
    """Lower a copy of ``ttgir`` to cubin through the backend's own stages (on a copy of metadata)."""
    meta = dict(metadata)
    src, steps = _parse(str(ttgir), ttgir.context), []
    for stage in LOWERING:
        before = dict(meta)
        out = stages[stage](src, meta)
        steps.append((ttgir if stage == LOWERING[0] else src, out,
                      {k: v for k, v in meta.items() if k not in before or before[k] is not v}))
        src = out
    registers = cubin_registers(src)
    return Trial(registers, meta["shared"], ctas_per_sm(registers, meta["shared"], num_warps), steps)


class Reuse:
    """Stage wrappers that return a trial's output when given the very object that trial lowered (the kept
    module, then each output in turn), so the kept form is not lowered twice; anything else (e.g. a module
    replaced by Triton's IR override) runs the stage."""

    def __init__(self) -> None:
        self._ready: dict[int, tuple[Any, Any, dict]] = {}

    def wrap(self, stages: dict) -> None:
        for name in LOWERING:
            stages[name] = functools.partial(self._run, stages[name])

    def offer(self, trial: Trial) -> None:
        for src, out, meta in trial.steps:
            self._ready[id(src)] = (src, out, meta)

    def _run(self, stage: Callable[[Any, dict], Any], src: Any, metadata: dict) -> Any:
        ready = self._ready.pop(id(src), None)
        if ready is None or ready[0] is not src:
            return stage(src, metadata)
        metadata.update(ready[2])
        return ready[1]


def choose(ttir_text: str, ttgir: Any, metadata: dict, stages: dict, num_warps: int, explain: bool,
           make_ttgir_off: Callable[[Any, dict], Any], reuse: Reuse | None = None) -> Any:
    """``ttgir`` (async wgmma, ``auto``) or the module ``make_ttgir_off`` builds from the same TTIR (synchronous
    wgmma), whichever ptxas lets more CTAs share an SM; ties keep async. Only for modules marked
    ``autopipe.sync_wgmma_trial``; a trial that fails keeps ``ttgir``. ``reuse`` (wrapping ``stages``) gets
    the lowering of the kept form."""
    if ttgir.get_int_attr(TRIAL_ATTR) is None:
        return ttgir
    try:
        ours = _trial(ttgir, metadata, stages, num_warps)
        most = most_ctas(ours.shared, num_warps)
        if ours.ctas >= most:
            if explain:
                print(f"triton-autopipe: async_dots auto: async wgmma {ours.registers} registers, {ours.ctas} "
                      f"CTA(s) an SM, the most its shared memory and warps allow: async wgmma kept, "
                      f"no synchronous trial", file=sys.stderr)
            if reuse is not None:
                reuse.offer(ours)
            return ttgir
        off_meta = dict(metadata)
        off = make_ttgir_off(_parse(ttir_text, ttgir.context), off_meta)
        theirs = _trial(off, off_meta, stages, num_warps)
    except Exception as e:  # noqa: BLE001 - the async form is correct; the trial only looks for a faster one
        if explain:
            print(f"triton-autopipe: async_dots auto: synchronous-wgmma trial failed ({type(e).__name__}: {e}); "
                  "async wgmma kept", file=sys.stderr)
        return ttgir
    pick = theirs.ctas > ours.ctas
    if explain:
        print(f"triton-autopipe: async_dots auto: async wgmma {ours.registers} registers, {ours.ctas} CTA(s) an SM; "
              f"synchronous {theirs.registers} registers, {theirs.ctas}: "
              f"{'synchronous wgmma (more CTAs an SM)' if pick else 'async wgmma kept'}", file=sys.stderr)
    if reuse is not None:
        reuse.offer(theirs if pick else ours)
    if not pick:
        return ttgir
    metadata["tensordesc_meta"] = off_meta["tensordesc_meta"]
    return off
