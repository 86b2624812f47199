# Sourced by the benchmarks/device_*.sh scripts on the GPU machine: Triton 3.9
# from .device/t39 (../shared/DEVICE.md), pyelftools from .device/whl if missing, this checkout on PYTHONPATH (appended
# after Triton's: overwriting it would fall back to the image's old Triton),
# the carried plugin, FP fusion on as in CI; $FINAL (from $OUT or the default
# given as $1) created.
ROOT=$(pwd)
FINAL=${OUT:-$ROOT/$1}
mkdir -p "$FINAL"
if [ -f .device/t39/activate.sh ]; then source .device/t39/activate.sh || exit 1; fi
# pyelftools (a dependency of the package: async_dots=auto reads ptxas's register count from the cubin)
if ! python3 -c "import elftools" 2>/dev/null && ls .device/whl/pyelftools-*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site-elf \
    .device/whl/pyelftools-*.whl && export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}/tmp/site-elf
fi
export PYTHONPATH=$ROOT:$ROOT/python${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1 TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1}
[ -f .device/plugin/libTritonAutopipe.so ] && export TRITON_AUTOPIPE_PLUGIN=$ROOT/.device/plugin/libTritonAutopipe.so
