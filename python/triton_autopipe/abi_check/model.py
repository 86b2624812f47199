"""The type model of the ABI check: C++ type names, layout records, and their comparison.

A wanted type (a line of ``abi/types.txt``) is a :class:`Target`; clang (libtriton) and
g++ (our probe) spell the same type differently in DWARF, so names are normalised and
matched component by component, allowing defaulted template arguments on either side.
A found definition becomes a :class:`TypeRecord` (size, members with bit offsets, vtable
slots); :func:`compare` lists every :class:`Problem` between libtriton's record and ours.

Example::

    >>> normalize_name("llvm::SmallVector<int, 4U>")
    'llvm::SmallVector<int,4>'
    >>> a = TypeRecord("T", "T", 16, [Member("x", 0, 64)])
    >>> b = TypeRecord("T", "T", 16, [Member("x", 64, 64)])
    >>> [p.kind for p in compare(a, b)]
    ['member-offset']
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

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
    parts: list[str] = []
    cur: list[str] = []
    depth, i = 0, 0
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
    args: list[str] = []
    cur: list[str] = []
    depth = 0
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
    """Match two qualified names split into normalised components: the number of defaulted
    template arguments one side spells out beyond the other, or None if they differ."""
    if len(ref_qualified_norm) != len(ours_qualified_norm):
        return None
    extra = 0
    for a, b in zip(ref_qualified_norm, ours_qualified_norm):
        m = _component_match(a, b)
        if m is None:
            return None
        extra += m
    return extra


def base_ident(short: str) -> str:
    """``SmallVector<int,4>`` -> ``SmallVector``."""
    lt = short.find("<")
    return short if lt < 0 else short[:lt]


class Target:
    """One wanted type: its spelling from types.txt, normalised and split."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.parts = [normalize_name(p) for p in split_qualified(name)]
        self.short = self.parts[-1]
        self.base = base_ident(self.short)

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

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @staticmethod
    def from_json(d: dict[str, Any]) -> TypeRecord:
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
        rs, os_ = sorted(ref.vtable.get(meth, [])), sorted(ours.vtable.get(meth, []))
        if rs != os_:
            out.append(Problem(tname, "vtable", meth,
                               ",".join(map(str, rs)) or "-", ",".join(map(str, os_)) or "-"))
    return out

