// Schedules Triton's expander cannot take (it would assert, crash or allocate
// without bound) are dropped: the loop stays as it was, with a remark naming
// the loop, the op and the reason. One well-formed loop is still expanded.
// RUN: %autopipe-opt %s --split-input-file -verify-diagnostics -p 'builtin.module(autopipe-expand-loops)' | FileCheck %s

// CHECK-LABEL: tt.func @partial
// CHECK:       scf.for
// CHECK-NEXT:    arith.mulf
// CHECK-NOT:     loop.stage
// CHECK:         scf.yield
// CHECK-NOT:   tt.scheduled_max_stage
tt.func @partial(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{left as is: its schedule cannot be expanded ('arith.addf' has no loop.stage/loop.cluster: a partial schedule (1 unscheduled op(s)))}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

tt.func @no_max_stage(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{left as is: its schedule cannot be expanded ('scf.for' has loop.stage/loop.cluster but no 'tt.scheduled_max_stage')}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  }
  tt.return %r : f32
}

// -----

tt.func @float_max_stage(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{'tt.scheduled_max_stage' must be a signless integer attribute (i32), got 1.500000e+00 : f32}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1.5 : f32}
  tt.return %r : f32
}

// -----

tt.func @unsigned_stage(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{'loop.stage' must be a signless integer attribute (i32), got 0 : ui32}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : ui32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// A stage of 2^31 - 1 (Triton would make that many prologue copies).
tt.func @huge_stage(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{'tt.scheduled_max_stage' out of range: 2147483647 (expected 0..31)}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 2147483647 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 2147483647 : i32}
  tt.return %r : f32
}

// -----

// A cluster id of -2^31 (Triton would make 2^31 clusters).
tt.func @negative_cluster(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{'loop.cluster' out of range: -2147483648 (expected 0..4095)}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = -2147483648 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// The stage exceeds the declared maximum.
tt.func @stage_over_max(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{'arith.addf' stage 3 exceeds the loop's tt.scheduled_max_stage = 1}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 3 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// A value used one stage before it is produced.
tt.func @use_before_def(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{'arith.addf' uses a value of 'arith.mulf' (stage 1, cluster 0) that is produced later}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// Well formed: expanded.
// CHECK-LABEL: tt.func @good
// CHECK:       arith.mulf
// CHECK:       scf.for
tt.func @good(%lb: i32, %ub: i32, %x: f32) -> f32 {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{expanded into 2 stages}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %x) -> (f32) : i32 {
    %m = arith.mulf %x, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
