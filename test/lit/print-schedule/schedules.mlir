// autopipe-print-schedule on small schedules: one report per scf.for, each op
// of the body in body order with its stage and cluster.
// RUN: %autopipe-opt %s -split-input-file \
// RUN:   -p 'builtin.module(autopipe-print-schedule{remarks=false output=-})' -o %t 2>&1 | FileCheck %s
// The IR is printed unchanged (schedule attributes kept).
// RUN: FileCheck %s --check-prefix=IR < %t
// With remarks on (the default), the same report is an MLIR remark on the loop.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-print-schedule)' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK

// CHECK-LABEL: autopipe schedule of loop #0 in @two_stages at {{.*}}schedules.mlir:21:8: 2 stage(s) (tt.scheduled_max_stage = 1), 2 cluster(s), 2 op(s)
// CHECK-NEXT:    stage 0 cluster 1  tt.load
// CHECK-NEXT:    stage 1 cluster 0  arith.addf
// IR-LABEL: tt.func @two_stages
// IR: tt.load {{.*}}loop.cluster = 1 : i32, loop.stage = 0 : i32
// IR: {tt.scheduled_max_stage = 1 : i32}
// REMARK: schedules.mlir:21:8: remark: autopipe schedule of loop #0 in @two_stages
tt.func @two_stages(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 1 : i32} : !tt.ptr<f32>
    %s = arith.addf %acc, %v {loop.stage = 1 : i32, loop.cluster = 0 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// A loop without schedule attributes is reported as such.
// CHECK-LABEL: autopipe schedule of loop #0 in @not_scheduled at {{.*}}: not scheduled
// REMARK: remark: autopipe schedule of loop #0 in @not_scheduled {{.*}}: not scheduled (no loop.stage/loop.cluster attributes)
tt.func @not_scheduled(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p : !tt.ptr<f32>
    %s = arith.addf %acc, %v : f32
    scf.yield %s : f32
  }
  tt.return %r : f32
}

// -----

// A partial schedule (Triton's AMD scheduler places only loads and dots): the
// other ops are listed as unscheduled, and dependencies are checked through
// them (load stage 0 -> unscheduled negf -> addf stage 2 is fine).
// CHECK-LABEL: autopipe schedule of loop #0 in @partial {{.*}}: 3 stage(s) (tt.scheduled_max_stage = 2), 2 cluster(s), 3 op(s), 1 unscheduled (placed by the pipeliner next to their users)
// CHECK-NEXT:    stage 0 cluster 0  tt.load
// CHECK-NEXT:    unscheduled        arith.negf
// CHECK-NEXT:    stage 2 cluster 1  arith.addf
tt.func @partial(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 0 : i32} : !tt.ptr<f32>
    %n = arith.negf %v : f32
    %s = arith.addf %acc, %n {loop.stage = 2 : i32, loop.cluster = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : f32
}

// -----

// Loop-carried value produced one stage later than its consumer, in an
// earlier cluster: both run in the same kernel iteration, producer first (the
// shape of Triton's pointer increments). Accepted.
// CHECK-LABEL: autopipe schedule of loop #0 in @carried_next_stage {{.*}}: 2 stage(s)
// CHECK-NEXT:    stage 0 cluster 1  tt.load
// CHECK-NEXT:    stage 1 cluster 0  tt.addptr
// CHECK-NOT:   error
tt.func @carried_next_stage(%lb: i32, %ub: i32, %p0: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%p = %p0, %last = %p0) -> (!tt.ptr<f32>, !tt.ptr<f32>) : i32 {
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 1 : i32} : !tt.ptr<f32>
    %q = tt.addptr %p, %c1 {loop.stage = 1 : i32, loop.cluster = 0 : i32} : !tt.ptr<f32>, i32
    scf.yield %q, %p : !tt.ptr<f32>, !tt.ptr<f32>
  } {tt.scheduled_max_stage = 1 : i32}
  %v = tt.load %r#0 : !tt.ptr<f32>
  tt.return %v : f32
}

// -----

// Two loops in one function are numbered in order; the nested loop (no
// schedule) is reported too.
// CHECK-LABEL: autopipe schedule of loop #0 in @nested {{.*}}: 1 stage(s) (tt.scheduled_max_stage = 0), 1 cluster(s), 2 op(s)
// CHECK-NEXT:    stage 0 cluster 0  scf.for
// CHECK-NEXT:    stage 0 cluster 0  arith.addi
// CHECK:       autopipe schedule of loop #1 in @nested {{.*}}: not scheduled
tt.func @nested(%lb: i32, %ub: i32) -> i32 {
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%a = %lb) -> (i32) : i32 {
    %in = scf.for %j = %lb to %ub step %c1 iter_args(%b = %a) -> (i32) : i32 {
      %n = arith.addi %b, %j : i32
      scf.yield %n : i32
    } {loop.stage = 0 : i32, loop.cluster = 0 : i32}
    %s = arith.addi %in, %i {loop.stage = 0 : i32, loop.cluster = 0 : i32} : i32
    scf.yield %s : i32
  } {tt.scheduled_max_stage = 0 : i32}
  tt.return %r : i32
}
