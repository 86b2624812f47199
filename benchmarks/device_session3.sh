#!/usr/bin/env bash
# One device call: GPU numerics (every pipeline, incl. register-staged buffers),
# racecheck of the register-staged buffers, attention benchmark (auto vs the
# schedules, longer timing).   OUT=<dir> bash benchmarks/device_session3.sh
set -uo pipefail
ROOT=$(pwd)
FINAL=${OUT:-$ROOT/benchmarks/results/session3}
mkdir -p "$FINAL"
if [ -f .device/t39/activate.sh ]; then source .device/t39/activate.sh || exit 1; fi
export PYTHONPATH=$ROOT:$ROOT/python${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1 TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1}
[ -f .device/plugin/libTritonAutopipe.so ] && export TRITON_AUTOPIPE_PLUGIN=$ROOT/.device/plugin/libTritonAutopipe.so
nvidia-smi --query-gpu=name,clocks.sm,power.draw --format=csv
status=0
timeout 280 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs -p no:cacheprovider > "$FINAL/numerics.log" 2>&1 &
NUM=$!
SAN=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1)
for b in registers; do
  echo "== racecheck, buffers $b"
  timeout 120 "$SAN" --tool racecheck --racecheck-report hazard python3 -m benchmarks.racecheck --buffers "$b" 2>&1 \
    | grep -E "max err|numerics|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -12 || status=1
done
wait $NUM || status=1
echo "== numerics"; tail -4 "$FINAL/numerics.log"; grep -E "FAILED|Error" "$FINAL/numerics.log" | head -20
V=(--autopipe-variant "ap-default:schedule=default" --autopipe-variant "ap-attn-a:schedule=attention-a"
   --autopipe-variant "ap-attn-b:schedule=attention-b")
timeout 260 python3 -m benchmarks attention "${V[@]}" --rep-ms 200 --out "$FINAL/attention" > "$FINAL/attention.log" 2>&1 || status=1
grep -E "^\|" "$FINAL/attention.log" | cut -d'|' -f2,4,5,6,7
exit $status
