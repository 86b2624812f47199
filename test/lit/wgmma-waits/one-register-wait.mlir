// A loop whose wgmma accumulates in place but whose result is not used after
// the loop (the epilogue is inside it), and that also carries a small tensor
// holding one 32-bit register per thread. The wait after the loop must retire
// the last wgmmas; with no used result to thread, the placement threads a
// tensor iter arg. A one-register tensor must not be that value: Triton lowers
// a one-operand warp_group_dot_wait to inline asm with a single output that
// returns !llvm.struct<(i32)>, which LLVM rejects ("inline asm with one output
// cannot return struct").
// The same for a tensor of 8-bit elements: the lowering has no output
// constraint for them ("Unexpected bitwidth in WGMMAWaitGroupOp: 8").
// RUN: %autopipe-opt %s -verify-diagnostics -p 'builtin.module(test-autopipe-wgmma-waits)' | FileCheck %s
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#blocked4 = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// CHECK-LABEL: tt.func @one_register_iter_arg
// CHECK:       %[[R:.*]]:2 = scf.for
// CHECK:       ttng.warp_group_dot_wait %[[R]]#0 {pendings = 0 : i32} : tensor<64x64xf32, #mma>
tt.func @one_register_iter_arg(%lb: i32, %ub: i32, %a: !ttg.memdesc<64x64xf16, #shared, #smem>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>, %p: tensor<128x!tt.ptr<i32>, #blocked>) {
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
  %ones = arith.constant dense<1> : tensor<128xi32, #blocked>
  // expected-remark @below {{1 async wgmma, 0 waits}}
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zero, %offs = %ones) -> (tensor<64x64xf32, #mma>, tensor<128xi32, #blocked>) : i32 {
    %d = ttng.warp_group_dot %a, %b, %acc {autopipe.expand_stage = 0 : i32} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    %o = arith.addi %offs, %ones : tensor<128xi32, #blocked>
    scf.yield %d, %o : tensor<64x64xf32, #mma>, tensor<128xi32, #blocked>
  }
  tt.store %p, %r#1 : tensor<128x!tt.ptr<i32>, #blocked>
  tt.return
}

// CHECK-LABEL: tt.func @byte_iter_arg
// CHECK:       %[[R:.*]]:2 = scf.for
// CHECK:       ttng.warp_group_dot_wait %[[R]]#0 {pendings = 0 : i32} : tensor<64x64xf32, #mma>
tt.func @byte_iter_arg(%lb: i32, %ub: i32, %a: !ttg.memdesc<64x64xf16, #shared, #smem>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>, %p: tensor<512x!tt.ptr<i8>, #blocked4>) {
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
  %ones = arith.constant dense<1> : tensor<512xi8, #blocked4>
  // expected-remark @below {{1 async wgmma, 0 waits}}
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zero, %v = %ones) -> (tensor<64x64xf32, #mma>, tensor<512xi8, #blocked4>) : i32 {
    %d = ttng.warp_group_dot %a, %b, %acc {autopipe.expand_stage = 0 : i32} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    %w = arith.addi %v, %ones : tensor<512xi8, #blocked4>
    scf.yield %d, %w : tensor<64x64xf32, #mma>, tensor<512xi8, #blocked4>
  }
  tt.store %p, %r#1 : tensor<512x!tt.ptr<i8>, #blocked4>
  tt.return
}
}
