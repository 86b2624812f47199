// autopipe-insert-barriers on a ttg.warp_specialize that captures a tensor:
// Triton's shared-memory allocation, which the pass runs, aborts on it (LLVM
// ERROR: it sizes captures as scalars, pointers or shared memory); the pass
// gives a diagnostic naming the op and the type instead (the module has a
// loop of ours, else the pass has nothing to analyze and changes nothing).
// RUN: %autopipe-opt %s -verify-diagnostics -p 'builtin.module(autopipe-insert-barriers)' -o /dev/null

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [1, 0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttg.total-num-warps" = 8 : i32} {
tt.func @tensor_capture(%p: tensor<32x32x!tt.ptr<f16>, #blocked>) {
  // expected-error @+1 {{autopipe-insert-barriers: ttg.warp_specialize captures a value of type 'tensor<32x32x!tt.ptr<f16>}}
  ttg.warp_specialize(%p) attributes {warpGroupStartIds = array<i32: 4>}
  default {
    ttg.warp_yield
  }
  partition0(%q: tensor<32x32x!tt.ptr<f16>, #blocked>) num_warps(4) {
    ttg.warp_return
  } : (tensor<32x32x!tt.ptr<f16>, #blocked>) -> ()
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %c1 step %c1 : i32 {
  } {autopipe.buffers = 1 : i32}
  tt.return
}
}
