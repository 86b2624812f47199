// Bad options are errors; a loop without a schedule is not touched; a
// scheduled loop without wgmma is expanded (remark says so, no waits).
// RUN: not %autopipe-opt %s -p 'builtin.module(autopipe-expand-loops{async-dots=sometimes})' 2>&1 | FileCheck %s --check-prefix=BADMODE
// BADMODE: error: autopipe-expand-loops: unknown async-dots 'sometimes' (allowed: triton, autopipe, auto, off)
// RUN: not %autopipe-opt %s -p 'builtin.module(autopipe-expand-loops{num-stages=0})' 2>&1 | FileCheck %s --check-prefix=BADSTAGES
// BADSTAGES: error: autopipe-expand-loops: num-stages must be >= 1, got 0
// RUN: %autopipe-opt %s -verify-diagnostics -p 'builtin.module(autopipe-expand-loops)' | FileCheck %s

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// CHECK-LABEL: tt.func @unscheduled
// CHECK:       scf.for
// CHECK-NEXT:    arith.addf
// CHECK-NEXT:    scf.yield
tt.func @unscheduled(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  }
  tt.return %r : f32
}

// Two stages: the multiply of iteration i+1 runs with the add of iteration i.
// CHECK-LABEL: tt.func @no_dots
// CHECK:       arith.mulf
// CHECK:       scf.for
// CHECK-NOT:   ttng.warp_group_dot_wait
// CHECK:       tt.return
tt.func @no_dots(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{expanded into 2 stages}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
}
