#!/usr/bin/env bash
# Run the GPU harness in one go: numerics tests, quick benchmark, full benchmark, compile time.
#
# Usage, from the repository root on a GPU machine:
#   bash benchmarks/device_run.sh [STEP...]      STEP: tests quick full compile sweep  (default: tests quick full)
# Environment:
#   OUT                 where results go (default benchmarks/results/device); everything is also
#                       packed into $OUT/results.tar
#   TESTS_K             extra pytest -k filter for the numerics tests (e.g. "not autopipe")
#   T_TESTS T_QUICK T_FULL T_COMPILE T_SWEEP   per-step time limits in seconds
# Uses, when present: .device/t39 (Triton 3.9 for the device, see ../shared/tools/device-triton39),
# .device/plugin/libTritonAutopipe.so (sets TRITON_AUTOPIPE_PLUGIN), .device/whl/*.whl (pytest).
set -uo pipefail
STEPS=("$@")
[ ${#STEPS[@]} -eq 0 ] && STEPS=(tests quick full)
ROOT=$(pwd)
RES=${OUT:-$ROOT/benchmarks/results/device}
WORK=$(mktemp -d /tmp/autopipe-run.XXXX)
mkdir -p "$RES"

if [ -z "${NO_T39:-}" ] && [ -f .device/t39/activate.sh ]; then source .device/t39/activate.sh || exit 1; fi
# The image's pytest if it has one (its plugins need it), else ours; pyelftools if missing.
wheels=() site=/tmp/site
if ! python3 -c "import pytest" 2>/dev/null; then wheels=(.device/whl/*.whl)
elif ! python3 -c "import elftools" 2>/dev/null; then wheels=(.device/whl/pyelftools-*.whl) site=/tmp/site-elf; fi
if [ ${#wheels[@]} -gt 0 ] && ls "${wheels[@]}" >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$site" "${wheels[@]}" \
    && export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$site
fi
export PYTHONPATH=$ROOT:$ROOT/python${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1 TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1}
if [ -z "${TRITON_AUTOPIPE_PLUGIN:-}" ] && [ -f .device/plugin/libTritonAutopipe.so ]; then
  export TRITON_AUTOPIPE_PLUGIN=$ROOT/.device/plugin/libTritonAutopipe.so
fi

{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu --format=csv
  python3 -c 'import sys, torch, triton; print("python", sys.version.split()[0], "torch", torch.__version__, "triton", triton.__version__)'
  python3 -c 'import matplotlib; print("matplotlib", matplotlib.__version__)' 2>&1 | tail -1
  echo "TRITON_AUTOPIPE_PLUGIN=${TRITON_AUTOPIPE_PLUGIN:-<unset>}"
  python3 -c 'from benchmarks.pipelines import autopipe_status; print("autopipe:", autopipe_status())'
} 2>&1 | tee "$WORK/env.txt"

run_tests() {
  # Numerics tests, split over parallel pytest processes (compilation dominates; the GPU has room).
  local k_extra=${TESTS_K:-}
  local -a groups=("test_gemm and not test_gemm_desc and not autopipe" "test_gemm and not test_gemm_desc and autopipe"
                   "test_gemm_desc" "test_attention and full" "test_attention and causal" "test_nan_prefill")
  local pids=() i=0
  for g in "${groups[@]}"; do
    local k="$g"; [ -n "$k_extra" ] && k="($g) and ($k_extra)"
    timeout "${T_TESTS:-300}" python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs -p no:cacheprovider \
      -k "$k" > "$WORK/tests-$i.log" 2>&1 &
    pids+=($!); i=$((i + 1))
  done
  local rc=0
  for p in "${pids[@]}"; do
    wait "$p"; local r=$?
    [ $r -ne 0 ] && [ $r -ne 5 ] && rc=1   # 5: the filter selected nothing
  done
  for f in "$WORK"/tests-*.log; do echo "== $f"; grep -E "passed|failed|error|FAILED|SKIPPED" "$f" | tail -12; done \
    | tee "$WORK/tests-summary.txt"
  return $rc
}

status=0
for step in "${STEPS[@]}"; do
  echo "=== step $step ($(date -u +%T))"
  case $step in
    tests) run_tests || status=1 ;;
    quick) timeout "${T_QUICK:-170}" python3 -m benchmarks all --quick --out "$WORK/quick" 2>&1 | tee "$WORK/quick.log" || status=1 ;;
    full) timeout "${T_FULL:-400}" python3 -m benchmarks all --out "$WORK/full" 2>&1 | tee "$WORK/full.log" || status=1 ;;
    compile) timeout "${T_COMPILE:-200}" python3 -m benchmarks compile-time --targets cuda:90 --repeat 3 --out "$WORK/compile" \
      2>&1 | tee "$WORK/compile.log" || status=1 ;;
    sweep) for w in attention gemm; do timeout "${T_SWEEP:-200}" python3 -m benchmarks sweep $w 2>&1 | tee "$WORK/sweep-$w.log" || status=1; done ;;
    *) echo "unknown step $step"; status=2 ;;
  esac
done
echo "=== done ($(date -u +%T)), status $status"
tar -cf "$RES/results.tar" -C "$WORK" .
for d in quick full compile; do [ -f "$WORK/$d/results.md" ] && cp "$WORK/$d/results.md" "$RES/$d.md"; done
[ -f "$WORK/compile/compile_time.md" ] && cp "$WORK/compile/compile_time.md" "$RES/compile_time.md"
exit $status
