// Small hand-written cases of autopipe-double-buffer-operands (prefetch-next
// off: the in-iteration form; back-edge-kept.mlir has the back edge): an sm80
// mma.sync dot with K = 32 reading both operands from shared memory is split
// into two K slices of 16 (one mma.sync K for fp16); slice 1 is loaded from
// shared memory before the MMA of slice 0, and the two dots chain their
// accumulators. The captured GEMM (gemm.mlir) is the regression test.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-double-buffer-operands{prefetch-next=false})' -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t

// REMARK: remark: autopipe-double-buffer-operands: loop at {{.*}}: 1 dot(s) double-buffered along K
// CHECK-LABEL: tt.func @one_dot(
// CHECK-SAME:    %[[A:[^:]*]]: !ttg.memdesc<64x32xf16{{.*}}, %[[B:[^:]*]]: !ttg.memdesc<32x64xf16
// CHECK:       scf.for {{.*}} iter_args(%[[ACC:[^ ]*]] = %{{.*}})
// CHECK-NEXT:    %[[A0V:.*]] = ttg.memdesc_subslice %[[A]][0, 0] : {{.*}} -> !ttg.memdesc<64x16xf16
// CHECK-NEXT:    %[[A0:.*]] = ttg.local_load %[[A0V]]
// CHECK-NEXT:    %[[B0V:.*]] = ttg.memdesc_subslice %[[B]][0, 0] : {{.*}} -> !ttg.memdesc<16x64xf16
// CHECK-NEXT:    %[[B0:.*]] = ttg.local_load %[[B0V]]
// CHECK-NEXT:    %[[A1V:.*]] = ttg.memdesc_subslice %[[A]][0, 16]
// CHECK-NEXT:    %[[A1:.*]] = ttg.local_load %[[A1V]]
// CHECK-NEXT:    %[[B1V:.*]] = ttg.memdesc_subslice %[[B]][16, 0]
// CHECK-NEXT:    %[[B1:.*]] = ttg.local_load %[[B1V]]
// CHECK-NEXT:    %[[D0:.*]] = tt.dot %[[A0]], %[[B0]], %[[ACC]] : tensor<64x16xf16
// CHECK-NEXT:    %[[D1:.*]] = tt.dot %[[A1]], %[[B1]], %[[D0]] : tensor<64x16xf16
// CHECK-NEXT:    scf.yield %[[D1]]
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 2], instrShape = [16, 8]}>
#shared = #ttg.swizzled_shared<{vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
tt.func @one_dot(%a: !ttg.memdesc<64x32xf16, #shared, #smem, mutable>, %b: !ttg.memdesc<32x64xf16, #shared, #smem, mutable>, %n: i32) -> tensor<64x64xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
    %la = ttg.local_load %a : !ttg.memdesc<64x32xf16, #shared, #smem, mutable> -> tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
    %lb = ttg.local_load %b : !ttg.memdesc<32x64xf16, #shared, #smem, mutable> -> tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
    %d = tt.dot %la, %lb, %acc : tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  }
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

// Rejected: the dot's operands are register values (convert_layout), not
// local_loads: nothing to double-buffer; the dot is left whole.
// REMARK: remark: autopipe-double-buffer-operands: loop at {{.*}}: 0 dot(s){{.*}}left as is: {{.*}}not shared-memory loads
// CHECK-LABEL: tt.func @register_operands(
// CHECK-NOT:   ttg.memdesc_subslice
// CHECK:       tt.dot {{.*}} : tensor<64x32xf16
// CHECK-NOT:   tt.dot
// CHECK:       tt.return
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 2], instrShape = [16, 8]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
tt.func @register_operands(%x: tensor<64x32xf16, #blocked>, %y: tensor<32x64xf16, #blocked>, %n: i32) -> tensor<64x64xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
    %la = ttg.convert_layout %x : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
    %lb = ttg.convert_layout %y : tensor<32x64xf16, #blocked> -> tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
    %d = tt.dot %la, %lb, %acc : tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  }
  tt.return %r : tensor<64x64xf32, #mma>
}
}
