#!/usr/bin/env bash
# Run every test of triton-autopipe: the lit/FileCheck suite, then pytest
# (Python, end-to-end compiles for four targets, ABI, downstream CMake). GPU
# tests skip cleanly without a GPU.
#
#   bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${AUTOPIPE_VENV:-.venv}
export PATH="$PWD/$VENV/bin:$PATH"
export TRITON_DEFAULT_FP_FUSION=${TRITON_DEFAULT_FP_FUSION:-1}
export TRITON_CACHE_DIR=${TRITON_CACHE_DIR:-$(mktemp -d)}
echo "== lit"
lit -v test/lit
echo "== pytest"
python -m pytest test/python -ra "$@"
