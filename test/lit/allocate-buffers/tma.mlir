// sm90 tensor-descriptor GEMM: autopipe-allocate-buffers lowers both
// tt.descriptor_loads into TMA copies into 4-slot circular buffers (loads in
// stage 0, wgmma in stage 3: distance 3, plus the slot wgmma still reads),
// one mbarrier per slot shared by the two loads of the stage: expect the
// bytes of both tiles (128x64 + 64x128 bf16 = 32768), the copies signal it,
// the consumer waits with a phase that flips each time the extract index
// wraps; barriers are initialized before the loop, invalidated after it.
// RUN: %autopipe-opt %inputs/gemm-desc-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4 remarks=false},autopipe-allocate-buffers)' \
// RUN:   -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// REMARK: remark: autopipe-allocate-buffers: loop at {{.*}}:39:11: 2 load(s)
// REMARK-SAME: :40:13: 4 slot(s) !ttg.memdesc<4x128x64xbf16, #ttg.nvmma_shared<{{[^;]*}}stage 0 -> 3 (TMA
// REMARK-SAME: :42:13: 4 slot(s) !ttg.memdesc<4x64x128xbf16, {{[^;]*}}stage 0 -> 3 (TMA
// RUN: FileCheck %s < %t
// CHECK:      %[[A:.*]] = ttg.local_alloc : () -> !ttg.memdesc<4x128x64xbf16, #shared, #smem, mutable>
// CHECK:      %[[B:.*]] = ttg.local_alloc : () -> !ttg.memdesc<4x64x128xbf16, #shared, #smem, mutable>
// CHECK:      %[[BARS:.*]] = ttg.local_alloc : () -> !ttg.memdesc<4x1xi64, #shared1, #smem, mutable>
// CHECK-COUNT-4: ttng.init_barrier %{{.*}}, 1
// CHECK:      scf.for {{.*}} iter_args(%{{.*}} = %cst, %[[INS:.*]] = %c-1_i32, %[[EXT:.*]] = %c-1_i32, %[[PH:.*]] = %c0_i32{{.*}})
// Fill: advance the insert index, expect 32768 bytes on its barrier, two TMA copies.
// CHECK:      %[[I1:.*]] = arith.addi %[[INS]], %c1_i32 {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:      %[[I:.*]] = arith.select %{{.*}}, %c0_i32{{.*}}, %[[I1]] {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:      %[[BIN:.*]] = ttg.memdesc_index %[[BARS]][%[[I]]]
// CHECK:      ttng.barrier_expect %[[BIN]], 32768 {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:      %[[SA:.*]] = ttg.memdesc_index %[[A]][%[[I]]]
// CHECK:      ttng.async_tma_copy_global_to_local %{{.*}}[%{{.*}}, %{{.*}}] %[[SA]], %[[BIN]], %{{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// Use: advance the extract index, flip the phase on wrap, wait, read the slots.
// CHECK:      %[[E1:.*]] = arith.addi %[[EXT]], %c1_i32 {loop.cluster = 0 : i32, loop.stage = 3 : i32}
// CHECK:      %[[WRAP:.*]] = arith.cmpi sge, %[[E1]], %{{.*}} {loop.cluster = 0 : i32, loop.stage = 3 : i32}
// CHECK:      %[[E:.*]] = arith.select %[[WRAP]], %c0_i32{{.*}}, %[[E1]]
// CHECK:      %[[FLIP:.*]] = arith.xori %[[PH]], %c1_i32{{.*}}
// CHECK:      %[[P:.*]] = arith.select %[[WRAP]], %[[FLIP]], %[[PH]]
// CHECK:      %[[BOUT:.*]] = ttg.memdesc_index %[[BARS]][%[[E]]]
// CHECK:      ttng.wait_barrier %[[BOUT]], %[[P]] {loop.cluster = 0 : i32, loop.stage = 3 : i32}
// CHECK:      ttng.async_tma_copy_global_to_local
// CHECK:      ttng.warp_group_dot
// CHECK:      scf.yield %{{.*}}, %[[I]], %[[E]], %[[P]]
// CHECK-NOT:  ttg.async_wait
// CHECK-COUNT-4: ttng.inval_barrier
// CHECK:      ttg.local_dealloc %[[BARS]]

// After our expansion, the loop is Triton's own TMA pipeline: the same ops.
// RUN: %autopipe-opt %inputs/gemm-desc-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=EXP
// EXP:      scf.for
// EXP:      ttng.wait_barrier
// EXP:      ttng.warp_group_dot {{.*}}isAsync = true
// EXP-NEXT: ttng.warp_group_dot_wait {{.*}}pendings = 1
// EXP:      ttng.barrier_expect %{{.*}}, 32768, %[[PRED:.*]] :
// EXP:      ttng.async_tma_copy_global_to_local {{.*}}, %[[PRED]] :
// EXP:      ttng.async_tma_copy_global_to_local {{.*}}, %[[PRED]] :

// sm80 has no TMA: the descriptor loads are register-staged instead (the
// load stays, a local_store fills the slot the consumer reads).
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-schedule-loops{num-stages=4 remarks=false},autopipe-allocate-buffers)' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SM80
// SM80: 2 load(s)
// SM80-SAME: 4 slot(s) !ttg.memdesc<4x128x64xbf16{{[^;]*}}(register-staged{{[^;]*}}read in shared memory
// SM80-SAME: 4 slot(s) !ttg.memdesc<4x64x128xbf16{{[^;]*}}(register-staged{{[^;]*}}read in shared memory
// SM80-NOT:  TMA

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
tt.func @desc_gemm_sm80(%da: !tt.tensordesc<128x64xbf16, #shared>, %db: !tt.tensordesc<64x128xbf16, #shared>, %m: i32, %n: i32, %kmax: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c64 = arith.constant 64 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r = scf.for %k = %c0 to %kmax step %c64 iter_args(%acc = %zero) -> (tensor<128x128xf32, #mma>) : i32 {
    %a = tt.descriptor_load %da[%m, %k] : !tt.tensordesc<128x64xbf16, #shared> -> tensor<128x64xbf16, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xbf16, #blocked>) -> !ttg.memdesc<128x64xbf16, #shared, #smem>
    %b = tt.descriptor_load %db[%k, %n] : !tt.tensordesc<64x128xbf16, #shared> -> tensor<64x128xbf16, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xbf16, #blocked1>) -> !ttg.memdesc<64x128xbf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xbf16, #shared, #smem> * !ttg.memdesc<64x128xbf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    scf.yield %d : tensor<128x128xf32, #mma>
  }
  tt.return %r : tensor<128x128xf32, #mma>
}
}
