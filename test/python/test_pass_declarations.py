"""One declaration per pass: include/triton-autopipe/Passes.td is the source of
the committed docs/passes.md and pass_names.py, autopipe-opt --list-passes,
_C.list_passes(), the plugin's passes and the passes' real options.

    pytest test/python/test_pass_declarations.py -q
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import _C, pass_names, plugin  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TD = ROOT / "include" / "triton-autopipe" / "Passes.td"
GENERATED = Path(ta.__file__).parent / "_generated"
REFRESH = ("regenerate with `cmake --build build/<wheel_tag> --target autopipe-update-generated` "
           "(after pip install .) and commit the result")


def _td_passes() -> list[str]:
    """Pass arguments declared in Passes.td, in order."""
    return re.findall(r'^def \w+\s*\n?\s*: Pass<"([^"]+)"', TD.read_text(), re.M)


def _autopipe_opt() -> str:
    exe = shutil.which("autopipe-opt", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    assert exe, "the autopipe-opt console script is not installed"
    return exe


def _listed_passes() -> dict[str, list[str]]:
    """autopipe-opt --list-passes: pass -> option names."""
    out = subprocess.run([_autopipe_opt(), "--list-passes"], capture_output=True, text=True, check=True).stdout
    passes: dict[str, list[str]] = {}
    for line in out.splitlines():
        if line and not line.startswith(" "):
            passes[line] = []
            current = line
        elif m := re.match(r"    (\S+) \((bool|int|string|enum)\b", line):
            passes[current].append(m.group(1))
    return passes


def _registered_options() -> dict[str, list[str]]:
    """The options the compiled passes really have (autopipe-opt --help lists
    each registered pass with its MLIR options)."""
    out = subprocess.run([_autopipe_opt(), "--help"], capture_output=True, text=True, check=True).stdout
    options: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if m := re.match(r"\s{4,8}--(autopipe-[\w-]+)\s", line + " "):
            current = m.group(1)
            options[current] = []
        elif current and (m := re.match(r"\s{8,}--([\w-]+)[=\s]", line)):
            options[current].append(m.group(1))
        elif current and re.match(r"\s+=", line):
            continue  # an allowed value of the enum option above
        elif current and not line.startswith(" " * 8):
            current = None
    return options


@pytest.mark.parametrize("name, committed", [
    ("passes.md", ROOT / "docs" / "passes.md"),
    ("pass_names.py", ROOT / "python" / "triton_autopipe" / "pass_names.py"),
])
def test_committed_generated_files_are_current(name, committed):
    generated = GENERATED / name
    assert generated.is_file(), f"{generated} missing: the build installs what it generated from Passes.td"
    assert committed.read_text() == generated.read_text(), f"{committed} differs from Passes.td's: {REFRESH}"


def test_every_listing_has_the_declared_passes():
    declared = _td_passes()
    assert len(declared) == 8 and "autopipe-expand-loops" in declared and "autopipe-insert-barriers" in declared
    assert [p["name"] for p in _C.list_passes()] == declared
    assert list(_listed_passes()) == declared
    assert list(pass_names.PASSES) == declared
    assert sorted(_registered_options()) == sorted(declared)
    for arg in declared:
        constant = arg.removeprefix("autopipe-").replace("-", "_").upper()
        assert getattr(plugin, constant) == arg


def test_the_plugin_registers_exactly_the_declared_passes():
    from triton._C.libtriton import passes

    plugin.load()
    added = {n.removeprefix("add_") for n in dir(passes.plugin) if n.startswith("add_autopipe-")}
    assert added == set(_td_passes())


def test_listed_options_are_the_passes_options():
    registered = _registered_options()
    listed = _listed_passes()
    for p in _C.list_passes():
        names = [o["name"] for o in p["options"]]
        assert names == listed[p["name"]] == list(pass_names.PASSES[p["name"]]), p["name"]
        assert sorted(names) == sorted(registered[p["name"]]), p["name"]
        for o in p["options"]:
            assert o["type"] in ("bool", "int", "string", "enum") and o["description"], o
            assert (o["type"] == "enum") == bool(o["values"]), o
            if o["values"]:
                assert o["default"] in o["values"], o


def test_enum_modes_list_their_values():
    opts = {p["name"]: {o["name"]: o for o in p["options"]} for p in _C.list_passes()}
    assert opts[plugin.SCHEDULE_LOOPS]["schedule"]["values"] == ["default", "attention-a", "attention-b", "auto"]
    assert opts[plugin.ALLOCATE_BUFFERS]["copy"]["values"] == ["async", "registers", "auto"]
    assert opts[plugin.EXPAND_LOOPS]["async-dots"]["values"] == ["triton", "autopipe", "auto", "off"]


def test_unknown_mode_value_names_the_allowed_values(tmp_path, capfd):
    """The plugin path (Python users): the error lists the allowed values."""
    from test_plugin import _triton_module
    from triton._C.libtriton import ir

    ctx, mod = _triton_module(tmp_path, "module {}\n")
    pm = ir.pass_manager(ctx)
    plugin.add_pass(pm, plugin.ALLOCATE_BUFFERS, {"copy": "dma"})
    with pytest.raises(RuntimeError):
        pm.run(mod, "test")
    err = capfd.readouterr().err
    assert "invalid options for pass 'autopipe-allocate-buffers': 'copy=dma'" in err
    assert "copy=async|registers|auto" in err


def test_enum_values_on_the_pipeline_text():
    """Every allowed value parses; another one is an error naming them all."""
    ir = "module {}\n"
    for value in ("default", "attention-a", "attention-b", "auto"):
        _C.run_pipeline(ir, f"autopipe-schedule-loops{{schedule={value}}}")
    with pytest.raises(_C.PipelineError) as info:
        _C.run_pipeline(ir, "autopipe-schedule-loops{schedule=fastest}")
    assert ("autopipe-schedule-loops: unknown schedule 'fastest' (allowed: default, attention-a, "
            "attention-b, auto)") in info.value.diagnostics


from test_c_module import SCHEDULED as SCHEDULED_TT_ONLY  # noqa: E402  (tt/arith/scf only)


def test_passes_load_the_dialects_they_create_ops_in():
    """IR of tt/arith/scf only: the expansion predicates with ttg.mask, whose
    dialect the parser never loaded; the pass's dependentDialects load it
    (without them, creating the op aborts the process)."""
    out, _ = _C.run_pipeline(SCHEDULED_TT_ONLY, "autopipe-expand-loops{num-stages=2}")
    assert "scf.for" in out and "tt.load" in out
