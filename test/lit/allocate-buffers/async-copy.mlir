// The async-copy lowering (lib/Buffers/AsyncCopy.cpp), on small inline loops:
// a tt.load becomes ttg.async_copy_global_to_local + commit in its place, and
// async_wait + the read of the slot before its consumer.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{remarks=false})' | FileCheck %s
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{global-to-shared-stages=4 remarks=false})' | FileCheck %s --check-prefix=SLOTS4
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 2], instrShape = [16, 8]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
// sm80 mma.sync: the register consumer (convert_layout to a dot operand) runs
// in an earlier cluster than the copy, so its local_load is done before the
// copy refills the slot: stage distance 2, 2 slots.
// REMARK: loop at {{.*}}async-copy.mlir:{{[0-9]+}}:8: 2 load(s) in circular buffers: load at {{.*}}: 2 slot(s) !ttg.memdesc<2x64x32xf16, {{.*}}, stage 0 -> 2 (async copy, local_load); load at {{.*}}: 2 slot(s) !ttg.memdesc<2x32x64xf16, {{.*}}, stage 0 -> 2 (async copy, local_load)
// CHECK-LABEL: tt.func @read_before_refill
// CHECK:       %[[A:.+]] = ttg.local_alloc : () -> !ttg.memdesc<2x64x32xf16
// CHECK:       %[[B:.+]] = ttg.local_alloc : () -> !ttg.memdesc<2x32x64xf16
// CHECK:       %[[N:.+]] = arith.constant 2 : i32
// CHECK:       scf.for {{.*}} iter_args(%{{.*}}, %[[INS:[^ ]+]] = %c-1_i32, %[[EXT:[^ ]+]] = %c-1_i32)
// CHECK:         %[[I1:.+]] = arith.addi %[[INS]], %{{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:         %[[W:.+]] = arith.cmpi sge, %[[I1]], %[[N]]
// CHECK:         %[[I:.+]] = arith.select %[[W]], %{{.*}}, %[[I1]]
// CHECK:         %[[SA:.+]] = ttg.memdesc_index %[[A]][%[[I]]] {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:         %[[CA:.+]] = ttg.async_copy_global_to_local %{{.*}}, %[[SA]] {contiguity = 8 : i32, loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:         %[[GA:.+]] = ttg.async_commit_group tokens %[[CA]] {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK:         ttg.async_copy_global_to_local
// CHECK:         %[[E:.+]] = arith.select {{.*}} {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK:         %[[TA:.+]] = ttg.async_wait %[[GA]] {loop.cluster = 0 : i32, loop.stage = 2 : i32, num = 0 : i32}
// CHECK:         %[[RA:.+]] = ttg.memdesc_index %[[A]][%[[E]]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK:         %[[VA:.+]] = ttg.local_load %[[RA]] token %[[TA]] {loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK:         ttg.convert_layout %[[VA]]
// CHECK-NOT:     tt.load
// CHECK:         tt.dot
// CHECK:         scf.yield %{{.*}}, %[[I]], %[[E]]
// CHECK:       } {autopipe.buffers = 2 : i32, tt.scheduled_max_stage = 2 : i32}
// CHECK:       ttg.async_wait {num = 0 : i32}
// CHECK:       ttg.local_dealloc %[[B]]
// CHECK:       ttg.local_dealloc %[[A]]
// The option asks for more slots than the schedule needs: granted.
// SLOTS4-LABEL: tt.func @read_before_refill
// SLOTS4:       ttg.local_alloc : () -> !ttg.memdesc<4x64x32xf16
// SLOTS4:       ttg.local_alloc : () -> !ttg.memdesc<4x32x64xf16
tt.func @read_before_refill(%lb: i32, %ub: i32, %pa: tensor<64x32x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<[16, 16]> : tensor<2xi32>, tt.contiguity = dense<[1, 32]> : tensor<2xi32>}, %pb: tensor<32x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<[16, 16]> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>}) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.load %pa {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<64x32x!tt.ptr<f16>, #blocked>
    %b = tt.load %pb {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<32x64x!tt.ptr<f16>, #blocked>
    %ca = ttg.convert_layout %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
    %cb = ttg.convert_layout %b {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<32x64xf16, #blocked> -> tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
    %d = tt.dot %ca, %cb, %acc {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 2], instrShape = [16, 8]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
// The consumer runs after the copy in the kernel iteration (a later
// cluster): it may still read the slot being refilled, so one slot more than
// the stage distance (1): 2 slots. A masked load with a non-zero `other`:
// the copy zero-fills, and arith.select puts `other` back after the
// local_load.
// REMARK: loop at {{.*}}async-copy.mlir:{{[0-9]+}}:8: 2 load(s) in circular buffers: load at {{.*}}: 2 slot(s) !ttg.memdesc<2x64x32xf16, {{.*}}, stage 0 -> 1 (async copy, local_load); load at {{.*}}: 2 slot(s) {{.*}}, stage 0 -> 1 (async copy, local_load)
// CHECK-LABEL: tt.func @read_after_copy
// CHECK:       ttg.local_alloc : () -> !ttg.memdesc<2x64x32xf16
// CHECK:       scf.for
// CHECK:         %[[CP:.+]] = ttg.async_copy_global_to_local %{{.*}}, %{{.*}} mask %[[M:[^ ]+]] other %[[O:[^ ]+]] {contiguity = 8 : i32, loop.cluster = 0 : i32, loop.stage = 0 : i32}
// CHECK:         %[[V:.+]] = ttg.local_load {{.*}} {loop.cluster = 1 : i32, loop.stage = 1 : i32}
// CHECK:         %[[S:.+]] = arith.select %[[M]], %[[V]], %[[O]] {loop.cluster = 1 : i32, loop.stage = 1 : i32}
// CHECK:         ttg.convert_layout %[[S]]
// SLOTS4-LABEL: tt.func @read_after_copy
// SLOTS4:       ttg.local_alloc : () -> !ttg.memdesc<4x64x32xf16
tt.func @read_after_copy(%lb: i32, %ub: i32, %m: tensor<64x32xi1, #blocked> {tt.constancy = dense<[1, 32]> : tensor<2xi32>}, %pa: tensor<64x32x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<[16, 16]> : tensor<2xi32>, tt.contiguity = dense<[1, 32]> : tensor<2xi32>}, %pb: tensor<32x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<[16, 16]> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>}) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %one = arith.constant dense<1.0> : tensor<64x32xf16, #blocked>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.load %pa, %m, %one {loop.cluster = 0 : i32, loop.stage = 0 : i32} : tensor<64x32x!tt.ptr<f16>, #blocked>
    %b = tt.load %pb {loop.cluster = 0 : i32, loop.stage = 0 : i32} : tensor<32x64x!tt.ptr<f16>, #blocked>
    %ca = ttg.convert_layout %a {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
    %cb = ttg.convert_layout %b {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<32x64xf16, #blocked> -> tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>
    %d = tt.dot %ca, %cb, %acc {loop.cluster = 1 : i32, loop.stage = 1 : i32} : tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 2, versionMinor = 0, warpsPerCTA = [2, 2], instrShape = [16, 8]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
// Rows only 2-byte aligned: no cp.async; the load is register-staged
// instead, and the remark says why it is not async.
// REMARK: loop at {{.*}}async-copy.mlir:{{[0-9]+}}:8: 1 load(s) in circular buffers: load at {{.*}}: 2 slot(s) {{.*}}, stage 0 -> 2 (register-staged: local_store, local_load) [not async: cannot become a cp.async (alignment/contiguity or element size)]
// CHECK-LABEL: tt.func @not_async
// CHECK-NOT:   ttg.async_copy_global_to_local
// CHECK:       ttg.local_store
tt.func @not_async(%lb: i32, %ub: i32, %pa: tensor<64x32x!tt.ptr<f16>, #blocked>, %b: tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>>) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.load %pa {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<64x32x!tt.ptr<f16>, #blocked>
    %ca = ttg.convert_layout %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
    %d = tt.dot %ca, %b, %acc {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 2}>> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

// gfx950: the same async-copy ops, which Triton's AMD backend lowers to
// direct-to-LDS loads, made only at 16 bytes a lane: A's shared layout (the
// MFMA operand's, vec = 4) gives 8-byte copies, so A is register-staged
// instead; B is an async copy.
// REMARK: loop at {{.*}}async-copy.mlir:{{[0-9]+}}:8: 2 load(s) in circular buffers: load at {{.*}}: 2 slot(s) !ttg.memdesc<2x64x32xf16, {{.*}}, stage 0 -> 2 (register-staged: local_store, local_load) [not async: direct-to-LDS copies of 8 bytes per lane (the shared layout's vector), not 16]; load at {{.*}}: 2 slot(s) !ttg.memdesc<2x32x64xf16, {{.*}}, stage 0 -> 2 (async copy, local_load)
// CHECK-LABEL: tt.func @gfx950
// CHECK:       scf.for
// CHECK:         %[[A:.+]] = tt.load
// CHECK:         ttg.async_copy_global_to_local
// CHECK:         ttg.async_wait
// CHECK:         tt.dot
// CHECK:         ttg.local_store %[[A]]
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [2, 2], instrShape = [32, 32, 8], isTransposed = true}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx950", "ttg.threads-per-warp" = 64 : i32} {
tt.func @gfx950(%lb: i32, %ub: i32, %m: tensor<64x32xi1, #blocked>, %pa: tensor<64x32x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<[16, 16]> : tensor<2xi32>, tt.contiguity = dense<[1, 32]> : tensor<2xi32>}, %pb: tensor<32x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<[16, 16]> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>}) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %one = arith.constant dense<1.0> : tensor<64x32xf16, #blocked>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
    %a = tt.load %pa {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<64x32x!tt.ptr<f16>, #blocked>
    %b = tt.load %pb {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<32x64x!tt.ptr<f16>, #blocked>
    %ca = ttg.convert_layout %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>
    %cb = ttg.convert_layout %b {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<32x64xf16, #blocked> -> tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>
    %d = tt.dot %ca, %cb, %acc {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<64x32xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<32x64xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<64x64xf32, #mma>
}
}

