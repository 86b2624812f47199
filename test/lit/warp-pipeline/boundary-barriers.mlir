// An explicit barrier that is the first or last op of a stage coincides with a
// stage boundary: the regions pass keeps it between the stage regions, and the
// lowering uses it as that boundary's barrier (upgraded to a local fence where
// a dependency needs one) instead of adding a second one.
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-warp-pipeline-regions)' | FileCheck %s --check-prefix=REGIONS
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-warp-pipeline-regions,autopipe-lower-warp-pipeline)' | FileCheck %s --check-prefix=LOWER

#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// REGIONS-LABEL: tt.func @edge_barriers
// REGIONS:      scf.for
// REGIONS-NEXT:   scf.execute_region no_inline {
// REGIONS-NEXT:     ttg.local_store
// REGIONS-NEXT:     scf.yield
// REGIONS-NEXT:   } {triton.warp_pipeline.stage = "w"}
// REGIONS-NEXT:   rocdl.s.barrier
// REGIONS-NEXT:   scf.execute_region
// REGIONS:        } {triton.warp_pipeline.stage = "r"}
// REGIONS-NEXT:   scf.yield
// REGIONS-NEXT: } {triton.warp_pipeline.pipelined_for}

// LOWER-LABEL: tt.func @edge_barriers
// LOWER:      scf.for
// LOWER:      ttg.local_store
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: ttg.barrier local
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: ttg.local_load
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: ttg.barrier local
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: scf.yield
// LOWER-NOT:  rocdl.s.barrier
tt.func @edge_barriers(%n: i32, %x: tensor<256xf32, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %buf = ttg.local_alloc : () -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<256xf32, #blocked>) : i32 {
    ttg.local_store %acc, %buf : tensor<256xf32, #blocked> -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
    rocdl.s.barrier
    rocdl.sched.barrier none {triton.warp_pipeline.border = "w"}
    %l = ttg.local_load %buf : !ttg.memdesc<256xf32, #shared, #smem, mutable> -> tensor<256xf32, #blocked>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "r"}
    scf.yield %l : tensor<256xf32, #blocked>
  }
  tt.return %r : tensor<256xf32, #blocked>
}
}
