#!/usr/bin/env bash
# One device call for shared->register double buffering on mma.sync
# (DISABLE_MMA_V3=1 on an H100/H200): GPU numerics of the split MMAs,
# racecheck with both buffer forms, then the GEMM timed under Triton's default
# (no prefetch on sm90), ours without S2R, ours with S2R (autopipe) and ours
# with Triton's prefetch in its place.
#   OUT=<dir> bash benchmarks/device_s2r.sh
set -uo pipefail
source "$(dirname "$0")/device_env.sh" benchmarks/results/s2r
status=0
timeout 240 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -k mma_v2 -q -rs -p no:cacheprovider > "$FINAL/numerics.log" 2>&1 || status=1
echo "== numerics"; tail -2 "$FINAL/numerics.log"; grep -E "FAILED|Error" "$FINAL/numerics.log" | head -10
bash "$(dirname "$0")/device_racecheck_s2r.sh" || status=1
echo "== GEMM, mma.sync"
DISABLE_MMA_V3=1 timeout 300 python3 -m benchmarks gemm --kernels tl.load --dtypes "${DTYPES:-fp16}" --rounds "${ROUNDS:-6}" \
  --autopipe-variant ap-s2r:s2r=autopipe --autopipe-variant ap-prefetch:s2r=prefetch --out "$FINAL" 2>&1 | grep -v "^gemm\|^  " | tail -30 || status=1
exit $status
