#!/usr/bin/env bash
# One device call for the issues' bars, with many paired rounds: GEMM 4096³ and
# 8192³ (fp16, bf16; tl.load and tensor-descriptor kernels) ours vs Triton's
# default, and the TMA attention kernel under our schedules (auto = default,
# attention-a, attention-b) vs Triton's default and SDPA.
#   OUT=<dir> GEMM_ROUNDS=16 ATTN_ROUNDS=12 bash benchmarks/device_bar.sh
set -uo pipefail
source "$(dirname "$0")/device_env.sh" benchmarks/results/bar
nvidia-smi --query-gpu=name,clocks.sm,power.draw --format=csv,noheader
status=0
echo "== GEMM"
timeout 330 python3 -m benchmarks gemm --sizes 4096,8192 --rounds "${GEMM_ROUNDS:-16}" --out "$FINAL/gemm" 2>&1 \
  | grep -E "^\| [0-9]" | grep -v "no-pipe\|cuBLAS" || status=1
echo "== attention (TMA kernel)"
timeout 240 python3 -m benchmarks attention --kernels desc --rounds "${ATTN_ROUNDS:-12}" \
  --autopipe-variant ap-a:schedule=attention-a --autopipe-variant ap-b:schedule=attention-b --out "$FINAL/attention" 2>&1 \
  | grep -E "^\| \(" | grep -v "no-pipe" || status=1
exit $status
