#!/usr/bin/env bash
# compute-sanitizer racecheck of our shared->register double buffering on
# mma.sync (DISABLE_MMA_V3=1), under both buffer forms; run from the checkout's
# root after device_env.sh (sourced by the device_*.sh scripts that call this).
SAN=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1)
status=0
for b in autopipe registers; do
  echo "== racecheck, mma.sync, s2r autopipe, buffers $b"
  DISABLE_MMA_V3=1 timeout 120 "$SAN" --tool racecheck --racecheck-report hazard python3 -m benchmarks.racecheck --buffers "$b" --s2r autopipe 2>&1 \
    | grep -E "max err|numerics|ERROR SUMMARY|RACECHECK SUMMARY|Error|hazard" | head -12 || status=1
done
exit $status
