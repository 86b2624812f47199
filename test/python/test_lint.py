"""The tree passes its linters: ``ruff check`` on the Python sources and ``mypy`` on the package.

Both tools are in the ``test`` extra (``pip install '.[test]'``), so they are always
there when the tests are; settings in ``pyproject.toml``. Run by hand::

    ruff check python benchmarks scripts test/python
    mypy python/triton_autopipe
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_clean() -> None:
    res = _run("ruff", "check", "--no-cache", "python", "benchmarks", "scripts", "test/python")
    assert res.returncode == 0, f"ruff check found problems:\n{res.stdout}{res.stderr}"


def test_mypy_clean() -> None:
    # The package's own sources (not an installed copy), with the settings of pyproject.toml.
    res = _run("mypy", "--no-incremental", "--config-file", "pyproject.toml")
    assert res.returncode == 0, f"mypy found problems:\n{res.stdout}{res.stderr}"
    assert "Success" in res.stdout, res.stdout


def test_cpp_sources_are_clang_formatted() -> None:
    """Every C++ source and header follows ``.clang-format`` (LLVM style)."""
    import shutil

    files = subprocess.run(["git", "ls-files", "*.cpp", "*.h"], cwd=ROOT, capture_output=True, text=True)
    sources = [f for f in files.stdout.split() if not f.startswith("build/")]
    if files.returncode != 0 or not sources:  # not a git checkout: list them ourselves
        sources = [str(p.relative_to(ROOT)) for d in ("lib", "include", "tools", "python/src", "abi", "test/downstream")
                   for p in (ROOT / d).rglob("*") if p.suffix in (".cpp", ".h")]
    exe = shutil.which("clang-format", path=str(Path(sys.executable).parent)) or shutil.which("clang-format")
    assert exe, "clang-format is in the test extra: pip install '.[test]'"
    res = subprocess.run([exe, "--dry-run", "-Werror", *sources], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, f"run clang-format -i on these:\n{res.stderr[:4000]}"
