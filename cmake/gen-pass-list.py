#!/usr/bin/env python3
"""Turn ``mlir-tblgen --print-records`` of Passes.td into the pass lists that
mlir-tblgen's own backends do not make.

The passes are declared once, in ``include/triton-autopipe/Passes.td``; this
generator writes, from the same records:

* ``--inc``: ``PassList.h.inc``, an X-macro list, one ``AUTOPIPE_PASS(Def,
  "argument", "summary")`` per pass followed by one ``AUTOPIPE_PASS_OPTION(Def,
  "argument", "type", "default", "description", "values")`` per option (for
  enum options ``type`` is ``enum`` and ``values`` the allowed names joined by
  ``|``). The plugin's pass table, the registry's option listing and
  ``--list-passes`` expand it, so none of them has a per-pass line.
* ``--py``: ``pass_names.py``, the Python constants (``SCHEDULE_LOOPS =
  "autopipe-schedule-loops"``, ...) and ``PASSES`` (argument -> options).

Passes come in declaration order (the order of their ``def`` in the .td).

    python3 cmake/gen-pass-list.py --records recs.txt --td Passes.td \\
        --inc PassList.h.inc --py pass_names.py
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

_DEF = re.compile(r"^def (\w+) \{\t// (.*)$")
_FIELD = re.compile(r"^  (\S+) (\w+) = (.*)$")
_ENUM = re.compile(r'clEnumValN\(\s*([\w:]+)\s*,\s*"((?:[^"\\]|\\.)*)"')


def _unquote(value: str) -> str:
    """A TableGen string literal (as --print-records writes it) -> text."""
    assert value.startswith('"') and value.endswith('"'), value
    return re.sub(r"\\(.)", r"\1", value[1:-1])


def parse_records(text: str) -> dict[str, dict[str, object]]:
    """Every ``def`` of --print-records output: name -> {field: value};
    strings and code are text, lists are lists of text or record names."""
    records: dict[str, dict[str, object]] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _DEF.match(lines[i])
        i += 1
        if not m:
            continue
        fields: dict[str, object] = {"!classes": m.group(2).split()}
        while lines[i] != "}":
            f = _FIELD.match(lines[i])
            i += 1
            if not f:
                continue
            value = f.group(3)
            if value.startswith("[{"):
                body = [value[2:]]
                while not body[-1].endswith("}];"):
                    body.append(lines[i])
                    i += 1
                fields[f.group(2)] = "\n".join(body)[: -len("}];")]
                continue
            value = value.rstrip(";")
            if value.startswith("["):
                items = re.findall(r'"(?:[^"\\]|\\.)*"|[\w.]+', value[1:-1])
                fields[f.group(2)] = [_unquote(x) if x.startswith('"') else x for x in items]
            elif value.startswith('"'):
                fields[f.group(2)] = _unquote(value)
            else:
                fields[f.group(2)] = value
        records[m.group(1)] = fields
    return records


def passes_in_order(records: dict, td: str) -> list[dict[str, object]]:
    """The passes, in the order of their ``def`` in the .td, each with its
    options resolved: [{def, argument, summary, options: [...]}, ...]."""
    names = re.findall(r"^def (\w+)", td, re.M)
    out = []
    for name in names:
        rec = records.get(name)
        if not rec or "PassBase" not in rec["!classes"]:
            continue
        options = []
        for oname in rec["options"]:
            o = records[oname]
            values = [(c, n) for c, n in _ENUM.findall(str(o["additionalOptFlags"]))]
            default = str(o["defaultValue"])
            kind = {"std::string": "string"}.get(str(o["type"]), str(o["type"]))
            if values:
                kind = "enum"
                default = next((n for c, n in values if c == default), default)
            options.append({"name": o["argument"], "type": kind, "default": default,
                             "description": o["description"],
                             "values": [n for _, n in values]})
        out.append({"def": name, "argument": rec["argument"], "summary": rec["summary"],
                    "options": options})
    return out


def _c(text: str) -> str:
    return json.dumps(text)  # a valid C string literal for our ASCII text


def write_inc(passes: list[dict]) -> str:
    """PassList.h.inc: the X-macro list."""
    lines = ["// Generated from Passes.td by cmake/gen-pass-list.py; do not edit.",
             "#ifndef AUTOPIPE_PASS", "#define AUTOPIPE_PASS(DEF, ARGUMENT, SUMMARY)", "#endif",
             "#ifndef AUTOPIPE_PASS_OPTION",
             "#define AUTOPIPE_PASS_OPTION(DEF, ARGUMENT, TYPE, DEFAULT, DESCRIPTION, VALUES)",
             "#endif"]
    for p in passes:
        lines.append(f"AUTOPIPE_PASS({p['def']}, {_c(p['argument'])}, {_c(p['summary'])})")
        for o in p["options"]:
            lines.append(f"AUTOPIPE_PASS_OPTION({p['def']}, {_c(o['name'])}, {_c(o['type'])}, "
                         f"{_c(o['default'])}, {_c(o['description'])}, {_c('|'.join(o['values']))})")
    lines += ["#undef AUTOPIPE_PASS", "#undef AUTOPIPE_PASS_OPTION", ""]
    return "\n".join(lines)


def constant_name(argument: str) -> str:
    """``autopipe-schedule-loops`` -> ``SCHEDULE_LOOPS``."""
    return argument.removeprefix("autopipe-").replace("-", "_").upper()


def write_py(passes: list[dict]) -> str:
    """pass_names.py: one constant per pass and PASSES."""
    lines = ['"""Names and options of the triton-autopipe passes.',
             "",
             "Generated from include/triton-autopipe/Passes.td by cmake/gen-pass-list.py;",
             "do not edit (the build regenerates it; test_pass_declarations.py checks it).",
             "",
             ">>> from triton_autopipe.pass_names import SCHEDULE_LOOPS, PASSES",
             ">>> SCHEDULE_LOOPS",
             "'autopipe-schedule-loops'",
             '>>> PASSES[SCHEDULE_LOOPS]["schedule"]["values"]',
             "['default', 'attention-a', 'attention-b', 'auto']",
             '"""',
             "from __future__ import annotations",
             ""]
    for p in passes:
        lines.append(f"{constant_name(p['argument'])} = {p['argument']!r}")
    lines += ["", "#: pass argument -> option name -> {type, default, values}", "PASSES: dict[str, dict[str, dict]] = {"]
    for p in passes:
        lines.append(f"    {constant_name(p['argument'])}: {{")
        for o in p["options"]:
            info = {"type": o["type"], "default": o["default"], "values": o["values"]}
            lines.append(f"        {o['name']!r}: {info!r},")
        lines.append("    },")
    lines += ["}", "", "__all__ = [" + ", ".join(repr(constant_name(p["argument"])) for p in passes)
              + ", 'PASSES']", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", required=True, help="mlir-tblgen --print-records output")
    ap.add_argument("--td", required=True, help="Passes.td (for the declaration order)")
    ap.add_argument("--inc", help="write the X-macro list here")
    ap.add_argument("--py", help="write the Python module here")
    args = ap.parse_args()
    passes = passes_in_order(parse_records(Path(args.records).read_text()),
                             Path(args.td).read_text())
    if not passes:
        raise SystemExit(f"gen-pass-list: no pass found in {args.records}")
    for path, text in ((args.inc, write_inc(passes)), (args.py, write_py(passes))):
        if path and (not Path(path).exists() or Path(path).read_text() != text):
            Path(path).write_text(text)


if __name__ == "__main__":
    main()
