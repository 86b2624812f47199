// Loops the auto-partition heuristic must leave as is: each gets a remark
// naming the op and the reason, and no stage markers.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-warp-pipeline-regions{auto-partition=true})' | FileCheck %s
// CHECK-NOT: warp_pipeline

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
#dA = #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>
#dB = #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// An explicit barrier in the body would pair with a stage boundary barrier.
tt.func @barrier(%n: i32, %p: tensor<128x64x!tt.ptr<f16>, #blocked>, %a: tensor<128x64xf16, #dA>, %b: tensor<64x128xf16, #dB>, %c: tensor<128x128xf32, #mma>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{not partitioned automatically: 'ttg.barrier' is an explicit barrier or wait}}
  scf.for %i = %c0 to %n step %c1 : i32 {
    %v = tt.load %p : tensor<128x64x!tt.ptr<f16>, #blocked>
    ttg.barrier local
    %d = tt.dot %a, %b, %c : tensor<128x64xf16, #dA> * tensor<64x128xf16, #dB> -> tensor<128x128xf32, #mma>
  }
  tt.return
}
}

// -----

// A load whose address is read from LDS cannot move before the LDS writes.
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
#dA = #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>
#dB = #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @address_from_lds(%n: i32, %p: tensor<128x64x!tt.ptr<f16>, #blocked>, %a: tensor<128x64xf16, #dA>, %b: tensor<64x128xf16, #dB>, %c: tensor<128x128xf32, #mma>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %offs = ttg.local_alloc : () -> !ttg.memdesc<128x64xi32, #shared, #smem, mutable>
  // expected-remark @below {{not partitioned automatically: 'ttg.local_load' feeds a global load but touches shared memory or writes}}
  scf.for %i = %c0 to %n step %c1 : i32 {
    %o = ttg.local_load %offs : !ttg.memdesc<128x64xi32, #shared, #smem, mutable> -> tensor<128x64xi32, #blocked>
    %q = tt.addptr %p, %o : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %v = tt.load %q : tensor<128x64x!tt.ptr<f16>, #blocked>
    %d = tt.dot %a, %b, %c : tensor<128x64xf16, #dA> * tensor<64x128xf16, #dB> -> tensor<128x128xf32, #mma>
  }
  tt.return
}
}

// -----

// Moving the LDS write last would move it past a later LDS read.
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
#dA = #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>
#dB = #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @lds_read_after_write(%n: i32, %p: tensor<128x64x!tt.ptr<f16>, #blocked>, %b: tensor<64x128xf16, #dB>, %c: tensor<128x128xf32, #mma>) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %buf = ttg.local_alloc : () -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
  // expected-remark @below {{not partitioned automatically: 'ttg.local_load' accesses shared memory after an LDS write}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c) -> (tensor<128x128xf32, #mma>) : i32 {
    %v = tt.load %p : tensor<128x64x!tt.ptr<f16>, #blocked>
    ttg.local_store %v, %buf : tensor<128x64xf16, #blocked> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    %a = ttg.local_load %buf : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> tensor<128x64xf16, #dA>
    %d = tt.dot %a, %b, %acc : tensor<128x64xf16, #dA> * tensor<64x128xf16, #dB> -> tensor<128x128xf32, #mma>
    scf.yield %d : tensor<128x128xf32, #mma>
  }
  tt.return %r : tensor<128x128xf32, #mma>
}
}

// -----

// Everything but the load feeds the LDS write: no compute stage is left.
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [4, 2], instrShape = [32, 32, 8], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
#dA = #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>
#dB = #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @no_compute(%n: i32, %p: tensor<128x64x!tt.ptr<f16>, #blocked>, %a: tensor<128x64xf16, #dA>, %b: tensor<64x128xf16, #dB>, %c: tensor<128x128xf32, #mma>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %out = ttg.local_alloc : () -> !ttg.memdesc<128x128xf32, #shared, #smem, mutable>
  // expected-remark @below {{not partitioned automatically: nothing left for a compute stage}}
  scf.for %i = %c0 to %n step %c1 : i32 {
    %v = tt.load %p : tensor<128x64x!tt.ptr<f16>, #blocked>
    %d = tt.dot %a, %b, %c : tensor<128x64xf16, #dA> * tensor<64x128xf16, #dB> -> tensor<128x128xf32, #mma>
    ttg.local_store %d, %out : tensor<128x128xf32, #mma> -> !ttg.memdesc<128x128xf32, #shared, #smem, mutable>
  }
  tt.return
}
}
