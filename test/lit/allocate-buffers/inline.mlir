// Small hand-written cases of autopipe-allocate-buffers alone: an sm90 loop
// whose schedule is written in the input (loop.stage / loop.cluster), one
// tt.load of A feeding the wgmma through a local_alloc (B is already in shared
// memory). The captured kernels (gemm.mlir, tma.mlir, ...) are the regression
// tests; these show one rule each.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers)' -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t

// One cp.async circular buffer: load in stage 0, wgmma in stage 2 -> 3 slots
// (stage distance 2, plus the slot the wgmma still reads). Insert counter,
// copy and commit in the load's stage/cluster; extract counter, wait and the
// slot view in the consumer's; both counters start at -1 and wrap at 3.
// REMARK: remark: autopipe-allocate-buffers: loop at {{.*}}: 1 load(s)
// REMARK-SAME: 3 slot(s) !ttg.memdesc<3x128x64xf16, #ttg.nvmma_shared<{{[^;]*}}stage 0 -> 2 (async copy
// CHECK-LABEL: tt.func @one_buffer(
// CHECK:       %[[BUF:.*]] = ttg.local_alloc : () -> !ttg.memdesc<3x128x64xf16, #shared, #smem, mutable>
// CHECK-DAG:   %[[M1:.*]] = arith.constant -1 : i32
// CHECK-DAG:   %[[N:.*]] = arith.constant 3 : i32
// CHECK:       scf.for {{.*}} iter_args({{.*}}, %[[INS:.*]] = %[[M1]], %[[EXT:.*]] = %[[M1]])
// CHECK-NEXT:    %[[I1:.*]] = arith.addi %[[INS]], %{{.*}} {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    %[[W:.*]] = arith.cmpi sge, %[[I1]], %[[N]]
// CHECK-NEXT:    %[[I:.*]] = arith.select %[[W]], %{{.*}}, %[[I1]]
// CHECK-NEXT:    %[[SLOT:.*]] = ttg.memdesc_index %[[BUF]][%[[I]]] {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    %[[CP:.*]] = ttg.async_copy_global_to_local %{{.*}}, %[[SLOT]] {{.*}}loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    %[[G:.*]] = ttg.async_commit_group tokens %[[CP]] {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    %[[E1:.*]] = arith.addi %[[EXT]], %{{.*}} {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    arith.cmpi sge, %[[E1]], %[[N]]
// CHECK-NEXT:    %[[E:.*]] = arith.select
// CHECK-NEXT:    ttg.async_wait %[[G]] {loop.cluster = 0 : i32, loop.stage = 2 : i32, num = 0 : i32}
// CHECK-NEXT:    %[[VIEW:.*]] = ttg.memdesc_index %[[BUF]][%[[E]]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    ttng.warp_group_dot %[[VIEW]], %{{.*}}loop.stage = 2 : i32}
// CHECK-NOT:     tt.load
// CHECK:         scf.yield {{.*}}, %[[I]], %[[E]] :
// CHECK-NEXT:  } {autopipe.buffers = 1 : i32, tt.scheduled_max_stage = 2 : i32}
// CHECK-NEXT:  ttg.async_wait {num = 0 : i32}
// CHECK-NEXT:  ttg.local_dealloc %[[BUF]]
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @one_buffer(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %sb: !ttg.memdesc<64x128xf16, #shared, #smem>, %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:2 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>) : i32 {
    %a = tt.load %pa {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    scf.yield %d, %pa1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// wgmma in stage 1: stage distance 1 -> 2 slots.
// REMARK: remark: autopipe-allocate-buffers: loop at {{.*}}: 1 load(s)
// REMARK-SAME: 2 slot(s) !ttg.memdesc<2x128x64xf16{{[^;]*}}stage 0 -> 1 (async copy
// CHECK-LABEL: tt.func @distance_one(
// CHECK:       ttg.local_alloc : () -> !ttg.memdesc<2x128x64xf16
// CHECK:       ttg.async_wait {{.*}}loop.stage = 1 : i32, num = 0 : i32}
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @distance_one(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %sb: !ttg.memdesc<64x128xf16, #shared, #smem>, %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:2 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>) : i32 {
    %a = tt.load %pa {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 1 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 1 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    scf.yield %d, %pa1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// A pointer known only 2-byte aligned cannot be a cp.async: register-staged
// (the load stays, a local_store fills the slot at the end of the body, in a
// new last cluster of the load's stage), with the reason.
// REMARK: remark: autopipe-allocate-buffers: loop at {{.*}}: 1 load(s)
// REMARK-SAME: 3 slot(s) !ttg.memdesc<3x128x64xf16{{[^;]*}}stage 0 -> 2 (register-staged{{[^;]*}}cp.async{{[^;]*}}alignment
// CHECK-LABEL: tt.func @unaligned(
// CHECK:       ttg.local_alloc : () -> !ttg.memdesc<3x128x64xf16
// CHECK:       scf.for
// CHECK:         %[[V:.*]] = tt.load {{.*}}{loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK:         ttng.warp_group_dot
// CHECK:         ttg.local_store %[[V]], %{{.*}} {loop.cluster = 3 : i32, loop.stage = 0 : i32}
// CHECK-NOT:     ttg.async_copy_global_to_local
// CHECK:         scf.yield
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @unaligned(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<2> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %sb: !ttg.memdesc<64x128xf16, #shared, #smem>, %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:2 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>) : i32 {
    %a = tt.load %pa {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    scf.yield %d, %pa1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// No schedule on the loop: left alone, silently.
// REMARK-NOT: remark
// CHECK-LABEL: tt.func @unscheduled(
// CHECK-NOT:   ttg.local_alloc : ()
// CHECK-NOT:   ttg.async_copy_global_to_local
// CHECK:       tt.load
// CHECK:       ttg.local_alloc %{{.*}} : (tensor<128x64xf16
// CHECK:       tt.return
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @unscheduled(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %sb: !ttg.memdesc<64x128xf16, #shared, #smem>, %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:2 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    scf.yield %d, %pa1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}
