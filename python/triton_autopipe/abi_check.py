"""ABI layout check: our build's view of shared LLVM/MLIR/Triton types vs libtriton.so.

The plugin is compiled against substitute LLVM/MLIR headers (Debian's 23.1.x),
while libtriton.so carries LLVM/MLIR built from llvm-project ``b010a18d``.
Linking with ``--no-undefined`` catches API drift; this module catches silent
*layout* drift.  For every type named in ``types.txt`` it reads, from DWARF:

* in ``libtriton.so`` (clang, DWARF 4, ~140 MB of .debug_info) and
* in our probe object ``abi_probe.o`` (g++, ``-g -gdwarf-4``),

the byte size, every data member / base class with its offset and size, and the
vtable slot of every virtual method the class declares
(``DW_AT_vtable_elem_location``), and reports every difference.

Speed.  A naive pyelftools walk of libtriton's DWARF takes ~300 s.  Instead:

1. look the short names of the wanted types up in ``.debug_str`` (one
   ``bytes.find`` pass per distinct base name);
2. search the raw ``.debug_info`` bytes for the 4-byte ``DW_FORM_strp``
   offsets of those strings; each hit lies inside a DIE of one CU;
3. decode backwards from each hit to find DIE starts whose abbreviation is a
   class/struct/union *definition* with that ``DW_AT_name`` at that spot;
4. walk (with a small table-driven DIE skipper) only a few chosen CUs, and only
   up to the wanted DIEs, to verify the enclosing namespaces/classes;
5. decode just the wanted DIE subtrees and the types their members refer to.

Anything not found that way falls back to walking the remaining CUs, so the
fast path never changes the answer, only the time.  The result for
libtriton.so is cached, keyed by its GNU build id, the type list and
``CHECKER_VERSION``.

pyelftools provides the ELF container (sections, notes, symbols, relocation
sections) and the DWARF constant tables; DIEs are decoded by the small decoder
below because pyelftools' generic DIE parser (and its relocation of a 10 MB
object file's .debug_info, ~10 s) is too slow for this job.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import hashlib
import json
import multiprocessing
import os
import re
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from elftools.dwarf.enums import ENUM_DW_AT, ENUM_DW_FORM, ENUM_DW_TAG
from elftools.elf.elffile import ELFFile

CHECKER_VERSION = "1"

# ---------------------------------------------------------------------------
# DWARF constants (numbers, from pyelftools' tables)

TAG = ENUM_DW_TAG
AT = ENUM_DW_AT
FORM = ENUM_DW_FORM

T_CLASS = TAG["DW_TAG_class_type"]
T_STRUCT = TAG["DW_TAG_structure_type"]
T_UNION = TAG["DW_TAG_union_type"]
T_NAMESPACE = TAG["DW_TAG_namespace"]
T_MEMBER = TAG["DW_TAG_member"]
T_INHERITANCE = TAG["DW_TAG_inheritance"]
T_SUBPROGRAM = TAG["DW_TAG_subprogram"]
T_TYPEDEF = TAG["DW_TAG_typedef"]
T_SUBRANGE = TAG["DW_TAG_subrange_type"]
T_ARRAY = TAG["DW_TAG_array_type"]
T_POINTER = TAG["DW_TAG_pointer_type"]
T_REFERENCE = TAG["DW_TAG_reference_type"]
T_RVREFERENCE = TAG["DW_TAG_rvalue_reference_type"]
T_PTR_TO_MEMBER = TAG["DW_TAG_ptr_to_member_type"]
T_SUBROUTINE = TAG["DW_TAG_subroutine_type"]
T_ENUM = TAG["DW_TAG_enumeration_type"]
T_BASE = TAG["DW_TAG_base_type"]
T_UNSPECIFIED = TAG["DW_TAG_unspecified_type"]
QUALIFIER_TAGS = {TAG[n] for n in ("DW_TAG_const_type", "DW_TAG_volatile_type",
                                   "DW_TAG_restrict_type", "DW_TAG_atomic_type",
                                   "DW_TAG_immutable_type") if n in TAG} | {T_TYPEDEF}
RECORD_TAGS = {T_CLASS, T_STRUCT, T_UNION}
SCOPE_TAGS = RECORD_TAGS | {T_NAMESPACE}
UNIT_TAGS = {TAG[n] for n in ("DW_TAG_compile_unit", "DW_TAG_partial_unit", "DW_TAG_type_unit",
                              "DW_TAG_skeleton_unit") if n in TAG}

A_NAME = AT["DW_AT_name"]
A_BYTE_SIZE = AT["DW_AT_byte_size"]
A_DECLARATION = AT["DW_AT_declaration"]
A_TYPE = AT["DW_AT_type"]
A_MEMBER_LOC = AT["DW_AT_data_member_location"]
A_DATA_BIT_OFFSET = AT["DW_AT_data_bit_offset"]
A_BIT_OFFSET = AT["DW_AT_bit_offset"]
A_BIT_SIZE = AT["DW_AT_bit_size"]
A_VTABLE_ELEM = AT["DW_AT_vtable_elem_location"]
A_VIRTUALITY = AT["DW_AT_virtuality"]
A_SIBLING = AT["DW_AT_sibling"]
A_COUNT = AT["DW_AT_count"]
A_UPPER_BOUND = AT["DW_AT_upper_bound"]
A_EXTERNAL = AT["DW_AT_external"]
A_LINKAGE_NAME = AT["DW_AT_linkage_name"]

F = FORM
F_STRP = F["DW_FORM_strp"]
F_STRING = F["DW_FORM_string"]
F_INDIRECT = F["DW_FORM_indirect"]
F_IMPLICIT_CONST = F.get("DW_FORM_implicit_const", 0x21)
F_LINE_STRP = F.get("DW_FORM_line_strp", 0x1f)
REF_CU_FORMS = {F["DW_FORM_ref1"], F["DW_FORM_ref2"], F["DW_FORM_ref4"],
                F["DW_FORM_ref8"], F["DW_FORM_ref_udata"]}
F_REF_ADDR = F["DW_FORM_ref_addr"]
SIGNED_FORMS = {F["DW_FORM_sdata"]}
BLOCK_FORMS = {F["DW_FORM_block1"]: 1, F["DW_FORM_block2"]: 2,
               F["DW_FORM_block4"]: 4}
ULEB_LEN_BLOCK_FORMS = {F["DW_FORM_block"], F["DW_FORM_exprloc"]}
ULEB_FORMS = {F["DW_FORM_udata"], F["DW_FORM_sdata"], F["DW_FORM_ref_udata"]}
for _n in ("DW_FORM_strx", "DW_FORM_addrx", "DW_FORM_rnglistx", "DW_FORM_loclistx",
           "DW_FORM_GNU_addr_index", "DW_FORM_GNU_str_index"):
    if _n in F:
        ULEB_FORMS.add(F[_n])

DW_OP_constu = 0x10
DW_OP_plus_uconst = 0x23


def _fixed_form_size(form: int, addr_size: int, offset_size: int) -> int | None:
    """Byte size of a fixed-size form, None for variable-size forms."""
    sizes = {
        "DW_FORM_addr": addr_size, "DW_FORM_data1": 1, "DW_FORM_ref1": 1,
        "DW_FORM_flag": 1, "DW_FORM_strx1": 1, "DW_FORM_addrx1": 1,
        "DW_FORM_data2": 2, "DW_FORM_ref2": 2, "DW_FORM_strx2": 2,
        "DW_FORM_addrx2": 2, "DW_FORM_strx3": 3, "DW_FORM_addrx3": 3,
        "DW_FORM_data4": 4, "DW_FORM_ref4": 4, "DW_FORM_strx4": 4,
        "DW_FORM_addrx4": 4, "DW_FORM_ref_sup4": 4,
        "DW_FORM_data8": 8, "DW_FORM_ref8": 8, "DW_FORM_ref_sig8": 8,
        "DW_FORM_ref_sup8": 8, "DW_FORM_data16": 16,
        "DW_FORM_strp": offset_size, "DW_FORM_sec_offset": offset_size,
        "DW_FORM_ref_addr": offset_size, "DW_FORM_line_strp": offset_size,
        "DW_FORM_strp_sup": offset_size, "DW_FORM_GNU_ref_alt": offset_size,
        "DW_FORM_GNU_strp_alt": offset_size,
        "DW_FORM_flag_present": 0, "DW_FORM_implicit_const": 0,
    }
    for name, size in sizes.items():
        if F.get(name) == form:
            return size
    return None


def _uleb(b, p: int) -> tuple[int, int]:
    r = 0
    s = 0
    while True:
        x = b[p]
        p += 1
        r |= (x & 0x7F) << s
        if x < 0x80:
            return r, p
        s += 7


def _sleb(b, p: int) -> tuple[int, int]:
    r = 0
    s = 0
    while True:
        x = b[p]
        p += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            if x & 0x40:
                r -= 1 << s
            return r, p


# ---------------------------------------------------------------------------
# Type-name normalisation and matching

_ANON_RE = re.compile(r"\(anonymous namespace\)|\{anonymous\}")
_INLINE_NS_RE = re.compile(r"\b(?:__cxx11|__1)::")
_INT_SUFFIX_RE = re.compile(r"(?<![\w.])(-?\d+)(?:ULL|ull|LL|ll|UL|ul|U|u|L|l)(?!\w)")
_WS_RE = re.compile(r"\s+")


_GCC_BUILTIN_SPELLINGS = [   # g++ spelling -> clang spelling (longest first)
    ("long long unsigned int", "unsigned long long"),
    ("long long int", "long long"),
    ("long unsigned int", "unsigned long"),
    ("short unsigned int", "unsigned short"),
    ("long int", "long"),
    ("short int", "short"),
]
_GCC_BUILTIN_RE = re.compile(r"\b(" + "|".join(re.escape(a) for a, _ in _GCC_BUILTIN_SPELLINGS) + r")\b")
_GCC_BUILTIN_MAP = dict(_GCC_BUILTIN_SPELLINGS)


def normalize_name(name: str) -> str:
    """Canonical spelling of a C++ type name as clang or g++ write it in DWARF.

    Drops white space ("> >" vs ">>", "T *" vs "T*"), integer literal suffixes
    (clang writes ``SmallVector<int, 4U>``, g++ ``SmallVector<int, 4>``), g++'s
    builtin spellings (``long int`` -> ``long``), inline
    namespaces (``std::__cxx11::``) and unifies anonymous namespaces.
    """
    n = _ANON_RE.sub("(anon)", name)
    n = _GCC_BUILTIN_RE.sub(lambda m: _GCC_BUILTIN_MAP[m.group(1)], n)
    n = _INLINE_NS_RE.sub("", n)
    n = _INT_SUFFIX_RE.sub(r"\1", n)
    return _WS_RE.sub("", n)


def split_qualified(name: str) -> list[str]:
    """Split ``a::b<c::d>::e`` at top-level ``::`` (not inside <> or ())."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(name):
        c = name[i]
        if c in "<(":
            depth += 1
        elif c in ">)":
            depth -= 1
        if depth == 0 and name.startswith("::", i):
            parts.append("".join(cur))
            cur = []
            i += 2
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _template_split(n: str) -> tuple[str, list[str] | None]:
    """'A<x,B<y>>' -> ('A', ['x', 'B<y>']) on a normalised name."""
    lt = n.find("<")
    if lt < 0 or not n.endswith(">"):
        return n, None
    base, body = n[:lt], n[lt + 1:-1]
    args, depth, cur = [], 0, []
    for c in body:
        if c in "<(":
            depth += 1
        elif c in ">)":
            depth -= 1
        if c == "," and depth == 0:
            args.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    if cur or args:
        args.append("".join(cur))
    return base, args


def _component_match(ref: str, ours: str) -> int | None:
    """Match two normalised name components; returns the number of trailing
    template arguments ours has beyond ref (clang omits defaulted template
    arguments from DW_AT_name, g++ spells them out), or None if no match."""
    if ref == ours:
        return 0
    rb, ra = _template_split(ref)
    ob, oa = _template_split(ours)
    if rb != ob or ra is None or oa is None:
        return None
    if len(oa) < len(ra):
        rb, ra, ob, oa = ob, oa, rb, ra  # either side may spell defaults out
    extra = len(oa) - len(ra)
    for a, b in zip(ra, oa):
        sub = _component_match(a, b)
        if sub is None:
            # nested args: compare qualified pieces one by one
            pa, pb = split_qualified(a), split_qualified(b)
            if len(pa) != len(pb):
                return None
            for x, y in zip(pa, pb):
                s2 = _component_match(x, y)
                if s2 is None:
                    return None
                extra += s2
        else:
            extra += sub
    return extra


def name_match(ref_qualified_norm: list[str], ours_qualified_norm: list[str]) -> int | None:
    if len(ref_qualified_norm) != len(ours_qualified_norm):
        return None
    extra = 0
    for a, b in zip(ref_qualified_norm, ours_qualified_norm):
        m = _component_match(a, b)
        if m is None:
            return None
        extra += m
    return extra


def _base_ident(short: str) -> str:
    lt = short.find("<")
    return short if lt < 0 else short[:lt]


class Target:
    """One wanted type: its spelling from types.txt, normalised and split."""

    def __init__(self, name: str):
        self.name = name
        self.parts = [normalize_name(p) for p in split_qualified(name)]
        self.short = self.parts[-1]
        self.base = _base_ident(self.short)


# ---------------------------------------------------------------------------
# Records and problems

@dataclass
class Member:
    name: str            # data member name, "<base T>" for a base class
    bit_offset: int      # from the start of the object
    bits: int | None     # size in bits (None if unknown, e.g. declaration-only type)
    type_name: str = ""
    bitfield: bool = False

    @property
    def offset(self) -> int:
        return self.bit_offset // 8


@dataclass
class TypeRecord:
    name: str                 # the types.txt spelling
    dwarf_name: str           # qualified name as found in this DWARF
    size: int | None
    members: list[Member] = field(default_factory=list)
    vtable: dict[str, list[int]] = field(default_factory=dict)  # method -> slots
    where: str = ""           # CU / DIE offset, for diagnostics

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @staticmethod
    def from_json(d: dict) -> "TypeRecord":
        d = dict(d)
        d["members"] = [Member(**m) for m in d["members"]]
        return TypeRecord(**d)


@dataclass
class Problem:
    type: str
    kind: str        # missing-ref | missing-ours | size | member-offset |
                     # member-size | member-missing | member-extra | vtable
    member: str = ""
    ref: str = ""
    ours: str = ""

    def __str__(self) -> str:
        if self.kind == "missing-ref":
            return f"{self.type}: not defined in libtriton's DWARF"
        if self.kind == "missing-ours":
            return f"{self.type}: not defined in our probe's DWARF"
        if self.kind == "size":
            return f"{self.type}: size libtriton {self.ref} vs ours {self.ours}"
        what = {"member-offset": "offset", "member-size": "size",
                "member-missing": "member missing in ours",
                "member-extra": "member only in ours",
                "vtable": "vtable slot"}[self.kind]
        return (f"{self.type}: member {self.member!r}: {what}: "
                f"libtriton {self.ref or '-'} vs ours {self.ours or '-'}")


def _fmt_member(m: Member | None) -> str:
    if m is None:
        return ""
    if m.bitfield:
        loc = f"bit {m.bit_offset}"
        size = f"{m.bits} bits"
    else:
        loc = f"offset {m.offset}"
        size = "size ?" if m.bits is None else f"size {m.bits // 8}"
    t = f" ({m.type_name})" if m.type_name else ""
    return f"{loc}, {size}{t}"


def compare(ref: TypeRecord | None, ours: TypeRecord | None, name: str | None = None) -> list[Problem]:
    """Compare one type's layout: libtriton's (ref) against ours."""
    tname = name or (ref.name if ref else ours.name if ours else "?")
    if ref is None:
        return [Problem(tname, "missing-ref")]
    if ours is None:
        return [Problem(tname, "missing-ours")]
    out: list[Problem] = []
    if ref.size != ours.size:
        out.append(Problem(tname, "size", ref=str(ref.size), ours=str(ours.size)))
    rm = {m.name: m for m in ref.members}
    om = {m.name: m for m in ours.members}
    for key in list(rm) + [k for k in om if k not in rm]:
        a, b = rm.get(key), om.get(key)
        if b is None:
            out.append(Problem(tname, "member-missing", key, _fmt_member(a), ""))
        elif a is None:
            out.append(Problem(tname, "member-extra", key, "", _fmt_member(b)))
        elif a.bit_offset != b.bit_offset or a.bitfield != b.bitfield:
            out.append(Problem(tname, "member-offset", key, _fmt_member(a), _fmt_member(b)))
        elif a.bits is not None and b.bits is not None and a.bits != b.bits:
            out.append(Problem(tname, "member-size", key, _fmt_member(a), _fmt_member(b)))
    for meth in sorted(set(ref.vtable) | set(ours.vtable)):
        a, b = sorted(ref.vtable.get(meth, [])), sorted(ours.vtable.get(meth, []))
        if a != b:
            out.append(Problem(tname, "vtable", meth,
                               ",".join(map(str, a)) or "-", ",".join(map(str, b)) or "-"))
    return out


# ---------------------------------------------------------------------------
# DWARF image: sections, CUs, abbreviations, a fast DIE decoder

@dataclass
class Abbrev:
    tag: int
    children: bool
    specs: list[tuple[int, int, int]]     # (attr, form, implicit_const)
    # skip plan: list of (fixed bytes before, variable form) + trailing fixed
    var: tuple = ()
    tail: int = 0
    has_name_strp_at: int | None = None   # byte offset of a strp DW_AT_name, if fixed
    is_decl: bool = False
    sibling_at: int | None = None         # byte offset of DW_AT_sibling (fixed forms before)
    sibling_form: int = 0


@dataclass
class CU:
    index: int
    offset: int
    end: int
    die_start: int
    version: int
    addr_size: int
    offset_size: int
    abbrev_offset: int


class DwarfImage:
    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        self._f = open(self.path, "rb")
        self.elf = ELFFile(self._f)
        if self.elf.get_section_by_name(".debug_info") is None:
            raise ValueError(f"{self.path}: no .debug_info (not built with -g?)")
        self.info = self._section_bytes(".debug_info")
        self.abbrev = self._section_bytes(".debug_abbrev")
        sec = self.elf.get_section_by_name(".debug_str")
        self.str = sec.data() if sec is not None else b""
        self.cus = self._parse_cu_headers()
        self._cu_offsets = [c.offset for c in self.cus]
        self._abbrev_cache: dict[int, dict[int, Abbrev]] = {}

    # -- sections ------------------------------------------------------------
    def _section_bytes(self, name: str) -> bytes:
        sec = self.elf.get_section_by_name(name)
        data = sec.data()
        if self.elf["e_type"] != "ET_REL":
            return data
        rel = (self.elf.get_section_by_name(".rela" + name)
               or self.elf.get_section_by_name(".rel" + name))
        if rel is None:
            return data
        return self._apply_relocations(bytearray(data), rel)

    def _apply_relocations(self, buf: bytearray, rel) -> bytes:
        """Apply the absolute relocations of an object file's debug section.

        Debug sections of an ET_REL object hold section-relative references
        (string offsets, mostly) as relocations against section symbols.
        """
        machine = self.elf["e_machine"]
        is64 = self.elf.elfclass == 64
        # relocation type -> width in bytes (absolute, S + A)
        widths = {"EM_X86_64": {1: 8, 10: 4, 11: 4},
                  "EM_AARCH64": {257: 8, 258: 4},
                  "EM_386": {1: 4}}.get(machine)
        if widths is None or not is64 and machine != "EM_386":
            raise ValueError(f"{self.path}: relocations for {machine} not supported")
        symtab = self.elf.get_section(rel["sh_link"])
        sym_values: dict[int, int] = {}
        is_rela = rel["sh_type"] == "SHT_RELA"
        data = rel.data()
        if is64:
            fmt, step = ("<QQq", 24) if is_rela else ("<QQ", 16)
        else:
            fmt, step = ("<IIi", 12) if is_rela else ("<II", 8)
        little = self.elf.little_endian
        if not little:
            fmt = ">" + fmt[1:]
        for ent in struct.iter_unpack(fmt, data[: len(data) // step * step]):
            off, rinfo = ent[0], ent[1]
            if is64:
                sym, rtype = rinfo >> 32, rinfo & 0xFFFFFFFF
            else:
                sym, rtype = rinfo >> 8, rinfo & 0xFF
            width = widths.get(rtype)
            if width is None:
                continue
            v = sym_values.get(sym)
            if v is None:
                v = sym_values[sym] = symtab.get_symbol(sym)["st_value"] if sym else 0
            addend = ent[2] if is_rela else int.from_bytes(buf[off:off + width], "little" if little else "big")
            val = (v + addend) & ((1 << (8 * width)) - 1)
            buf[off:off + width] = val.to_bytes(width, "little" if little else "big")
        return bytes(buf)

    def _parse_cu_headers(self) -> list[CU]:
        out = []
        b = self.info
        p = 0
        while p + 11 <= len(b):
            length = int.from_bytes(b[p:p + 4], "little")
            hdr = p + 4
            offset_size = 4
            if length == 0xFFFFFFFF:
                length = int.from_bytes(b[p + 4:p + 12], "little")
                hdr = p + 12
                offset_size = 8
            end = hdr + length
            version = int.from_bytes(b[hdr:hdr + 2], "little")
            q = hdr + 2
            if version >= 5:
                unit_type = b[q]
                addr_size = b[q + 1]
                abbrev_off = int.from_bytes(b[q + 2:q + 2 + offset_size], "little")
                q += 2 + offset_size
                if unit_type in (4, 5):        # skeleton / split_compile: dwo id
                    q += 8
                elif unit_type in (2, 6):      # type units: signature + offset
                    q += 8 + offset_size
            else:
                abbrev_off = int.from_bytes(b[q:q + offset_size], "little")
                addr_size = b[q + offset_size]
                q += offset_size + 1
            out.append(CU(len(out), p, end, q, version, addr_size, offset_size, abbrev_off))
            p = end
        return out

    def cu_of(self, offset: int) -> CU:
        i = bisect.bisect_right(self._cu_offsets, offset) - 1
        return self.cus[i]

    # -- abbreviations -------------------------------------------------------
    def abbrevs(self, cu: CU) -> dict[int, Abbrev]:
        key = (cu.abbrev_offset << 8) | (cu.addr_size << 4) | cu.offset_size
        tab = self._abbrev_cache.get(key)
        if tab is not None:
            return tab
        b = self.abbrev
        p = cu.abbrev_offset
        tab = {}
        while True:
            code, p = _uleb(b, p)
            if code == 0:
                break
            tag, p = _uleb(b, p)
            children = b[p] != 0
            p += 1
            specs = []
            while True:
                attr, p = _uleb(b, p)
                form, p = _uleb(b, p)
                ic = 0
                if form == F_IMPLICIT_CONST:
                    ic, p = _sleb(b, p)
                if attr == 0 and form == 0:
                    break
                specs.append((attr, form, ic))
            ab = Abbrev(tag, children, specs)
            var = []
            fixed = 0
            all_fixed_so_far = True
            for attr, form, _ in specs:
                if attr == A_NAME and form == F_STRP and all_fixed_so_far:
                    ab.has_name_strp_at = fixed
                if attr == A_SIBLING and all_fixed_so_far and form in REF_CU_FORMS | {F_REF_ADDR}:
                    ab.sibling_at = fixed
                    ab.sibling_form = form
                if attr == A_DECLARATION:
                    ab.is_decl = True
                sz = _fixed_form_size(form, cu.addr_size, cu.offset_size)
                if sz is None:
                    var.append((fixed, form))
                    fixed = 0
                    all_fixed_so_far = False
                else:
                    fixed += sz
            ab.var = tuple(var)
            ab.tail = fixed
            tab[code] = ab
        self._abbrev_cache[key] = tab
        return tab

    # -- DIE decoding --------------------------------------------------------
    def _skip_var(self, form: int, p: int, cu: CU) -> int:
        b = self.info
        if form in ULEB_LEN_BLOCK_FORMS:
            n, p = _uleb(b, p)
            return p + n
        if form in ULEB_FORMS:
            while b[p] & 0x80:
                p += 1
            return p + 1
        if form == F_STRING:
            return b.index(b"\0", p) + 1
        w = BLOCK_FORMS.get(form)
        if w is not None:
            return p + w + int.from_bytes(b[p:p + w], "little")
        if form == F_INDIRECT:
            real, p = _uleb(b, p)
            sz = _fixed_form_size(real, cu.addr_size, cu.offset_size)
            return p + sz if sz is not None else self._skip_var(real, p, cu)
        raise ValueError(f"unsupported DWARF form 0x{form:x}")

    def read_die(self, pos: int, cu: CU, tab: dict[int, Abbrev] | None = None):
        """Decode the DIE at pos: (abbrev or None for a null entry, attrs, next)."""
        b = self.info
        if tab is None:
            tab = self.abbrevs(cu)
        code, p = _uleb(b, pos)
        if code == 0:
            return None, {}, p
        ab = tab[code]
        attrs = {}
        for attr, form, ic in ab.specs:
            if form == F_INDIRECT:
                form, p = _uleb(b, p)
            sz = _fixed_form_size(form, cu.addr_size, cu.offset_size)
            if form == F_STRP:
                o = int.from_bytes(b[p:p + sz], "little")
                v = self.str[o:self.str.index(b"\0", o)].decode("utf-8", "replace")
                p += sz
            elif form == F_STRING:
                e = b.index(b"\0", p)
                v = b[p:e].decode("utf-8", "replace")
                p = e + 1
            elif form in REF_CU_FORMS:
                if sz is None:
                    v, p = _uleb(b, p)
                else:
                    v = int.from_bytes(b[p:p + sz], "little")
                    p += sz
                v += cu.offset
            elif form == F_IMPLICIT_CONST:
                v = ic
            elif form in SIGNED_FORMS:
                v, p = _sleb(b, p)
            elif form in ULEB_FORMS:
                v, p = _uleb(b, p)
            elif form in ULEB_LEN_BLOCK_FORMS:
                n, p = _uleb(b, p)
                v = bytes(b[p:p + n])
                p += n
            elif form in BLOCK_FORMS:
                w = BLOCK_FORMS[form]
                n = int.from_bytes(b[p:p + w], "little")
                v = bytes(b[p + w:p + w + n])
                p += w + n
            elif sz is not None:
                v = True if sz == 0 else int.from_bytes(b[p:p + sz], "little")
                p += sz
            else:
                raise ValueError(f"unsupported DWARF form 0x{form:x}")
            attrs[attr] = v
        return ab, attrs, p

    def children(self, pos: int, cu: CU):
        """Yield (offset, abbrev, attrs) for the children of the DIE at pos."""
        tab = self.abbrevs(cu)
        ab, _, p = self.read_die(pos, cu, tab)
        if ab is None or not ab.children:
            return
        depth = 0
        while p < cu.end:
            start = p
            cab, attrs, p = self.read_die(p, cu, tab)
            if cab is None:
                if depth == 0:
                    return
                depth -= 1
                continue
            if depth == 0:
                yield start, cab, attrs
            if cab.children:
                sib = attrs.get(A_SIBLING)
                if sib is not None and depth == 0:
                    p = sib
                else:
                    depth += 1

    # -- scope walk ----------------------------------------------------------
    def walk_scopes(self, cu: CU, targets: list[Target], stop_after: int | None = None):
        """Walk one CU and return {target index: (die offset, dwarf qualified
        name, extra-args)} for definitions (class/struct/union) matching a
        target.  Stops after stop_after (an offset) if given."""
        b = self.info
        tab = self.abbrevs(cu)
        by_base: dict[str, list[int]] = {}
        for i, t in enumerate(targets):
            by_base.setdefault(t.base, []).append(i)
        scope_bases = {normalize_name(_base_ident(p)) for t in targets for p in t.parts[:-1]}
        found: dict[int, tuple[int, str, int]] = {}
        stack: list = []      # qualified-name parts, or None inside non-scopes
        scope: list[str] | None = []
        p = cu.die_start
        end = cu.end if stop_after is None else min(cu.end, stop_after + 1)
        uleb = _uleb
        while p < end:
            start = p
            code = b[p]
            if code < 0x80:
                p += 1
            else:
                code, p = uleb(b, p)
            if code == 0:
                scope = stack.pop() if stack else None
                continue
            ab = tab[code]
            if ab.tag in UNIT_TAGS:
                p = start
                _, _, p = self.read_die(start, cu, tab)
                if ab.children:
                    stack.append(scope)
                continue
            if ab.tag in SCOPE_TAGS and scope is not None:
                _, attrs, p = self.read_die(start, cu, tab)
                name = attrs.get(A_NAME)
                if ab.tag == T_NAMESPACE:
                    new = scope + [name if name is not None else "(anonymous namespace)"]
                    if ab.children:
                        stack.append(scope)
                        scope = new
                    continue
                if name is None:
                    name = "(anonymous)"
                new = scope + [name]
                if not attrs.get(A_DECLARATION):
                    short_base = normalize_name(_base_ident(name))
                    for ti in by_base.get(short_base, ()):
                        old = found.get(ti)
                        if old is not None and old[2] == 0:
                            continue
                        extra = name_match(targets[ti].parts, [normalize_name(x) for x in new])
                        if extra is not None and (old is None or extra < old[2]):
                            found[ti] = (start, "::".join(new), extra)
                if ab.children:
                    sib = attrs.get(A_SIBLING)
                    if (sib is not None and normalize_name(_base_ident(name)) not in scope_bases):
                        p = sib
                        continue
                    stack.append(scope)
                    scope = new
                continue
            # fast skip
            if ab.sibling_at is not None and ab.children:
                q = p + ab.sibling_at
                if ab.sibling_form == F_REF_ADDR:
                    p = int.from_bytes(b[q:q + cu.offset_size], "little")
                else:
                    w = {F["DW_FORM_ref1"]: 1, F["DW_FORM_ref2"]: 2, F["DW_FORM_ref4"]: 4,
                         F["DW_FORM_ref8"]: 8}.get(ab.sibling_form)
                    if w is None:
                        v, _ = uleb(b, q)
                    else:
                        v = int.from_bytes(b[q:q + w], "little")
                    p = cu.offset + v
                continue
            for pre, form in ab.var:
                p += pre
                if form in ULEB_LEN_BLOCK_FORMS:
                    n, p = uleb(b, p)
                    p += n
                elif form in ULEB_FORMS:
                    while b[p] & 0x80:
                        p += 1
                    p += 1
                elif form == F_STRING:
                    p = b.index(b"\0", p) + 1
                else:
                    p = self._skip_var(form, p, cu)
            p += ab.tail
            if ab.children:
                stack.append(scope)
                scope = None
        return found

    # -- record extraction ---------------------------------------------------
    def _type_info(self, off: int, depth: int = 0, strip: bool = False) -> tuple[str, int | None]:
        """(display name, byte size or None) of the type DIE at off
        (strip: name the type behind typedefs)."""
        if depth > 40:
            return "?", None
        cu = self.cu_of(off)
        ab, attrs, _ = self.read_die(off, cu)
        if ab is None:
            return "?", None
        tag = ab.tag
        name = attrs.get(A_NAME)
        size = attrs.get(A_BYTE_SIZE)
        if isinstance(size, bytes):
            size = None
        sub = attrs.get(A_TYPE)
        if tag in QUALIFIER_TAGS:
            sn, ss = self._type_info(sub, depth + 1, strip) if sub is not None else ("void", None)
            if tag == T_TYPEDEF and not strip:
                return name or sn, ss
            return sn, ss
        if tag in (T_POINTER, T_REFERENCE, T_RVREFERENCE):
            sn = self._type_info(sub, depth + 1)[0] if sub is not None else "void"
            suffix = {T_POINTER: " *", T_REFERENCE: " &", T_RVREFERENCE: " &&"}[tag]
            return sn + suffix, size if size is not None else cu.addr_size
        if tag == T_PTR_TO_MEMBER:
            if size is None and sub is not None:
                sab, _, _ = self.read_die(sub, self.cu_of(sub))
                size = 2 * cu.addr_size if sab is not None and sab.tag == T_SUBROUTINE else cu.addr_size
            return "member pointer", size
        if tag == T_ARRAY:
            sn, es = self._type_info(sub, depth + 1) if sub is not None else ("?", None)
            n = 1
            dims = []
            for _, cab, cattrs in self.children(off, cu):
                if cab.tag != T_SUBRANGE:
                    continue
                if A_COUNT in cattrs and isinstance(cattrs[A_COUNT], int):
                    c = cattrs[A_COUNT]
                elif A_UPPER_BOUND in cattrs and isinstance(cattrs[A_UPPER_BOUND], int):
                    c = cattrs[A_UPPER_BOUND] + 1
                else:
                    c = 0
                dims.append(c)
                n *= c
            return sn + "".join(f"[{d}]" for d in dims), (size if size is not None else
                                                        (es * n if es is not None else None))
        if tag == T_SUBROUTINE:
            return "function", None
        if attrs.get(A_DECLARATION):
            return name or "?", None
        return name or "(anonymous)", size

    def extract(self, off: int, name: str, dwarf_name: str) -> TypeRecord:
        cu = self.cu_of(off)
        ab, attrs, _ = self.read_die(off, cu)
        size = attrs.get(A_BYTE_SIZE)
        rec = TypeRecord(name=name, dwarf_name=dwarf_name, size=size,
                         where=f"{os.path.basename(self.path)}: CU 0x{cu.offset:x}, DIE 0x{off:x}")
        anon = 0
        nbase = 0
        for _, cab, a in self.children(off, cu):
            if cab.tag in (T_MEMBER, T_INHERITANCE):
                if cab.tag == T_MEMBER and (A_MEMBER_LOC not in a and A_DATA_BIT_OFFSET not in a):
                    if a.get(A_EXTERNAL) or a.get(A_DECLARATION):
                        continue                      # static data member
                    if ab.tag != T_UNION:
                        continue
                tname, tsize = (self._type_info(a[A_TYPE], strip=cab.tag == T_INHERITANCE)
                                if A_TYPE in a else ("?", None))
                if cab.tag == T_INHERITANCE:
                    # bases are keyed by position and template name: the
                    # compilers spell template arguments differently
                    kind = "virtual base" if a.get(A_VIRTUALITY) else "base"
                    mname = f"<{kind} #{nbase} {_base_ident(tname)}>"
                    nbase += 1
                else:
                    mname = a.get(A_NAME)
                    if mname is None:
                        mname = f"(anonymous #{anon})"
                        anon += 1
                    elif mname.startswith("_vptr"):
                        mname = "_vptr"       # clang: _vptr$Class, g++: _vptr.Class
                loc = a.get(A_MEMBER_LOC, 0)
                if isinstance(loc, bytes):      # location expression (DWARF 2 style)
                    loc = _eval_member_loc(loc)
                bitfield = A_BIT_SIZE in a
                bits = tsize * 8 if tsize is not None else None
                bit_off = (loc or 0) * 8
                if bitfield:
                    bits = a[A_BIT_SIZE]
                    if A_DATA_BIT_OFFSET in a:
                        bit_off = a[A_DATA_BIT_OFFSET]
                    elif A_BIT_OFFSET in a:
                        storage = a.get(A_BYTE_SIZE, tsize or 0)
                        bit_off = (loc or 0) * 8 + storage * 8 - a[A_BIT_OFFSET] - bits
                rec.members.append(Member(mname, bit_off, bits, tname, bitfield))
            elif cab.tag == T_SUBPROGRAM and A_VTABLE_ELEM in a:
                loc = a[A_VTABLE_ELEM]
                slot = _eval_vtable_loc(loc)
                mname = a.get(A_NAME, "?")
                # g++ gives virtual destructors no DW_AT_vtable_elem_location
                # (clang does); their slots show in the other methods' slots.
                if slot is not None and not mname.startswith("~"):
                    rec.vtable.setdefault(mname, []).append(slot)
        return rec


def _eval_member_loc(expr: bytes) -> int | None:
    if expr and expr[0] == DW_OP_plus_uconst:
        return _uleb(expr, 1)[0]
    return None


def _eval_vtable_loc(loc) -> int | None:
    if isinstance(loc, int):
        return loc
    if isinstance(loc, bytes) and loc and loc[0] == DW_OP_constu:
        return _uleb(loc, 1)[0]
    return None


# ---------------------------------------------------------------------------
# Indexing

_IMAGE: DwarfImage | None = None      # set before forking workers


def _walk_job(args):
    cu_index, targets, stop = args
    img = _IMAGE
    return cu_index, img.walk_scopes(img.cus[cu_index], targets, stop)


def _find_job(pat: bytes) -> list[int]:
    info = _IMAGE.info
    out = []
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


def _map(jobs, workers: int):
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


def _definition_candidates(img: DwarfImage, targets: list[Target], log, workers: int = 1) -> dict[int, list[tuple[int, int]]]:
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
                code, q = _uleb(info, s)
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


def index_types(elf_path: str | os.PathLike, names: Iterable[str], *, workers: int = 2,
                log=lambda *_: None) -> dict[str, TypeRecord]:
    """Find the definitions of the named types in an ELF file's DWARF and
    return {name: TypeRecord}; names not found are absent from the result."""
    global _IMAGE
    names = list(names)
    targets = [Target(n) for n in names]
    t0 = time.time()
    img = DwarfImage(elf_path)
    _IMAGE = img
    log(f"  loaded {elf_path}: {len(img.info) >> 20} MiB .debug_info, {len(img.cus)} CUs "
        f"({time.time() - t0:.1f}s)")
    found: dict[int, tuple[int, str, int]] = {}   # target -> (die, qualified, extra)
    walked: set[int] = set()

    def absorb(results):
        for _, res in results:
            for ti, v in res.items():
                old = found.get(ti)
                if old is None or v[2] < old[2]:
                    found[ti] = v

    small = len(img.info) < (48 << 20)
    if not small:
        cands = _definition_candidates(img, targets, log, workers)
        pending = {ti for ti in range(len(targets))}
        rounds = 0
        while pending:
            rounds += 1
            # per pending target, its (up to) 3 smallest unwalked candidate
            # CUs; a CU is walked only up to its last wanted DIE
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
            if not chosen:
                break
            jobs = [(c, targets, stop) for c, stop in chosen.items()]
            absorb(_map(jobs, workers))
            walked.update(chosen)
            pending = {ti for ti in pending if ti not in found}
            log(f"  round {rounds}: walked {len(chosen)} CUs, "
                f"{len(targets) - len(pending)}/{len(targets)} found ({time.time() - t0:.1f}s)")
    pending = [ti for ti in range(len(targets)) if ti not in found]
    if pending and not small:
        # a name whose base identifier occurs neither in .debug_str nor
        # inline in .debug_info cannot name any DIE: no need to walk for it
        absent = [ti for ti in pending
                  if img.str.find(targets[ti].base.encode()) < 0
                  and img.info.find(targets[ti].base.encode()) < 0]
        pending = [ti for ti in pending if ti not in absent]
    if pending:
        rest = [c.index for c in img.cus if c.index not in walked]
        if rest:
            if not small:
                log(f"  fallback: walking {len(rest)} remaining CUs for "
                    f"{', '.join(targets[t].name for t in pending)}")
            sub = [targets[t] for t in pending]
            res = _map([(c, sub, None) for c in rest], workers)
            for _, r in res:
                for si, v in r.items():
                    ti = pending[si]
                    old = found.get(ti)
                    if old is None or v[2] < old[2]:
                        found[ti] = v
    out = {}
    for ti, (die, qual, _) in found.items():
        out[targets[ti].name] = img.extract(die, targets[ti].name, qual)
    log(f"  indexed {len(out)}/{len(targets)} types in {time.time() - t0:.1f}s")
    return out


# ---------------------------------------------------------------------------
# Cache, type list, defaults

def read_types(path: str | os.PathLike) -> list[str]:
    names = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def gnu_build_id(path: str | os.PathLike) -> str | None:
    with open(path, "rb") as f:
        elf = ELFFile(f)
        for sec in elf.iter_sections():
            if sec["sh_type"] != "SHT_NOTE":
                continue
            for note in sec.iter_notes():
                if note["n_type"] == "NT_GNU_BUILD_ID":
                    return note["n_desc"]
    return None


def file_identity(path: str | os.PathLike) -> str:
    """GNU build id; without one: size + mtime + sha256 of the first MiB."""
    bid = gnu_build_id(path)
    if bid:
        return "buildid:" + bid
    st = os.stat(path)
    with open(path, "rb") as f:
        head = hashlib.sha256(f.read(1 << 20)).hexdigest()
    return f"stat:{st.st_size}:{st.st_mtime_ns}:{head}"


def cache_key(identity: str, names: list[str]) -> str:
    h = hashlib.sha256()
    h.update(f"v{CHECKER_VERSION}\0{identity}\0".encode())
    h.update("\n".join(names).encode())
    return h.hexdigest()[:32]


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "triton-autopipe"


def default_libtriton_path() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("triton")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the triton package is not installed; pass --libtriton")
    return Path(list(spec.submodule_search_locations)[0]) / "_C" / "libtriton.so"


def default_probe_path() -> Path:
    return Path(__file__).resolve().parent / "_abi" / "abi_probe.o"


def default_types_path() -> Path:
    return Path(__file__).resolve().parent / "_abi" / "types.txt"


def index_cached(elf_path, names: list[str], cache_dir: Path | None, *, identity: str | None = None,
                 workers: int = 2, log=lambda *_: None) -> tuple[dict[str, TypeRecord], bool]:
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


def _probe_identity(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


# ---------------------------------------------------------------------------
# Check + CLI

@dataclass
class Result:
    names: list[str]
    ref: dict[str, TypeRecord]
    ours: dict[str, TypeRecord]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(libtriton, probe, types, cache_dir: Path | None = None, *, workers: int = 2,
          log=lambda *_: None) -> Result:
    names = read_types(types) if not isinstance(types, list) else types
    if not names:
        raise ValueError("empty type list")
    t = time.time()
    ref, hit = index_cached(libtriton, names, cache_dir, workers=workers, log=log)
    log(f"libtriton: {'cache hit' if hit else 'indexed'} in {time.time() - t:.2f}s")
    t = time.time()
    ours, hit = index_cached(probe, names, cache_dir, identity=_probe_identity(probe),
                             workers=workers, log=log)
    log(f"probe: {'cache hit' if hit else 'indexed'} in {time.time() - t:.2f}s")
    problems = []
    for n in names:
        problems += compare(ref.get(n), ours.get(n), n)
    return Result(names, ref, ours, problems)


def format_table(res: Result) -> str:
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
    w = [min(max(len(r[i]) for r in rows), 90 if i == 0 else 20) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        name = r[0] if len(r[0]) <= w[0] else r[0][: w[0] - 3] + "..."
        out.append("  ".join([name.ljust(w[0])] + [c.rjust(w[i]) for i, c in enumerate(r) if i][:-1]
                             + [r[-1]]))
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m triton_autopipe.abi_check",
        description="Compare the layouts of types shared with libtriton.so "
                    "(sizes, member offsets, vtable slots) between libtriton's "
                    "DWARF and our probe object's DWARF.")
    ap.add_argument("--libtriton", help="libtriton.so (default: from the installed triton package)")
    ap.add_argument("--probe", help="probe object built with -g (default: %(default)s)",
                    default=None)
    ap.add_argument("--types", help="type list (default: next to the probe)")
    ap.add_argument("--cache-dir", help="cache directory (default: $XDG_CACHE_HOME/triton-autopipe)")
    ap.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    ap.add_argument("-j", "--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    libtriton = Path(a.libtriton) if a.libtriton else default_libtriton_path()
    probe = Path(a.probe) if a.probe else default_probe_path()
    types = Path(a.types) if a.types else default_types_path()
    cache = None if a.no_cache else Path(a.cache_dir) if a.cache_dir else default_cache_dir()
    for what, p in (("libtriton", libtriton), ("probe", probe), ("types", types)):
        if not p.is_file():
            print(f"abi_check: {what} not found: {p}", file=sys.stderr)
            return 2
    log = (lambda m: print(m, file=sys.stderr)) if a.verbose else (lambda *_: None)
    t0 = time.time()
    res = check(libtriton, probe, types, cache, workers=a.jobs, log=log)
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
        return 1
    print(f"\nABI OK: {len(res.names)} types match ({time.time() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
