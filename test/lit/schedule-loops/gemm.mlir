// autopipe-schedule-loops on real GEMMs. sm90: loads and their mask math in
// stage 0 (last cluster: issued after the MMA for a future iteration), pointer
// increments in stage 1 just before them, local_alloc + wgmma in stage 2 --
// the same stages and cluster order as Triton 3.9's scheduler.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-print-schedule{remarks=false output=-})' \
// RUN:   -o %t.sm90 2>&1 | FileCheck %s --check-prefix=SM90
// RUN: FileCheck %s --check-prefix=SM90-IR < %t.sm90
// SM90:      autopipe schedule of loop #0 in @matmul_kernel {{.*}}: 3 stage(s) (tt.scheduled_max_stage = 2), 3 cluster(s), 15 op(s)
// SM90-NEXT:   stage 0 cluster 2  arith.muli
// SM90-NEXT:   stage 0 cluster 2  arith.subi
// SM90-NEXT:   stage 0 cluster 2  tt.splat
// SM90-NEXT:   stage 0 cluster 2  arith.cmpi
// SM90-NEXT:   stage 0 cluster 2  tt.broadcast
// SM90-NEXT:   stage 0 cluster 2  tt.load
// SM90-NEXT:   stage 2 cluster 0  ttg.local_alloc
// SM90-NEXT:   stage 0 cluster 2  tt.splat
// SM90-NEXT:   stage 0 cluster 2  arith.cmpi
// SM90-NEXT:   stage 0 cluster 2  tt.broadcast
// SM90-NEXT:   stage 0 cluster 2  tt.load
// SM90-NEXT:   stage 2 cluster 0  ttg.local_alloc
// SM90-NEXT:   stage 2 cluster 0  ttng.warp_group_dot
// SM90-NEXT:   stage 1 cluster 1  tt.addptr
// SM90-NEXT:   stage 1 cluster 1  tt.addptr
// SM90-IR: } {autopipe.schedule = "default", tt.scheduled_max_stage = 2 : i32}

// tt.num_stages on the loop overriding the option: inline.mlir, @num_stages_attr.

// gfx942: the partial form Triton's AMD pipeliner expects (anchors only).
// RUN: %autopipe-opt %inputs/gemm-gfx942-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-print-schedule{remarks=false output=-})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=GFX942
// GFX942:     3 stage(s) (tt.scheduled_max_stage = 2), 2 cluster(s), 17 op(s), 14 unscheduled
// GFX942:     stage 0 cluster 1  tt.load
// GFX942:     stage 0 cluster 1  tt.load
// GFX942:     stage 2 cluster 0  tt.dot
// GFX942-NOT: stage

// The remark says what was chosen and why.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops)' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}gemm-sm90-before-scheduling.ttgir:57:13: default schedule, 3 stages, 2 pipelined load(s) (auto: no MMA -> softmax -> MMA chain
// Asking for an attention schedule on a GEMM falls back to default, saying so.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{schedule=attention-b})' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FALLBACK
// FALLBACK: default schedule, 3 stages, 2 pipelined load(s) (attention-b requested{{.*}}no MMA -> softmax -> MMA chain
