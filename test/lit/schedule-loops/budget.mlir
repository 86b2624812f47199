// Shared-memory budget of the scheduler: the sm90 GEMM's two tiles take 32 KB
// a stage; 8 stages (256 KB) do not fit in sm90's 227 KB, so the loop gets 7
// (the remark says why); 3 stages are left alone; sm86's 99 KB allows 3.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{num-stages=8})' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EIGHT
// EIGHT: default schedule, 7 stages, 2 pipelined load(s) {{.*}}num_stages 8 -> 7 {{.*}}shared memory (262144 bytes > 232448 left)
// RUN: FileCheck %s --check-prefix=EIGHT-IR < %t
// EIGHT-IR: tt.scheduled_max_stage = 6
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{num-stages=3})' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=THREE
// THREE:     default schedule, 3 stages
// THREE-NOT: shared memory
// sm86 (99 KB, 4 stages -> 3): inline.mlir, @sm86_budget.
