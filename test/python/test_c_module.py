"""triton_autopipe._C, the installed autopipe-opt, and the CMake package."""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import triton

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")
from triton_autopipe import _C  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

SCHEDULED = """
tt.func @f(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 1 : i32} : !tt.ptr<f32>
    %s = arith.addf %acc, %v {loop.stage = 1 : i32, loop.cluster = 0 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
"""


def test_list_passes_documents_options():
    passes = {p["name"]: p for p in _C.list_passes()}
    assert "autopipe-print-schedule" in passes
    opts = {o["name"]: o for o in passes["autopipe-print-schedule"]["options"]}
    assert opts["remarks"]["type"] == "bool" and opts["remarks"]["default"] == "true"
    assert opts["output"]["type"] == "string" and opts["output"]["description"]


def test_build_info():
    info = _C.build_info()
    assert info["triton_version"] == triton.__version__ == "3.9.0"
    assert info["version"] == ta.__version__
    assert info["llvm_version"].startswith("23.1.") or "AUTOPIPE_LLVM_ROOT" in info["llvm_header_source"]
    assert info["llvm_header_source"]
    assert info["plugin_api_version"] == 2


def test_run_pipeline_reports_schedule():
    out, diags = _C.run_pipeline(SCHEDULED, "autopipe-print-schedule", "sched.mlir")
    assert "loop.stage = 0" in out and "tt.scheduled_max_stage = 1" in out
    assert "sched.mlir:5:8: remark: autopipe schedule of loop #0 in @f" in diags
    assert "stage 0 cluster 1  tt.load" in diags and "stage 1 cluster 0  arith.addf" in diags


def test_run_pipeline_with_triton_scheduler():
    ir = (ROOT / "test" / "lit" / "Inputs" / "gemm-sm90-before-scheduling.ttgir").read_text()
    out, diags = _C.run_pipeline(
        ir, "tritongpu-assign-latencies{num-stages=3},tritongpu-schedule-loops,autopipe-print-schedule")
    assert "tt.scheduled_max_stage = 2" in out
    assert "3 stage(s) (tt.scheduled_max_stage = 2), 4 cluster(s), 15 op(s)" in diags


@pytest.mark.parametrize("ir,pipeline,message", [
    ("tt.func @f( {", "autopipe-print-schedule", "error:"),
    (SCHEDULED, "no-such-pass", "'no-such-pass' does not refer to a registered pass"),
    (SCHEDULED, "autopipe-print-schedule{bogus=1}", "no such option bogus"),
    (SCHEDULED.replace("loop.stage = 0", "loop.stage = 3"), "autopipe-print-schedule",
     "invalid pipelining schedule of loop #0 in @f"),
])
def test_run_pipeline_errors_raise_with_diagnostics(ir, pipeline, message):
    with pytest.raises(_C.PipelineError) as info:
        _C.run_pipeline(ir, pipeline)
    assert message in info.value.diagnostics
    assert message in str(info.value)


def test_console_script_autopipe_opt():
    exe = shutil.which("autopipe-opt", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    assert exe, "the autopipe-opt console script is not installed"
    proc = subprocess.run([exe, "--autopipe-version"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "triton 3.9.0" in proc.stdout
    proc = subprocess.run([exe, "--list-passes"], capture_output=True, text=True)
    assert "autopipe-print-schedule" in proc.stdout and "remarks (bool, default 'true')" in proc.stdout


def test_plugin_exports_only_its_entry_point():
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection
    from triton_autopipe import plugin

    with open(plugin.library_path(), "rb") as f:
        elf = ELFFile(f)
        dynsym = elf.get_section_by_name(".dynsym")
        assert isinstance(dynsym, SymbolTableSection)
        exported = {s.name for s in dynsym.iter_symbols()
                    if s["st_shndx"] != "SHN_UNDEF" and s["st_info"]["bind"] in ("STB_GLOBAL", "STB_WEAK") and s.name}
        needed = {t.needed for t in elf.get_section_by_name(".dynamic").iter_tags() if t.entry.d_tag == "DT_NEEDED"}
    assert exported == {"tritonGetPluginInfo"}
    assert "libtriton.so" in needed


@pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake is not installed")
def test_downstream_cmake_project_links_the_pass_library(tmp_path):
    """find_package(TritonAutopipe) + TritonAutopipe::Passes in a tiny project."""
    prefix = Path(ta.__file__).parent / "lib" / "cmake"
    build = tmp_path / "build"
    subprocess.run(["cmake", "-S", str(ROOT / "test" / "downstream"), "-B", str(build),
                    f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE=Release"], check=True,
                   capture_output=True, text=True)
    proc = subprocess.run(["cmake", "--build", str(build), "-j2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lib = ctypes.CDLL(str(build / "libconsumer.so"))
    lib.consumer_describe.restype = ctypes.c_char_p
    text = lib.consumer_describe().decode()
    assert text.startswith(ta.__version__)
    assert "autopipe-print-schedule" in text and "created:autopipe-print-schedule" in text
