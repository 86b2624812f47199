"""No function in ``lib/`` is longer than about a screen (80 lines): algorithms live in
small units a newcomer can read and test alone (``docs/design.md``, "Where the code is").

The scan is a brace matcher over the sources with comments and strings removed: a
``{`` opens a function body when the text before it ends like a signature (``...)``,
``) const``, ``) override``, a constructor's initializer list) and is not a control
statement or a lambda. Only outermost function bodies count (lambdas inside count
towards their function).
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 80

_SIGNATURE = re.compile(r"\)\s*(const)?\s*(noexcept)?\s*(override|final)?\s*(->\s*[\w:<>\s,*&]+)?$")
_INITIALIZERS = re.compile(r"\)\s*:\s*[\w:]+[\({]")
_CONTROL = re.compile(r"\b(if|for|while|switch|catch)\s*\(")


def _strip(source: str) -> list[str]:
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"//[^\n]*", "", source)
    source = re.sub(r'"(\\.|[^"\\\n])*"', '""', source)
    return source.split("\n")


def _opens_function(head: str) -> bool:
    head = head.split(";")[-1].split("}")[-1].strip()
    if not (_SIGNATURE.search(head) or _INITIALIZERS.search(head)):
        return False
    name = head.split("(")[0]
    return not (_CONTROL.search(head[:len(name) + 1]) or re.search(r"\b(if|for|while|switch|catch)\s*$", name)
                or "[" in name or "=" in name)


def long_functions(path: Path, limit: int = LIMIT) -> list[tuple[int, int, str]]:
    """(first line, length, signature) of every outermost function of ``path`` over ``limit`` lines."""
    found, stack, pending = [], [], ""
    for lineno, line in enumerate(_strip(path.read_text()), 1):
        start = 0
        for col, ch in enumerate(line):
            if ch == "{":
                stack.append((lineno, _opens_function(pending + " " + line[start:col]), line.strip()))
                pending, start = "", col + 1
            elif ch == "}":
                if stack:
                    first, is_function, head = stack.pop()
                    length = lineno - first + 1
                    if is_function and length > limit and not any(f for _, f, _ in stack):
                        found.append((first, length, head[:80]))
                pending, start = "", col + 1
            elif ch == ";":
                pending, start = "", col + 1
        pending += " " + line[start:]
    return found


def test_the_scan_finds_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"  x += {i};" for i in range(LIMIT + 5))
    src = tmp_path / "long.cpp"
    src.write_text(f"namespace {{\nint f(int x) {{\n  if (x) {{\n    x = 1;\n  }}\n{body}\n  return x;\n}}\n}}\n"
                   "struct S {\n  void g() override {\n    h();\n  }\n};\n")
    assert [(first, length) for first, length, _ in long_functions(src)] == [(2, LIMIT + 11)]


def test_no_function_in_lib_is_over_a_screen() -> None:
    sources = sorted(p for p in (ROOT / "lib").rglob("*") if p.suffix in (".cpp", ".h"))
    assert sources
    long = [f"{p.relative_to(ROOT)}:{first}: {length} lines: {head}"
            for p in sources for first, length, head in long_functions(p)]
    assert not long, "split these into small functions:\n" + "\n".join(long)
