
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
    } {triton.warp_pipeline.stage = "add", triton.warp_pipeline.priority = 0 : ui32}
    scf.yield %a : tensor<256xf32, #blocked>
  } {triton.warp_pipeline.pipelined_for}
  tt.return %r : tensor<256xf32, #blocked>
}
}
