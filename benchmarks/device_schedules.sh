#!/usr/bin/env bash
# One device call for the loop-scheduling issue: GPU numerics of every corpus
# kernel under each of our schedules, then GEMM and attention benchmarks with
# Triton's default vs our schedules (auto/default, attention-a, attention-b).
#   OUT=<dir> bash benchmarks/device_schedules.sh
set -uo pipefail
ROOT=$(pwd)
FINAL=${OUT:-$ROOT/benchmarks/results/schedules}
RES=$(mktemp -d /tmp/schedules.XXXX)
mkdir -p "$FINAL"
if [ -f .device/t39/activate.sh ]; then source .device/t39/activate.sh || exit 1; fi
if ! python3 -c "import pytest" 2>/dev/null && ls .device/whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .device/whl/*.whl \
    && export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}/tmp/site
fi
export PYTHONPATH=$ROOT:$ROOT/python${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1 TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1}
[ -f .device/plugin/libTritonAutopipe.so ] && export TRITON_AUTOPIPE_PLUGIN=$ROOT/.device/plugin/libTritonAutopipe.so
nvidia-smi --query-gpu=name,clocks.sm,power.draw --format=csv | tee "$RES/env.txt"
status=0
pids=()
for s in auto attention-a attention-b; do
  TRITON_AUTOPIPE_SCHEDULE=$s timeout 300 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs \
    -p no:cacheprovider -k "autopipe" > "$RES/numerics-$s.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
for s in auto attention-a attention-b; do echo "== numerics, schedule $s"; tail -3 "$RES/numerics-$s.log"; done
# compute-sanitizer racecheck on small attention + GEMM runs under each schedule (our expansion + waits)
SAN=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1)
if [ -n "$SAN" ]; then
  for s in auto attention-a attention-b; do
    echo "== racecheck, schedule $s"
    timeout 120 "$SAN" --tool racecheck --racecheck-report hazard python3 -m benchmarks.racecheck --schedule "$s" 2>&1 \
      | grep -E "max err|numerics|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -12 || status=1
  done
else
  echo "== racecheck: compute-sanitizer not found"
fi
V=(--autopipe-variant "ap-attn-a:schedule=attention-a" --autopipe-variant "ap-attn-b:schedule=attention-b"
   --autopipe-variant "ap-attn-a-tx:schedule=attention-a,expand=triton")
timeout 240 python3 -m benchmarks attention "${V[@]}" --out "$RES/attention" > "$RES/attention.log" 2>&1 || status=1
timeout 200 python3 -m benchmarks gemm --out "$RES/gemm" > "$RES/gemm.log" 2>&1 || status=1
tail -5 "$RES/attention.log" "$RES/gemm.log"
ls "$RES" "$RES/attention" "$RES/gemm" 2>/dev/null
tar -cf "$FINAL/results.tar" -C "$RES" .
for b in attention gemm; do cp "$RES/$b/"*.md "$FINAL/" 2>/dev/null; done
exit $status
