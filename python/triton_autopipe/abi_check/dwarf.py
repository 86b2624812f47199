"""The DWARF reader of the ABI check: a small, fast decoder of ``.debug_info``.

pyelftools provides the ELF container (sections, notes, symbols, relocations) and the
DWARF constant tables; DIEs are decoded here because its generic DIE parser (and its
relocation of a 10 MB object file's ``.debug_info``, ~10 s) is too slow for libtriton's
~140 MB. :class:`DwarfImage` loads the sections of one ELF file (relocating an object
file's), decodes abbreviations into skip plans, walks a compile unit's scopes to find the
definitions of wanted types (:meth:`DwarfImage.walk_scopes`) and turns one definition into
a :class:`~.model.TypeRecord` (:meth:`DwarfImage.extract`).

Example::

    img = DwarfImage("abi_probe.o")
    found = img.walk_scopes(img.cus[0], [Target("mlir::IRMapping")])   # {0: (die, name, extra)}
    record = img.extract(found[0][0], "mlir::IRMapping", found[0][1])
"""

from __future__ import annotations

import bisect
import os
import struct
from dataclasses import dataclass
from typing import Any, Iterator

from elftools.dwarf.enums import ENUM_DW_AT, ENUM_DW_FORM, ENUM_DW_TAG
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import Section, SymbolTableSection

from .model import Member, Target, TypeRecord, base_ident, name_match, normalize_name

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


def uleb(b: bytes, p: int) -> tuple[int, int]:
    """Decode the unsigned LEB128 number at ``b[p]``: (value, position after it)."""
    r = 0
    s = 0
    while True:
        x = b[p]
        p += 1
        r |= (x & 0x7F) << s
        if x < 0x80:
            return r, p
        s += 7


def sleb(b: bytes, p: int) -> tuple[int, int]:
    """Decode the signed LEB128 number at ``b[p]``: (value, position after it)."""
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
    def __init__(self, path: str | os.PathLike[str]) -> None:
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
        if sec is None:
            raise ValueError(f"{self.path}: no {name} section")
        data = sec.data()
        if self.elf["e_type"] != "ET_REL":
            return data
        rel = (self.elf.get_section_by_name(".rela" + name)
               or self.elf.get_section_by_name(".rel" + name))
        if rel is None:
            return data
        return self._apply_relocations(bytearray(data), rel)

    def _apply_relocations(self, buf: bytearray, rel: Section) -> bytes:
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
        if not isinstance(symtab, SymbolTableSection):
            raise ValueError(f"{self.path}: relocation section {rel.name} links no symbol table")
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
        out: list[CU] = []
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
            code, p = uleb(b, p)
            if code == 0:
                break
            tag, p = uleb(b, p)
            children = b[p] != 0
            p += 1
            specs = []
            while True:
                attr, p = uleb(b, p)
                form, p = uleb(b, p)
                ic = 0
                if form == F_IMPLICIT_CONST:
                    ic, p = sleb(b, p)
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
            n, p = uleb(b, p)
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
            real, p = uleb(b, p)
            sz = _fixed_form_size(real, cu.addr_size, cu.offset_size)
            return p + sz if sz is not None else self._skip_var(real, p, cu)
        raise ValueError(f"unsupported DWARF form 0x{form:x}")

    def read_die(self, pos: int, cu: CU,
                 tab: dict[int, Abbrev] | None = None) -> tuple[Abbrev | None, dict[int, Any], int]:
        """Decode the DIE at pos: (abbrev or None for a null entry, attrs, next)."""
        b = self.info
        if tab is None:
            tab = self.abbrevs(cu)
        code, p = uleb(b, pos)
        if code == 0:
            return None, {}, p
        ab = tab[code]
        attrs: dict[int, Any] = {}
        v: Any
        for attr, form, ic in ab.specs:
            if form == F_INDIRECT:
                form, p = uleb(b, p)
            sz = _fixed_form_size(form, cu.addr_size, cu.offset_size)
            if form == F_STRP:
                o = int.from_bytes(b[p:p + cu.offset_size], "little")
                v = self.str[o:self.str.index(b"\0", o)].decode("utf-8", "replace")
                p += cu.offset_size
            elif form == F_STRING:
                e = b.index(b"\0", p)
                v = b[p:e].decode("utf-8", "replace")
                p = e + 1
            elif form in REF_CU_FORMS:
                if sz is None:
                    v, p = uleb(b, p)
                else:
                    v = int.from_bytes(b[p:p + sz], "little")
                    p += sz
                v += cu.offset
            elif form == F_IMPLICIT_CONST:
                v = ic
            elif form in SIGNED_FORMS:
                v, p = sleb(b, p)
            elif form in ULEB_FORMS:
                v, p = uleb(b, p)
            elif form in ULEB_LEN_BLOCK_FORMS:
                n, p = uleb(b, p)
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

    def children(self, pos: int, cu: CU) -> Iterator[tuple[int, Abbrev, dict[int, Any]]]:
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
    def walk_scopes(self, cu: CU, targets: list[Target],
                    stop_after: int | None = None) -> dict[int, tuple[int, str, int]]:
        """Walk one CU and return {target index: (die offset, dwarf qualified
        name, extra-args)} for definitions (class/struct/union) matching a
        target.  Stops after stop_after (an offset) if given."""
        b = self.info
        tab = self.abbrevs(cu)
        by_base: dict[str, list[int]] = {}
        for i, t in enumerate(targets):
            by_base.setdefault(t.base, []).append(i)
        scope_bases = {normalize_name(base_ident(p)) for t in targets for p in t.parts[:-1]}
        found: dict[int, tuple[int, str, int]] = {}
        stack: list = []      # qualified-name parts, or None inside non-scopes
        scope: list[str] | None = []
        p = cu.die_start
        end = cu.end if stop_after is None else min(cu.end, stop_after + 1)
        leb = uleb  # local: the hot loop of a libtriton walk
        while p < end:
            start = p
            code = b[p]
            if code < 0x80:
                p += 1
            else:
                code, p = leb(b, p)
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
                    short_base = normalize_name(base_ident(name))
                    for ti in by_base.get(short_base, ()):
                        old = found.get(ti)
                        if old is not None and old[2] == 0:
                            continue
                        extra = name_match(targets[ti].parts, [normalize_name(x) for x in new])
                        if extra is not None and (old is None or extra < old[2]):
                            found[ti] = (start, "::".join(new), extra)
                if ab.children:
                    sib = attrs.get(A_SIBLING)
                    if (sib is not None and normalize_name(base_ident(name)) not in scope_bases):
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
                        v, _ = leb(b, q)
                    else:
                        v = int.from_bytes(b[q:q + w], "little")
                    p = cu.offset + v
                continue
            for pre, form in ab.var:
                p += pre
                if form in ULEB_LEN_BLOCK_FORMS:
                    n, p = leb(b, p)
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
        """The layout record of the class/struct/union defined by the DIE at ``off``."""
        cu = self.cu_of(off)
        ab, attrs, _ = self.read_die(off, cu)
        if ab is None:
            raise ValueError(f"{self.path}: no DIE at 0x{off:x}")
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
                    mname = f"<{kind} #{nbase} {base_ident(tname)}>"
                    nbase += 1
                else:
                    given: str | None = a.get(A_NAME)
                    if given is None:
                        mname = f"(anonymous #{anon})"
                        anon += 1
                    elif given.startswith("_vptr"):
                        mname = "_vptr"       # clang: _vptr$Class, g++: _vptr.Class
                    else:
                        mname = given
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
        return uleb(expr, 1)[0]
    return None


def _eval_vtable_loc(loc: Any) -> int | None:
    if isinstance(loc, int):
        return loc
    if isinstance(loc, bytes) and loc and loc[0] == DW_OP_constu:
        return uleb(loc, 1)[0]
    return None

