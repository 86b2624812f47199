// The lowering checks the stages it is given directly, too; a loop it cannot
// handle is left untouched with a remark naming it.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-lower-warp-pipeline)'

#blocked = #ttg.blocked<{sizePerThread = [1, 1], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 1], threadsPerWarp = [8, 8], warpsPerCTA = [1, 4], order = [0, 1]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @lowering_checks(%n: i32, %x: tensor<64x64xf32, #blocked>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    scf.execute_region no_inline {
      %y = arith.addf %x, %x : tensor<64x64xf32, #blocked>
      scf.yield
    } {triton.warp_pipeline.stage = "a"}
    scf.execute_region no_inline {
      // expected-error @below {{'ttg.convert_layout' in warp-pipeline stage 'b' (stage 1 of scf.for at}}
      %z = ttg.convert_layout %x : tensor<64x64xf32, #blocked> -> tensor<64x64xf32, #blocked1>
      scf.yield
    } {triton.warp_pipeline.stage = "b"}
  } {triton.warp_pipeline.pipelined_for}
  tt.return
}
}

// -----

module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @op_between_stages(%n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{lower-invalid.mlir:33:3 left as is: 'arith.addi' sits between stages}}
  scf.for %i = %c0 to %n step %c1 : i32 {
    scf.execute_region no_inline {
      scf.yield
    } {triton.warp_pipeline.stage = "a"}
    %x = arith.addi %i, %c1 : i32
    scf.execute_region no_inline {
      scf.yield
    } {triton.warp_pipeline.stage = "b"}
  } {triton.warp_pipeline.pipelined_for}
  tt.return
}
}

// -----

// One stage reading and overwriting the same buffer would get a Membar barrier
// inside the stage.
#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
#shared = #ttg.swizzled_shared<{vec = 1, perPhase = 1, maxPhase = 1, order = [0]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @read_write_in_one_stage(%n: i32, %x: tensor<256xf32, #blocked>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %buf = ttg.local_alloc : () -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
  scf.for %i = %c0 to %n step %c1 : i32 {
    scf.execute_region no_inline {
      %l = ttg.local_load %buf : !ttg.memdesc<256xf32, #shared, #smem, mutable> -> tensor<256xf32, #blocked>
      // expected-error @below {{'ttg.local_store' in warp-pipeline stage 'rw' (stage 0 of scf.for at}}
      ttg.local_store %x, %buf : tensor<256xf32, #blocked> -> !ttg.memdesc<256xf32, #shared, #smem, mutable>
      scf.yield
    } {triton.warp_pipeline.stage = "rw"}
    scf.execute_region no_inline {
      scf.yield
    } {triton.warp_pipeline.stage = "other"}
  } {triton.warp_pipeline.pipelined_for}
  tt.return
}
}
