// autopipe-allocate-buffers on real GEMMs scheduled by autopipe-schedule-loops
// (loads in stage 0, MMA in stage 2): each load becomes a circular buffer in
// shared memory filled by cp.async, in the load's stage/cluster, and read in
// the consumer's stage/cluster; the slot counters are loop-carried and wrap.

// sm90 (wgmma reads shared memory): 3 slots (stage distance 2 + 1), the
// local_alloc's NVMMA encoding, the local_alloc replaced by the slot view.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-print-schedule{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=SM90
// SM90:      #[[SHARED:.*]] = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
// SM90:      %[[BUFA:.*]] = ttg.local_alloc : () -> !ttg.memdesc<3x128x64xf16, #[[SHARED]], #smem, mutable>
// SM90-NEXT: %[[BUFB:.*]] = ttg.local_alloc : () -> !ttg.memdesc<3x64x128xf16, #[[SHARED]], #smem, mutable>
// SM90-NEXT: %[[M1:.*]] = arith.constant -1 : i32
// SM90-NEXT: %[[ZERO:.*]] = arith.constant 0 : i32
// SM90-NEXT: %[[ONE:.*]] = arith.constant 1 : i32
// SM90-NEXT: %[[N:.*]] = arith.constant 3 : i32
// Both counters start at -1 (advanced before their first use).
// SM90:      scf.for {{.*}} iter_args({{.*}}, %[[INS:.*]] = %[[M1]], %[[EXT:.*]] = %[[M1]]) -> ({{.*}}, i32, i32)
// The insert counter, the copy and its commit group: stage 0, the loads' cluster.
// SM90:      %[[I1:.*]] = arith.addi %[[INS]], %[[ONE]] {loop.cluster = 2 : i32, loop.stage = 0 : i32} : i32
// SM90-NEXT: %[[IW:.*]] = arith.cmpi sge, %[[I1]], %[[N]] {loop.cluster = 2 : i32, loop.stage = 0 : i32} : i32
// SM90-NEXT: %[[I:.*]] = arith.select %[[IW]], %[[ZERO]], %[[I1]] {loop.cluster = 2 : i32, loop.stage = 0 : i32} : i32
// SM90-NEXT: %[[SLOTA:.*]] = ttg.memdesc_index %[[BUFA]][%[[I]]] {loop.cluster = 2 : i32, loop.stage = 0 : i32} : !ttg.memdesc<3x128x64xf16, #[[SHARED]], #smem, mutable> -> !ttg.memdesc<128x64xf16, #[[SHARED]], #smem, mutable>
// The original load's pointers, mask and other; contiguity from axis info.
// SM90-NEXT: %[[CPA:.*]] = ttg.async_copy_global_to_local %arg11, %[[SLOTA]] mask %{{.*}} other %cst_0 {contiguity = 8 : i32, loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>, #blocked> -> <128x64xf16, #[[SHARED]], #smem, mutable>
// SM90-NEXT: %[[GA:.*]] = ttg.async_commit_group tokens %[[CPA]] {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// The extract counter, the wait and the read view: stage 2, the MMA's cluster.
// SM90-NEXT: %[[E1:.*]] = arith.addi %[[EXT]], %[[ONE]] {loop.cluster = 0 : i32, loop.stage = 2 : i32} : i32
// SM90-NEXT: %[[EW:.*]] = arith.cmpi sge, %[[E1]], %[[N]] {loop.cluster = 0 : i32, loop.stage = 2 : i32} : i32
// SM90-NEXT: %[[E:.*]] = arith.select %[[EW]], %[[ZERO]], %[[E1]] {loop.cluster = 0 : i32, loop.stage = 2 : i32} : i32
// SM90-NEXT: ttg.async_wait %[[GA]] {loop.cluster = 0 : i32, loop.stage = 2 : i32, num = 0 : i32}
// SM90-NEXT: %[[VA:.*]] = ttg.memdesc_index %[[BUFA]][%[[E]]] {loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<3x128x64xf16, #[[SHARED]], #smem, mutable> -> !ttg.memdesc<128x64xf16, #[[SHARED]], #smem, mutable>
// SM90-NOT:  ttg.local_alloc
// B shares the counters (same slots and stages).
// SM90:      ttg.memdesc_index %[[BUFB]][%[[I]]] {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// SM90:      ttg.async_copy_global_to_local %arg12, {{.*}} mask {{.*}} other %cst_1
// SM90:      ttg.async_wait {{.*}}num = 0 : i32}
// SM90-NEXT: %[[VB:.*]] = ttg.memdesc_index %[[BUFB]][%[[E]]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// SM90-NEXT: ttng.warp_group_dot %[[VA]], %[[VB]], %arg10 {{.*}}loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #[[SHARED]], #smem, mutable> * !ttg.memdesc<64x128xf16, #[[SHARED]], #smem, mutable>
// SM90:      scf.yield {{.*}}, %[[I]], %[[E]] : {{.*}}, i32, i32
// SM90-NEXT: } {autopipe.buffers = 2 : i32, autopipe.schedule = "default", tt.scheduled_max_stage = 2 : i32}
// Drain the speculative copies, then free the buffers.
// SM90-NEXT: ttg.async_wait {num = 0 : i32}
// SM90-NEXT: ttg.local_dealloc %[[BUFB]]
// SM90-NEXT: ttg.local_dealloc %[[BUFA]]
// SM90-NOT:  tt.load

// The remark: slots, types, stages.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers)' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// REMARK: remark: autopipe-allocate-buffers: loop at {{.*}}gemm-sm90-before-scheduling.ttgir:57:13: 2 load(s)
// REMARK-SAME: :63:13: 3 slot(s) !ttg.memdesc<3x128x64xf16, #ttg.nvmma_shared<{{[^;]*}}stage 0 -> 2 (async copy
// REMARK-SAME: :68:13: 3 slot(s) !ttg.memdesc<3x64x128xf16, {{[^;]*}}stage 0 -> 2 (async copy
// REMARK-NOT: kept synchronous

// sm80 (mma.sync: the load feeds a convert_layout to a dot operand): the
// swizzled encoding Triton picks for it, a local_load of the slot (with the
// wait's token) in place of the load; 2 slots, as the read (cluster 0)
// precedes the copy (cluster 2) in the kernel iteration.
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-print-schedule{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=SM80
// SM80:      #[[SW:.*]] = #ttg.swizzled_shared<{vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]}>
// SM80:      %[[BUFA:.*]] = ttg.local_alloc : () -> !ttg.memdesc<2x128x64xf16, #[[SW]], #smem, mutable>
// SM80-NEXT: ttg.local_alloc : () -> !ttg.memdesc<2x64x128xf16, #[[SW]], #smem, mutable>
// SM80:      %[[N:.*]] = arith.constant 2 : i32
// SM80:      arith.cmpi sge, %{{.*}}, %[[N]] {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// SM80:      %[[CP:.*]] = ttg.async_copy_global_to_local %arg11, {{.*}} mask {{.*}} other %cst_0 {contiguity = 8 : i32, loop.cluster = 2 : i32, loop.stage = 0 : i32}
// SM80-NEXT: %[[G:.*]] = ttg.async_commit_group tokens %[[CP]]
// SM80:      %[[W:.*]] = ttg.async_wait %[[G]] {loop.cluster = 0 : i32, loop.stage = 2 : i32, num = 0 : i32}
// SM80-NEXT: %[[V:.*]] = ttg.memdesc_index %[[BUFA]][%{{.*}}] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// SM80-NEXT: %[[L:.*]] = ttg.local_load %[[V]] token %[[W]] {loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #[[SW]], #smem, mutable> -> tensor<128x64xf16, #blocked>
// SM80-NEXT: ttg.convert_layout %[[L]] {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<128x64xf16, #blocked> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0
// SM80:      ttg.async_wait {num = 0 : i32}
// SM80-NEXT: ttg.local_dealloc
// SM80-NEXT: ttg.local_dealloc

// A non-zero `other` on sm80 and tt.num_stages = 4 on the loop: the small
// cases at the end of this file.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=CASE

// global-to-shared-stages: 4 slots when asked for at least the distance + 1;
// fewer than needed is ignored (3 stay).
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false global-to-shared-stages=4})' \
// RUN:   | FileCheck %s --check-prefix=SLOTS4
// SLOTS4: ttg.local_alloc : () -> !ttg.memdesc<4x128x64xf16
// SLOTS4: ttg.local_alloc : () -> !ttg.memdesc<4x64x128xf16
// SLOTS4: %[[N:.*]] = arith.constant 4 : i32
// SLOTS4: arith.cmpi sge, %{{.*}}, %[[N]]
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false global-to-shared-stages=2})' \
// RUN:   | FileCheck %s --check-prefix=SLOTS2
// SLOTS2: ttg.local_alloc : () -> !ttg.memdesc<3x128x64xf16

// Triton's tritongpu-pipeline takes the lowered loop as it is: it expands it
// (prologue copies for iterations 0 and 1, the kernel, the epilogue) and
// computes the wait counts; the result equals what it produces from the
// unlowered loop up to the placement of the insert counter.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},tritongpu-pipeline{num-stages=3})' \
// RUN:   | FileCheck %s --check-prefix=EXPAND
// EXPAND-COUNT-2: ttg.async_copy_global_to_local %{{[0-9]+}}, {{.*}} : tensor<128x64x!tt.ptr<f16>
// EXPAND:         scf.for
// EXPAND:         ttg.async_wait %{{.*}}, %{{.*}} {num = 2 : i32}
// EXPAND:         ttng.warp_group_dot {{.*}}isAsync = true
// EXPAND:         ttg.async_copy_global_to_local
// EXPAND:         scf.yield
// EXPAND-NOT:     loop.stage
// EXPAND:         ttg.async_wait {num = 0 : i32}
// EXPAND-NEXT:    ttg.local_dealloc
// EXPAND-NEXT:    ttg.local_dealloc

// A non-zero `other` on sm80 is kept: on the copy, and as a select after the
// local_load (cp.async zero-fills masked elements).
// CASE-LABEL: tt.func @sm80_other_nonzero(
// CASE:       %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<128x64xf16, #blocked>
// CASE:       ttg.async_copy_global_to_local %{{.*}}, %{{.*}} mask %[[MASK:[^ ]*]] other %[[ONE]]
// CASE:       %[[L:.*]] = ttg.local_load
// CASE-NEXT:  %[[S:.*]] = arith.select %[[MASK]], %[[L]], %[[ONE]] {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<128x64xi1, #blocked>, tensor<128x64xf16, #blocked>
// CASE-NEXT:  ttg.convert_layout %[[S]]
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 4], instrShape = [16, 8]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
tt.func @sm80_other_nonzero(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %one = arith.constant dense<1.000000e+00> : tensor<128x64xf16, #blocked>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %inb = arith.cmpi slt, %k, %n : i32
    %ma = tt.splat %inb : i1 -> tensor<128x64xi1, #blocked>
    %a = tt.load %pa, %ma, %one : tensor<128x64x!tt.ptr<f16>, #blocked>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %da_ = ttg.convert_layout %a : tensor<128x64xf16, #blocked> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
    %db_ = ttg.convert_layout %b : tensor<64x128xf16, #blocked1> -> tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
    %d = tt.dot %da_, %db_, %acc : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// tt.num_stages = 4: the load is 3 stages ahead of the MMA, 4 slots.
// CASE-LABEL: tt.func @stages4(
// CASE:       ttg.local_alloc : () -> !ttg.memdesc<4x128x64xf16
// CASE:       ttg.async_wait {{.*}}loop.stage = 3 : i32
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @stages4(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
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
