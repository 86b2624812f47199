# lit configuration for triton-autopipe's FileCheck tests.
#
#   lit -v test/lit            (after `pip install .`)
#
# autopipe-opt comes from $AUTOPIPE_OPT, else from the installed package
# (triton_autopipe.opt_path()); FileCheck is the `filecheck` package from PyPI
# (or $FILECHECK).
import os
import shutil
import subprocess
import sys

import lit.formats

config.name = "triton-autopipe"
config.test_format = lit.formats.ShTest()
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.excludes = ["Inputs", "lit.cfg.py"]

opt = os.environ.get("AUTOPIPE_OPT")
if not opt:
    opt = subprocess.check_output(
        [sys.executable, "-c", "import triton_autopipe; print(triton_autopipe.opt_path())"],
        text=True).strip()
if not os.path.isfile(opt):
    lit_config.fatal(f"autopipe-opt not found at {opt}: pip install . (or set AUTOPIPE_OPT)")

filecheck = os.environ.get("FILECHECK") or shutil.which("filecheck") or shutil.which("FileCheck")
if not filecheck:
    lit_config.fatal("FileCheck not found: pip install filecheck (or set FILECHECK)")

config.substitutions.append(("%autopipe-opt", opt))
config.substitutions.append(("FileCheck", filecheck))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
for var in ("HOME", "PATH", "LD_LIBRARY_PATH", "TMPDIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
