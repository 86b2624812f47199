// auto-partition (off by default): the GEMM loop of an 8-warp Triton kernel
// (TTGIR of examples/compile_gemm.py for gfx942 with block-pingpong off) is
// split into "load" (global loads + address/mask math, moved first),
// "compute" (LDS reads, MFMA) and "store" (LDS writes, moved last) stages.
// RUN: %autopipe-opt %inputs/triton-gemm-gfx942-w8-no-pingpong.ttgir -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true})' | FileCheck %s --check-prefix=REGIONS
// RUN: %autopipe-opt %inputs/triton-gemm-gfx942-w8-no-pingpong.ttgir -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true},autopipe-lower-warp-pipeline)' | FileCheck %s --check-prefix=LOWER
// Off by default; and only for kernels with auto-partition-warps warps.
// RUN: %autopipe-opt %inputs/triton-gemm-gfx942-w8-no-pingpong.ttgir -p 'builtin.module(autopipe-warp-pipeline-regions,autopipe-lower-warp-pipeline)' | FileCheck %s --check-prefix=OFF
// RUN: %autopipe-opt %inputs/triton-gemm-gfx942-w8-no-pingpong.ttgir -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true auto-partition-warps=4})' | FileCheck %s --check-prefix=OFF
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true})'

// REGIONS:      scf.for
// REGIONS-NEXT:   scf.execute_region
// REGIONS:          tt.load
// REGIONS:          tt.load
// REGIONS-NOT:      ttg.local
// REGIONS:        } {triton.warp_pipeline.priority = 1 : i32, triton.warp_pipeline.stage = "load"}
// REGIONS-NEXT:   scf.execute_region
// REGIONS-NEXT:     ttg.local_load
// REGIONS-NEXT:     ttg.local_load
// REGIONS-NEXT:     tt.dot
// REGIONS-NOT:      ttg.local_store
// REGIONS:        } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "compute"}
// REGIONS-NEXT:   scf.execute_region
// REGIONS:          ttg.local_store
// REGIONS:          amdg.in_thread_transpose
// REGIONS-NEXT:     ttg.local_store
// REGIONS:        } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "store"}
// REGIONS-NEXT:   scf.yield
// REGIONS-NEXT: } {autopipe.warp_pipeline.auto, triton.warp_pipeline.pipelined_for}

// LOWER:      %[[SZ:.*]] = arith.constant 256 : i32
// LOWER:      amdg.cond_barrier
// LOWER-NEXT: rocdl.s.setprio 1
// LOWER-NEXT: scf.for
// LOWER:      tt.load
// LOWER:      tt.load
// LOWER-NEXT: rocdl.s.setprio 0
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: rocdl.s.barrier
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: ttg.local_load
// LOWER-NEXT: ttg.local_load
// LOWER-NEXT: tt.dot
// LOWER-NEXT: rocdl.s.setprio 0
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: ttg.barrier local
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER:      ttg.local_store
// LOWER:      ttg.local_store
// LOWER-NEXT: rocdl.s.setprio 1
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: ttg.barrier local
// LOWER-NEXT: rocdl.sched.barrier none
// LOWER-NEXT: scf.yield
// LOWER:      rocdl.s.setprio 0
// LOWER-NEXT: amdg.cond_barrier

// OFF-NOT: scf.execute_region
// OFF-NOT: amdg.cond_barrier
// OFF-NOT: warp_pipeline

// A loop block-pingpong already scheduled is left alone.
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [8], order = [0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @already_scheduled(%n: i32, %p: tensor<256x!tt.ptr<f32>, #blocked>, %a: tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>, %b: tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>, %c: tensor<128x128xf32, #mma>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{not partitioned automatically: it already carries a schedule ('rocdl.s.setprio'}}
  scf.for %i = %c0 to %n step %c1 : i32 {
    %v = tt.load %p : tensor<256x!tt.ptr<f32>, #blocked>
    rocdl.s.setprio 1
    %d = tt.dot %a, %b, %c : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<128x128xf32, #mma>
  }
  tt.return
}
}

// -----

// A loop that writes global memory cannot have its loads hoisted.
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [8], order = [0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @writes_global(%n: i32, %p: tensor<256x!tt.ptr<f32>, #blocked>, %a: tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>, %b: tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>, %c: tensor<128x128xf32, #mma>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{not partitioned automatically: 'tt.store' writes global memory}}
  scf.for %i = %c0 to %n step %c1 : i32 {
    %d = tt.dot %a, %b, %c : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<128x128xf32, #mma>
    %v = tt.load %p : tensor<256x!tt.ptr<f32>, #blocked>
    tt.store %p, %v : tensor<256x!tt.ptr<f32>, #blocked>
  }
  tt.return
}
}
