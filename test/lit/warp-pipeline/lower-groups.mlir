// With 8 warps two warp groups of 4 leap-frog one stage apart, so a stage's
// LDS writes must be fenced by the writing group before the reader's stage
// starts on the other group: an explicit `ttg.barrier local` just before the
// reading stage is enough with one group (4 warps) but not with two, where the
// fence goes right after the writing stage. A dependency between neighbouring
// stages cannot be ordered by any barrier with two groups (they run at the same
// time): it is reported with a remark (and still fenced after the first stage,
// so Membar adds no barrier inside a stage).
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-lower-warp-pipeline)' | FileCheck %s

#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [8], order = [0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx950", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @two_groups
// CHECK:      %[[SZ:.*]] = arith.constant 256 : i32
// CHECK:      arith.divui %{{.*}}, %[[SZ]]
// CHECK:      amdg.cond_barrier
// CHECK:      scf.for
// CHECK:      ttg.local_store
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: arith.addf
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.local_load
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: scf.yield
tt.func @two_groups(%n: i32, %x: tensor<256xf32, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %buf = ttg.local_alloc : () -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
  // expected-remark @below {{stages run concurrently on the 2 warp groups yet touch overlapping LDS (no barrier can order them; make sure they use disjoint parts): 'r'/'w' on [0, 1024);}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<256xf32, #blocked>) : i32 {
    scf.execute_region no_inline {
      ttg.local_store %acc, %buf : tensor<256xf32, #blocked> -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
      scf.yield
    } {triton.warp_pipeline.stage = "w"}
    %a = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %s = arith.addf %acc, %acc : tensor<256xf32, #blocked>
      scf.yield %s : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "mid"}
    ttg.barrier local
    %v = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %l = ttg.local_load %buf : !ttg.memdesc<256xf32, #shared, #smem, mutable> -> tensor<256xf32, #blocked>
      scf.yield %l : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "r"}
    scf.yield %v : tensor<256xf32, #blocked>
  } {triton.warp_pipeline.pipelined_for}
  tt.return %r : tensor<256xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx950", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @one_group
// CHECK:      scf.for
// CHECK:      ttg.local_store
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: rocdl.s.barrier
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: arith.addf
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.local_load
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: scf.yield
tt.func @one_group(%n: i32, %x: tensor<256xf32, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %buf = ttg.local_alloc : () -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<256xf32, #blocked>) : i32 {
    scf.execute_region no_inline {
      ttg.local_store %acc, %buf : tensor<256xf32, #blocked> -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
      scf.yield
    } {triton.warp_pipeline.stage = "w"}
    %a = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %s = arith.addf %acc, %acc : tensor<256xf32, #blocked>
      scf.yield %s : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "mid"}
    ttg.barrier local
    %v = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %l = ttg.local_load %buf : !ttg.memdesc<256xf32, #shared, #smem, mutable> -> tensor<256xf32, #blocked>
      scf.yield %l : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "r"}
    scf.yield %v : tensor<256xf32, #blocked>
  } {triton.warp_pipeline.pipelined_for}
  tt.return %r : tensor<256xf32, #blocked>
}
}
