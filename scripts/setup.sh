#!/usr/bin/env bash
# Set up triton-autopipe from a fresh clone on Debian/Ubuntu and run the main
# job: compile a real GEMM for sm80, sm90, gfx942 and gfx950 with our passes on
# (TRITON_AUTOPIPE=1) and print each loop's schedule. No GPU needed.
#
#   bash scripts/setup.sh          # creates .venv/ and installs the package
#
# Environment: PYTHON (default python3), AUTOPIPE_VENV (default .venv),
# CMAKE_ARGS (e.g. -DAUTOPIPE_LLVM_ROOT=/path/to/llvm to use your own LLVM).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${AUTOPIPE_VENV:-.venv}

# System packages a bare Debian/Ubuntu lacks: a C++ compiler, venv, Python
# headers (libpython for autopipe-opt), and apt/dpkg (for the LLVM headers).
missing=()
command -v g++ >/dev/null || missing+=(g++)
"$PY" -c "import ensurepip" 2>/dev/null || missing+=(python3-venv)
"$PY" - <<'PYEOF' 2>/dev/null || missing+=(python3-dev)
import os, sysconfig
assert os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))
PYEOF
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q && $SUDO apt-get install -y -q "${missing[@]}"
fi

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# Builds the C++ (plugin, autopipe-opt, _C, ABI check) with scikit-build-core.
"$VENV/bin/python" -m pip install '.[test,bench]'

echo
echo "== main job: TRITON_AUTOPIPE=1 TRITON_AUTOPIPE_EXPLAIN=1 python examples/compile_gemm.py"
TRITON_AUTOPIPE=1 TRITON_AUTOPIPE_EXPLAIN=1 TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1} \
  "$VENV/bin/python" examples/compile_gemm.py
