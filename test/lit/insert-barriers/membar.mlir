// autopipe-insert-barriers (lib/InsertBarriers.cpp): Triton's Membar, run on a
// copy of the module, lists the CTA barriers it adds in each loop our passes
// handled (an scf.for with an `autopipe.*` attribute); `mode=prove` reports
// them and leaves the IR alone, `mode=place` inserts them (marked
// by the location "autopipe.barrier: <reason>"(...)) and proves that Membar
// adds none after, also once the result is printed and parsed again.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers)' 2>&1 | FileCheck %s --check-prefix=PROVE
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{output=-})' 2>&1 | FileCheck %s --check-prefix=NOTOURS
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false})' | FileCheck %s --check-prefix=PLACE
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false},autopipe-insert-barriers{output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=AGAIN
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false})' -mlir-print-debuginfo \
// RUN:   | %autopipe-opt -split-input-file -p 'builtin.module(autopipe-insert-barriers{remarks=false output=-})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=AGAIN
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false})' -mlir-print-debuginfo | FileCheck %s --check-prefix=MARK

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// Register-staged (gfx942): slot s is read at the top, slot s+1 written at the
// bottom. Membar cannot tell the slots apart (one buffer, dynamic indices):
// a barrier before the write (the read of this iteration) and one before the
// read (the write of the previous iteration, across the back edge).
// The reasons name the buffer by its local_alloc's line.
// PROVE-LABEL: remark: autopipe-insert-barriers: loop at {{.*}}membar.mlir:[[LOOP:[0-9]+]]:10: Membar adds 2 CTA barrier(s) in it:
// PROVE-SAME: before ttg.local_load at {{[^ ]*}}membar.mlir:{{[0-9]+}}:10 (the buffer of {{[^ ]*}}membar.mlir:[[ALLOC:[0-9]+]]:10), after ttg.local_store at {{[^ ]*}} of the previous iteration;
// PROVE-SAME: before ttg.local_store at {{[^ ]*}} (the buffer of {{[^ ]*}}membar.mlir:[[ALLOC]]:10), after ttg.local_load at {{[^ ;]*}}; placed by autopipe-insert-barriers: 0, other barriers already there: 0
// PROVE-NOT: ttg.barrier
// PLACE-LABEL: tt.func @staged
// PLACE:       scf.for
// PLACE-NEXT:    ttg.memdesc_index
// PLACE-NEXT:    ttg.barrier local{{$}}
// PLACE-NEXT:    ttg.local_load
// PLACE-NEXT:    tt.load
// PLACE:         ttg.memdesc_index
// PLACE-NEXT:    ttg.barrier local{{$}}
// PLACE-NEXT:    ttg.local_store
// PLACE-NOT:     ttg.barrier
// PLACE:       } {autopipe.buffers = 2 : i32}
// AGAIN: autopipe-insert-barriers: loop at {{.*}}: Membar adds 0 CTA barrier(s) in it; placed by autopipe-insert-barriers: 2, other barriers already there: 0
tt.func @staged(%lb: i32, %ub: i32, %p: tensor<64x64x!tt.ptr<f16>, #blocked>) -> tensor<64x64xf16, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf16, #blocked>
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z, %s = %c0) -> (tensor<64x64xf16, #blocked>, i32) : i32 {
    %v = ttg.memdesc_index %buf[%s] : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %x = ttg.local_load %v : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #blocked>
    %l = tt.load %p : tensor<64x64x!tt.ptr<f16>, #blocked>
    %n = arith.xori %s, %c1 : i32
    %w = ttg.memdesc_index %buf[%n] : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    ttg.local_store %l, %w : tensor<64x64xf16, #blocked> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %a = arith.addf %acc, %x : tensor<64x64xf16, #blocked>
    scf.yield %a, %n : tensor<64x64xf16, #blocked>, i32
  } {autopipe.buffers = 2 : i32}
  ttg.local_dealloc %buf : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  tt.return %r#0 : tensor<64x64xf16, #blocked>
}

// The same loop without an autopipe attribute is not ours: no report, no
// barrier (Membar synchronizes it at lowering).
// NOTOURS-NOT: not_ours_loop
// PLACE-LABEL: tt.func @not_ours
// PLACE-NOT:   ttg.barrier
// PLACE:       tt.return
tt.func @not_ours(%lb: i32, %ub: i32, %p: tensor<64x64x!tt.ptr<f16>, #blocked>) -> tensor<64x64xf16, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf16, #blocked>
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z, %s = %c0) -> (tensor<64x64xf16, #blocked>, i32) : i32 {
    %v = ttg.memdesc_index %buf[%s] : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %x = ttg.local_load %v : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #blocked>
    %l = tt.load %p : tensor<64x64x!tt.ptr<f16>, #blocked>
    %n = arith.xori %s, %c1 : i32
    %w = ttg.memdesc_index %buf[%n] : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    ttg.local_store %l, %w : tensor<64x64xf16, #blocked> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %a = arith.addf %acc, %x : tensor<64x64xf16, #blocked>
    scf.yield %a, %n : tensor<64x64xf16, #blocked>, i32
  } loc("not_ours_loop")
  ttg.local_dealloc %buf : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  tt.return %r#0 : tensor<64x64xf16, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:80", "ttg.threads-per-warp" = 32 : i32} {
// Async copies (sm80): Membar always puts a CTA barrier right after
// ttg.async_wait (each thread waits for its own copies only), and one before
// the copy that refills the buffer read in this iteration.
// PROVE: remark: autopipe-insert-barriers: loop at {{.*}}: Membar adds 2 CTA barrier(s) in it:
// PROVE-SAME: before ttg.async_copy_global_to_local at {{[^ ]*}} (the buffer of {{[^ ]*}}), after ttg.local_load at {{[^ ]*}} of the previous iteration;
// PROVE-SAME: after ttg.async_wait at {{[^ ]*}} (the other threads' async copies become visible);
// PLACE-LABEL: tt.func @async_copies
// PLACE:         ttg.async_wait
// PLACE-NEXT:    ttg.barrier local{{$}}
// MARK-DAG: loc("autopipe.barrier: before ttg.local_load at {{[^"]*}}membar.mlir:{{[0-9]+}}:10 (the buffer of {{[^"]*}}), after ttg.local_store at {{[^"]*}} of the previous iteration"
// MARK-DAG: loc("autopipe.barrier: before ttg.local_store at
// MARK-DAG: loc("autopipe.barrier: after ttg.async_wait at {{[^"]*}} (the other threads' async copies become visible)"
// AGAIN: autopipe-insert-barriers: loop at {{.*}}: Membar adds 0 CTA barrier(s) in it; placed by autopipe-insert-barriers: 2
tt.func @async_copies(%lb: i32, %ub: i32, %p: tensor<64x64x!tt.ptr<f16>, #blocked>) -> tensor<64x64xf16, #blocked> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<64x64xf16, #blocked>
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z, %s = %c0) -> (tensor<64x64xf16, #blocked>, i32) : i32 {
    %n = arith.xori %s, %c1 : i32
    %w = ttg.memdesc_index %buf[%n] : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %t = ttg.async_copy_global_to_local %p, %w : tensor<64x64x!tt.ptr<f16>, #blocked> -> <64x64xf16, #shared, #smem, mutable>
    %g = ttg.async_commit_group tokens %t
    %wt = ttg.async_wait %g {num = 0 : i32}
    %v = ttg.memdesc_index %buf[%s] : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    %x = ttg.local_load %v token %wt : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> -> tensor<64x64xf16, #blocked>
    %a = arith.addf %acc, %x : tensor<64x64xf16, #blocked>
    scf.yield %a, %n : tensor<64x64xf16, #blocked>, i32
  } {autopipe.schedule = "default"}
  ttg.local_dealloc %buf : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  tt.return %r#0 : tensor<64x64xf16, #blocked>
}
}
