#!/usr/bin/env bash
# Upstream Triton's own tests and tutorials, with Triton's pipeline and with ours, on the GPU machine.
#
#   source .device/t39/activate.sh; bash benchmarks/upstream/run.sh OUTDIR       (from the repository root)
#   carry: [".device/t39", ".device/plugin", ".device/whl", ".device/upstream"]
#
# 1. pytest on three upstream test files (.device/upstream/files: fetched, not in the repository; see its SOURCE.txt), each once without and once
#    with TRITON_AUTOPIPE=1: six runs at once, each limited to T_UPSTREAM seconds (restarts after compiler aborts
#    included; run_tests.py), a test running past T_TEST seconds is aborted as hung; pytest-xdist when it imports
#    (or from .device/upstream/whl; NO_XDIST=1: never). Selections (-k, empty = whole file):
#      K_PIPELINER  test_pipeliner.py          default: all
#      K_MATMUL     test_matmul.py             default: test_simple_persistent_matmul, and test_simple_matmul with
#                                              one CTA, no epilogue subtiling, no float64 (ids start False-<warps>-1-)
#      K_DESC       test_tensor_descriptor.py  default: the tests with a loop (matmul, gemm, loop_carried); the
#                                              load/store/gather/reduce tests have no loop to pipeline
# 2. compare.py OUTDIR -> OUTDIR/upstream-summary.md: counts per file and mode, regressions, failures in both.
# 3. tutorials.py OUTDIR (limit T_TUTORIALS) -> OUTDIR/tutorials.csv, tutorials.md: every autotune config of
#    tutorial 03 (matmul 4096^3, 8192^3) and of tutorial 06 (attention forward), ours vs Triton's, same process.
# Everything is packed into OUTDIR/results.tar. Exit status: 0 unless the set-up failed.
set -uo pipefail

OUT=$(realpath -m "${1:-benchmarks/results/upstream}")
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
UP=$ROOT/benchmarks/upstream
mkdir -p "$OUT"
T0=$(date +%s)
say() { echo "=== [upstream $(( $(date +%s) - T0 )) s] $*"; }

# --- set-up: as benchmarks/device.sh's setup() (Triton 3.9, wheels the image lacks, this checkout, the plugin) ---
if ! python3 -c 'import triton, sys; sys.exit(triton.__version__ != "3.9.0")' 2>/dev/null; then
  if [ -z "${NO_T39:-}" ] && [ -f .device/t39/activate.sh ]; then source .device/t39/activate.sh || exit 1; fi
fi
wheels=() site=/tmp/site
if ! python3 -c "import pytest" 2>/dev/null; then wheels=(.device/whl/*.whl)
elif ! python3 -c "import elftools" 2>/dev/null; then wheels=(.device/whl/pyelftools-*.whl) site=/tmp/site-elf; fi
if [ ${#wheels[@]} -gt 0 ] && ls "${wheels[@]}" >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$site" "${wheels[@]}" \
    && export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$site
fi
export PYTHONPATH=$ROOT:$ROOT/python:$UP${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1 TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1}
if [ -z "${TRITON_AUTOPIPE_PLUGIN:-}" ] && [ -f .device/plugin/libTritonAutopipe.so ]; then
  export TRITON_AUTOPIPE_PLUGIN=$ROOT/.device/plugin/libTritonAutopipe.so
fi
unset TRITON_AUTOPIPE   # each run sets it or not
XDIST=0
if [ -z "${NO_XDIST:-}" ]; then
  if python3 -c "import xdist" 2>/dev/null; then XDIST=1
  elif ls "$ROOT"/.device/upstream/whl/*.whl >/dev/null 2>&1 && python3 -m pip install -q --no-index --no-deps --no-compile \
         --no-cache-dir --upgrade --target /tmp/site-xdist "$ROOT"/.device/upstream/whl/*.whl && export PYTHONPATH=$PYTHONPATH:/tmp/site-xdist \
         && python3 -c "import xdist" 2>/dev/null; then XDIST=1
  fi
fi
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.draw,power.limit --format=csv 2>&1
  python3 -c 'import sys, torch, triton, pytest; print("python", sys.version.split()[0], "torch", torch.__version__,
"triton", triton.__version__, "from", triton.__file__, "pytest", pytest.__version__)'
  echo "xdist: $XDIST  nproc: $(nproc)  TRITON_AUTOPIPE_PLUGIN=${TRITON_AUTOPIPE_PLUGIN:-<unset>}"
  TRITON_AUTOPIPE=1 python3 -c 'import triton_autopipe as t; print("autopipe enabled with TRITON_AUTOPIPE=1:", t.is_enabled())'
} 2>&1 | tee "$OUT/env.txt"
python3 -c 'import triton, sys; sys.exit(triton.__version__ != "3.9.0")' || { echo "run.sh: Triton 3.9.0 not found" >&2; exit 1; }

# --- 1. tests ------------------------------------------------------------------------------------------------
LANG_DIR=python/test/unit/language
K_PIPELINER=${K_PIPELINER-}
K_MATMUL=${K_MATMUL-"test_simple_persistent_matmul or (test_simple_matmul and (False-4-1- or False-8-1-) and not float64)"}
K_DESC=${K_DESC-"matmul or gemm or loop_carried"}
N=$(nproc)
workers() {  # xdist workers for a share of the cores (six runs at once): $1 = cores out of 16
  [ "$XDIST" = 1 ] || { echo 0; return; }
  local w=$(( N * $1 / 16 )); [ $w -lt 1 ] && w=1; echo $w
}
runs=("pipeliner|$LANG_DIR/test_pipeliner.py|$K_PIPELINER|$(workers 2)"
      "matmul|$LANG_DIR/test_matmul.py|$K_MATMUL|$(workers 4)"
      "descriptor|$LANG_DIR/test_tensor_descriptor.py|$K_DESC|$(workers 2)")
say "tests: ${#runs[@]} files x 2 modes at once, ${T_UPSTREAM:-240} s each at most"
pids=()
for r in "${runs[@]}"; do
  IFS='|' read -r name file k w <<< "$r"
  for mode in without with; do
    python3 "$UP/run_tests.py" "$OUT" --name "$name" --file "$file" --mode "$mode" -k "$k" \
      --limit "${T_UPSTREAM:-240}" --test-timeout "${T_TEST:-90}" --xdist "$w" &
    pids+=($!)
    [ -n "${UPSTREAM_SERIAL:-}" ] && wait $!
  done
done
for p in "${pids[@]}"; do wait "$p"; done
say "tests done"

# --- 2. summary ----------------------------------------------------------------------------------------------
python3 "$UP/compare.py" "$OUT" || echo "run.sh: compare.py failed" >&2

# --- 3. tutorials --------------------------------------------------------------------------------------------
say "tutorials (limit ${T_TUTORIALS:-270} s)"
timeout -k 10 "${T_TUTORIALS:-270}" python3 "$UP/tutorials.py" "$OUT" --budget $(( ${T_TUTORIALS:-270} - 20 )) \
  2>&1 | tee "$OUT/tutorials.log"
rc=${PIPESTATUS[0]}
[ "$rc" = 124 ] && echo "run.sh: tutorials.py hit the ${T_TUTORIALS:-270} s limit; partial rows are in tutorials.csv"
[ -f "$OUT/tutorials.md" ] || python3 "$UP/tutorials.py" "$OUT" --table-only 2>&1 | tail -40

say "done"
tar -cf /tmp/upstream-results.tar --exclude=./results.tar -C "$OUT" . && mv /tmp/upstream-results.tar "$OUT/results.tar"
exit 0
