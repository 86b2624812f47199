// Loops autopipe-schedule-loops cannot or must not schedule are left as they
// were, with a remark naming the loop and the reason; bad pins and options are
// errors.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-schedule-loops)' | FileCheck %s
// RUN: not %autopipe-opt %s -p 'builtin.module(autopipe-schedule-loops{schedule=fastest})' 2>&1 | FileCheck %s --check-prefix=BADOPT
// BADOPT: error: autopipe-schedule-loops: unknown schedule 'fastest' (allowed: default, attention-a, attention-b, auto)
// RUN: not %autopipe-opt %s -p 'builtin.module(autopipe-schedule-loops{num-stages=0})' 2>&1 | FileCheck %s --check-prefix=BADSTAGES
// BADSTAGES: error: autopipe-schedule-loops: num-stages must be >= 1, got 0

// No load feeding an MMA: nothing to pipeline.
// CHECK-LABEL: tt.func @no_load
// CHECK-NOT: loop.stage
tt.func @no_load(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{autopipe-schedule-loops: loop at}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p : !tt.ptr<f32>
    %s = arith.addf %acc, %v : f32
    scf.yield %s : f32
  }
  tt.return %r : f32
}

// -----

// tt.num_stages = 1 on the loop: nothing to pipeline.
tt.func @one_stage(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{num_stages = 1: nothing to pipeline; left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p : !tt.ptr<f32>
    %s = arith.addf %acc, %v : f32
    scf.yield %s : f32
  } {tt.num_stages = 1 : i32}
  tt.return %r : f32
}

// -----

// An outer loop is not scheduled (its inner loop is considered on its own).
tt.func @nested(%lb: i32, %ub: i32) -> i32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{not an innermost loop (holds an scf.for); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%a = %lb) -> (i32) : i32 {
    // expected-remark @below {{no pipelinable load}}
    %in = scf.for %j = %lb to %ub step %c1 iter_args(%b = %a) -> (i32) : i32 {
      %n = arith.addi %b, %j : i32
      scf.yield %n : i32
    }
    scf.yield %in : i32
  }
  tt.return %r : i32
}

// -----

// A loop that already carries a schedule is left alone.
// CHECK-LABEL: tt.func @already
// CHECK: loop.stage = 1 : i32
tt.func @already(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{already scheduled; left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 1 : i32} : !tt.ptr<f32>
    %s = arith.addf %acc, %v {loop.stage = 1 : i32, loop.cluster = 0 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// A GPU barrier in the body: not safe to pipeline.
tt.func @barrier(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{not safe to pipeline (GPU barrier, loop-carried distance > 1 or outer loop); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p : !tt.ptr<f32>
    gpu.barrier
    %s = arith.addf %acc, %v : f32
    scf.yield %s : f32
  }
  tt.return %r : f32
}
