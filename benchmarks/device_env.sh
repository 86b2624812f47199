# Sourced by the benchmarks/device_*.sh scripts on the GPU machine: Triton 3.9
# from .device/t39 (../shared/DEVICE.md), this checkout on PYTHONPATH (appended
# after Triton's: overwriting it would fall back to the image's old Triton),
# the carried plugin, FP fusion on as in CI; $FINAL (from $OUT or the default
# given as $1) created.
ROOT=$(pwd)
FINAL=${OUT:-$ROOT/$1}
mkdir -p "$FINAL"
if [ -f .device/t39/activate.sh ]; then source .device/t39/activate.sh || exit 1; fi
export PYTHONPATH=$ROOT:$ROOT/python${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1 TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1}
[ -f .device/plugin/libTritonAutopipe.so ] && export TRITON_AUTOPIPE_PLUGIN=$ROOT/.device/plugin/libTritonAutopipe.so
