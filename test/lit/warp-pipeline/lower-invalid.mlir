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
