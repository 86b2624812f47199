#!/usr/bin/env bash
# One device call: attention (auto vs default vs attention-a) and GEMM
# benchmarks with many rounds and per-round paired ratios.
#   OUT=<dir> ROUNDS=8 bash benchmarks/device_bench.sh
set -uo pipefail
source "$(dirname "$0")/device_env.sh" benchmarks/results/bench
ROUNDS=${ROUNDS:-8}
nvidia-smi --query-gpu=name,clocks.sm,power.draw --format=csv
status=0
V=(--autopipe-variant "ap-default:schedule=default" --autopipe-variant "ap-attn-a:schedule=attention-a")
timeout 280 python3 -m benchmarks attention "${V[@]}" --rounds "$ROUNDS" --out "$FINAL/attention" > "$FINAL/attention.log" 2>&1 || status=1
grep -E "^\|" "$FINAL/attention.log" | cut -d'|' -f2,4,5,6,7
timeout 250 python3 -m benchmarks gemm --rounds "$ROUNDS" --out "$FINAL/gemm" > "$FINAL/gemm.log" 2>&1 || status=1
grep -E "^\|" "$FINAL/gemm.log" | cut -d'|' -f2,3,4,5,6,7,8
exit $status
