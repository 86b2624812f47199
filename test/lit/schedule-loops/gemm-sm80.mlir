// autopipe-schedule-loops on a real sm80 GEMM (tt.dot with register operands
// through convert_layout): loads and masks in stage 0, issued last; the
// layout conversions and the MMA in stage 2; pointer increments in stage 1.
// Triton's own scheduler assigns the same stages (its cluster numbering keeps
// an empty cluster for stage 1).
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-print-schedule{remarks=false output=-})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=OURS
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(tritongpu-assign-latencies{num-stages=3},tritongpu-schedule-loops,autopipe-print-schedule{remarks=false output=-})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=TRITON
// OURS:        3 stage(s) (tt.scheduled_max_stage = 2), 3 cluster(s), 17 op(s)
// TRITON:      3 stage(s) (tt.scheduled_max_stage = 2), 4 cluster(s), 17 op(s)
// OURS-COUNT-12:   stage 0 cluster 2  {{[a-z_.]+}}
// TRITON-COUNT-12: stage 0 cluster 3  {{[a-z_.]+}}
// OURS-NEXT:   stage 2 cluster 0  ttg.convert_layout
// OURS-NEXT:   stage 2 cluster 0  ttg.convert_layout
// OURS-NEXT:   stage 2 cluster 0  tt.dot
// OURS-NEXT:   stage 1 cluster 1  tt.addptr
// OURS-NEXT:   stage 1 cluster 1  tt.addptr
// TRITON-NEXT: stage 2 cluster 0  ttg.convert_layout
// TRITON-NEXT: stage 2 cluster 0  ttg.convert_layout
// TRITON-NEXT: stage 2 cluster 0  tt.dot
// TRITON-NEXT: stage 1 cluster 2  tt.addptr
// TRITON-NEXT: stage 1 cluster 2  tt.addptr
