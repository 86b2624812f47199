// The auto-partition heuristic alone, on small inline GEMM loops: global
// loads (and their address math) move to a first "load" stage, LDS writes
// (and what only they use) to a last "store" stage, the rest is "compute".
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true})' | FileCheck %s

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
#dA = #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>
#dB = #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// A register-staged GEMM loop: the load of the next tile is issued first,
// its LDS write last (after the LDS read of the MMA operand).
// CHECK-LABEL: tt.func @gemm_three_stages
// CHECK:      scf.for
// CHECK-NEXT:   scf.execute_region
// CHECK-NEXT:     tt.load
// CHECK-NEXT:     scf.yield
// CHECK-NEXT:   } {triton.warp_pipeline.priority = 1 : i32, triton.warp_pipeline.stage = "load"}
// CHECK-NEXT:   scf.execute_region
// CHECK-NEXT:     ttg.local_load
// CHECK-NEXT:     tt.dot
// CHECK-NEXT:     arith.constant
// CHECK-NEXT:     tt.addptr
// CHECK-NEXT:     scf.yield
// CHECK-NEXT:   } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "compute"}
// CHECK-NEXT:   scf.execute_region
// CHECK-NEXT:     ttg.local_store
// CHECK-NEXT:     scf.yield
// CHECK-NEXT:   } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "store"}
// CHECK-NEXT:   scf.yield
// CHECK-NEXT: } {autopipe.warp_pipeline.auto, triton.warp_pipeline.pipelined_for}
tt.func @gemm_three_stages(%n: i32, %pa: tensor<128x64x!tt.ptr<f16>, #blocked>, %b: tensor<64x128xf16, #dB>, %c: tensor<128x128xf32, #mma>) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %buf = ttg.local_alloc : () -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c, %p = %pa) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>) : i32 {
    %a = ttg.local_load %buf : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> tensor<128x64xf16, #dA>
    %d = tt.dot %a, %b, %acc : tensor<128x64xf16, #dA> * tensor<64x128xf16, #dB> -> tensor<128x128xf32, #mma>
    %v = tt.load %p : tensor<128x64x!tt.ptr<f16>, #blocked>
    ttg.local_store %v, %buf : tensor<128x64xf16, #blocked> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    %step = arith.constant dense<64> : tensor<128x64xi32, #blocked>
    %pn = tt.addptr %p, %step : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    scf.yield %d, %pn : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// No LDS write in the loop: two stages, the load's address math moves with it.
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
#dA = #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>
#dB = #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// CHECK-LABEL: tt.func @gemm_two_stages
// CHECK:      scf.for
// CHECK-NEXT:   scf.execute_region
// CHECK-NEXT:     tt.splat
// CHECK-NEXT:     tt.addptr
// CHECK-NEXT:     tt.load
// CHECK-NEXT:     scf.yield
// CHECK-NEXT:   } {triton.warp_pipeline.priority = 1 : i32, triton.warp_pipeline.stage = "load"}
// CHECK-NEXT:   scf.execute_region
// CHECK-NEXT:     tt.dot
// CHECK-NEXT:     scf.yield
// CHECK-NEXT:   } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "compute"}
// CHECK-NEXT:   scf.yield
// CHECK-NEXT: } {autopipe.warp_pipeline.auto, triton.warp_pipeline.pipelined_for}
tt.func @gemm_two_stages(%n: i32, %pa: tensor<128x64x!tt.ptr<f16>, #blocked>, %a: tensor<128x64xf16, #dA>, %b: tensor<64x128xf16, #dB>, %c: tensor<128x128xf32, #mma>) -> (tensor<128x128xf32, #mma>, tensor<128x64xf16, #blocked>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<128x64xf16, #blocked>
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c, %last = %z) -> (tensor<128x128xf32, #mma>, tensor<128x64xf16, #blocked>) : i32 {
    %d = tt.dot %a, %b, %acc : tensor<128x64xf16, #dA> * tensor<64x128xf16, #dB> -> tensor<128x128xf32, #mma>
    %off = tt.splat %i : i32 -> tensor<128x64xi32, #blocked>
    %p = tt.addptr %pa, %off : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %v = tt.load %p : tensor<128x64x!tt.ptr<f16>, #blocked>
    scf.yield %d, %v : tensor<128x128xf32, #mma>, tensor<128x64xf16, #blocked>
  }
  tt.return %r#0, %r#1 : tensor<128x128xf32, #mma>, tensor<128x64xf16, #blocked>
}
}
