// Channel marks outside the contract of include/triton-autopipe/Channels.h:
// a diagnostic naming the op, and the module left as it was.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-insert-barriers{mode=place remarks=false})' -o /dev/null

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @bad_mark(%n: i32, %buf: !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>) {
  ttg.warp_specialize(%n) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    scf.for %i = %c0 to %n step %c1 : i32 {
      // expected-error @+1 {{autopipe.channel must be "put" or "get", got "take"}}
      %s = ttg.memdesc_index %buf[%c0] {autopipe.channel = "take"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
    }
    ttg.warp_yield
  }
  partition0(%pn: i32) num_warps(4) {
    ttg.warp_return
  } : (i32) -> ()
  tt.return
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @get_without_put(%n: i32) {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>
  ttg.warp_specialize(%n) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    scf.for %i = %c0 to %n step %c1 : i32 {
      // expected-error @+1 {{needs one put view and at least one get view}}
      %s = ttg.memdesc_index %buf[%c0] {autopipe.channel = "get"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      %x = ttg.local_load %s : !ttg.memdesc<32x32xf16, #shared, #smem, mutable> -> tensor<32x32xf16, #blocked>
    }
    ttg.warp_yield
  }
  partition0(%pn: i32) num_warps(4) {
    ttg.warp_return
  } : (i32) -> ()
  tt.return
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @different_trip_counts(%n: i32, %m: i32, %p: !tt.ptr<f16>) {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>
  ttg.warp_specialize(%m, %p, %buf) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    scf.for %i = %c0 to %n step %c1 : i32 {
      // expected-error @+1 {{must have the same bounds and step}}
      %s = ttg.memdesc_index %buf[%c0] {autopipe.channel = "get"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      %x = ttg.local_load %s : !ttg.memdesc<32x32xf16, #shared, #smem, mutable> -> tensor<32x32xf16, #blocked>
    }
    ttg.warp_yield
  }
  partition0(%pm: i32, %pp: !tt.ptr<f16>, %pbuf: !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>) num_warps(4) {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %ps = tt.splat %pp : !tt.ptr<f16> -> tensor<32x32x!tt.ptr<f16>, #blocked>
    scf.for %i = %c0 to %pm step %c1 : i32 {
      %l = tt.load %ps : tensor<32x32x!tt.ptr<f16>, #blocked>
      %s = ttg.memdesc_index %pbuf[%c0] {autopipe.channel = "put"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      ttg.local_store %l, %s : tensor<32x32xf16, #blocked> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
    }
    ttg.warp_return
  } : (i32, !tt.ptr<f16>, !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>) -> ()
  tt.return
}
}

// -----

#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [4, 1], instrShape = [16, 64, 16]}>
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @dot_not_retired(%n: i32, %p: !tt.ptr<f16>, %w: !ttg.memdesc<64x64xf16, #shared, #smem>) -> tensor<64x64xf32, #mma> {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
  %r = ttg.warp_specialize(%n, %p, %buf) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %acc = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) : i32 {
      %s = ttg.memdesc_index %buf[%c0] {autopipe.channel = "get"} : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      // expected-error @+1 {{no warp_group_dot_wait of the loop body retires it}}
      %d = ttng.warp_group_dot %s, %w, %acc {inputPrecision = 0 : i32, isAsync = true} : !ttg.memdesc<64x64xf16, #shared, #smem, mutable> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<64x64xf32, #mma>
      scf.yield %d : tensor<64x64xf32, #mma>
    }
    ttg.warp_yield %acc : tensor<64x64xf32, #mma>
  }
  partition0(%pn: i32, %pp: !tt.ptr<f16>, %pbuf: !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>) num_warps(4) {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %ps = tt.splat %pp : !tt.ptr<f16> -> tensor<64x64x!tt.ptr<f16>, #blocked>
    scf.for %i = %c0 to %pn step %c1 : i32 {
      %l = tt.load %ps : tensor<64x64x!tt.ptr<f16>, #blocked>
      %s = ttg.memdesc_index %pbuf[%c0] {autopipe.channel = "put"} : !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
      ttg.local_store %l, %s : tensor<64x64xf16, #blocked> -> !ttg.memdesc<64x64xf16, #shared, #smem, mutable>
    }
    ttg.warp_return
  } : (i32, !tt.ptr<f16>, !ttg.memdesc<2x64x64xf16, #shared, #smem, mutable>) -> tensor<64x64xf32, #mma>
  tt.return %r : tensor<64x64xf32, #mma>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @put_read(%n: i32) {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>
  ttg.warp_specialize(%n, %buf) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    scf.for %i = %c0 to %n step %c1 : i32 {
      %s = ttg.memdesc_index %buf[%c0] {autopipe.channel = "get"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      %x = ttg.local_load %s : !ttg.memdesc<32x32xf16, #shared, #smem, mutable> -> tensor<32x32xf16, #blocked>
    }
    ttg.warp_yield
  }
  partition0(%pn: i32, %pbuf: !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>) num_warps(4) {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    scf.for %i = %c0 to %pn step %c1 : i32 {
      %s = ttg.memdesc_index %pbuf[%c0] {autopipe.channel = "put"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
      // expected-error @+1 {{a put view may only be written by ttg.local_store}}
      %x = ttg.local_load %s : !ttg.memdesc<32x32xf16, #shared, #smem, mutable> -> tensor<32x32xf16, #blocked>
    }
    ttg.warp_return
  } : (i32, !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>) -> ()
  tt.return
}
}

// -----

#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @not_in_a_loop(%n: i32) {
  %buf = ttg.local_alloc : () -> !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable>
  ttg.warp_specialize(%n) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    %c0 = arith.constant 0 : i32
    // expected-error @+1 {{must be in the body of a loop directly in a region of the ttg.warp_specialize}}
    %s = ttg.memdesc_index %buf[%c0] {autopipe.channel = "get"} : !ttg.memdesc<2x32x32xf16, #shared, #smem, mutable> -> !ttg.memdesc<32x32xf16, #shared, #smem, mutable>
    ttg.warp_yield
  }
  partition0(%pn: i32) num_warps(4) {
    ttg.warp_return
  } : (i32) -> ()
  tt.return
}
}
