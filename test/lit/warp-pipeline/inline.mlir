// A small hand-written case of the AMD warp pipeline on a plain 8-warp GEMM
// loop (no markers) with auto-partition: one LDS tile read by the MFMA's
// operand load and overwritten by the store of the next tile. The captured
// kernels (auto-partition.mlir, gluon-kernels.mlir) are the regression tests;
// regions.mlir / lower.mlir have the marker forms.
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true})' | FileCheck %s --check-prefix=REGIONS
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true},autopipe-lower-warp-pipeline{remarks=true})' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=LOWER < %t

// Regions: 'load' (the pointer increment and global load, moved first,
// priority 1), 'compute' (LDS read, MFMA), 'store' (LDS write, moved last).
// REGIONS:      scf.for
// REGIONS-NEXT:   %[[L:.*]]:2 = scf.execute_region {{.*}} no_inline {
// REGIONS-NEXT:     tt.addptr
// REGIONS-NEXT:     tt.load
// REGIONS:        } {triton.warp_pipeline.priority = 1 : i32, triton.warp_pipeline.stage = "load"}
// REGIONS-NEXT:   scf.execute_region {{.*}} no_inline {
// REGIONS-NEXT:     ttg.local_load
// REGIONS-NEXT:     tt.dot
// REGIONS:        } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "compute"}
// REGIONS-NEXT:   scf.execute_region no_inline {
// REGIONS-NEXT:     ttg.local_store %[[L]]#1
// REGIONS:        } {triton.warp_pipeline.priority = 0 : i32, triton.warp_pipeline.stage = "store"}
// REGIONS:      } {autopipe.warp_pipeline.auto, triton.warp_pipeline.pipelined_for}

// Lowered: 2 warp groups of 4 warps, one held back before the loop; a barrier
// at each stage boundary (rocdl.s.barrier), a barrier with an LDS fence
// (ttg.barrier local) where a stage reads what another writes; and, as the single tile is read by one group while the other
// overwrites it, the remark says they overlap.
// REMARK: remark: warp pipeline: {{.*}}overlapping LDS{{.*}}'compute'/'store' on [0, 16384)
// REMARK: remark: warp pipeline: {{.*}}3 stages, 2 warp group(s) of 256 threads
// REMARK-SAME: boundary before 'load': barrier + LDS fence ('store' {{.*}}'compute' (next iteration)
// REMARK-SAME: boundary before 'compute': barrier;
// REMARK-SAME: boundary before 'store': barrier + LDS fence ('compute' {{.*}}'store'
// LOWER:      amdg.cond_barrier
// LOWER-NEXT: rocdl.s.setprio 1
// LOWER-NEXT: scf.for
// LOWER:        tt.load
// LOWER:        rocdl.s.barrier
// LOWER:        tt.dot
// LOWER-NEXT:   rocdl.s.setprio 0
// LOWER-NEXT:   rocdl.sched.barrier none
// LOWER-NEXT:   ttg.barrier local
// LOWER:        ttg.local_store
// LOWER-NEXT:   rocdl.s.setprio 1
// LOWER-NEXT:   rocdl.sched.barrier none
// LOWER-NEXT:   ttg.barrier local
// LOWER-NEXT:   rocdl.sched.barrier none
// LOWER-NEXT:   scf.yield
// LOWER-NEXT: } {autopipe.warp_pipeline.auto, autopipe.warp_pipeline.lowered}
// LOWER-NEXT: rocdl.s.setprio 0
// LOWER-NEXT: amdg.cond_barrier
// LOWER-NOT:  scf.execute_region
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @gemm_loop(%n: i32, %pa0: tensor<128x64x!tt.ptr<f16>, #blocked>, %b: tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>) -> tensor<128x128xf32, #mma> {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %zero = arith.constant dense<0.0> : tensor<128x128xf32, #mma>
  %r:2 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>) : i32 {
    %a = ttg.local_load %buf : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>
    %d = tt.dot %a, %b, %acc : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<128x128xf32, #mma>
    %pn = tt.addptr %pa, %step : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %v = tt.load %pn : tensor<128x64x!tt.ptr<f16>, #blocked>
    ttg.local_store %v, %buf : tensor<128x64xf16, #blocked> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    scf.yield %d, %pn : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}
