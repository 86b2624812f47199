"""Names and options of the triton-autopipe passes.

Generated from include/triton-autopipe/Passes.td by cmake/gen-pass-list.py;
do not edit (the build regenerates it; test_pass_declarations.py checks it).

>>> from triton_autopipe.pass_names import SCHEDULE_LOOPS, PASSES
>>> SCHEDULE_LOOPS
'autopipe-schedule-loops'
>>> PASSES[SCHEDULE_LOOPS]["schedule"]["values"]
['default', 'attention-a', 'attention-b', 'auto']
"""
from __future__ import annotations

PRINT_SCHEDULE = 'autopipe-print-schedule'
SCHEDULE_LOOPS = 'autopipe-schedule-loops'
WARP_PIPELINE_REGIONS = 'autopipe-warp-pipeline-regions'
LOWER_WARP_PIPELINE = 'autopipe-lower-warp-pipeline'
ALLOCATE_BUFFERS = 'autopipe-allocate-buffers'
EXPAND_LOOPS = 'autopipe-expand-loops'
DOUBLE_BUFFER_OPERANDS = 'autopipe-double-buffer-operands'
INSERT_BARRIERS = 'autopipe-insert-barriers'

#: pass argument -> option name -> {type, default, values}
PASSES: dict[str, dict[str, dict]] = {
    PRINT_SCHEDULE: {
        'remarks': {'type': 'bool', 'default': 'true', 'values': []},
        'output': {'type': 'string', 'default': '', 'values': []},
    },
    SCHEDULE_LOOPS: {
        'num-stages': {'type': 'int', 'default': '3', 'values': []},
        'schedule': {'type': 'enum', 'default': 'auto', 'values': ['default', 'attention-a', 'attention-b', 'auto']},
        'remarks': {'type': 'bool', 'default': 'true', 'values': []},
        'output': {'type': 'string', 'default': '', 'values': []},
        'complete': {'type': 'bool', 'default': 'false', 'values': []},
        'staged-loads': {'type': 'bool', 'default': 'false', 'values': []},
        'staged-bytes': {'type': 'int', 'default': '64', 'values': []},
    },
    WARP_PIPELINE_REGIONS: {
        'remarks': {'type': 'bool', 'default': 'false', 'values': []},
        'auto-partition': {'type': 'bool', 'default': 'false', 'values': []},
        'auto-partition-warps': {'type': 'int', 'default': '8', 'values': []},
    },
    LOWER_WARP_PIPELINE: {
        'warps-per-group': {'type': 'int', 'default': '4', 'values': []},
        'remarks': {'type': 'bool', 'default': 'false', 'values': []},
    },
    ALLOCATE_BUFFERS: {
        'global-to-shared-stages': {'type': 'int', 'default': '0', 'values': []},
        'shared-limit': {'type': 'int', 'default': '-1', 'values': []},
        'remarks': {'type': 'bool', 'default': 'true', 'values': []},
        'output': {'type': 'string', 'default': '', 'values': []},
        'copy': {'type': 'enum', 'default': 'auto', 'values': ['async', 'registers', 'auto']},
    },
    EXPAND_LOOPS: {
        'num-stages': {'type': 'int', 'default': '3', 'values': []},
        'speculate-mma': {'type': 'bool', 'default': 'true', 'values': []},
        'async-dots': {'type': 'enum', 'default': 'auto', 'values': ['triton', 'autopipe', 'auto', 'off']},
        'remarks': {'type': 'bool', 'default': 'true', 'values': []},
        'output': {'type': 'string', 'default': '', 'values': []},
    },
    DOUBLE_BUFFER_OPERANDS: {
        'stages': {'type': 'int', 'default': '2', 'values': []},
        'k-slice': {'type': 'int', 'default': '0', 'values': []},
        'remarks': {'type': 'bool', 'default': 'true', 'values': []},
        'output': {'type': 'string', 'default': '', 'values': []},
        'prefetch-next': {'type': 'bool', 'default': 'true', 'values': []},
    },
    INSERT_BARRIERS: {
        'mode': {'type': 'enum', 'default': 'prove', 'values': ['prove', 'place']},
        'link-counters': {'type': 'bool', 'default': 'false', 'values': []},
        'reprove': {'type': 'bool', 'default': 'true', 'values': []},
        'remarks': {'type': 'bool', 'default': 'true', 'values': []},
        'output': {'type': 'string', 'default': '', 'values': []},
    },
}

__all__ = ['PRINT_SCHEDULE', 'SCHEDULE_LOOPS', 'WARP_PIPELINE_REGIONS', 'LOWER_WARP_PIPELINE', 'ALLOCATE_BUFFERS', 'EXPAND_LOOPS', 'DOUBLE_BUFFER_OPERANDS', 'INSERT_BARRIERS', 'PASSES']
