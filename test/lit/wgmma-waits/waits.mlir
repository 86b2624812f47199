// The async-wgmma wait placement of autopipe-expand-loops (async-dots=autopipe)
// alone, through the test pass test-autopipe-wgmma-waits, on small expanded
// kernel loops. `autopipe.expand_stage` is the stage an op had before
// expansion (the expander copies it onto the kernel loop's ops).
// RUN: %autopipe-opt %s --split-input-file -verify-diagnostics -p 'builtin.module(test-autopipe-wgmma-waits)' | FileCheck %s

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// A GEMM's accumulator: read only by the next wgmma (in place), so nothing
// in the body waits; one wait 0 after the loop for the result.
// CHECK-LABEL: tt.func @in_place_accumulator
// CHECK:       scf.for
// CHECK:         ttng.warp_group_dot {{.*}}isAsync = true
// CHECK-NOT:     ttng.warp_group_dot_wait
// CHECK:         scf.yield
// CHECK:       %[[W:.*]] = ttng.warp_group_dot_wait %{{.*}} {pendings = 0 : i32}
// CHECK:       tt.return %[[W]]
tt.func @in_place_accumulator(%lb: i32, %ub: i32, %a: !ttg.memdesc<64x64xf16, #shared, #smem>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
  // expected-remark @below {{1 async wgmma, 0 waits}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
    %d = ttng.warp_group_dot %a, %b, %acc {autopipe.expand_stage = 0 : i32} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  }
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// A result read in the same iteration (scores read by softmax): the wait goes
// right before the reader and threads the result; no later wgmma was issued
// in between, so it waits for all (pendings = 0).
// CHECK-LABEL: tt.func @read_in_iteration
// CHECK:       scf.for
// CHECK:         %[[D:.*]] = ttng.warp_group_dot {{.*}}isAsync = true
// CHECK-NEXT:    %[[W:.*]] = ttng.warp_group_dot_wait %[[D]] {pendings = 0 : i32}
// CHECK-NEXT:    arith.addf %[[W]], %[[W]]
tt.func @read_in_iteration(%lb: i32, %ub: i32, %a: !ttg.memdesc<64x64xf16, #shared, #smem>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
  // expected-remark @below {{1 async wgmma, 1 waits}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
    %d = ttng.warp_group_dot %a, %b, %zero {autopipe.expand_stage = 0 : i32} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    %e = arith.addf %d, %d : tensor<64x64xf32, #mma>
    %s = arith.addf %acc, %e : tensor<64x64xf32, #mma>
    scf.yield %s : tensor<64x64xf32, #mma>
  }
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// A 2-slot circular buffer written in stage 0 and read by the wgmma in stage
// 1: the store into slot (i mod 2) must wait for the wgmma instance that last
// read that slot, one iteration back. The wgmma of this iteration may stay in
// flight across the store (pendings = 1); no wait threads a value, so the
// accumulator iter arg orders it.
// CHECK-LABEL: tt.func @slot_write
// CHECK:       scf.for {{.*}} iter_args(%[[ACC:arg[0-9]+]] = 
// CHECK:         ttng.warp_group_dot {{.*}}isAsync = true
// CHECK:         ttng.warp_group_dot_wait %[[ACC]] {pendings = 1 : i32}
// CHECK-NEXT:    ttg.local_store
tt.func @slot_write(%lb: i32, %ub: i32, %t: tensor<64x64xf16, #mma>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c2 = arith.constant 2 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  // expected-remark @below {{1 async wgmma, 1 waits}}
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zero, %k = %c0) -> (tensor<64x64xf32, #mma>, i32) : i32 {
    %rd = ttg.memdesc_index %buf[%k] {autopipe.expand_stage = 1 : i32} : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %d = ttng.warp_group_dot %rd, %b, %acc {autopipe.expand_stage = 1 : i32} : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    %k1 = arith.addi %k, %c1 {autopipe.expand_stage = 0 : i32} : i32
    %wrap = arith.cmpi sge, %k1, %c2 {autopipe.expand_stage = 0 : i32} : i32
    %kn = arith.select %wrap, %c0, %k1 {autopipe.expand_stage = 0 : i32} : i32
    %wr = ttg.memdesc_index %buf[%kn] {autopipe.expand_stage = 0 : i32} : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    ttg.local_store %t, %wr {autopipe.expand_stage = 0 : i32} : tensor<64x64xf16, #mma> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    scf.yield %d, %kn : tensor<64x64xf32, #mma>, i32
  }
  ttg.local_dealloc %buf : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  tt.return %r#0 : tensor<64x64xf32, #mma>
}
}

// -----

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// Rejected loops are left untouched (wgmma stays synchronous), with the reason.
// CHECK-LABEL: tt.func @f16_accumulator
// CHECK-NOT:   isAsync
// CHECK-NOT:   ttng.warp_group_dot_wait
// CHECK:       tt.return
tt.func @f16_accumulator(%lb: i32, %ub: i32, %a: !ttg.memdesc<64x64xf16, #shared, #smem>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf16, #mma> {
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf16, #mma>
  // expected-remark @below {{left as is: a wgmma accumulates in f16, not f32}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf16, #mma>) : i32 {
    %d = ttng.warp_group_dot %a, %b, %acc : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf16, #mma>
    scf.yield %d : tensor<64x64xf16, #mma>
  }
  tt.return %r : tensor<64x64xf16, #mma>
}

// CHECK-LABEL: tt.func @has_waits
tt.func @has_waits(%lb: i32, %ub: i32, %a: !ttg.memdesc<64x64xf16, #shared, #smem>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
  // expected-remark @below {{left as is: it already has wgmma waits}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
    %d = ttng.warp_group_dot %a, %b, %acc {isAsync = true} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    %w = ttng.warp_group_dot_wait %d {pendings = 0 : i32} : tensor<64x64xf32, #mma>
    scf.yield %w : tensor<64x64xf32, #mma>
  }
  tt.return %r : tensor<64x64xf32, #mma>
}
}

