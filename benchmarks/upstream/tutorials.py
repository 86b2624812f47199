"""Upstream Triton tutorials 03 (matmul) and 06 (fused attention, forward), Triton's pipeline vs ours, per config.

    python benchmarks/upstream/tutorials.py OUTDIR [--only 03|06] [--budget 250] [--ws] [--settings k=v,...]
    python benchmarks/upstream/tutorials.py OUTDIR --dry-run      # CPU: configs, and one compile per tutorial
    python benchmarks/upstream/tutorials.py OUTDIR --table-only   # tutorials.md again from tutorials.csv

The kernels are the tutorials' own (.device/upstream/files/python/tutorials, fetched, not in the repository; see SOURCE.txt there), loaded
without running their top-level test and benchmark code: only the imports, the helper functions, the kernels and
the config lists are executed from the files' AST (their ``@triton.autotune`` decorators are dropped: every config
is launched directly), so the code and line numbers are the tutorial's.

- 03: ``matmul_kernel`` with every config of ``get_cuda_autotune_config()`` at M=N=K=4096 and 8192, fp16.
- 06: ``_attn_fwd`` launched as ``_attention.forward`` does on Hopper without warp specialization (host tensor
  descriptors, the tutorial's ``_host_descriptor_pre_hook`` sets their block shapes), with every config of the
  tutorial's list that its ``keep`` and ``prune_invalid_configs`` leave (BLOCK_N > HEAD_DIM dropped: the kernel's
  static_assert rejects it); B=4 H=32 N in 1024, 4096, 16384, HEAD_DIM 64 and 128, causal and not, fp16
  (``--ws``: also warp_specialize=True for non-causal, as the tutorial's benchmark does on Hopper).

Each kernel is compiled twice, plain (Triton's pipeline) and inside ``triton_autopipe.decorator.settings_scope()``
(ours; the settings join Triton's cache key). All compiles run first in parallel worker processes into a fresh
shared Triton cache; a compile that aborts its worker marks that config "crashed" and it is not launched here (an
abort here would end the run). Then per config and shape: one launch of each, outputs compared (equal, or close
within atol=rtol=1e-2), and ``triton.testing.do_bench`` interleaved ours, Triton, ours, Triton (``--rounds``).
Rows go to OUTDIR/tutorials.csv as they are measured; OUTDIR/tutorials.md has the ratio ours/Triton (TFLOPS ours /
TFLOPS Triton, from the best round of each) per config, geometric means, and every config below 0.97x flagged.
"""
from __future__ import annotations

import argparse
import ast
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
TUT = HERE.parents[1] / ".device" / "upstream" / "files" / "python" / "tutorials"
T03 = TUT / "03-matrix-multiplication.py"
T06 = TUT / "06-fused-attention.py"
FLAG_BELOW = 0.97
SIZES_03 = (4096, 8192)
BATCH, HEADS = 4, 32
NS_06 = (1024, 4096, 16384)
DIMS_06 = (64, 128)
CSV_FIELDS = ["tutorial", "case", "config", "triton_ms", "ours_ms", "triton_tflops", "ours_tflops", "ratio", "flag",
              "check", "max_abs_diff", "triton_ms_rounds", "ours_ms_rounds", "status"]


# --- loading the tutorials -----------------------------------------------------------------------------------

def _torch_stub() -> types.ModuleType:
    """A stand-in for torch (``--dry-run`` on a machine without it): what the tutorials' definitions touch."""
    torch = types.ModuleType("torch")
    torch.__version__ = "stub"
    torch.float16, torch.float32, torch.float8_e5m2, torch.int8 = "float16", "float32", "float8_e5m2", "int8"
    cuda = types.SimpleNamespace(get_device_capability=lambda *a: (9, 0), is_available=lambda: False)
    torch.cuda = cuda
    torch.version = types.SimpleNamespace(hip=None, cuda="stub")

    class _Function:  # torch.autograd.Function
        @classmethod
        def apply(cls, *a, **k):
            raise RuntimeError("torch stub")

    torch.autograd = types.SimpleNamespace(Function=_Function)
    return torch


def _assigned(node: ast.AST) -> set[str]:
    """Names a top-level ``x = ...`` or ``if ...: x = ...`` binds (not a comprehension's loop variables)."""
    if isinstance(node, ast.Assign):
        return {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    if isinstance(node, ast.If):
        names: set[str] = set()
        for child in node.body + node.orelse:
            if not isinstance(child, (ast.Assign, ast.If)):
                return {"<not only assignments>"}
            names |= _assigned(child)
        return names
    return set()


def _is_autotune(dec: ast.expr) -> bool:
    f = dec.func if isinstance(dec, ast.Call) else dec
    return isinstance(f, ast.Attribute) and f.attr == "autotune"


def load_tutorial(path: Path, names: set[str], assigns: set[str], overrides: dict | None = None) -> dict:
    """Execute, from ``path``'s AST in file order, its imports, the functions/classes in ``names`` (their
    ``@triton.autotune`` dropped) and the first top-level statement assigning each name in ``assigns`` (an ``if``
    counts when it assigns only such names and does not read ``PYTEST_VERSION``). Nothing else runs (no test, no
    benchmark). ``overrides``: functions replaced right after their definition (``--dry-run``: no GPU to ask)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    ns: dict = {"__name__": f"tutorial_{path.stem.split('-')[0]}", "__file__": str(path)}
    done: set[str] = set()
    for node in tree.body:
        keep = False
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            keep = True
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            node.decorator_list = [d for d in node.decorator_list if not _is_autotune(d)]
            keep = True
        elif isinstance(node, (ast.Assign, ast.If)):
            targets = _assigned(node)
            reads_pytest = "PYTEST_VERSION" in ast.unparse(node.test) if isinstance(node, ast.If) else False
            if targets and targets <= assigns and not (targets & done) and not reads_pytest:
                keep = True
                done |= targets
        if not keep:
            continue
        exec(compile(ast.Module(body=[node], type_ignores=[]), str(path), "exec"), ns)
        if overrides and isinstance(node, ast.FunctionDef) and node.name in overrides:
            ns[node.name] = overrides[node.name]
    missing = (names | assigns) - set(ns)
    if missing:
        raise RuntimeError(f"{path.name}: not found: {sorted(missing)}")
    return ns


DRY_OVERRIDES = {"is_cuda": lambda: True, "is_hip": lambda: False, "supports_host_descriptor": lambda: True,
                 "is_hopper": lambda: True, "is_blackwell": lambda: False}


def load_all(dry: bool) -> tuple[dict, dict]:
    over = DRY_OVERRIDES if dry else None
    ns03 = load_tutorial(T03, {"is_cuda", "get_cuda_autotune_config", "get_hip_autotune_config",
                               "get_autotune_config", "matmul_kernel", "leaky_relu"}, set(), over)
    ns06 = load_tutorial(T06, {"is_hip", "is_cuda", "supports_host_descriptor", "is_blackwell", "is_hopper",
                               "_attn_fwd_inner", "_host_descriptor_pre_hook", "keep", "prune_invalid_configs",
                               "_maybe_make_tensor_desc", "_attn_fwd"}, {"NUM_STAGES_OPTIONS", "configs"}, over)
    return ns03, ns06


# --- configs and cells ---------------------------------------------------------------------------------------

def cfg_03(c) -> str:
    k = c.kwargs
    return f"{k['BLOCK_SIZE_M']}x{k['BLOCK_SIZE_N']}x{k['BLOCK_SIZE_K']} g{k['GROUP_SIZE_M']} w{c.num_warps} s{c.num_stages}"


def cfg_06(c) -> str:
    return f"BM{c.kwargs['BLOCK_M']} BN{c.kwargs['BLOCK_N']} w{c.num_warps} s{c.num_stages}"


def configs_03(ns03: dict) -> list:
    return ns03["get_cuda_autotune_config"]()


def configs_06(ns06: dict, head_dim: int, causal: bool, n_ctx: int) -> list:
    """The tutorial's list after its own ``keep`` and ``prune_invalid_configs``, minus BLOCK_N > HEAD_DIM."""
    kept = list(filter(ns06["keep"], ns06["configs"]))
    pruned = ns06["prune_invalid_configs"](kept, None, N_CTX=n_ctx, STAGE=3 if causal else 1)
    return [c for c in pruned if c.kwargs["BLOCK_N"] <= head_dim]


def compile_jobs(ns03: dict, ns06: dict, only: str, ws: bool) -> list[dict]:
    """One job per kernel to compile: (tutorial, config index, constexprs that change the binary, pipeline)."""
    jobs = []
    if only in ("", "03"):
        for i, _ in enumerate(configs_03(ns03)):
            jobs += [{"tut": "03", "cfg": i}]
    if only in ("", "06"):
        for d in DIMS_06:
            for causal in (False, True):
                for w in ((False, True) if ws and not causal else (False, )):
                    all_cfgs = list(filter(ns06["keep"], ns06["configs"]))
                    valid = {cfg_06(c) for n in NS_06 for c in configs_06(ns06, d, causal, n)}
                    for i, c in enumerate(all_cfgs):
                        if cfg_06(c) in valid:
                            jobs += [{"tut": "06", "cfg": i, "d": d, "causal": causal, "ws": w}]
    out = []
    for j in jobs:
        for pipe in ("triton", "ours"):
            out.append(dict(j, pipe=pipe, id=job_id(dict(j, pipe=pipe))))
    return out


def job_id(j: dict) -> str:
    if j["tut"] == "03":
        return f"03/{j['cfg']}/{j['pipe']}"
    return f"06/{j['cfg']}/d{j['d']}/{'c' if j['causal'] else 'f'}/{'ws' if j.get('ws') else 'nows'}/{j['pipe']}"


# --- launching -----------------------------------------------------------------------------------------------

def launch_03(ns03: dict, cfg, a, b, c, warmup: bool = False):
    import triton

    M, K = a.shape
    _, N = b.shape
    grid = (triton.cdiv(M, cfg.kwargs["BLOCK_SIZE_M"]) * triton.cdiv(N, cfg.kwargs["BLOCK_SIZE_N"]), )
    args = (a, b, c, M, N, K, a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1))
    kw = dict(cfg.kwargs, ACTIVATION="", num_warps=cfg.num_warps, num_stages=cfg.num_stages)
    fn = ns03["matmul_kernel"]
    return fn.warmup(*args, grid=grid, **kw) if warmup else fn[grid](*args, **kw)


def attn_args_06(ns06: dict, cfg, q, k, v, o, m, causal: bool, ws: bool) -> tuple:
    """What ``_attention.forward`` passes (fp16), with this config's meta-parameters: (grid, args, kwargs)."""
    import triton

    TensorDescriptor = ns06["TensorDescriptor"]
    Z, H, N, D = q.shape
    if ns06["supports_host_descriptor"]() and not (ns06["is_hopper"]() and ws):
        y_dim = Z * H * N
        dummy = [1, 1]
        desc_q = TensorDescriptor(q, shape=[y_dim, D], strides=[D, 1], block_shape=dummy)
        desc_v = TensorDescriptor(v, shape=[y_dim, D], strides=[D, 1], block_shape=dummy)
        desc_k = TensorDescriptor(k, shape=[y_dim, D], strides=[D, 1], block_shape=dummy)
        desc_o = TensorDescriptor(o, shape=[y_dim, D], strides=[D, 1], block_shape=dummy)
        nargs = dict(desc_q=desc_q, desc_k=desc_k, desc_v=desc_v, desc_o=desc_o, HEAD_DIM=D, FP8_OUTPUT=False,
                     **cfg.kwargs)
        ns06["_host_descriptor_pre_hook"](nargs)  # the tutorial's own: block shapes of this config
    else:
        desc_q, desc_k, desc_v, desc_o = q, k, v, o
    grid = (triton.cdiv(N, cfg.kwargs["BLOCK_M"]), Z * H, 1)
    args = (0.5, m, Z, H, desc_q, desc_k, desc_v, desc_o)
    kw = dict(N_CTX=N, HEAD_DIM=D, FP8_OUTPUT=False, STAGE=3 if causal else 1, warp_specialize=ws,
              IS_HOPPER=ns06["is_hopper"](), num_warps=cfg.num_warps, num_stages=cfg.num_stages, **cfg.kwargs)
    return grid, args, kw


def launch_06(ns06: dict, prepared: tuple, warmup: bool = False):
    grid, args, kw = prepared
    fn = ns06["_attn_fwd"]
    return fn.warmup(*args, grid=grid, **kw) if warmup else fn[grid](*args, **kw)


def set_allocator() -> None:
    import torch
    import triton

    triton.set_allocator(lambda size, align, _: torch.empty(size, dtype=torch.int8, device="cuda"))


def ours_scope(settings: dict):
    from triton_autopipe.decorator import settings_scope

    return settings_scope(**settings)


def parse_settings(text: str) -> dict:
    out: dict = {}
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        out[key.strip()] = int(value) if value.strip().lstrip("-").isdigit() else value.strip()
    return out


# --- compile workers -----------------------------------------------------------------------------------------

def compile_one_dry(ns03: dict, ns06: dict, job: dict):
    """Compile for cuda:90 without a GPU (``--dry-run``), as the JIT would specialise the launch."""
    import triton
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

    if job["tut"] == "03":
        cfg = configs_03(ns03)[job["cfg"]]
        fn = ns03["matmul_kernel"]
        sig = {n: "i32" for n in fn.arg_names}
        sig.update({"a_ptr": "*fp16", "b_ptr": "*fp16", "c_ptr": "*fp16"})
        consts = dict(cfg.kwargs, ACTIVATION="", stride_ak=1, stride_bn=1, stride_cn=1)
        aligned = ("a_ptr", "b_ptr", "c_ptr", "M", "N", "K", "stride_am", "stride_bk", "stride_cm")
        opts = {"num_warps": cfg.num_warps, "num_stages": cfg.num_stages}
    else:
        cfg = list(filter(ns06["keep"], ns06["configs"]))[job["cfg"]]
        fn = ns06["_attn_fwd"]
        bm, bn, d = cfg.kwargs["BLOCK_M"], cfg.kwargs["BLOCK_N"], job["d"]
        sig = {"sm_scale": "fp32", "M": "*fp32", "Z": "i32", "H": "i32", "desc_q": f"tensordesc<fp16[{bm},{d}]>",
               "desc_k": f"tensordesc<fp16[{bn},{d}]>", "desc_v": f"tensordesc<fp16[{bn},{d}]>",
               "desc_o": f"tensordesc<fp16[{bm},{d}]>", "N_CTX": "i32"}
        consts = dict(HEAD_DIM=d, BLOCK_M=bm, BLOCK_N=bn, FP8_OUTPUT=False, STAGE=3 if job["causal"] else 1,
                      warp_specialize=False, IS_HOPPER=True)
        aligned = ("M", "N_CTX")
        opts = {"num_warps": cfg.num_warps, "num_stages": cfg.num_stages}
    for name in consts:
        sig[name] = "constexpr"
    attrs = {(fn.arg_names.index(n), ): [["tt.divisibility", 16]] for n in aligned}
    src = ASTSource(fn, {n: sig[n] for n in fn.arg_names}, consts, attrs)
    return triton.compile(src, target=GPUTarget("cuda", 90, 32), options=opts)


def worker_main(jobs_path: str, status_path: str) -> int:
    """``--compile-worker``: compile each job (warmup launch; dry: triton.compile for cuda:90) into the shared
    cache, writing ``start``/``ok``/``error`` lines; an abort leaves a ``start`` without an end."""
    spec = json.loads(Path(jobs_path).read_text())
    dry, settings = spec["dry"], spec["settings"]
    if dry:
        try:
            import torch  # noqa: F401
        except ImportError:
            sys.modules["torch"] = _torch_stub()
    ns03, ns06 = load_all(dry)
    tensors: dict = {}
    status = open(status_path, "a", encoding="utf-8")

    def write(**rec):
        status.write(json.dumps(rec) + "\n")
        status.flush()

    if not dry:
        import torch

        set_allocator()
        s = SIZES_03[0]
        tensors["03"] = [torch.empty((s, s), device="cuda", dtype=torch.float16) for _ in range(3)]
    for job in spec["jobs"]:
        write(ev="start", id=job["id"])
        t0 = time.time()
        if os.environ.get("UPSTREAM_TEST_ABORT") == job["id"]:  # for testing the crash handling
            os.abort()
        try:
            import contextlib

            scope = ours_scope(settings) if job["pipe"] == "ours" else contextlib.nullcontext()
            with scope:
                if dry:
                    k = compile_one_dry(ns03, ns06, job)
                    extra = {"ttgir_chars": len(k.asm["ttgir"]), "ttgir_hash": hash(k.asm["ttgir"])}
                elif job["tut"] == "03":
                    launch_03(ns03, configs_03(ns03)[job["cfg"]], *tensors["03"], warmup=True)
                    extra = {}
                else:
                    import torch

                    key = ("06", job["d"])
                    if key not in tensors:
                        shape = (BATCH, HEADS, NS_06[0], job["d"])
                        tensors[key] = [torch.empty(shape, device="cuda", dtype=torch.float16) for _ in range(4)] + [
                            torch.empty(shape[:3], device="cuda", dtype=torch.float32)]
                    cfg = list(filter(ns06["keep"], ns06["configs"]))[job["cfg"]]
                    launch_06(ns06, attn_args_06(ns06, cfg, *tensors[key], job["causal"], job.get("ws", False)),
                              warmup=True)
                    extra = {}
            write(ev="ok", id=job["id"], s=round(time.time() - t0, 2), **extra)
        except Exception as exc:  # a compile error of this config (not an abort)
            write(ev="error", id=job["id"], s=round(time.time() - t0, 2),
                  msg=f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ''}")
    return 0


def precompile(jobs: list[dict], workers: int, limit: float, dry: bool, settings: dict, tmp: Path) -> dict:
    """Compile ``jobs`` in ``workers`` processes; job id -> {"ev": "ok"|"error"|"crashed"|"not compiled", ...}."""
    results: dict[str, dict] = {}
    deadline = time.monotonic() + limit
    order = sorted(jobs, key=lambda j: (j["tut"] != "06", -j.get("d", 0)))  # the slow ones first
    chunks = [order[i::workers] for i in range(workers)] if order else []
    env = dict(os.environ)
    env.pop("TRITON_AUTOPIPE", None)
    running: list[tuple[subprocess.Popen, list[dict], Path]] = []
    n_started = 0

    def spawn(chunk: list[dict]):
        nonlocal n_started
        spec_path = tmp / f"jobs-{n_started}.json"
        status_path = tmp / f"status-{n_started}.jsonl"
        n_started += 1
        spec_path.write_text(json.dumps({"dry": dry, "settings": settings, "jobs": chunk}))
        log = open(tmp / f"worker-{n_started - 1}.log", "w")
        proc = subprocess.Popen([sys.executable, __file__, "--compile-worker", str(spec_path), str(status_path)],
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        running.append((proc, chunk, status_path))

    for c in chunks:
        if c:
            spawn(c)
    last_print = time.monotonic()
    while running:
        time.sleep(0.5)
        for entry in list(running):
            proc, chunk, status_path = entry
            if proc.poll() is None and time.monotonic() < deadline:
                continue
            if proc.poll() is None:
                os.killpg(proc.pid, 9)
                proc.wait()
            running.remove(entry)
            started = None
            for line in status_path.read_text().splitlines() if status_path.exists() else []:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if rec["ev"] == "start":
                    started = rec["id"]
                else:
                    results[rec["id"]] = rec
                    started = None
            if started is not None and started not in results:
                why = "crashed" if time.monotonic() < deadline else "not compiled"
                results[started] = {"ev": why, "id": started, "rc": proc.returncode}
                if why == "crashed":
                    print(f"  compile of {started} aborted its process (rc {proc.returncode})", flush=True)
            rest = [j for j in chunk if j["id"] not in results]
            if rest and time.monotonic() < deadline - 5:
                spawn(rest)
            else:
                for j in rest:
                    results[j["id"]] = {"ev": "not compiled", "id": j["id"], "msg": "compile time limit"}
        if time.monotonic() - last_print > 15:
            last_print = time.monotonic()
            print(f"  compiled {len(results)}/{len(jobs)}", flush=True)
    return results


# --- measuring -----------------------------------------------------------------------------------------------

def compare_outputs(ours, theirs) -> tuple[str, float]:
    import torch

    if torch.equal(ours, theirs):
        return "equal", 0.0
    diff = (ours.float() - theirs.float()).abs()
    finite = torch.isfinite(diff)
    mx = float(diff[finite].max()) if bool(finite.any()) else float("inf")
    if not bool(finite.all()):
        return "DIFF (non-finite)", mx
    return ("close" if torch.allclose(ours.float(), theirs.float(), atol=1e-2, rtol=1e-2) else "DIFF"), mx


def bench_pair(run_ours, run_theirs, settings: dict, rounds: int, warmup: int, rep: int) -> tuple[list, list]:
    from triton.testing import do_bench

    ours, theirs = [], []
    for _ in range(rounds):
        with ours_scope(settings):
            ours.append(do_bench(run_ours, warmup=warmup, rep=rep, return_mode="median"))
        theirs.append(do_bench(run_theirs, warmup=warmup, rep=rep, return_mode="median"))
    return ours, theirs


class Writer:
    def __init__(self, path: Path):
        self.path = path
        self.rows: list[dict] = []
        with open(path, "w", newline="") as f:
            csv.DictWriter(f, CSV_FIELDS).writeheader()

    def add(self, row: dict) -> None:
        row = {k: row.get(k, "") for k in CSV_FIELDS}
        self.rows.append(row)
        with open(self.path, "a", newline="") as f:
            csv.DictWriter(f, CSV_FIELDS).writerow(row)
        r = row["ratio"]
        print(f"  {row['tutorial']} {row['case']:<26} {row['config']:<24} triton {row['triton_tflops'] or '-':>7} "
              f"ours {row['ours_tflops'] or '-':>7} TFLOPS  {('%.3fx' % float(r)) if r else '':>7} {row['flag']:<5} "
              f"{row['check']} {row['status'] if row['status'] != 'ok' else ''}", flush=True)


def measure_cell(tut: str, case: str, config: str, flops: float, compiled: dict, run_ours, run_theirs,
                 out_ours, out_theirs, args, settings: dict) -> dict:
    """One config at one shape: a launch of each (errors at launch, e.g. out of shared memory, are the row's
    status), the outputs compared, then the interleaved timing."""
    import torch

    row = {"tutorial": tut, "case": case, "config": config}
    bad = {p: compiled[p] for p in ("triton", "ours") if compiled[p]["ev"] != "ok"}
    if bad:
        row["status"] = "; ".join(f"{p}: {r['ev']}{' ' + r.get('msg', '') if r.get('msg') else ''}"
                                  for p, r in bad.items())
        if "ours" in bad and "triton" not in bad and bad["ours"]["ev"] in ("crashed", "error"):
            row["flag"] = "FAIL"
        return row
    errors = {}
    for p, run in (("triton", run_theirs), ("ours", run_ours)):
        try:
            if p == "ours":
                with ours_scope(settings):
                    run()
            else:
                run()
            torch.cuda.synchronize()
        except Exception as exc:
            errors[p] = f"{type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[0][:160]}"
    if errors:
        row["status"] = "; ".join(f"{p}: {m}" for p, m in errors.items())
        if "triton" not in errors and "ours" in errors:
            row["flag"] = "FAIL"
        elif "ours" not in errors:  # Triton's cannot run this config (e.g. out of shared memory): time ours alone
            from triton.testing import do_bench

            with ours_scope(settings):
                ms = [do_bench(run_ours, warmup=args.warmup, rep=args.rep, return_mode="median")
                      for _ in range(args.rounds)]
            row.update(ours_ms=f"{min(ms):.4f}", ours_tflops=f"{flops / min(ms) * 1e-9:.1f}",
                       ours_ms_rounds=" ".join(f"{x:.4f}" for x in ms))
        return row
    check, mx = "equal", 0.0
    for o, t in zip(out_ours(), out_theirs()):
        c, m = compare_outputs(o, t)
        mx = max(mx, m)
        if c != "equal":
            check = c if check in ("equal", "close") else check
    row["check"], row["max_abs_diff"] = check, f"{mx:.3g}"
    ours_ms, theirs_ms = bench_pair(run_ours, run_theirs, settings, args.rounds, args.warmup, args.rep)
    to, tt = min(ours_ms), min(theirs_ms)
    ratio = tt / to
    row.update(triton_ms=f"{tt:.4f}", ours_ms=f"{to:.4f}", triton_tflops=f"{flops / tt * 1e-9:.1f}",
               ours_tflops=f"{flops / to * 1e-9:.1f}", ratio=f"{ratio:.4f}",
               flag=("SLOW" if ratio < FLAG_BELOW else "") + (" DIFF" if check.startswith("DIFF") else ""),
               triton_ms_rounds=" ".join(f"{x:.4f}" for x in theirs_ms),
               ours_ms_rounds=" ".join(f"{x:.4f}" for x in ours_ms), status="ok")
    row["flag"] = row["flag"].strip()
    return row


def run_03(ns03, compiled, writer, args, settings, deadline) -> None:
    import torch

    cfgs = configs_03(ns03)
    for size in SIZES_03:
        torch.manual_seed(0)
        a = torch.randn((size, size), device="cuda", dtype=torch.float16)
        b = torch.randn((size, size), device="cuda", dtype=torch.float16)
        c_t = torch.empty((size, size), device="cuda", dtype=torch.float16)
        c_o = torch.empty_like(c_t)
        for i, cfg in enumerate(cfgs):
            case = f"matmul fp16 {size}^3"
            if time.monotonic() > deadline:
                writer.add({"tutorial": "03", "case": case, "config": cfg_03(cfg), "status": "not measured (budget)"})
                continue
            comp = {p: compiled.get(f"03/{i}/{p}", {"ev": "not compiled"}) for p in ("triton", "ours")}
            writer.add(measure_cell("03", case, cfg_03(cfg), 2.0 * size ** 3, comp,
                                    lambda cfg=cfg, a=a, b=b, c=c_o: launch_03(ns03, cfg, a, b, c),
                                    lambda cfg=cfg, a=a, b=b, c=c_t: launch_03(ns03, cfg, a, b, c),
                                    lambda c=c_o: [c], lambda c=c_t: [c], args, settings))
        del a, b, c_t, c_o
        torch.cuda.empty_cache()


def run_06(ns06, compiled, writer, args, settings, deadline) -> None:
    import torch

    all_cfgs = list(filter(ns06["keep"], ns06["configs"]))
    for d in DIMS_06:
        for n in NS_06:
            torch.manual_seed(20)
            shape = (BATCH, HEADS, n, d)
            q, k, v = (torch.randn(shape, device="cuda", dtype=torch.float16) for _ in range(3))
            o_t, o_o = torch.empty_like(q), torch.empty_like(q)
            m_t = torch.empty(shape[:3], device="cuda", dtype=torch.float32)
            m_o = torch.empty_like(m_t)
            for causal in (False, True):
                for ws in ((False, True) if args.ws and not causal else (False, )):
                    case = f"B{BATCH} H{HEADS} N{n} d{d} {'causal' if causal else 'full'}{' ws' if ws else ''}"
                    flops = 4.0 * BATCH * HEADS * n * n * d * (0.5 if causal else 1.0)
                    valid = {cfg_06(c) for c in configs_06(ns06, d, causal, n)}
                    for i, cfg in enumerate(all_cfgs):
                        if cfg_06(cfg) not in valid:
                            continue
                        if time.monotonic() > deadline:
                            writer.add({"tutorial": "06", "case": case, "config": cfg_06(cfg),
                                        "status": "not measured (budget)"})
                            continue
                        base = f"06/{i}/d{d}/{'c' if causal else 'f'}/{'ws' if ws else 'nows'}"
                        comp = {p: compiled.get(f"{base}/{p}", {"ev": "not compiled"}) for p in ("triton", "ours")}
                        prep_o = attn_args_06(ns06, cfg, q, k, v, o_o, m_o, causal, ws)
                        prep_t = attn_args_06(ns06, cfg, q, k, v, o_t, m_t, causal, ws)
                        writer.add(measure_cell("06", case, cfg_06(cfg), flops, comp,
                                                lambda p=prep_o: launch_06(ns06, p), lambda p=prep_t: launch_06(ns06, p),
                                                lambda o=o_o, m=m_o: [o, m], lambda o=o_t, m=m_t: [o, m], args,
                                                settings))
            del q, k, v, o_t, o_o, m_t, m_o
            torch.cuda.empty_cache()


# --- the report ----------------------------------------------------------------------------------------------

def geomean(xs: list[float]) -> float | None:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def write_table(out: Path, note: str = "") -> str:
    rows = list(csv.DictReader(open(out / "tutorials.csv", newline=""))) if (out / "tutorials.csv").exists() else []
    lines = ["# Upstream tutorials: triton-autopipe vs Triton's pipeline, per config", ""]
    if note:
        lines += [note, ""]
    lines += [f"ratio = TFLOPS ours / TFLOPS Triton (best of the rounds of each, interleaved); "
              f"flag SLOW below {FLAG_BELOW}x, DIFF when the outputs differ beyond atol=rtol=1e-2.", ""]
    all_ratios = []
    for tut, title in (("03", "03-matrix-multiplication: matmul_kernel, every autotune config"),
                       ("06", "06-fused-attention: _attn_fwd, the tutorial's configs (kept and pruned as it does)")):
        trows = [r for r in rows if r["tutorial"] == tut]
        if not trows:
            continue
        ratios = [float(r["ratio"]) for r in trows if r["ratio"]]
        all_ratios += ratios
        g = geomean(ratios)
        lines += [f"## {title}", "",
                  f"geomean {g:.3f}x over {len(ratios)} configs" if g else "no config measured",
                  f"; {sum(1 for r in ratios if r < FLAG_BELOW)} below {FLAG_BELOW}x" if g else "", ""]
        lines[-2] = lines[-3] + lines[-2]
        del lines[-3]
        lines += ["| case | config | Triton TFLOPS | ours TFLOPS | ours/Triton | flag | outputs | status |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in trows:
            ratio = f"{float(r['ratio']):.3f}x" if r["ratio"] else ""
            check = r["check"] + (f" ({r['max_abs_diff']})" if r["check"] not in ("", "equal") else "")
            lines.append(f"| {r['case']} | {r['config']} | {r['triton_tflops']} | {r['ours_tflops']} | {ratio} | "
                         f"{r['flag']} | {check} | {r['status'] if r['status'] != 'ok' else ''} |")
        # Best config per case, as an autotuner would pick for each pipeline.
        lines += ["", "Best config per case (each pipeline's own best):", "",
                  "| case | Triton best | ours best | ours/Triton |", "|---|---|---|---|"]
        for case in dict.fromkeys(r["case"] for r in trows):
            crow = [r for r in trows if r["case"] == case]
            bt = max((r for r in crow if r["triton_tflops"]), key=lambda r: float(r["triton_tflops"]), default=None)
            bo = max((r for r in crow if r["ours_tflops"]), key=lambda r: float(r["ours_tflops"]), default=None)
            if bt and bo:
                lines.append(f"| {case} | {bt['triton_tflops']} ({bt['config']}) | {bo['ours_tflops']} "
                             f"({bo['config']}) | {float(bo['ours_tflops']) / float(bt['triton_tflops']):.3f}x |")
        lines.append("")
    g = geomean(all_ratios)
    if g:
        lines += [f"**Overall geomean {g:.3f}x over {len(all_ratios)} configs; "
                  f"{sum(1 for r in all_ratios if r < FLAG_BELOW)} below {FLAG_BELOW}x.**", ""]
    flagged = [r for r in rows if r["flag"] or (r["status"] not in ("ok", "") and "budget" not in r["status"])]
    if flagged:
        lines += ["## Flagged and failed configs", ""]
        for r in flagged:
            ratio = f"{float(r['ratio']):.3f}x" if r["ratio"] else "-"
            lines.append(f"- {r['tutorial']} {r['case']} {r['config']}: {ratio} {r['flag']} {r['check']} "
                         f"{r['status'] if r['status'] != 'ok' else ''}".rstrip())
        lines.append("")
    text = "\n".join(lines)
    (out / "tutorials.md").write_text(text, encoding="utf-8")
    return text


# --- main ----------------------------------------------------------------------------------------------------

def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--compile-worker":
        return worker_main(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--only", choices=("", "03", "06"), default="")
    ap.add_argument("--budget", type=float, default=250.0, help="seconds for everything; later cells are skipped")
    ap.add_argument("--compile-limit", type=float, default=0.0, help="seconds for compiling (default: 45%% of budget)")
    ap.add_argument("--jobs", type=int, default=0, help="compile processes (default: cores - 1, at most 15)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=10, help="do_bench warmup (ms)")
    ap.add_argument("--rep", type=int, default=40, help="do_bench rep (ms)")
    ap.add_argument("--ws", action="store_true", help="06: also warp_specialize=True (non-causal), as on Hopper")
    ap.add_argument("--settings", default="", help="our settings for settings_scope(), e.g. schedule=attention-a")
    ap.add_argument("--dry-run", action="store_true", help="no GPU: configs, and one compile per tutorial and pipeline")
    ap.add_argument("--table-only", action="store_true", help="tutorials.md from tutorials.csv")
    args = ap.parse_args()
    out = Path(args.outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.table_only:
        print(write_table(out, "(table rebuilt from tutorials.csv)"))
        return 0
    t_start = time.monotonic()
    deadline = t_start + args.budget
    settings = parse_settings(args.settings)
    os.environ.pop("TRITON_AUTOPIPE", None)
    if args.dry_run:
        try:
            import torch  # noqa: F401
        except ImportError:
            sys.modules["torch"] = _torch_stub()
            print("dry run: torch not installed, using a stand-in for the tutorials' definitions")
    import triton
    import triton_autopipe as ta

    assert not ta.is_enabled(), "triton_autopipe is enabled outside settings_scope(): unset TRITON_AUTOPIPE"
    ns03, ns06 = load_all(args.dry_run)
    jobs = compile_jobs(ns03, ns06, args.only, args.ws)
    n03 = len(configs_03(ns03)) if args.only in ("", "03") else 0
    cells06 = sum(len(configs_06(ns06, d, c, n)) * (2 if args.ws and not c else 1)
                  for d in DIMS_06 for n in NS_06 for c in (False, True)) if args.only in ("", "06") else 0
    print(f"tutorials: triton {triton.__version__}; 03: {n03} configs x {len(SIZES_03)} sizes; "
          f"06: {cells06} (config, shape) cells; {len(jobs)} compiles (both pipelines); settings {settings or 'default'}",
          flush=True)
    cache = Path(tempfile.mkdtemp(prefix="upstream-tutorial-cache-"))
    os.environ["TRITON_CACHE_DIR"] = str(cache)  # fresh, shared with the compile workers
    tmp = Path(tempfile.mkdtemp(prefix="upstream-tutorial-work-"))

    if args.dry_run:
        picked = []
        for tut in ("03", "06"):
            first = next((j for j in jobs if j["tut"] == tut), None)
            if first:
                picked += [j for j in jobs if j["id"].rsplit("/", 1)[0] == first["id"].rsplit("/", 1)[0]]
        for tut, cfgs, fmt in (("03", configs_03(ns03), cfg_03), ("06", list(filter(ns06["keep"], ns06["configs"])),
                                                                   cfg_06)):
            print(f"  {tut} configs: " + ", ".join(fmt(c) for c in cfgs))
        for d in DIMS_06:
            for c in (False, True):
                print(f"  06 d{d} {'causal' if c else 'full'} N{NS_06[0]}: "
                      f"{len(configs_06(ns06, d, c, NS_06[0]))} configs")
        res = precompile(picked, 2, 600, True, settings, tmp)
        ok = True
        for j in picked:
            r = res.get(j["id"], {})
            print(f"  compile {j['id']}: {r.get('ev')} {r.get('s', '')} s "
                  f"{('ttgir ' + str(r.get('ttgir_chars'))) if 'ttgir_chars' in r else r.get('msg', '')}")
            ok &= r.get("ev") == "ok"
        for tut in ("03", "06"):
            pair = [res.get(j["id"], {}) for j in picked if j["tut"] == tut]
            if len(pair) == 2 and all("ttgir_hash" in p for p in pair):
                same = pair[0]["ttgir_hash"] == pair[1]["ttgir_hash"]
                print(f"  {tut}: ttgir of ours {'IDENTICAL to' if same else 'differs from'} Triton's")
                ok &= not same
        print("dry run", "ok" if ok else "FAILED")
        return 0 if ok else 1

    import torch

    set_allocator()
    workers = args.jobs or max(1, min(15, (os.cpu_count() or 2) - 1))
    limit = args.compile_limit or 0.45 * args.budget
    print(f"compiling in {workers} processes (limit {limit:.0f} s)", flush=True)
    t0 = time.monotonic()
    compiled = precompile(jobs, workers, limit, False, settings, tmp)
    counts: dict[str, int] = {}
    for r in compiled.values():
        counts[r["ev"]] = counts.get(r["ev"], 0) + 1
    print(f"compiled in {time.monotonic() - t0:.0f} s: {counts}", flush=True)
    (out / "tutorials-compile.json").write_text(json.dumps(compiled, indent=1))

    misses = []

    def listener(*, src, metadata, metadata_group, times, cache_hit, **_):
        if not cache_hit:
            misses.append(getattr(src, "name", "?"))

    triton.knobs.compilation.listener = listener
    writer = Writer(out / "tutorials.csv")
    print(f"measuring ({args.rounds} rounds, do_bench warmup {args.warmup} ms rep {args.rep} ms; "
          f"{torch.cuda.get_device_name()})", flush=True)
    if args.only in ("", "03"):
        run_03(ns03, compiled, writer, args, settings, deadline)
    if args.only in ("", "06"):
        run_06(ns06, compiled, writer, args, settings, deadline)
    note = (f"{torch.cuda.get_device_name()}, Triton {triton.__version__}, our settings {settings or 'default'}; "
            f"compiles {counts}; compiled again here (cache misses): {len(misses)}; "
            f"{time.monotonic() - t_start:.0f} s")
    print(write_table(out, note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
