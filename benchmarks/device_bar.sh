#!/usr/bin/env bash
# One device call for the issues' bars, with many paired rounds: GEMM 4096³ and
# 8192³ (fp16, bf16; tl.load and tensor-descriptor kernels) ours vs Triton's
# default, and the TMA attention kernel under our schedules (auto = default,
# attention-a, attention-b), async_dots=off and async_dots=autopipe (what auto
# keeps unless ptxas says off fits more CTAs an SM) vs Triton's default and SDPA.
# Configs: the historical ones (d128 BM128 BN128 w8 s3, d64 BM128 BN64 w8 s3),
# and those where async_dots=off lets two CTAs share an SM (d128 BM128 BN64 w8
# s2: 138 -> 124/128 registers; d64 BM128 BN128 w8 s3: 156 -> 128).
#   OUT=<dir> GEMM_ROUNDS=16 ATTN_ROUNDS=8 bash benchmarks/device_bar.sh   (GEMM_ROUNDS=0: attention only)
set -uo pipefail
source "$(dirname "$0")/device_env.sh" benchmarks/results/bar
nvidia-smi --query-gpu=name,clocks.sm,power.draw --format=csv,noheader
status=0
if [ "${GEMM_ROUNDS:-16}" != 0 ]; then
echo "== GEMM"
timeout 330 python3 -m benchmarks gemm --sizes 4096,8192 --rounds "${GEMM_ROUNDS:-16}" --out "$FINAL/gemm" 2>&1 \
  | grep -E "^\| [0-9]" | grep -v "no-pipe\|cuBLAS" || status=1
fi
echo "== attention (TMA kernel)"
timeout 480 python3 -m benchmarks attention --kernels desc --rounds "${ATTN_ROUNDS:-8}" \
  --configs 128=128x128w8s3,128=128x64w8s2,64=128x64w8s3,64=128x128w8s3 --autopipe-variant ap-a:schedule=attention-a \
  --autopipe-variant ap-b:schedule=attention-b --autopipe-variant ap-off:async_dots=off \
  --autopipe-variant ap-async:async_dots=autopipe --out "$FINAL/attention" 2>&1 \
  | grep -E "^\| \(" | grep -v "no-pipe" || status=1
exit $status
