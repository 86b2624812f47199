// Small hand-written cases of autopipe-expand-loops alone: 2-stage loops whose
// schedule is written in the input. Stage 0 of iteration 0 goes into the
// prologue; the kernel loop runs stage 1 of iteration i with stage 0 of
// iteration i + 1, whose ops with side effects are predicated on i + 1 < n
// (dynamic trip count). The captured kernels (gemm.mlir, attention.mlir) are
// the regression tests.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-expand-loops)' -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t

// Pure ops: the product of iteration 0 is computed before the loop and carried
// in; the kernel adds product i, then computes product i + 1 (unpredicated).
// REMARK: remark: autopipe-expand-loops: loop at {{.*}}: expanded into 2 stages
// CHECK-LABEL: tt.func @pure(
// CHECK-SAME:    %[[N:[^:]*]]: i32, %[[X:[^:]*]]: f32)
// CHECK:       %[[F0:.*]] = arith.mulf {{.*}}%[[X]]{{.*}} : f32
// CHECK-NEXT:  scf.for %[[I:.*]] = %{{.*}} to %[[N]] step %[[C1:.*]] iter_args(%[[ACC:.*]] = %{{.*}}, %[[M:.*]] = %[[F0]]) -> (f32, f32)
// CHECK-NEXT:    %[[S:.*]] = arith.addf %[[ACC]], %[[M]] : f32
// CHECK-NEXT:    %[[NEXT:.*]] = arith.addi %[[I]], %[[C1]] : i32
// CHECK-NEXT:    %[[F:.*]] = arith.sitofp %[[NEXT]] : i32 to f32
// CHECK-NEXT:    %[[M1:.*]] = arith.mulf %[[F]], %[[X]] : f32
// CHECK-NEXT:    scf.yield %[[S]], %[[M1]] : f32, f32
// CHECK-NOT:   loop.stage
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @pure(%n: i32, %x: f32) -> f32 {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %f = arith.sitofp %i {loop.cluster = 1 : i32, loop.stage = 0 : i32} : i32 to f32
    %m = arith.mulf %f, %x {loop.cluster = 1 : i32, loop.stage = 0 : i32} : f32
    %s = arith.addf %acc, %m {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
}

// -----

// A load on HIP (left a tt.load: no CUDA load lowering there): the prologue
// loads iteration 0 under `0 < n`; the kernel adds value i, then loads i + 1
// under `i < n - 1`, carrying it to the next iteration.
// REMARK: remark: autopipe-expand-loops: loop at {{.*}}: expanded into 2 stages
// CHECK-LABEL: tt.func @hip_load(
// CHECK-SAME:    %[[N:[^:]*]]: i32, %[[P0:[^:]*]]: tensor<1024x!tt.ptr<f32>
// CHECK:       %[[NONEMPTY:.*]] = arith.cmpi sgt, %[[N]], %{{.*}} : i32
// CHECK-NEXT:  %[[MASK0:.*]] = tt.splat %[[NONEMPTY]] : i1 -> tensor<1024xi1
// CHECK-NEXT:  %[[V0:.*]] = tt.load %[[P0]], %[[MASK0]] :
// CHECK-NEXT:  %[[P1:.*]] = tt.addptr %[[P0]], %{{.*}} :
// CHECK-NEXT:  scf.for %[[I:.*]] = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %[[P:.*]] = %[[P1]], %[[V:.*]] = %[[V0]])
// CHECK-NEXT:    %[[LAST:.*]] = arith.subi %[[N]], %{{.*}} : i32
// CHECK-NEXT:    %[[MORE:.*]] = arith.cmpi slt, %[[I]], %[[LAST]] : i32
// CHECK-NEXT:    %[[S:.*]] = arith.addf %[[ACC]], %[[V]] :
// CHECK-NEXT:    %[[MASK:.*]] = tt.splat %[[MORE]] : i1 -> tensor<1024xi1
// CHECK-NEXT:    %[[VN:.*]] = tt.load %[[P]], %[[MASK]] :
// CHECK-NEXT:    %[[PN:.*]] = tt.addptr %[[P]], %{{.*}} :
// CHECK-NEXT:    scf.yield %[[S]], %[[PN]], %[[VN]] :
// CHECK-NOT:   loop.stage
#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @hip_load(%n: i32, %p0: tensor<1024x!tt.ptr<f32>, #blocked>) -> tensor<1024xf32, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<1024> : tensor<1024xi32, #blocked>
  %z = arith.constant dense<0.0> : tensor<1024xf32, #blocked>
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z, %p = %p0) -> (tensor<1024xf32, #blocked>, tensor<1024x!tt.ptr<f32>, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<1024x!tt.ptr<f32>, #blocked>
    %p1 = tt.addptr %p, %step {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<1024x!tt.ptr<f32>, #blocked>, tensor<1024xi32, #blocked>
    %s = arith.addf %acc, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : tensor<1024xf32, #blocked>
    scf.yield %s, %p1 : tensor<1024xf32, #blocked>, tensor<1024x!tt.ptr<f32>, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r#0 : tensor<1024xf32, #blocked>
}
}
