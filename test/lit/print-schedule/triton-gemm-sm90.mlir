// Triton 3.9's own scheduler (assign-latencies + schedule-loops, num_stages=3)
// on a real sm90 GEMM, read back by autopipe-print-schedule: loads and their
// mask computations in stage 0, the pointer increments in stage 1, the
// local_allocs and the wgmma in stage 2; clusters put the next iterations'
// loads last.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(tritongpu-assign-latencies{num-stages=3},tritongpu-schedule-loops,autopipe-print-schedule{remarks=false output=-})' \
// RUN:   -o %t.with 2>&1 | FileCheck %s
// The pass is an analysis: the IR is the same with and without it.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(tritongpu-assign-latencies{num-stages=3},tritongpu-schedule-loops)' -o %t.without
// RUN: diff %t.with %t.without

// CHECK:      autopipe schedule of loop #0 in @matmul_kernel at {{.*}}gemm-sm90-before-scheduling.ttgir:57:13: 3 stage(s) (tt.scheduled_max_stage = 2), 4 cluster(s), 15 op(s)
// CHECK-NEXT:   stage 0 cluster 3  arith.muli
// CHECK-NEXT:   stage 0 cluster 3  arith.subi
// CHECK-NEXT:   stage 0 cluster 3  tt.splat
// CHECK-NEXT:   stage 0 cluster 3  arith.cmpi
// CHECK-NEXT:   stage 0 cluster 3  tt.broadcast
// CHECK-NEXT:   stage 0 cluster 3  tt.load
// CHECK-NEXT:   stage 2 cluster 0  ttg.local_alloc
// CHECK-NEXT:   stage 0 cluster 3  tt.splat
// CHECK-NEXT:   stage 0 cluster 3  arith.cmpi
// CHECK-NEXT:   stage 0 cluster 3  tt.broadcast
// CHECK-NEXT:   stage 0 cluster 3  tt.load
// CHECK-NEXT:   stage 2 cluster 0  ttg.local_alloc
// CHECK-NEXT:   stage 2 cluster 0  ttng.warp_group_dot
// CHECK-NEXT:   stage 1 cluster 2  tt.addptr
// CHECK-NEXT:   stage 1 cluster 2  tt.addptr
// CHECK-NOT:  error
