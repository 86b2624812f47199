// autopipe-insert-barriers: an op of one of our loops that takes shared memory
// but declares no memory effects is invisible to Triton's Membar (it records
// nothing for it, so it would add no barrier around it). Such an op gets a
// conservative CTA barrier on either side (`mode=place`), a remark naming it,
// and the proof says so; `mode=prove` reports that it needs them. Ops that
// declare their effects (local_load, local_store, ...) get only Membar's.
// RUN: %autopipe-opt %s -allow-unregistered-dialect -p 'builtin.module(autopipe-insert-barriers)' -o /dev/null 2>&1 | FileCheck %s --check-prefix=PROVE
// RUN: %autopipe-opt %s -allow-unregistered-dialect -p 'builtin.module(autopipe-insert-barriers{mode=place})' 2>&1 | FileCheck %s --check-prefix=PLACE
// RUN: %autopipe-opt %s -allow-unregistered-dialect -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false},autopipe-insert-barriers{output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=AGAIN

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// PROVE: remark: autopipe-insert-barriers: loop at {{.*}}: Membar adds 2 CTA barrier(s) in it:
// PROVE-SAME: ; user.touch at {{.*}}unknown-op.mlir:{{[0-9]+}}:5 touches shared memory without declaring its effects (Membar cannot order it: it needs a barrier on either side); placed by autopipe-insert-barriers: 0
// PLACE: remark: autopipe-insert-barriers: conservative: user.touch at {{.*}}unknown-op.mlir:{{[0-9]+}}:5 touches shared memory without declaring its effects; a CTA barrier on either side
// PLACE-LABEL: tt.func @unknown
// PLACE:       scf.for
// PLACE:         ttg.local_store
// PLACE-NEXT:    ttg.barrier local{{$}}
// PLACE-NEXT:    "user.touch"
// PLACE-NEXT:    ttg.barrier local{{$}}
// PLACE-NEXT:    ttg.local_load
// PLACE-NOT:     ttg.barrier
// PLACE:       } {autopipe.buffers = 1 : i32}
// AGAIN: autopipe-insert-barriers: loop at {{.*}}: Membar adds 0 CTA barrier(s) in it; user.touch at {{.*}} touches shared memory without declaring its effects (Membar cannot order it: a barrier on either side); placed by autopipe-insert-barriers: {{[2-9]}}
tt.func @unknown(%lb: i32, %ub: i32, %p: tensor<32x32x!tt.ptr<f16>, #blocked>) -> tensor<32x32xf16, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<32x32xf16, #blocked>
  %buf = ttg.local_alloc : () -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<32x32xf16, #blocked>) : i32 {
    %l = tt.load %p : tensor<32x32x!tt.ptr<f16>, #blocked>
    ttg.local_store %l, %buf : tensor<32x32xf16, #blocked> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
    "user.touch"(%buf) : (!ttg.memdesc<32x32xf16, #shared, #smem, mutable>) -> ()
    %x = ttg.local_load %buf : !ttg.memdesc<32x32xf16, #shared, #smem, mutable> -> tensor<32x32xf16, #blocked>
    %a = arith.addf %acc, %x : tensor<32x32xf16, #blocked>
    scf.yield %a : tensor<32x32xf16, #blocked>
  } {autopipe.buffers = 1 : i32}
  ttg.local_dealloc %buf : !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
  tt.return %r : tensor<32x32xf16, #blocked>
}
}
