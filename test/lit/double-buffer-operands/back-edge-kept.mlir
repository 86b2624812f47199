// autopipe-double-buffer-operands, back edge (prefetch-next) on hand-written
// loops. Positive: @invariant reads the same tiles every iteration; slice 0
// is loaded before the loop and again at the end of the body (after the
// first slice's MMA, before the last one's), carried as iter_args.
// Negative cases:
// (k-slice=32: two slices of the 64-wide K.) Both dots are split along K
// (slices loaded one ahead inside the iteration),
// but slice 0 of the next iteration is NOT moved to the end of the body:
//  - @stored_first: the body writes the tile (local_store) before it is read,
//    so loads moved into the previous iteration would read the old value;
//  - @acc_used: the accumulator is also used inside the body (not only
//    yielded), so the last slice's MMA cannot move after the next loads.
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-double-buffer-operands{k-slice=32})' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// REMARK-DAG: 1 dot(s) double-buffered along K (0 with slice 0 prefetched{{.*}}dot at {{.*}}slice 0 not prefetched{{.*}}writes shared memory{{.*}}(ttg.local_store at
// REMARK-DAG: 1 dot(s) double-buffered along K (0 with slice 0 prefetched{{.*}}dot at {{.*}}slice 0 not prefetched{{.*}}last slice's MMA has users other than the loop's yield
// REMARK-DAG: 1 dot(s) double-buffered along K (1 with slice 0 prefetched across the back edge){{$}}
// CHECK-LABEL: tt.func @stored_first
// CHECK:       scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<64x64xf32, #mma>)
// CHECK:         ttg.local_store
// CHECK-NEXT:    ttg.memdesc_subslice %{{.*}}[0, 0]
// CHECK:         tt.dot
// CHECK-NEXT:    tt.dot
// CHECK-NEXT:    scf.yield
// CHECK-LABEL: tt.func @acc_used
// CHECK:       scf.for {{.*}} -> (tensor<64x64xf32, #mma>)
// CHECK:         ttg.memdesc_subslice %{{.*}}[0, 0]
// CHECK:         tt.dot
// CHECK:         tt.dot
// CHECK-NEXT:    arith.addf
// CHECK-LABEL: tt.func @invariant
// CHECK:       %[[A0V:.*]] = ttg.memdesc_subslice %[[A:.*]][0, 0]
// CHECK-NEXT:  %[[A0:.*]] = ttg.local_load %[[A0V]]
// CHECK:       %[[B0:.*]] = ttg.local_load
// CHECK-NEXT:  scf.for {{.*}} iter_args(%[[ACC:[^ ]*]] = %{{[^ ]*}}, %[[CA:[^ ]*]] = %[[A0]], %[[CB:[^ ]*]] = %[[B0]])
// CHECK:         %[[D0:.*]] = tt.dot %[[CA]], %[[CB]], %[[ACC]]
// CHECK-NEXT:    %[[NV:.*]] = ttg.memdesc_subslice %[[A]][0, 0]
// CHECK-NEXT:    %[[NA:.*]] = ttg.local_load %[[NV]]
// CHECK:         %[[NB:.*]] = ttg.local_load
// CHECK-NEXT:    %[[D1:.*]] = tt.dot %{{.*}}, %{{.*}}, %[[D0]]
// CHECK-NEXT:    scf.yield %[[D1]], %[[NA]], %[[NB]]
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 2], instrShape = [16, 8]}>
#shared = #ttg.swizzled_shared<{vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
  tt.func @stored_first(%x: tensor<64x64xf16, #blocked>, %n: i32) -> tensor<64x64xf32, #mma> {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %zero = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %a = ttg.local_alloc : () -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %b = ttg.local_alloc : () -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      ttg.local_store %x, %a : tensor<64x64xf16, #blocked> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      %la = ttg.local_load %a : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
      %lb = ttg.local_load %b : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
      %d = tt.dot %la, %lb, %acc : tensor<64x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<64x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
      scf.yield %d : tensor<64x64xf32, #mma>
    }
    tt.return %r : tensor<64x64xf32, #mma>
  }
  tt.func @acc_used(%n: i32) -> tensor<64x64xf32, #mma> {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %zero = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %a = ttg.local_alloc : () -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %b = ttg.local_alloc : () -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      %la = ttg.local_load %a : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
      %lb = ttg.local_load %b : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
      %d = tt.dot %la, %lb, %acc : tensor<64x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<64x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
      %e = arith.addf %d, %d : tensor<64x64xf32, #mma>
      scf.yield %e : tensor<64x64xf32, #mma>
    }
    tt.return %r : tensor<64x64xf32, #mma>
  }
  tt.func @invariant(%n: i32) -> tensor<64x64xf32, #mma> {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %zero = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %a = ttg.local_alloc : () -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %b = ttg.local_alloc : () -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      %la = ttg.local_load %a : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
      %lb = ttg.local_load %b : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
      %d = tt.dot %la, %lb, %acc : tensor<64x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<64x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
      scf.yield %d : tensor<64x64xf32, #mma>
    }
    tt.return %r : tensor<64x64xf32, #mma>
  }
}
