// autopipe-lower-warp-pipeline: stages inlined, warp-group id, cond_barrier
// before and after the loop, one barrier per stage boundary, s_setprio where
// priorities are given, and LDS fences only where Triton's Allocation analysis
// finds a dependency (placed right after the stage causing it).
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-lower-warp-pipeline{remarks=true})' 2>%t.remarks | FileCheck %s
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

// No shared memory at all: plain s_barrier at both boundaries, no setprio
// (no priorities given).
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @no_lds
// CHECK:      ttg.barrier local
// CHECK-NEXT: %[[TID:.*]] = rocdl.workitem.id.x : i32
// CHECK-NEXT: %[[SZ:.*]] = arith.constant 256 : i32
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT: %[[G:.*]] = arith.divui %[[TID]], %[[SZ]]
// CHECK-NEXT: %[[LEAD:.*]] = arith.cmpi eq, %[[G]], %[[Z]]
// CHECK-NEXT: %[[HELD:.*]] = arith.cmpi ne, %[[G]], %[[Z]]
// CHECK-NEXT: amdg.cond_barrier %[[HELD]]
// CHECK-NEXT: scf.for
// CHECK-NOT:  scf.execute_region
// CHECK:      tt.load
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: rocdl.s.barrier
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: arith.addf
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: rocdl.s.barrier
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } {autopipe.warp_pipeline.lowered}
// CHECK-NEXT: amdg.cond_barrier %[[LEAD]]
// CHECK-NOT:  rocdl.s.setprio
// CHECK:      tt.return
// REMARK: 2 stages, 1 warp group(s) of 256 threads; boundary before 'load': barrier; boundary before 'compute': barrier;
tt.func @no_lds(%n: i32, %p: tensor<256x!tt.ptr<f32>, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<256xf32, #blocked>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (tensor<256xf32, #blocked>) : i32 {
    %v = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %l = tt.load %p : tensor<256x!tt.ptr<f32>, #blocked>
      scf.yield %l : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "load"}
    %a = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %s = arith.addf %acc, %v : tensor<256xf32, #blocked>
      scf.yield %s : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "compute"}
    scf.yield %a : tensor<256xf32, #blocked>
  } {triton.warp_pipeline.pipelined_for}
  tt.return %r : tensor<256xf32, #blocked>
}
}

// -----

// LDS only read inside the loop (written before it): no fence in the loop.
// Priorities: the first stage's before the loop, the next stage's before each
// boundary, 0 after the loop.
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @read_only_lds
// CHECK:      amdg.cond_barrier
// CHECK-NEXT: rocdl.s.setprio 3
// CHECK-NEXT: scf.for
// CHECK:      ttg.local_load
// CHECK-NEXT: rocdl.s.setprio 1
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: rocdl.s.barrier
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: arith.addf
// CHECK-NEXT: rocdl.s.setprio 3
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: rocdl.s.barrier
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: scf.yield
// CHECK:      rocdl.s.setprio 0
// CHECK-NEXT: amdg.cond_barrier
// REMARK: boundary before 'read': barrier; boundary before 'add': barrier;
tt.func @read_only_lds(%n: i32, %x: tensor<256xf32, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %buf = ttg.local_alloc %x : (tensor<256xf32, #blocked>) -> !ttg.memdesc<256xf32, #shared, #smem>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<256xf32, #blocked>) : i32 {
    %v = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %l = ttg.local_load %buf : !ttg.memdesc<256xf32, #shared, #smem> -> tensor<256xf32, #blocked>
      scf.yield %l : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "read", triton.warp_pipeline.priority = 3 : i32}
    %a = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %s = arith.addf %acc, %v : tensor<256xf32, #blocked>
      scf.yield %s : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "add", triton.warp_pipeline.priority = 1 : i32}
    scf.yield %a : tensor<256xf32, #blocked>
  } {triton.warp_pipeline.pipelined_for}
  tt.return %r : tensor<256xf32, #blocked>
}
}

// -----

// Stage "lds" writes the buffer stage "compute" reads (next iteration, RAW)
// and "compute" reads what "lds" overwrites (WAR): a fence after each of the
// two; the boundary after "global" (no LDS access) stays a plain s_barrier.
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx950", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @three_stage_fences
// CHECK:      scf.for
// CHECK:      tt.load
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: rocdl.s.barrier
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.local_load
// CHECK-NEXT: arith.addf
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.local_store
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: scf.yield
// REMARK: boundary before 'global': barrier + LDS fence ('lds' {{.*}}[0, 1024){{.*}}'compute' (next iteration)
// REMARK-SAME: boundary before 'compute': barrier;
// REMARK-SAME: boundary before 'lds': barrier + LDS fence ('compute' {{.*}}[0, 1024){{.*}}'lds'
tt.func @three_stage_fences(%n: i32, %p: tensor<256x!tt.ptr<f32>, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<256xf32, #blocked>
  %buf = ttg.local_alloc : () -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (tensor<256xf32, #blocked>) : i32 {
    %v = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %l = tt.load %p : tensor<256x!tt.ptr<f32>, #blocked>
      scf.yield %l : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "global"}
    %a = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %x = ttg.local_load %buf : !ttg.memdesc<256xf32, #shared, #smem, mutable> -> tensor<256xf32, #blocked>
      %s = arith.addf %acc, %x : tensor<256xf32, #blocked>
      scf.yield %s : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "compute"}
    scf.execute_region no_inline {
      ttg.local_store %v, %buf : tensor<256xf32, #blocked> -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
      scf.yield
    } {triton.warp_pipeline.stage = "lds"}
    scf.yield %a : tensor<256xf32, #blocked>
  } {triton.warp_pipeline.pipelined_for}
  tt.return %r : tensor<256xf32, #blocked>
}
}

// -----

// Two buffers: "w" writes A, "r" reads B only (B written before the loop).
// Only A's write-after-write across iterations needs a fence, after "w"; the
// boundary after "r" stays plain: buffer overlap, not "any LDS access",
// decides.
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @disjoint_buffers
// CHECK:      scf.for
// CHECK:      ttg.local_store
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.barrier local
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: ttg.local_load
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: rocdl.s.barrier
// CHECK-NEXT: rocdl.sched.barrier none
// CHECK-NEXT: scf.yield
// REMARK: boundary before 'w': barrier;
// REMARK-SAME: boundary before 'r': barrier + LDS fence ('w' {{.*}}LDS [{{[0-9]+}}, {{[0-9]+}}){{.*}}'w' (next iteration)
tt.func @disjoint_buffers(%n: i32, %x: tensor<256xf32, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %a = ttg.local_alloc : () -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
  %b = ttg.local_alloc %x : (tensor<256xf32, #blocked>) -> !ttg.memdesc<256xf32, #shared, #smem>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<256xf32, #blocked>) : i32 {
    scf.execute_region no_inline {
      ttg.local_store %acc, %a : tensor<256xf32, #blocked> -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
      scf.yield
    } {triton.warp_pipeline.stage = "w"}
    %v = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
      %l = ttg.local_load %b : !ttg.memdesc<256xf32, #shared, #smem> -> tensor<256xf32, #blocked>
      scf.yield %l : tensor<256xf32, #blocked>
    } {triton.warp_pipeline.stage = "r"}
    scf.yield %v : tensor<256xf32, #blocked>
  } {triton.warp_pipeline.pipelined_for}
  tt.return %r : tensor<256xf32, #blocked>
}
}
