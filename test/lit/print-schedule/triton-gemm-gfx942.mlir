// Triton 3.9's AMD scheduler writes a partial schedule (loads stage 0, the dot
// stage 2; the rest is placed by its pipeliner). autopipe-print-schedule
// accepts it and lists the unscheduled ops.
// RUN: %autopipe-opt %inputs/gemm-gfx942-scheduled.ttgir \
// RUN:   -p 'builtin.module(autopipe-print-schedule{remarks=false output=-})' -o /dev/null 2>&1 | FileCheck %s

// CHECK:      autopipe schedule of loop #0 in @matmul_kernel at {{.*}}: 3 stage(s) (tt.scheduled_max_stage = 2), 2 cluster(s), 15 op(s), 12 unscheduled
// CHECK-NEXT:   unscheduled        arith.muli
// CHECK-NEXT:   unscheduled        arith.subi
// CHECK-NEXT:   unscheduled        tt.splat
// CHECK-NEXT:   unscheduled        arith.cmpi
// CHECK-NEXT:   unscheduled        tt.broadcast
// CHECK-NEXT:   stage 0 cluster 0  tt.load
// CHECK-NEXT:   unscheduled        tt.splat
// CHECK-NEXT:   unscheduled        arith.cmpi
// CHECK-NEXT:   unscheduled        tt.broadcast
// CHECK-NEXT:   stage 0 cluster 0  tt.load
// CHECK-NEXT:   unscheduled        ttg.convert_layout
// CHECK-NEXT:   unscheduled        ttg.convert_layout
// CHECK-NEXT:   stage 2 cluster 1  tt.dot
// CHECK-NEXT:   unscheduled        tt.addptr
// CHECK-NEXT:   unscheduled        tt.addptr
// CHECK-NOT:  error
