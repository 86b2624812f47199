// Producer/consumer channels of a hand-written partitioned loop (the form the
// warp-specialization pass writes; include/triton-autopipe/Channels.h):
// autopipe-insert-barriers{mode=place} gives each channel a full and an empty
// mbarrier per slot, captured by the partitions; slot i mod N and phase
// (i / N) mod 2 from the iteration number in each partition's loop.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false})' | FileCheck %s
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{mode=place output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{remarks=false output=-})' 2>&1 | FileCheck %s --check-prefix=PROVE

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [1, 1], order = [1, 0]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
// A TMA producer (1 warp) fills A and B, 3 slots each; the default warps'
// async wgmma reads them until its warp_group_dot_wait. One channel: both
// buffers have the same producer loop, consumers and slot count, so one
// barrier_expect of 2 x 64x64 f16 = 16384 bytes.
// REPORT: autopipe-insert-barriers: ttg.warp_specialize at {{.*}}channels.mlir:{{[0-9]+}}:8: channel of 2 buffer(s) ({{.*}}channels.mlir:{{[0-9]+}}:8, {{.*}}channels.mlir:{{[0-9]+}}:8): 3 slot(s), full/empty mbarrier per slot; producer partition0 (TMA, 16384 bytes a slot), consumer(s) default
// PROVE: autopipe-insert-barriers: ttg.warp_specialize at {{.*}}: channels marked, not materialized (mode=prove)
// PROVE: ttg.memdesc_index {{.*}} {autopipe.channel = "get"}
// CHECK-LABEL: tt.func @tma_channel
// CHECK:       %[[A:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x64x64xf16
// CHECK:       %[[FULL:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x1xi64
// CHECK-COUNT-3: ttng.init_barrier %{{.*}}, 1 :
// CHECK:       %[[EMPTY:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x1xi64
// CHECK-COUNT-3: ttng.init_barrier %{{.*}}, 1 :
// CHECK:       ttg.warp_specialize({{.*}}, %[[FULL]], %[[EMPTY]])
// CHECK:       default {
// CHECK:         scf.for %[[IV:[^ ]+]] =
// CHECK:           %[[D:.+]] = arith.subi %[[IV]],
// CHECK:           %[[IT:.+]] = arith.divui %[[D]],
// CHECK:           %[[S:.+]] = arith.remui %[[IT]], %c3_i32
// CHECK:           %[[U:.+]] = arith.divui %[[IT]], %c3_i32
// CHECK:           %[[P:.+]] = arith.andi %[[U]],
// CHECK:           %[[F:.+]] = ttg.memdesc_index %[[FULL]][%[[S]]]
// CHECK:           ttng.wait_barrier %[[F]], %[[P]]
// CHECK:           ttg.memdesc_index %[[A]][%[[S]]] :
// CHECK:           ttng.warp_group_dot
// CHECK:           ttng.warp_group_dot_wait
// CHECK-NEXT:      %[[E:.+]] = ttg.memdesc_index %[[EMPTY]][%[[S]]]
// CHECK-NEXT:      ttng.arrive_barrier %[[E]], 1 :
// CHECK:       partition0({{.*}}, %[[PFULL:[^:]+]]: !ttg.memdesc<3x1xi64{{.*}}, %[[PEMPTY:[^:]+]]: !ttg.memdesc<3x1xi64{{.*}}) num_warps(1)
// CHECK:         scf.for
// CHECK:           %[[PS:.+]] = arith.remui
// CHECK:           %[[PU:.+]] = arith.divui
// CHECK:           %[[PP:.+]] = arith.andi %[[PU]]
// CHECK:           %[[FREE:.+]] = arith.xori %[[PP]],
// CHECK:           %[[PE:.+]] = ttg.memdesc_index %[[PEMPTY]][%[[PS]]]
// CHECK:           ttng.wait_barrier %[[PE]], %[[FREE]]
// CHECK:           %[[PF:.+]] = ttg.memdesc_index %[[PFULL]][%[[PS]]]
// CHECK:           ttng.barrier_expect %[[PF]], 16384
// CHECK:           %[[SA:.+]] = ttg.memdesc_index %{{.*}}[%[[PS]]] :
// CHECK:           ttng.async_tma_copy_global_to_local %{{.*}}[{{.*}}] %[[SA]], %[[PF]]
// CHECK:           ttng.async_tma_copy_global_to_local
// CHECK-NOT:       tt.descriptor_load
// CHECK-NOT:       ttg.local_store
// CHECK:         ttg.warp_return
// CHECK-COUNT-6: ttng.inval_barrier
// CHECK-NOT:   autopipe.channel
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 5 : i32} {
tt.func @tma_channel(%lb: i32, %ub: i32, %da: !tt.tensordesc<64x64xf16, #shared>, %db: !tt.tensordesc<64x64xf16, #shared>) -> tensor<64x64xf32, #mma> {
  %a = ttg.local_alloc : () -> !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>
  %b = ttg.local_alloc : () -> !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = ttg.warp_specialize(%lb, %ub, %da, %db, %a, %b) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c1 = arith.constant 1 : i32
    %c0 = arith.constant 0 : i32
    %acc = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
      %sa = ttg.memdesc_index %a[%c0] {autopipe.channel = "get"} : !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      %sb = ttg.memdesc_index %b[%c0] {autopipe.channel = "get"} : !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32, isAsync = true} : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> * !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf32, #mma>
      %w = ttng.warp_group_dot_wait %d {pendings = 0 : i32} : tensor<64x64xf32, #mma>
      scf.yield %w : tensor<64x64xf32, #mma>
    }
    ttg.warp_yield %acc : tensor<64x64xf32, #mma>
  }
  partition0(%plb: i32, %pub: i32, %pda: !tt.tensordesc<64x64xf16, #shared>, %pdb: !tt.tensordesc<64x64xf16, #shared>, %pa: !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>, %pb: !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>) num_warps(1) {
    %c1 = arith.constant 1 : i32
    %c0 = arith.constant 0 : i32
    scf.for %i = %plb to %pub step %c1 : i32 {
      %ta = tt.descriptor_load %pda[%c0, %i] : !tt.tensordesc<64x64xf16, #shared> -> tensor<64x64xf16, #blocked>
      %sa = ttg.memdesc_index %pa[%c0] {autopipe.channel = "put"} : !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      ttg.local_store %ta, %sa : tensor<64x64xf16, #blocked> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      %tb = tt.descriptor_load %pdb[%i, %c0] : !tt.tensordesc<64x64xf16, #shared> -> tensor<64x64xf16, #blocked>
      %sb = ttg.memdesc_index %pb[%c0] {autopipe.channel = "put"} : !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      ttg.local_store %tb, %sb : tensor<64x64xf16, #blocked> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    }
    ttg.warp_return
  } : (i32, i32, !tt.tensordesc<64x64xf16, #shared>, !tt.tensordesc<64x64xf16, #shared>, !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>, !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>) -> tensor<64x64xf32, #mma>
  ttg.local_dealloc %a : !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>
  ttg.local_dealloc %b : !ttg.memdesc<3x64x64xf16, #shared, #smem, mutable>
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

// A producer that stores registers (4 warps; a tt.load is no TMA copy): the
// full barrier gets an arrive after the stores, behind a proxy fence (the
// consumer may read with wgmma); the consumer's local_load is its last read,
// so the slot is released right after it. Two slots.
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
// REPORT: channel of 1 buffer(s) ({{.*}}): 2 slot(s), full/empty mbarrier per slot; producer partition0 (stores + arrive), consumer(s) default
// CHECK-LABEL: tt.func @store_channel
// CHECK:       default {
// CHECK:         scf.for
// CHECK:           ttng.wait_barrier
// CHECK:           %[[V:.+]] = ttg.local_load
// CHECK-NEXT:      %[[E:.+]] = ttg.memdesc_index
// CHECK-NEXT:      ttng.arrive_barrier %[[E]], 1 :
// CHECK-NEXT:      tt.store %{{.*}}, %[[V]]
// CHECK:       partition0
// The load goes first: its latency overlaps the wait for a free slot.
// CHECK:         scf.for
// CHECK:           %[[L:.+]] = tt.load
// CHECK:           ttng.wait_barrier
// CHECK:           ttg.local_store %[[L]]
// CHECK-NEXT:      ttng.fence_async_shared {bCluster = false}
// CHECK-NEXT:      ttng.arrive_barrier %{{.*}}, 1 :
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @store_channel(%n: i32, %p: !tt.ptr<f16>, %q: !tt.ptr<f16>) {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>
  ttg.warp_specialize(%n, %p, %buf) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %qs = tt.splat %q : !tt.ptr<f16> -> tensor<32x32x!tt.ptr<f16>, #blocked>
    scf.for %i = %c0 to %n step %c1 : i32 {
      %s = ttg.memdesc_index %buf[%c0] {autopipe.channel = "get"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      %x = ttg.local_load %s : !ttg.memdesc<32x32xf16, #shared, #smem, mutable> -> tensor<32x32xf16, #blocked>
      tt.store %qs, %x : tensor<32x32x!tt.ptr<f16>, #blocked>
    }
    ttg.warp_yield
  }
  partition0(%pn: i32, %pp: !tt.ptr<f16>, %pbuf: !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>) num_warps(4) {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %ps = tt.splat %pp : !tt.ptr<f16> -> tensor<32x32x!tt.ptr<f16>, #blocked>
    scf.for %i = %c0 to %pn step %c1 : i32 {
      %l = tt.load %ps : tensor<32x32x!tt.ptr<f16>, #blocked>
      %s = ttg.memdesc_index %pbuf[%c0] {autopipe.channel = "put"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      ttg.local_store %l, %s : tensor<32x32xf16, #blocked> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
    }
    ttg.warp_return
  } : (i32, !tt.ptr<f16>, !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>) -> ()
  ttg.local_dealloc %buf : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>
  tt.return
}
}

// -----

// The pipelined consumer: its wgmma stays in flight across the back edge
// (warp_group_dot_wait {pendings = 1} retires the previous iteration's), so
// the slot of iteration i - 1 is released after that wait in iteration i,
// predicated off in the first iteration.
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [1, 1], order = [1, 0]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
// CHECK-LABEL: tt.func @release_next_iteration
// CHECK:       default {
// CHECK:         scf.for
// CHECK:           %[[IT:.+]] = arith.divui
// CHECK:           %[[S:.+]] = arith.remui %[[IT]], %c4_i32
// CHECK:           ttng.wait_barrier
// CHECK:           ttng.warp_group_dot
// CHECK:           ttng.warp_group_dot_wait %{{.*}} {pendings = 1 : i32}
// CHECK-NEXT:      %[[N:.+]] = arith.constant 4 : i32
// CHECK-NEXT:      %[[L:.+]] = arith.constant 3 : i32
// CHECK-NEXT:      %[[A:.+]] = arith.addi %[[S]], %[[L]]
// CHECK-NEXT:      %[[PREV:.+]] = arith.remui %[[A]], %[[N]]
// CHECK-NEXT:      %[[Z:.+]] = arith.constant 0 : i32
// CHECK-NEXT:      %[[NF:.+]] = arith.cmpi ne, %[[IT]], %[[Z]]
// CHECK-NEXT:      %[[E:.+]] = ttg.memdesc_index %{{.*}}[%[[PREV]]]
// CHECK-NEXT:      ttng.arrive_barrier %[[E]], 1, %[[NF]] :
// CHECK-NEXT:      scf.yield
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 5 : i32} {
tt.func @release_next_iteration(%lb: i32, %ub: i32, %da: !tt.tensordesc<64x64xf16, #shared>, %w: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %a = ttg.local_alloc : () -> !ttg.memdesc<4x64x64xf16, #shared, #smem, mutable>
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = ttg.warp_specialize(%lb, %ub, %da, %a) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c1 = arith.constant 1 : i32
    %c0 = arith.constant 0 : i32
    %acc = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
      %sa = ttg.memdesc_index %a[%c0] {autopipe.channel = "get"} : !ttg.memdesc<4x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      %d = ttng.warp_group_dot %sa, %w, %acc {inputPrecision = 0 : i32, isAsync = true} : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
      %dw = ttng.warp_group_dot_wait %d {pendings = 1 : i32} : tensor<64x64xf32, #mma>
      scf.yield %dw : tensor<64x64xf32, #mma>
    }
    %fin = ttng.warp_group_dot_wait %acc {pendings = 0 : i32} : tensor<64x64xf32, #mma>
    ttg.warp_yield %fin : tensor<64x64xf32, #mma>
  }
  partition0(%plb: i32, %pub: i32, %pda: !tt.tensordesc<64x64xf16, #shared>, %pa: !ttg.memdesc<4x64x64xf16, #shared, #smem, mutable>) num_warps(1) {
    %c1 = arith.constant 1 : i32
    %c0 = arith.constant 0 : i32
    scf.for %i = %plb to %pub step %c1 : i32 {
      %ta = tt.descriptor_load %pda[%c0, %i] : !tt.tensordesc<64x64xf16, #shared> -> tensor<64x64xf16, #blocked>
      %sa = ttg.memdesc_index %pa[%c0] {autopipe.channel = "put"} : !ttg.memdesc<4x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      ttg.local_store %ta, %sa : tensor<64x64xf16, #blocked> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    }
    ttg.warp_return
  } : (i32, i32, !tt.tensordesc<64x64xf16, #shared>, !ttg.memdesc<4x64x64xf16, #shared, #smem, mutable>) -> tensor<64x64xf32, #mma>
  ttg.local_dealloc %a : !ttg.memdesc<4x64x64xf16, #shared, #smem, mutable>
  tt.return %r : tensor<64x64xf32, #mma>
}
}
