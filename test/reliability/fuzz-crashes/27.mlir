// Loads autopipe-allocate-buffers cannot lower stay as they were (for Triton's
// pipeliner), with a remark naming the loop and the reason; loops without a
// complete schedule and modules of other targets are left alone; bad options
// are errors.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-allocate-buffers)' | FileCheck %s
// RUN: not %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{global-to-shared-stages=-1})' 2>&1 | FileCheck %s --check-prefix=BADOPT
// BADOPT: error: autopipe-allocate-buffers: global-to-shared-stages must be in 0..32, got -1
// RUN: not %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{copy=dma})' 2>&1 | FileCheck %s --check-prefix=BADCOPY
// BADCOPY: error: autopipe-allocate-buffers: unknown copy 'dma' (allowed: async, registers, auto)

// CHECK-NOT: ttg.async_copy_global_to_local
// CHECK-NOT: ttg.local_alloc :

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = true} {
// A scalar load.
tt.func @scalar(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{(scalar or block-pointer load); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : !tt.ptr<f32>
    %s = arith.addf %acc, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
}
