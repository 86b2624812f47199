"""The plugin, the TRITON_AUTOPIPE hook and our make_ttgir, end to end on the CPU.

Compiles a real tl.load GEMM (examples/compile_gemm.py) for cuda:80, cuda:90,
hip:gfx942 and hip:gfx950 with no GPU, and checks that our hook ran (or, with
the flag off, that nothing of ours did).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from triton import knobs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "compile_gemm.py"
TARGETS = ["cuda:80", "cuda:90", "hip:gfx942", "hip:gfx950"]

sys.path.insert(0, str(EXAMPLE.parent))
import compile_gemm  # noqa: E402

ta = pytest.importorskip("triton_autopipe", reason="triton_autopipe is not installed (pip install .)")


def _run_example(tmp_path: Path, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRITON_AUTOPIPE")}
    env.update(TRITON_CACHE_DIR=str(tmp_path / "cache"), TRITON_DEFAULT_FP_FUSION="1", **env_overrides)
    return subprocess.run([sys.executable, str(EXAMPLE)], env=env, capture_output=True, text=True, timeout=600)


def test_flag_on_unmodified_code_gets_our_pipeline(tmp_path):
    """TRITON_AUTOPIPE=1 alone (the script imports nothing of ours) runs our
    make_ttgir for all four targets; EXPLAIN prints each loop's schedule."""
    proc = _run_example(tmp_path, TRITON_AUTOPIPE="1", TRITON_AUTOPIPE_EXPLAIN="1")
    assert proc.returncode == 0, proc.stderr
    assert "stages hook: triton_autopipe.hook.AutopipeHook" in proc.stdout
    for target in TARGETS:
        assert f"{target}: ttgir" in proc.stdout
    reports = [line for line in proc.stderr.splitlines() if line.startswith("autopipe schedule of loop #0 in @matmul_kernel")]
    assert len(reports) == len(TARGETS), proc.stderr
    assert all("3 stage(s) (tt.scheduled_max_stage = 2)" in r for r in reports), reports
    # Our scheduler ran (its explain lines), then our load lowering and our
    # loop expansion on every target: on CUDA and gfx950 the printer sees the
    # async copies in stage 0 (cp.async; direct-to-LDS), on gfx942 the loads
    # (still loads, stage 0) and the register-staged stores into the LDS slots
    # (stage 0, last cluster); every schedule is complete.
    assert proc.stderr.count("autopipe-schedule-loops: loop at") == len(TARGETS)
    assert proc.stderr.count("autopipe-allocate-buffers: loop at") == len(TARGETS)
    assert proc.stderr.count("autopipe-expand-loops: loop at") == len(TARGETS)
    assert len(re.findall(r"stage 0 cluster \d+  ttg.async_copy_global_to_local", proc.stderr)) == 2 * 3
    assert len(re.findall(r"stage 0 cluster \d+  tt.load", proc.stderr)) == 2 * 1
    assert len(re.findall(r"stage 0 cluster \d+  ttg.local_store", proc.stderr)) == 2 * 1
    assert "unscheduled (placed by the pipeliner" not in proc.stderr


def test_flag_off_nothing_of_ours_runs(tmp_path):
    proc = _run_example(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "stages hook: None; triton_autopipe imported: False" in proc.stdout
    assert "autopipe" not in proc.stderr


@pytest.mark.parametrize("target", TARGETS)
def test_our_list_reproduces_triton(fresh_hook, target):
    """With Triton's scheduler, load lowering and expansion selected, our
    make_ttgir list equals Triton 3.9's: the final TTGIR is identical with the
    hook on and off, and the hook ran (test_schedule_loops.py,
    test_allocate_buffers.py and test_expand_loops.py cover our passes)."""
    reference = compile_gemm.compile_gemm(target).asm["ttgir"]
    ta.enable(explain=False, schedule="triton", buffers="triton", expand="triton")
    ours = compile_gemm.compile_gemm(target).asm["ttgir"]
    assert target in ta.current_hook().applied
    assert ours == reference


def test_user_hook_is_chained_not_clobbered(fresh_hook):
    calls = []

    def user_hook(*args):
        if not args:
            return "user-key", "user-hash"
        calls.append(args[1]["ttgir"])

    knobs.runtime.add_stages_inspection_hook = user_hook
    ta.enable()
    key, digest = knobs.runtime.add_stages_inspection_hook()
    assert "user-key" in key and "triton-autopipe-" in key and digest
    compile_gemm.compile_gemm("cuda:90")
    assert len(calls) == 1
    # The user's hook saw our ttgir stage (ours is installed first).
    assert calls[0].__code__.co_filename.endswith("hook.py")
    ta.disable()
    assert knobs.runtime.add_stages_inspection_hook is user_hook


def test_cache_key_tracks_version_and_settings(fresh_hook):
    ta.enable(explain=False)
    key_plain, hash_plain = knobs.runtime.add_stages_inspection_hook()
    ta.enable(explain=True)
    key_explain, hash_explain = knobs.runtime.add_stages_inspection_hook()
    assert ta.__version__ in key_plain
    assert "explain=False" in key_plain and "explain=True" in key_explain
    assert "schedule=auto" in key_plain
    assert hash_plain != hash_explain
    # enable() twice does not chain our hook to itself.
    assert ta.current_hook().previous is None


def test_enable_disable(fresh_hook):
    assert not ta.is_enabled()
    ta.enable()
    assert ta.is_enabled() and knobs.runtime.add_stages_inspection_hook is ta.current_hook()
    ta.disable()
    assert not ta.is_enabled() and knobs.runtime.add_stages_inspection_hook is None


def test_unsupported_target_falls_back_with_one_warning(fresh_hook):
    from triton.backends.compiler import GPUTarget

    compile_gemm.TARGETS["cuda:100"] = GPUTarget("cuda", 100, 32)
    try:
        reference = compile_gemm.compile_gemm("cuda:100").asm["ttgir"]
        ta.enable()
        from triton_autopipe import hook as hook_module

        hook_module._warned.discard("cuda:100")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ours = compile_gemm.compile_gemm("cuda:100", num_stages=2).asm["ttgir"]
            compile_gemm.compile_gemm("cuda:100", num_stages=4)
        msgs = [str(w.message) for w in caught if "triton-autopipe" in str(w.message)]
        assert msgs == ["triton-autopipe: cuda:100 is not supported; using Triton's own pipeline"]
        assert "cuda:100" not in ta.current_hook().applied
        assert ours == compile_gemm.compile_gemm("cuda:100", num_stages=2).asm["ttgir"]
        assert reference  # Triton's own pipeline compiled it
    finally:
        del compile_gemm.TARGETS["cuda:100"]


BAD_SCHEDULE = """
tt.func @f(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 1 : i32, loop.cluster = 0 : i32} : !tt.ptr<f32>
    %s = arith.addf %acc, %v {loop.stage = 0 : i32, loop.cluster = 0 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
"""


def _triton_module(tmp_path, text):
    from triton._C.libtriton import amd, ir, nvidia

    ctx = ir.context()
    ir.load_dialects(ctx)
    amd.load_dialects(ctx)
    nvidia.load_dialects(ctx)
    path = tmp_path / "m.mlir"
    path.write_text(text)
    return ctx, ir.parse_mlir_module(str(path), ctx)


def test_plugin_pass_in_triton_rejects_bad_schedule(tmp_path):
    from triton._C.libtriton import ir
    from triton_autopipe import plugin

    ctx, mod = _triton_module(tmp_path, BAD_SCHEDULE)
    pm = ir.pass_manager(ctx)
    plugin.add_pass(pm, plugin.PRINT_SCHEDULE, {"remarks": False})
    with pytest.raises(RuntimeError):
        pm.run(mod, "test")


def test_plugin_bad_option_is_a_clear_error(tmp_path, capfd):
    from triton._C.libtriton import ir
    from triton_autopipe import plugin

    ctx, mod = _triton_module(tmp_path, "module {}\n")
    pm = ir.pass_manager(ctx)
    plugin.add_pass(pm, plugin.PRINT_SCHEDULE, {"no_such_option": 1})
    with pytest.raises(RuntimeError):
        pm.run(mod, "test")
    err = capfd.readouterr().err
    assert "invalid options for pass 'autopipe-print-schedule'" in err
    assert "known options: remarks, output" in err


def test_plugin_registers_every_pass():
    from triton._C.libtriton import passes
    from triton_autopipe import _C, plugin

    plugin.load()
    for p in _C.list_passes():
        assert hasattr(passes.plugin, f"add_{p['name']}"), p["name"]
