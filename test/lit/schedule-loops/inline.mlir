// Small hand-written cases of autopipe-schedule-loops, one feature each: the
// same sm90 GEMM loop (two tt.loads into local_allocs feeding one
// ttng.warp_group_dot, pointer increments) in each case, varied in one place.
// The captured kernels (gemm.mlir, attention.mlir, ...) are the regression
// tests; these show the rule on IR small enough to read.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-schedule-loops)' -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// Default schedule, 3 stages (the option's default): loads in stage 0, issued
// last in the body (cluster 2) for the iteration two ahead; pointer
// increments in stage 1 (cluster 1); local_alloc + wgmma in stage 2, first.
// REMARK: inline.mlir:{{[0-9]+}}:{{[0-9]+}}: remark: autopipe-schedule-loops: loop at {{.*}}: default schedule, 3 stages, 2 pipelined load(s)
// CHECK-LABEL: tt.func @gemm(
// CHECK:       scf.for
// CHECK-NEXT:    tt.load {{.*}}{loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    ttg.local_alloc {{.*}}{loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    tt.load {{.*}}{loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    ttg.local_alloc {{.*}}{loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    ttng.warp_group_dot {{.*}}loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    tt.addptr {{.*}}{loop.cluster = 1 : i32, loop.stage = 1 : i32}
// CHECK-NEXT:    tt.addptr {{.*}}{loop.cluster = 1 : i32, loop.stage = 1 : i32}
// CHECK-NEXT:    scf.yield
// CHECK-NEXT:  } {autopipe.schedule = "default", tt.scheduled_max_stage = 2 : i32}
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @gemm(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// tt.num_stages on the loop overrides the option (3): 4 stages, the loads
// three iterations ahead of the wgmma.
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}: default schedule, 4 stages, 2 pipelined load(s)
// CHECK-LABEL: tt.func @num_stages_attr(
// CHECK:       tt.load {{.*}}loop.stage = 0 : i32}
// CHECK:       ttng.warp_group_dot {{.*}}loop.cluster = 0 : i32, loop.stage = 3 : i32}
// CHECK:       tt.scheduled_max_stage = 3 : i32
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @num_stages_attr(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  } {tt.num_stages = 4 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// Shared-memory budget: 4 stages of the two 16 KB tiles (128 KB) do not fit in
// sm86's 99 KB: 3 stages, and the remark gives the numbers.
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}: default schedule, 3 stages, {{.*}}num_stages 4 -> 3 {{.*}}shared memory (131072 bytes > 101376 left)
// CHECK-LABEL: tt.func @sm86_budget(
// CHECK:       ttng.warp_group_dot {{.*}}loop.stage = 2 : i32}
// CHECK:       tt.scheduled_max_stage = 2 : i32
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:86", "ttg.threads-per-warp" = 32 : i32} {
tt.func @sm86_budget(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  } {tt.num_stages = 4 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// Rejected: pointers known only 2-byte aligned (tt.divisibility = 2): no load
// can become a cp.async, so nothing to pipeline; the loop is left as it was.
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}: no pipelinable load
// REMARK-SAME: left as is
// CHECK-LABEL: tt.func @unaligned(
// CHECK-NOT:   loop.stage
// CHECK-NOT:   tt.scheduled_max_stage
// CHECK:       tt.return
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @unaligned(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<2> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<2> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// Rejected: tt.num_stages = 1 on the loop.
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}: num_stages = 1{{.*}}left as is
// CHECK-LABEL: tt.func @one_stage(
// CHECK-NOT:   loop.stage
// CHECK-NOT:   tt.scheduled_max_stage
// CHECK:       tt.return
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @one_stage(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  } {tt.num_stages = 1 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// Rejected: the loop already carries a (2-stage) schedule; it is kept as is,
// not replaced by a 3-stage one.
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}: already scheduled{{.*}}left as is
// CHECK-LABEL: tt.func @already(
// CHECK:       ttng.warp_group_dot {{.*}}loop.cluster = 0 : i32, loop.stage = 1 : i32}
// CHECK-NOT:   loop.stage = 2
// CHECK:       tt.scheduled_max_stage = 1 : i32
// CHECK-NOT:   autopipe.schedule
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @already(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 1 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b {loop.cluster = 0 : i32, loop.stage = 1 : i32} : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 1 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}
