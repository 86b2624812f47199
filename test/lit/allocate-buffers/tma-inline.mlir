// The TMA lowering (lib/Buffers/TMA.cpp), on small inline sm90 loops: a
// tt.descriptor_load feeding a wgmma through a local_alloc in the
// descriptor's encoding becomes a TMA copy into slot `insert`; the loads of
// one stage/cluster share one mbarrier per slot (expect before the first
// load, wait with a loop-carried phase before the first use).
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{remarks=false})' | FileCheck %s
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{copy=registers remarks=false})' | FileCheck %s --check-prefix=STAGED

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// Loads in stage 0, wgmma in stage 2: wgmma still reads its slot while the
// next copies land, so distance 2 + 1 = 3 slots; one group (same stages and
// clusters) expecting both tiles: 2 x 64x64 f16 = 16384 bytes.
// REMARK: loop at {{.*}}tma-inline.mlir:{{[0-9]+}}:8: 2 load(s) in circular buffers: load at {{.*}}: 3 slot(s) !ttg.memdesc<3x64x64xf16, #ttg.nvmma_shared<{{.*}}>, stage 0 -> 2 (TMA + mbarrier, read in shared memory); load at {{.*}}: 3 slot(s) {{.*}} (TMA + mbarrier, read in shared memory)
// CHECK-LABEL: tt.func @tma_gemm
// CHECK:       %[[A:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>
// CHECK:       %[[B:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>
// CHECK:       %[[BARS:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x1xi64, #shared1, #smem, mutable>
// CHECK-COUNT-3: ttng.init_barrier %{{.*}}, 1
// CHECK:       scf.for {{.*}} iter_args(%{{.*}}, %[[INS:[^ ]+]] = %c-1_i32, %[[EXT:[^ ]+]] = %c-1_i32, %[[PH:[^ ]+]] = %c0_i32{{.*}})
// CHECK:         %[[I1:.+]] = arith.addi %[[INS]], {{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:         %[[I:.+]] = arith.select {{.*}}, %[[I1]] {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:         %[[BIN:.+]] = ttg.memdesc_index %[[BARS]][%[[I]]] {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:         ttng.barrier_expect %[[BIN]], 16384
// CHECK:         %[[SA:.+]] = ttg.memdesc_index %[[A]][%[[I]]]
// CHECK:         ttng.async_tma_copy_global_to_local %{{.*}}[{{.*}}] %[[SA]], %[[BIN]], %{{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// The first use (A's local_alloc) comes before B's load in the body.
// CHECK:         %[[E1:.+]] = arith.addi %[[EXT]], {{.*}} {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK:         %[[WRAP:.+]] = arith.cmpi sge, %[[E1]]
// CHECK:         %[[E:.+]] = arith.select %[[WRAP]], {{.*}}, %[[E1]]
// CHECK:         %[[FLIP:.+]] = arith.xori %[[PH]], {{.*}} {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK:         %[[P:.+]] = arith.select %[[WRAP]], %[[FLIP]], %[[PH]]
// CHECK:         %[[BOUT:.+]] = ttg.memdesc_index %[[BARS]][%[[E]]]
// CHECK:         ttng.wait_barrier %[[BOUT]], %[[P]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK:         %[[SB:.+]] = ttg.memdesc_index %[[B]][%[[I]]]
// CHECK:         ttng.async_tma_copy_global_to_local %{{.*}}[{{.*}}] %[[SB]], %[[BIN]]
// Slot views in place of the local_allocs, B's first (Triton's order).
// CHECK:         %[[RB:.+]] = ttg.memdesc_index %[[B]][%[[E]]]
// CHECK:         %[[RA:.+]] = ttg.memdesc_index %[[A]][%[[E]]]
// CHECK:         ttng.warp_group_dot %[[RA]], %[[RB]]
// CHECK-NOT:     tt.descriptor_load
// CHECK:         scf.yield %{{.*}}, %[[I]], %[[E]], %[[P]]
// CHECK:       ttg.local_dealloc %[[B]]
// CHECK:       ttg.local_dealloc %[[A]]
// CHECK-COUNT-3: ttng.inval_barrier
// copy=registers: the descriptor loads stay, their tiles are stored into
// slots at the end of the iteration (wgmma reads the slot: 3 slots).
// STAGED-LABEL: tt.func @tma_gemm
// STAGED:       ttg.local_alloc : () -> !ttg.memdesc<3x64x64xf16
// STAGED-NOT:   ttng.async_tma_copy_global_to_local
// STAGED:       tt.descriptor_load
// STAGED:       ttng.warp_group_dot
// STAGED:       ttg.local_store
// STAGED:       ttg.local_store
tt.func @tma_gemm(%lb: i32, %ub: i32, %da: !tt.tensordesc<64x64xf16, #shared>, %db: !tt.tensordesc<64x64xf16, #shared>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %c0 = arith.constant 0 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.descriptor_load %da[%c0, %i] {loop.cluster = 1 : i32, loop.stage = 0 : i32} : !tt.tensordesc<64x64xf16, #shared> -> tensor<64x64xf16, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<64x64xf16, #blocked>) -> !ttg.memdesc<64x64xf16, #shared, #smem>
    %b = tt.descriptor_load %db[%i, %c0] {loop.cluster = 1 : i32, loop.stage = 0 : i32} : !tt.tensordesc<64x64xf16, #shared> -> tensor<64x64xf16, #blocked>
    %sb = ttg.local_alloc %b {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<64x64xf16, #blocked>) -> !ttg.memdesc<64x64xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#shared2 = #ttg.nvmma_shared<{swizzlingByteWidth = 64, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// The local_alloc wants another shared encoding than the descriptor's: no
// TMA copy; register-staged instead (the tile through registers into a slot
// in the local_alloc's encoding).
// REMARK: loop at {{.*}}tma-inline.mlir:{{[0-9]+}}:8: 1 load(s) in circular buffers: load at {{.*}}: 3 slot(s) !ttg.memdesc<3x64x64xf16, #ttg.nvmma_shared<{swizzlingByteWidth = 64{{.*}}, stage 0 -> 2 (register-staged: local_store, read in shared memory)
// CHECK-LABEL: tt.func @other_encoding
// CHECK-NOT:   ttng.async_tma_copy_global_to_local
// CHECK:       tt.descriptor_load
// CHECK:       ttg.local_store
tt.func @other_encoding(%lb: i32, %ub: i32, %da: !tt.tensordesc<64x64xf16, #shared>, %sb: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %c0 = arith.constant 0 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.descriptor_load %da[%c0, %i] {loop.cluster = 1 : i32, loop.stage = 0 : i32} : !tt.tensordesc<64x64xf16, #shared> -> tensor<64x64xf16, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<64x64xf16, #blocked>) -> !ttg.memdesc<64x64xf16, #shared2, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<64x64xf16, #shared2, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}
