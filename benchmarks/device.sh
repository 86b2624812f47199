#!/usr/bin/env bash
# The GPU machine's one script: the shared set-up once, then each PROFILE named,
# in order, in one device call (see CONTRIBUTING.md and ../shared/DEVICE.md).
#
#   bash benchmarks/device.sh PROFILE...        e.g. bash benchmarks/device.sh tests quick
#   bash benchmarks/device.sh --help            lists the profiles and their settings
#
# Set-up: Triton 3.9 from .device/t39 (../shared/tools/device-triton39) unless NO_T39 is
# set; pytest and pyelftools from .device/whl when the image lacks them; this checkout on
# PYTHONPATH (after Triton's: ahead of it the image's old Triton would win); the carried
# plugin .device/plugin/libTritonAutopipe.so unless TRITON_AUTOPIPE_PLUGIN is set; FP
# fusion on, as in CI. Results: OUT/<profile>/ (OUT default benchmarks/results/device),
# OUT/env.txt, all packed into OUT/results.tar. Exit status: 0 when every profile passed.
set -uo pipefail

usage() {
  cat <<'EOF'
usage: bash benchmarks/device.sh PROFILE...   (from the repository root, on the GPU machine)

profiles (run in the order given, after one shared set-up):
  env        the set-up and the environment report only (GPU, clocks, versions, plugin)
  sanitize   compute-sanitizer racecheck + synccheck of benchmarks.racecheck, default settings
  tests      GPU numerics (test_gpu_numerics.py) in 6 parallel pytest groups    TESTS_K T_TESTS=300
  quick      python -m benchmarks all --quick                                   T_QUICK=170
  full       python -m benchmarks all                                           T_FULL=400
  compile    python -m benchmarks compile-time --targets cuda:90 --repeat 3     T_COMPILE=200
  sweep      python -m benchmarks sweep attention, then gemm                    T_SWEEP=200
  bench      attention (default, attention-a) and GEMM, many paired rounds      ROUNDS=8
  bar        the issues' bars: GEMM 4096/8192 and TMA attention variants        GEMM_ROUNDS=16 ATTN_ROUNDS=8
  schedules  numerics + racecheck under each schedule, then attention and GEMM benchmarks
  s2r        mma.sync (DISABLE_MMA_V3=1): numerics, racecheck, GEMM with our S2R vs prefetch  ROUNDS=6 DTYPES=fp16
  racecheck  compute-sanitizer racecheck of our S2R on mma.sync, both buffer forms
  channels   the channel API (issue #17) on a hand-written warp-specialized GEMM: numerics, sanitizers, TFLOPS  ROUNDS=4
  linked     barriers=linked (issue #17): numerics, racecheck + synccheck, GEMM and attention vs membar and Triton
  final      all GPU numerics while the racecheck profile runs
  fla        fla-core's chunk kernels, Triton's pipeline vs ours (needs .device/whl/fla_core, einops)  T_FLA=420
             FLA_ONLY FLA_NO_VARIANTS
  upstream   Triton's own test files and tutorials 03/06, with and without us (benchmarks/upstream/)
  tutorials  tutorials 03/06 only, every config, ours vs Triton (needs .device/upstream)  T_TUTORIALS=270 TUT_ONLY TUT_SETTINGS

environment: OUT (results directory), NO_T39 (keep the image's Triton), TRITON_AUTOPIPE_PLUGIN
EOF
}

# --- profiles --------------------------------------------------------------

profile_env() { :; }  # the set-up already wrote OUT/env.txt

profile_tests() {
  # Numerics, split over parallel pytest processes (compilation dominates; the GPU has room).
  local groups=("test_gemm and not test_gemm_desc and not autopipe" "test_gemm and not test_gemm_desc and autopipe"
                "test_gemm_desc" "test_attention and full" "test_attention and causal" "test_nan_prefill")
  local pids=() i=0 g k
  for g in "${groups[@]}"; do
    k="$g"; [ -n "${TESTS_K:-}" ] && k="($g) and ($TESTS_K)"
    timeout "${T_TESTS:-300}" python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs -p no:cacheprovider \
      -k "$k" > "$DIR/tests-$i.log" 2>&1 &
    pids+=($!); i=$((i + 1))
  done
  local rc=0 p r
  for p in "${pids[@]}"; do
    wait "$p"; r=$?
    [ $r -ne 0 ] && [ $r -ne 5 ] && rc=1   # 5: the filter selected nothing
  done
  for f in "$DIR"/tests-*.log; do echo "== $f"; grep -E "passed|failed|error|FAILED|SKIPPED" "$f" | tail -12; done \
    | tee "$DIR/tests-summary.txt"
  return $rc
}

profile_quick() {
  timeout "${T_QUICK:-170}" python3 -m benchmarks all --quick --out "$DIR" 2>&1 | tee "$DIR/quick.log"
}

profile_full() {
  timeout "${T_FULL:-400}" python3 -m benchmarks all --out "$DIR" 2>&1 | tee "$DIR/full.log"
}

profile_compile() {
  timeout "${T_COMPILE:-200}" python3 -m benchmarks compile-time --targets cuda:90 --repeat 3 --out "$DIR" \
    2>&1 | tee "$DIR/compile.log"
}

profile_sweep() {
  local rc=0 w
  for w in attention gemm; do
    timeout "${T_SWEEP:-200}" python3 -m benchmarks sweep $w 2>&1 | tee "$DIR/sweep-$w.log" || rc=1
  done
  return $rc
}

profile_bench() {
  local rounds=${ROUNDS:-8} rc=0
  local v=(--autopipe-variant "ap-default:schedule=default" --autopipe-variant "ap-attn-a:schedule=attention-a")
  timeout 280 python3 -m benchmarks attention "${v[@]}" --rounds "$rounds" --out "$DIR/attention" \
    > "$DIR/attention.log" 2>&1 || rc=1
  grep -E "^\|" "$DIR/attention.log" | cut -d'|' -f2,4,5,6,7
  timeout 250 python3 -m benchmarks gemm --rounds "$rounds" --out "$DIR/gemm" > "$DIR/gemm.log" 2>&1 || rc=1
  grep -E "^\|" "$DIR/gemm.log" | cut -d'|' -f2,3,4,5,6,7,8
  return $rc
}

profile_bar() {
  # GEMM 4096³ and 8192³ (fp16, bf16; tl.load and tensor-descriptor kernels) ours vs Triton's default, and the
  # TMA attention kernel under our schedules and async_dots modes vs Triton's default and SDPA. Configs: the
  # historical ones (d128 BM128 BN128 w8 s3, d64 BM128 BN64 w8 s3) and those where async_dots=off lets two CTAs
  # share an SM (d128 BM128 BN64 w8 s2, d64 BM128 BN128 w8 s3). GEMM_ROUNDS=0: attention only.
  local rc=0
  if [ "${GEMM_ROUNDS:-16}" != 0 ]; then
    echo "== GEMM"
    timeout 330 python3 -m benchmarks gemm --sizes 4096,8192 --rounds "${GEMM_ROUNDS:-16}" --out "$DIR/gemm" 2>&1 \
      | grep -E "^\| [0-9]" | grep -v "no-pipe\|cuBLAS" || rc=1
  fi
  echo "== attention (TMA kernel)"
  timeout 480 python3 -m benchmarks attention --kernels desc --rounds "${ATTN_ROUNDS:-8}" \
    --configs 128=128x128w8s3,128=128x64w8s2,64=128x64w8s3,64=128x128w8s3 \
    --autopipe-variant ap-a:schedule=attention-a --autopipe-variant ap-b:schedule=attention-b \
    --autopipe-variant ap-off:async_dots=off --autopipe-variant ap-async:async_dots=autopipe \
    --out "$DIR/attention" 2>&1 | grep -E "^\| \(" | grep -v "no-pipe" || rc=1
  return $rc
}

profile_schedules() {
  # Numerics of every corpus kernel under each of our schedules (in parallel), racecheck of small runs under
  # each, then attention and GEMM benchmarks with Triton's default vs our schedules.
  local rc=0 pids=() s p
  for s in auto attention-a attention-b; do
    TRITON_AUTOPIPE_SCHEDULE=$s timeout 300 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs \
      -p no:cacheprovider -k "autopipe" > "$DIR/numerics-$s.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  for s in auto attention-a attention-b; do echo "== numerics, schedule $s"; tail -3 "$DIR/numerics-$s.log"; done
  if [ -n "$SAN" ]; then
    for s in auto attention-a attention-b; do
      echo "== racecheck, schedule $s"
      racecheck --schedule "$s" || rc=1
    done
  else
    echo "== racecheck: compute-sanitizer not found"
  fi
  local v=(--autopipe-variant "ap-attn-a:schedule=attention-a" --autopipe-variant "ap-attn-b:schedule=attention-b"
           --autopipe-variant "ap-attn-a-tx:schedule=attention-a,expand=triton")
  timeout 240 python3 -m benchmarks attention "${v[@]}" --out "$DIR/attention" > "$DIR/attention.log" 2>&1 || rc=1
  timeout 200 python3 -m benchmarks gemm --out "$DIR/gemm" > "$DIR/gemm.log" 2>&1 || rc=1
  tail -5 "$DIR/attention.log" "$DIR/gemm.log"
  return $rc
}

profile_racecheck() {
  # Our shared->register double buffering on mma.sync (DISABLE_MMA_V3=1), under both buffer forms.
  local rc=0 b
  for b in autopipe registers; do
    echo "== racecheck, mma.sync, s2r autopipe, buffers $b"
    DISABLE_MMA_V3=1 racecheck --buffers "$b" --s2r autopipe || rc=1
  done
  return $rc
}

profile_sanitize() {
  # compute-sanitizer racecheck and synccheck on the small runs of benchmarks.racecheck (GEMM 2/3/4 stages,
  # tl.load and descriptors, attention d64/d128 causal or not) with the default settings (barriers=placed).
  [ -n "$SAN" ] || { echo "compute-sanitizer not found"; return 1; }
  local rc=0 tool
  for tool in racecheck synccheck; do
    echo "== $tool, default settings"
    timeout 150 "$SAN" --tool "$tool" python3 -m benchmarks.racecheck 2>&1 \
      | grep -E "max err|numerics|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -12 || rc=1
  done
  return $rc
}

profile_channels() {
  # Issue #17's channel API on hardware: the hand-written warp-specialized GEMM (benchmarks/ws_channels.py) with
  # our full/empty mbarriers: numerics over its shapes, racecheck + synccheck on two of them, then TFLOPS against
  # the same tiles unspecialized (Triton's pipeline) and cuBLAS.
  local rc=0 tool
  timeout 120 python3 -m benchmarks.ws_channels --run --out "$DIR" 2>&1 | tee "$DIR/numerics.log" | tail -9 || rc=1
  grep -q "FAILED" "$DIR/numerics.log" && rc=1
  if [ -n "$SAN" ]; then
    for tool in racecheck synccheck; do
      echo "== $tool, channels"
      timeout 120 "$SAN" --tool "$tool" python3 -m benchmarks.ws_channels --run --shapes "300,200,192;512,384,1024" \
        2>&1 | grep -E "numerics|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -12 || rc=1
      echo "== $tool, the same ttg.warp_specialize without channels (ws_empty.ttgir: Triton's lowering alone)"
      timeout 60 "$SAN" --tool "$tool" python3 -m benchmarks.ws_channels --baseline 2>&1 \
        | grep -E "baseline|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -8 || rc=1
      echo "== $tool, Triton's own warp_specialize=True GEMM (64x128x64, 4 warps): its lowering and channels"
      timeout 90 "$SAN" --tool "$tool" python3 -m benchmarks.ws_channels --triton-ws 2>&1 \
        | grep -E "max rel|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -8
    done
  fi
  timeout "${T_CHANNELS:-200}" python3 -m benchmarks.ws_channels --bench --rounds "${ROUNDS:-4}" 2>&1 \
    | tee "$DIR/bench.log" | tail -4
  return $rc
}

profile_linked() {
  # barriers=linked (the refill slot written from the read slot, so Membar drops a barrier): numerics of every
  # case under it, racecheck and synccheck of the small runs, then GEMM and attention with it vs ours and Triton.
  local rc=0 tool
  timeout 300 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs -p no:cacheprovider -k linked \
    > "$DIR/numerics-linked.log" 2>&1 || rc=1
  tail -3 "$DIR/numerics-linked.log"
  if [ -n "$SAN" ]; then
    for tool in racecheck synccheck; do
      echo "== $tool, barriers linked"
      timeout 120 "$SAN" --tool "$tool" python3 -m benchmarks.racecheck --barriers linked 2>&1 \
        | grep -E "max err|numerics|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -12 || rc=1
    done
  else
    echo "== racecheck/synccheck: compute-sanitizer not found"
  fi
  timeout 200 python3 -m benchmarks gemm --autopipe-variant ap-linked:barriers=linked --out "$DIR/gemm" \
    > "$DIR/gemm.log" 2>&1 || rc=1
  timeout 240 python3 -m benchmarks attention --autopipe-variant ap-linked:barriers=linked --out "$DIR/attention" \
    > "$DIR/attention.log" 2>&1 || rc=1
  tail -8 "$DIR/gemm.log" "$DIR/attention.log"
  return $rc
}

profile_s2r() {
  # mma.sync (DISABLE_MMA_V3=1 on an H100/H200): numerics of the split MMAs, the racecheck profile, then the
  # GEMM under Triton's default (no prefetch on sm90), ours without S2R, with ours and with Triton's prefetch.
  local rc=0
  timeout 240 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -k mma_v2 -q -rs -p no:cacheprovider \
    > "$DIR/numerics.log" 2>&1 || rc=1
  echo "== numerics"; tail -2 "$DIR/numerics.log"; grep -E "FAILED|Error" "$DIR/numerics.log" | head -10
  profile_racecheck || rc=1
  echo "== GEMM, mma.sync"
  DISABLE_MMA_V3=1 timeout 300 python3 -m benchmarks gemm --kernels tl.load --dtypes "${DTYPES:-fp16}" \
    --rounds "${ROUNDS:-6}" --autopipe-variant ap-s2r:s2r=autopipe --autopipe-variant ap-prefetch:s2r=prefetch \
    --out "$DIR" 2>&1 | grep -v "^gemm\|^  " | tail -30 || rc=1
  return $rc
}

profile_final() {
  # Every GPU numerics test, in the background while the racecheck profile runs.
  local rc=0 num
  timeout 420 python3 -m pytest -m gpu test/python/test_gpu_numerics.py -q -rs -p no:cacheprovider \
    > "$DIR/numerics.log" 2>&1 &
  num=$!
  profile_racecheck || rc=1
  wait $num || rc=1
  echo "== numerics"; tail -3 "$DIR/numerics.log"; grep -E "FAILED|Error" "$DIR/numerics.log" | head -20
  return $rc
}

# One small run of benchmarks.racecheck under compute-sanitizer (arguments: its options), the lines that matter.
racecheck() {
  [ -n "$SAN" ] || { echo "compute-sanitizer not found"; return 1; }
  timeout 120 "$SAN" --tool racecheck --racecheck-report hazard python3 -m benchmarks.racecheck "$@" 2>&1 \
    | grep -E "max err|numerics|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -12
}

profile_fla() {
  if ! python3 -c "import fla" 2>/dev/null; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site-fla \
      .device/whl/fla_core-*.whl .device/whl/einops-*.whl && export PYTHONPATH=$PYTHONPATH:/tmp/site-fla
  fi
  # FLA_ONLY: the cases whose name contains it (e.g. " fwd "); FLA_NO_VARIANTS=1: Triton and ours only
  timeout "${T_FLA:-420}" python3 -m benchmarks.fla_chunk --out "$DIR" ${FLA_ONLY:+--only "$FLA_ONLY"} \
    ${FLA_NO_VARIANTS:+--no-variants} 2>&1 | tee "$DIR/fla.log"
}

profile_tutorials() {
  # Tutorials 03/06 only (benchmarks/upstream/tutorials.py): TUT_ONLY=03|06, TUT_SETTINGS=k=v,...
  timeout -k 10 "${T_TUTORIALS:-270}" python3 benchmarks/upstream/tutorials.py "$DIR" --only "${TUT_ONLY:-}" \
    --budget $(( ${T_TUTORIALS:-270} - 20 )) ${TUT_SETTINGS:+--settings "$TUT_SETTINGS"} 2>&1 | tee "$DIR/tutorials.log"
}

profile_upstream() {
  bash benchmarks/upstream/run.sh "$DIR" 2>&1 | tee "$DIR/upstream.log"
}

# --- set-up, once ------------------------------------------------------------

setup() {
  if [ -z "${NO_T39:-}" ] && [ -f .device/t39/activate.sh ]; then source .device/t39/activate.sh || return 1; fi
  # The image's pytest if it has one (its plugins need it), else ours; pyelftools if missing
  # (async_dots=auto reads ptxas's register count from the cubin).
  local wheels=() site=/tmp/site
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
  SAN=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1) || true
}

environment_report() {
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu --format=csv
  python3 -c 'import sys, torch, triton; print("python", sys.version.split()[0], "torch", torch.__version__, "triton", triton.__version__)'
  python3 -c 'import matplotlib; print("matplotlib", matplotlib.__version__)' 2>&1 | tail -1
  echo "TRITON_AUTOPIPE_PLUGIN=${TRITON_AUTOPIPE_PLUGIN:-<unset>}"
  echo "compute-sanitizer: ${SAN:-<not found>}"
  python3 -c 'from benchmarks.pipelines import autopipe_status; print("autopipe:", autopipe_status())'
}

main() {
  case "${1:-}" in
    -h|--help) usage; return 0 ;;
    "") usage >&2; return 2 ;;
  esac
  local p
  for p in "$@"; do
    if ! declare -F "profile_$p" >/dev/null; then echo "device.sh: unknown profile '$p'" >&2; usage >&2; return 2; fi
  done
  [ -n "${OUT:-}" ] && OUT=$(realpath -m "$OUT")
  cd "$(dirname "$0")/.." || return 1
  ROOT=$(pwd)
  RES=${OUT:-$ROOT/benchmarks/results/device}
  mkdir -p "$RES"
  setup || return 1
  environment_report 2>&1 | tee "$RES/env.txt"
  local status=0
  for p in "$@"; do
    echo "=== profile $p ($(date -u +%T))"
    DIR=$RES/$p
    mkdir -p "$DIR"
    "profile_$p" || status=1
  done
  echo "=== done ($(date -u +%T)), status $status"
  tar -cf /tmp/autopipe-results.tar --exclude=./results.tar -C "$RES" . && mv /tmp/autopipe-results.tar "$RES/results.tar"
  return $status
}

main "$@"
exit $?
