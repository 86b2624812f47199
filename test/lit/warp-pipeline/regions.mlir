// autopipe-warp-pipeline-regions: border markers become labelled stage regions
// (2 and 3 stages, priorities, values crossing stages), the loop is marked
// pipelined, the markers are gone.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-warp-pipeline-regions{remarks=true})' 2>%t.remarks | FileCheck %s
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @two_stages
// CHECK: scf.for
// CHECK-NEXT: %[[S0:.*]]:2 = scf.execute_region -> (i32, tensor<256xf32, #blocked>) no_inline {
// CHECK-NEXT:   %[[I:.*]] = arith.addi
// CHECK-NEXT:   %[[V:.*]] = tt.load
// CHECK-NEXT:   scf.yield %[[I]], %[[V]] : i32, tensor<256xf32, #blocked>
// CHECK-NEXT: } {triton.warp_pipeline.priority = 1 : i32, triton.warp_pipeline.stage = "load"}
// CHECK-NEXT: %[[S1:.*]] = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
// CHECK-NEXT:   %[[A:.*]] = arith.addf %{{.*}}, %[[S0]]#1
// CHECK-NEXT:   scf.yield %[[A]]
// CHECK-NEXT: } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "compute"}
// CHECK-NEXT: scf.yield %[[S0]]#0, %[[S1]]
// CHECK-NEXT: } {triton.warp_pipeline.pipelined_for}
// CHECK-NOT: triton.warp_pipeline.border
// REMARK: remark: warp pipeline: scf.for at {{.*}}regions.mlir:{{[0-9]+}}:{{[0-9]+}} has 2 stages: 'load' (priority 1) 'compute' (priority 0)
tt.func @two_stages(%lb: i32, %ub: i32, %p: tensor<256x!tt.ptr<f32>, #blocked>) -> tensor<256xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<256xf32, #blocked>
  %j0 = arith.constant 0 : i32
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%j = %j0, %acc = %z) -> (i32, tensor<256xf32, #blocked>) : i32 {
    %jn = arith.addi %j, %c1 : i32
    %v = tt.load %p : tensor<256x!tt.ptr<f32>, #blocked>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "load", triton.warp_pipeline.priority = 1 : i32}
    %a = arith.addf %acc, %v : tensor<256xf32, #blocked>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "compute", triton.warp_pipeline.priority = 0 : i32}
    scf.yield %jn, %a : i32, tensor<256xf32, #blocked>
  }
  tt.return %r#1 : tensor<256xf32, #blocked>
}
}

// -----

// Three stages, no priorities; a value of stage 0 used by stage 2 only; ops
// before the first border join stage 0, ops after the last one join the last
// stage; a stage with no result has no result types.
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx950", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @three_stages
// CHECK: scf.for
// CHECK-NEXT: %[[G:.*]]:2 = scf.execute_region -> (i32, tensor<256xf32, #blocked>) no_inline {
// CHECK-NEXT:   %[[CUR:.*]] = arith.remsi
// CHECK-NEXT:   %[[V:.*]] = tt.load
// CHECK-NEXT:   scf.yield %[[CUR]], %[[V]]
// CHECK-NEXT: } {triton.warp_pipeline.stage = "global"}
// CHECK-NEXT: %[[C:.*]] = scf.execute_region -> tensor<256xf32, #blocked> no_inline {
// CHECK-NEXT:   arith.addf
// CHECK-NEXT:   scf.yield
// CHECK-NEXT: } {triton.warp_pipeline.stage = "compute"}
// CHECK-NEXT: scf.execute_region no_inline {
// CHECK-NEXT:   %[[IDX:.*]] = arith.subi %{{.*}}, %[[G]]#0
// CHECK-NEXT:   %[[BUF:.*]] = ttg.memdesc_index %{{.*}}[%[[IDX]]]
// CHECK-NEXT:   ttg.local_store %[[G]]#1, %[[BUF]]
// CHECK-NEXT:   tt.store
// CHECK-NEXT:   scf.yield
// CHECK-NEXT: } {triton.warp_pipeline.stage = "lds"}
// CHECK-NEXT: scf.yield %[[C]]
// CHECK-NEXT: } {triton.warp_pipeline.pipelined_for}
// REMARK: has 3 stages: 'global' 'compute' 'lds'
tt.func @three_stages(%n: i32, %p: tensor<256x!tt.ptr<f32>, #blocked>) -> tensor<256xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c2 = arith.constant 2 : i32
  %z = arith.constant dense<0.0> : tensor<256xf32, #blocked>
  %lds = ttg.local_alloc : () -> !ttg.memdesc<2x256xf32, #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>, #ttg.shared_memory, mutable>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (tensor<256xf32, #blocked>) : i32 {
    %cur = arith.remsi %i, %c2 : i32
    %v = tt.load %p : tensor<256x!tt.ptr<f32>, #blocked>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "global"}
    %a = arith.addf %acc, %acc : tensor<256xf32, #blocked>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "compute"}
    %o = arith.subi %c1, %cur : i32
    %buf = ttg.memdesc_index %lds[%o] : !ttg.memdesc<2x256xf32, #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>, #ttg.shared_memory, mutable> -> !ttg.memdesc<256xf32, #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>, #ttg.shared_memory, mutable>
    ttg.local_store %v, %buf : tensor<256xf32, #blocked> -> !ttg.memdesc<256xf32, #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>, #ttg.shared_memory, mutable>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "lds"}
    tt.store %p, %a : tensor<256x!tt.ptr<f32>, #blocked>
    scf.yield %a : tensor<256xf32, #blocked>
  }
  tt.return %r : tensor<256xf32, #blocked>
}
}

// -----

// A loop without border markers is not touched.
// CHECK-LABEL: tt.func @no_markers
// CHECK: scf.for
// CHECK-NOT: scf.execute_region
// CHECK-NOT: pipelined_for
// CHECK: tt.return
tt.func @no_markers(%n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    %x = arith.addi %i, %c1 : i32
  }
  tt.return
}
