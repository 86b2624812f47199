// Small hand-written cases of autopipe-print-schedule's dependency check on
// the sm90 GEMM loop (two tt.loads into local_allocs feeding a wgmma, pointer
// increments), with its schedule written in the input: Triton's default
// schedule is accepted and reported; a schedule that reads a value before it
// is produced is an error naming the two ops, their stages and clusters (the
// pass fails, so it never reaches the pipeline expander).
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-print-schedule{remarks=false output=-})' 2>&1 | FileCheck %s

// Good: loads stage 0 (cluster 2), pointer increments stage 1 (cluster 1),
// local_alloc + wgmma stage 2 (cluster 0).
// CHECK:      autopipe schedule of loop #0 in @good {{.*}}: 3 stage(s) (tt.scheduled_max_stage = 2), 3 cluster(s), 7 op(s)
// CHECK-NEXT:   stage 0 cluster 2  tt.load
// CHECK-NEXT:   stage 2 cluster 0  ttg.local_alloc
// CHECK-NEXT:   stage 0 cluster 2  tt.load
// CHECK-NEXT:   stage 2 cluster 0  ttg.local_alloc
// CHECK-NEXT:   stage 2 cluster 0  ttng.warp_group_dot
// CHECK-NEXT:   stage 1 cluster 1  tt.addptr
// CHECK-NEXT:   stage 1 cluster 1  tt.addptr
// (No expected-error in @good: -verify-diagnostics fails on any error there.)
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @good(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// Bad: A's local_alloc (stage 0) reads the load of stage 1.
// CHECK: error: loop #0 in @use_before_produced {{.*}}: ttg.local_alloc uses a value of 'tt.load' (stage 1, cluster 2){{.*}}'ttg.local_alloc' (stage 0, cluster 0)
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @use_before_produced(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa {loop.cluster = 2 : i32, loop.stage = 1 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>
    // expected-error @below {{uses a value of 'tt.load' (stage 1, cluster 2)}}
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 0 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// Bad, across the back edge: A's pointer increment moved to stage 2, but the
// stage-0 load of the next iteration reads it.
// CHECK: error: loop #0 in @carried_too_late {{.*}}: tt.load uses the previous iteration's value of 'tt.addptr' (stage 2, cluster 1){{.*}}'tt.load' (stage 0, cluster 2)
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @carried_too_late(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    // expected-error @below {{uses the previous iteration's value of 'tt.addptr' (stage 2, cluster 1)}}
    %a = tt.load %pa {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da {loop.cluster = 1 : i32, loop.stage = 2 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}
