#!/usr/bin/env bash
# One device call: all GPU numerics, then racecheck of the shared->register
# double buffering on mma.sync (DISABLE_MMA_V3=1) with both buffer forms.
#   OUT=<dir> bash benchmarks/device_final.sh
set -uo pipefail
source "$(dirname "$0")/device_env.sh" benchmarks/results/final
status=0
timeout 420 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs -p no:cacheprovider > "$FINAL/numerics.log" 2>&1 &
NUM=$!
bash "$(dirname "$0")/device_racecheck_s2r.sh" || status=1
wait $NUM || status=1
echo "== numerics"; tail -3 "$FINAL/numerics.log"; grep -E "FAILED|Error" "$FINAL/numerics.log" | head -20
exit $status
