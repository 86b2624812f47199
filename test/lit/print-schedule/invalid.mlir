// Schedules that break a dependency, or carry malformed attributes, are errors
// naming the op, the loop and the reason; the pass fails so a bad schedule
// never reaches the pipeline expander.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics \
// RUN:   -p 'builtin.module(autopipe-print-schedule{remarks=false})'
// The pass failing makes autopipe-opt exit non-zero, with a diagnostic.
// RUN: not %autopipe-opt %s -p 'builtin.module(autopipe-print-schedule{remarks=false})' 2>&1 | FileCheck %s
// CHECK: error: invalid pipelining schedule of loop #0 in @use_in_earlier_stage

// A value used in an earlier stage than the one producing it.
tt.func @use_in_earlier_stage(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 1 : i32, loop.cluster = 0 : i32} : !tt.ptr<f32>
    // expected-error @below {{invalid pipelining schedule of loop #0 in @use_in_earlier_stage at}}
    %s = arith.addf %acc, %v {loop.stage = 0 : i32, loop.cluster = 0 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// Same stage, but the producer's cluster runs after the consumer's.
tt.func @same_stage_later_cluster(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 2 : i32} : !tt.ptr<f32>
    // expected-error @below {{uses a value of 'tt.load' (stage 0, cluster 2) that is produced later: 'arith.addf' (stage 0, cluster 1)}}
    %s = arith.addf %acc, %v {loop.stage = 0 : i32, loop.cluster = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 0 : i32}
  tt.return %r : f32
}

// -----

// A loop-carried value produced two stages after its consumer.
tt.func @carried_too_late(%lb: i32, %ub: i32, %p0: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%p = %p0, %acc = %z) -> (!tt.ptr<f32>, f32) : i32 {
    // expected-error @below {{uses the previous iteration's value of 'tt.addptr' (stage 2, cluster 0), which is not yet produced when 'tt.load' (stage 0, cluster 1) runs}}
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 1 : i32} : !tt.ptr<f32>
    %q = tt.addptr %p, %c1 {loop.stage = 2 : i32, loop.cluster = 0 : i32} : !tt.ptr<f32>, i32
    %s = arith.addf %acc, %v {loop.stage = 2 : i32, loop.cluster = 0 : i32} : f32
    scf.yield %q, %s : !tt.ptr<f32>, f32
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r#1 : f32
}

// -----

// Loop-carried, one stage later than the consumer but in a later cluster:
// in the same kernel iteration the consumer would run first.
tt.func @carried_next_stage_later_cluster(%lb: i32, %ub: i32, %p0: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%p = %p0, %last = %p0) -> (!tt.ptr<f32>, !tt.ptr<f32>) : i32 {
    // expected-error @below {{uses the previous iteration's value of 'tt.addptr' (stage 1, cluster 1)}}
    %v = tt.load %p {loop.stage = 0 : i32, loop.cluster = 0 : i32} : !tt.ptr<f32>
    %q = tt.addptr %p, %c1 {loop.stage = 1 : i32, loop.cluster = 1 : i32} : !tt.ptr<f32>, i32
    scf.yield %q, %p : !tt.ptr<f32>, !tt.ptr<f32>
  } {tt.scheduled_max_stage = 1 : i32}
  %v = tt.load %r#0 : !tt.ptr<f32>
  tt.return %v : f32
}

// -----

// Dependencies are followed through unscheduled ops and into nested regions.
tt.func @through_unscheduled_and_regions(%lb: i32, %ub: i32, %p: !tt.ptr<f32>, %c: i1) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.stage = 1 : i32, loop.cluster = 0 : i32} : !tt.ptr<f32>
    %n = arith.negf %v : f32
    // expected-error @below {{uses a value of 'tt.load' (stage 1, cluster 0) that is produced later: 'scf.if' (stage 0, cluster 0)}}
    %s = scf.if %c -> f32 {
      %t = arith.addf %acc, %n : f32
      scf.yield %t : f32
    } else {
      scf.yield %acc : f32
    } {loop.stage = 0 : i32, loop.cluster = 0 : i32}
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}

// -----

// Malformed attributes.
tt.func @malformed(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    // expected-error @below {{'loop.stage' must be a signless integer attribute (i32), got "zero"}}
    %v = tt.load %p {loop.stage = "zero", loop.cluster = 0 : i32} : !tt.ptr<f32>
    // expected-error @below {{has 'loop.stage' but no 'loop.cluster'}}
    %w = arith.negf %v {loop.stage = 0 : i32} : f32
    // expected-error @below {{stage 3 exceeds the loop's tt.scheduled_max_stage = 1}}
    %s = arith.addf %acc, %w {loop.stage = 3 : i32, loop.cluster = 0 : i32} : f32
    // expected-error @below {{'loop.cluster' out of range: -1}}
    %u = arith.addf %s, %s {loop.stage = 1 : i32, loop.cluster = -1 : i32} : f32
    scf.yield %u : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
