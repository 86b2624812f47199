// autopipe-insert-barriers and warp specialization. A loop of ours inside a
// ttg.warp_specialize partition is proved like any other (its buffers named
// through the partition's captures), but `mode=place` leaves its barriers to
// Membar: at lowering they become barriers of the partition's warps only.
// (A partition capturing a tensor: warp-specialize-invalid.mlir.)
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-insert-barriers{remarks=false output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=PROVE
// RUN: %autopipe-opt %s -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false output=-})' 2>&1 | FileCheck %s --check-prefix=PLACE

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
// PROVE: autopipe-insert-barriers: loop at {{.*}}warp-specialize.mlir:{{[0-9]+}}:5: Membar adds 2 CTA barrier(s) in it: before ttg.local_store at {{[^ ]*}} (the buffer of {{.*}}warp-specialize.mlir:[[ALLOC:[0-9]+]]:10), after ttg.local_load at {{[^ ]*}} of the previous iteration; before ttg.local_load at {{[^ ]*}} (the buffer of {{.*}}warp-specialize.mlir:[[ALLOC]]:10), after ttg.local_store at {{[^ ;]*}};
// PLACE: autopipe-insert-barriers: loop at {{.*}}warp-specialize.mlir:{{[0-9]+}}:5: inside a warp-specialized partition: its barriers are left to Membar
// PLACE-LABEL: tt.func @in_partition
// PLACE-NOT:   ttg.barrier
// PLACE:       ttg.warp_return
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @in_partition(%lb: i32, %ub: i32, %p: !tt.ptr<f16>) {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
  ttg.warp_specialize(%lb, %ub, %p, %buf) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    ttg.warp_yield
  }
  partition0(%a: i32, %b: i32, %qs: !tt.ptr<f16>, %m: !ttg.memdesc<32x32xf16, #shared, #smem, mutable>) num_warps(4) {
    %c1 = arith.constant 1 : i32
    %q = tt.splat %qs : !tt.ptr<f16> -> tensor<32x32x!tt.ptr<f16>, #blocked>
    scf.for %i = %a to %b step %c1 : i32 {
      %l = tt.load %q : tensor<32x32x!tt.ptr<f16>, #blocked>
      ttg.local_store %l, %m : tensor<32x32xf16, #blocked> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      %x = ttg.local_load %m : !ttg.memdesc<32x32xf16, #shared, #smem, mutable> -> tensor<32x32xf16, #blocked>
      tt.store %q, %x : tensor<32x32x!tt.ptr<f16>, #blocked>
    } {autopipe.buffers = 1 : i32}
    ttg.warp_return
  } : (i32, i32, !tt.ptr<f16>, !ttg.memdesc<32x32xf16, #shared, #smem, mutable>) -> ()
  ttg.local_dealloc %buf : !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
  tt.return
}
}
