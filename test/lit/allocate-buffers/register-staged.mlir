// The register-staged lowering (lib/Buffers/RegisterStaged.cpp), on small
// inline loops: the load stays, a ttg.local_store in a new last cluster (the
// load's stage) writes its value into slot `insert`, and the consumer reads
// slot `extract`. The default on gfx942; `copy=registers` on any target.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{remarks=false})' | FileCheck %s
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{copy=async})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=ASYNC

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [2, 2], instrShape = [32, 32, 8], isTransposed = true}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// gfx942: load in stage 0 (with its mask and non-zero `other`: the stored
// value has them), MFMA in stage 2. The store comes after every read of the
// iteration, so the slot being read is free by then: stage distance 2, 2
// slots. Stores in cluster 2 (after the body's clusters 0 and 1).
// REMARK: loop at {{.*}}register-staged.mlir:{{[0-9]+}}:8: 2 load(s) in circular buffers: load at {{.*}}: 2 slot(s) !ttg.memdesc<2x64x32xf16, {{.*}}, stage 0 -> 2 (register-staged: local_store, local_load); load at {{.*}}: 2 slot(s) !ttg.memdesc<2x32x64xf16, {{.*}}, stage 0 -> 2 (register-staged: local_store, local_load)
// ASYNC: loop at {{.*}}register-staged.mlir:{{[0-9]+}}:8: async copies on HIP need direct-to-LDS loads (gfx950); use copy=registers or auto; left as is
// CHECK-LABEL: tt.func @gfx942
// CHECK:       %[[A:.+]] = ttg.local_alloc : () -> !ttg.memdesc<2x64x32xf16
// CHECK:       %[[B:.+]] = ttg.local_alloc : () -> !ttg.memdesc<2x32x64xf16
// CHECK:       scf.for {{.*}} iter_args(%{{.*}}, %[[INS:[^ ]+]] = %c-1_i32, %[[EXT:[^ ]+]] = %c-1_i32)
// CHECK:         %[[I:.+]] = arith.select {{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// The reads sit right after their loads in body order (in the MFMA's stage
// and cluster), where Triton's stream pipeliner puts its local_loads.
// CHECK:         %[[LA:.+]] = tt.load %{{.*}}, %{{.*}}, %{{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    arith.addi {{.*}} {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    arith.cmpi
// CHECK-NEXT:    %[[E:.+]] = arith.select {{.*}} {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    %[[RA:.+]] = ttg.memdesc_index %[[A]][%[[E]]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    %[[VA:.+]] = ttg.local_load %[[RA]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    %[[LB:.+]] = tt.load
// CHECK-NEXT:    %[[RB:.+]] = ttg.memdesc_index %[[B]][%[[E]]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    ttg.local_load %[[RB]]
// CHECK:         ttg.convert_layout %[[VA]]
// CHECK:         tt.dot
// CHECK:         %[[SA:.+]] = ttg.memdesc_index %[[A]][%[[I]]] {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK:         ttg.local_store %[[LA]], %[[SA]] {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK:         %[[SB:.+]] = ttg.memdesc_index %[[B]][%[[I]]]
// CHECK:         ttg.local_store %[[LB]], %[[SB]]
// CHECK:         scf.yield %{{.*}}, %[[I]], %[[E]]
// CHECK-NOT:   ttg.async_wait
// CHECK:       ttg.local_dealloc %[[B]]
// CHECK:       ttg.local_dealloc %[[A]]
tt.func @gfx942(%lb: i32, %ub: i32, %m: tensor<64x32xi1, #blocked>, %pa: tensor<64x32x!tt.ptr<f16>, #blocked>, %pb: tensor<32x64x!tt.ptr<f16>, #blocked>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %one = arith.constant dense<1.0> : tensor<64x32xf16, #blocked>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.load %pa, %m, %one {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<64x32x!tt.ptr<f16>, #blocked>
    %b = tt.load %pb {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<32x64x!tt.ptr<f16>, #blocked>
    %ca = ttg.convert_layout %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>
    %cb = ttg.convert_layout %b {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<32x64xf16, #blocked> -> tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>
    %d = tt.dot %ca, %cb, %acc {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// sm90, a load that cannot be a cp.async (no alignment known) is
// register-staged instead. Its local_alloc consumer is read by wgmma
// straight from shared memory, asynchronously: it may still read the slot
// when the store refills it, so one slot more than the distance (3); the
// slot view replaces the local_alloc.
// REMARK: loop at {{.*}}register-staged.mlir:{{[0-9]+}}:8: 1 load(s) in circular buffers: load at {{.*}}: 3 slot(s) !ttg.memdesc<3x64x64xf16, {{.*}}, stage 0 -> 2 (register-staged: local_store, read in shared memory) [not async: cannot become a cp.async
// CHECK-LABEL: tt.func @shared_reader
// CHECK:       %[[A:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>
// CHECK:       scf.for
// CHECK:         %[[L:.+]] = tt.load
// CHECK:         %[[R:.+]] = ttg.memdesc_index %[[A]]
// CHECK-NOT:     ttg.local_alloc
// CHECK:         ttng.warp_group_dot %[[R]]
// CHECK:         ttg.local_store %[[L]]
tt.func @shared_reader(%lb: i32, %ub: i32, %pa: tensor<64x64x!tt.ptr<f16>, #blocked>, %sb: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.load %pa {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<64x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<64x64xf16, #blocked>) -> !ttg.memdesc<64x64xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<64x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}
