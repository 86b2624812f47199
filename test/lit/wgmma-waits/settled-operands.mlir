// The dropping of wait operands that only keep buffers of synchronous wgmmas
// alive (test-autopipe-drop-settled-wait-operands): %a is read by a
// synchronous wgmma only and its wait result is unused, so it is dropped; %c
// is read by an async wgmma, so it stays.
// RUN: %autopipe-opt %s -verify-diagnostics -p 'builtin.module(test-autopipe-drop-settled-wait-operands)' | FileCheck %s --check-prefix=DROP
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
// expected-remark @below {{1 operand(s) dropped}}
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// DROP-LABEL: tt.func @settled
// DROP:       %[[D:.*]] = ttng.warp_group_dot %arg0, %arg1, %arg3 :
// DROP:       %[[E:.*]] = ttng.warp_group_dot %arg2, %arg1, %[[D]] {isAsync = true}
// DROP-NEXT:  %{{.*}}:2 = ttng.warp_group_dot_wait %[[E]], %arg2 {pendings = 0 : i32}
tt.func @settled(%a: !ttg.memdesc<64x64xf16, #shared, #smem>, %b: !ttg.memdesc<64x64xf16, #shared, #smem>, %c: !ttg.memdesc<64x64xf16, #shared, #smem>, %acc: tensor<64x64xf32, #mma>) -> tensor<64x64xf32, #mma> {
  %d = ttng.warp_group_dot %a, %b, %acc : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
  %e = ttng.warp_group_dot %c, %b, %d {isAsync = true} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
  %w:3 = ttng.warp_group_dot_wait %e, %a, %c {pendings = 0 : i32} : tensor<64x64xf32, #mma>, !ttg.memdesc<64x64xf16, #shared, #smem>, !ttg.memdesc<64x64xf16, #shared, #smem>
  tt.return %w#0 : tensor<64x64xf32, #mma>
}
}
