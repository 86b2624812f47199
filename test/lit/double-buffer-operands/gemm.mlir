// autopipe-double-buffer-operands on the sm80 GEMM after our buffers and
// expansion: the mma.sync dot (K = 64) reads its operands from circular-buffer
// slots with local_load; with k-slice=32 it is split into two K slices of 32,
// both slices' loads are memdesc_subslice views of the same slots with
// the same async-wait token, slice 1 is loaded before the MMA of slice 0, and
// the two dots chain their accumulators. (2 slots: the local_loads read
// before the copy into the slot, as in Triton.)
//
// Across the back edge (default prefetch-next=true): slice 0 of iteration 0
// is loaded before the loop (the body's wait, extract index and views
// recomputed from the iter_args' initial values); in the body, after the
// iteration's async copies were committed, the same wait (on the yielded
// tokens), the next extract index and slice 0 of the next slot are loaded and
// yielded; the MMA of slice 1 follows those loads. The body's own async_wait
// is gone: slice 1 reads with the wait token carried from the end of the
// previous iteration (the prologue's wait for iteration 0).
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-double-buffer-operands{k-slice=32})' \
// RUN:   -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// REMARK: remark: autopipe-double-buffer-operands: loop at {{.*}}: 1 dot(s) double-buffered along K (1 with slice 0 prefetched across the back edge){{$}}
// CHECK:        %[[PW:.*]] = ttg.async_wait %{{.*}}, %{{.*}} {num = 2 : i32}
// CHECK-NEXT:   %[[PA:.*]] = ttg.local_load %{{.*}} token %[[PW]] : !ttg.memdesc<128x32xf16
// CHECK:        %[[PB:.*]] = ttg.local_load %{{.*}} token %[[PW]] : !ttg.memdesc<32x128xf16
// CHECK-NEXT:   scf.for {{.*}} iter_args(%[[ACC:[^ ]*]] = {{.*}}, %[[T0:[^ ]*]] = %{{.*}}, %[[T1:[^ ]*]] = %{{.*}}, %[[T2:[^ ]*]] = %{{.*}}, %[[T3:[^ ]*]] = %{{.*}}, %[[CA:[^ ]*]] = %[[PA]], %[[CB:[^ ]*]] = %[[PB]], %[[CW:[^ ]*]] = %[[PW]])
// CHECK-NOT:    ttg.async_wait
// CHECK:        %[[VA:.*]] = ttg.memdesc_index %{{.*}}[%[[E:.*]]] : !ttg.memdesc<2x128x64xf16
// CHECK-NEXT:   %[[VB:.*]] = ttg.memdesc_index %{{.*}}[%[[E]]] : !ttg.memdesc<2x64x128xf16
// CHECK-NEXT:   %[[A1V:.*]] = ttg.memdesc_subslice %[[VA]][0, 32]
// CHECK-NEXT:   %[[A1:.*]] = ttg.local_load %[[A1V]] token %[[CW]]
// CHECK-NEXT:   %[[B1V:.*]] = ttg.memdesc_subslice %[[VB]][32, 0]
// CHECK-NEXT:   %[[B1:.*]] = ttg.local_load %[[B1V]] token %[[CW]]
// CHECK-NEXT:   %[[D0:.*]] = tt.dot %[[CA]], %[[CB]], %[[ACC]], inputPrecision = tf32 : tensor<128x32xf16
// CHECK-NOT:    ttg.async_wait
// CHECK:        ttg.async_copy_global_to_local
// CHECK:        %[[C1:.*]] = ttg.async_commit_group
// CHECK:        ttg.async_copy_global_to_local
// CHECK:        %[[C2:.*]] = ttg.async_commit_group
// CHECK-NEXT:   %[[NE0:.*]] = arith.addi %[[E]], %c1_i32
// CHECK:        %[[NE:.*]] = arith.select %{{.*}}, %c0_i32, %[[NE0]]
// CHECK-NEXT:   %[[NVA:.*]] = ttg.memdesc_index %{{.*}}[%[[NE]]] : !ttg.memdesc<2x128x64xf16
// CHECK-NEXT:   %[[NA0V:.*]] = ttg.memdesc_subslice %[[NVA]][0, 0]
// CHECK-NEXT:   %[[NW:.*]] = ttg.async_wait %[[T1]], %[[T3]] {num = 2 : i32}
// CHECK-NEXT:   %[[NA:.*]] = ttg.local_load %[[NA0V]] token %[[NW]]
// CHECK-NEXT:   %[[NVB:.*]] = ttg.memdesc_index %{{.*}}[%[[NE]]] : !ttg.memdesc<2x64x128xf16
// CHECK-NEXT:   %[[NB0V:.*]] = ttg.memdesc_subslice %[[NVB]][0, 0]
// CHECK-NEXT:   %[[NB:.*]] = ttg.local_load %[[NB0V]] token %[[NW]]
// CHECK-NEXT:   %[[D1:.*]] = tt.dot %[[A1]], %[[B1]], %[[D0]], inputPrecision = tf32 : tensor<128x32xf16
// CHECK-NEXT:   scf.yield %[[D1]], {{.*}}, %[[T1]], %[[C1]], %[[T3]], %[[C2]], %[[NA]], %[[NB]], %[[NW]] :

// prefetch-next=false: slice 0 is loaded in the iteration, before slice 1.
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-double-buffer-operands{k-slice=32 prefetch-next=false})' \
// RUN:   -o %t.in 2>&1 | FileCheck %s --check-prefix=REMARK-IN
// RUN: FileCheck %s --check-prefix=IN < %t.in
// REMARK-IN: remark: autopipe-double-buffer-operands: loop at {{.*}}: 1 dot(s) double-buffered along K{{$}}
// IN:      scf.for
// IN:        %[[W:.*]] = ttg.async_wait
// IN:        %[[VA:.*]] = ttg.memdesc_index %{{.*}}[%[[E:.*]]] : !ttg.memdesc<2x128x64xf16
// IN:        %[[VB:.*]] = ttg.memdesc_index %{{.*}}[%[[E]]] : !ttg.memdesc<2x64x128xf16
// IN-NEXT:   %[[A0V:.*]] = ttg.memdesc_subslice %[[VA]][0, 0] : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<128x32xf16, #shared, #smem, mutable, 128x64>
// IN-NEXT:   %[[A0:.*]] = ttg.local_load %[[A0V]] token %[[W]] : {{.*}} -> tensor<128x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
// IN-NEXT:   %[[B0V:.*]] = ttg.memdesc_subslice %[[VB]][0, 0] : {{.*}} -> !ttg.memdesc<32x128xf16, #shared, #smem, mutable, 64x128>
// IN-NEXT:   %[[B0:.*]] = ttg.local_load %[[B0V]] token %[[W]]
// IN-NEXT:   %[[A1V:.*]] = ttg.memdesc_subslice %[[VA]][0, 32]
// IN-NEXT:   %[[A1:.*]] = ttg.local_load %[[A1V]] token %[[W]]
// IN-NEXT:   %[[B1V:.*]] = ttg.memdesc_subslice %[[VB]][32, 0]
// IN-NEXT:   %[[B1:.*]] = ttg.local_load %[[B1V]] token %[[W]]
// IN-NEXT:   %[[D0:.*]] = tt.dot %[[A0]], %[[B0]], %arg{{[0-9]+}}, inputPrecision = tf32 : tensor<128x32xf16
// IN-NEXT:   %[[D1:.*]] = tt.dot %[[A1]], %[[B1]], %[[D0]], inputPrecision = tf32 : tensor<128x32xf16
// IN-NOT:    tt.dot
// IN:        scf.yield %[[D1]],

// Default k-slice: one mma.sync instruction's K (16 for fp16), four slices;
// each slice's loads come before the previous slice's MMA; slice 0 of the
// next iteration before the last MMA.
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-double-buffer-operands{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=K16
// K16:      scf.for
// K16:      ttg.memdesc_subslice %{{.*}}[0, 16]
// K16:      tt.dot
// K16-NEXT: ttg.memdesc_subslice %{{.*}}[0, 32]
// K16:      tt.dot
// K16-NEXT: ttg.memdesc_subslice %{{.*}}[0, 48]
// K16:      tt.dot
// K16:      ttg.async_commit_group
// K16:      ttg.memdesc_subslice %{{.*}}[0, 0]
// K16:      tt.dot
// K16-NEXT: scf.yield

// Negative cases: stages=1 is off (nothing changes); a k-slice that leaves
// one slice, or is not a multiple of the instruction's K (16 for fp16
// mma.sync), leaves the dot as is with a remark; wgmma (reads shared memory
// itself) is left as is; bad options are errors.
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-double-buffer-operands{stages=1})' \
// RUN:   | FileCheck %s --check-prefix=OFF
// OFF-NOT: ttg.memdesc_subslice
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-double-buffer-operands{k-slice=64})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=ONE
// ONE: 0 dot(s) double-buffered along K; dot at {{.*}} left as is: K = 64 is not a multiple of 2 x 64 (k-slice)
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-double-buffer-operands{k-slice=8})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=INSTR
// INSTR: left as is: k-slice 8 is not a multiple of the MMA instruction's K (16)
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-double-buffer-operands)' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=WGMMA
// WGMMA: 0 dot(s) double-buffered along K; MMA at {{.*}} reads shared memory directly; left as is
// RUN: not %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir -p 'builtin.module(autopipe-double-buffer-operands{stages=3})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD: error: autopipe-double-buffer-operands: stages must be 1 (off) or 2 (double buffering), got 3
// RUN: not %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir -p 'builtin.module(autopipe-double-buffer-operands{k-slice=-1})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BADK
// BADK: error: autopipe-double-buffer-operands: k-slice must be >= 0, got -1
