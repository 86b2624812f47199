// Ops that need a CTA-wide barrier of their own inside a stage are errors
// naming the op, its stage and the fix, in both passes; the pass fails and the
// loop is left untouched.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-warp-pipeline-regions)'
// RUN: not %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-warp-pipeline-regions)' 2>&1 | FileCheck %s
// CHECK: error: 'ttg.convert_layout' in warp-pipeline stage 'compute' (stage 1 of scf.for at {{.*}}diagnostics.mlir:{{[0-9]+}}:{{[0-9]+}}){{.*}}layout conversion through shared memory{{.*}}CTA-wide barrier{{.*}}move it to a stage boundary

#blocked = #ttg.blocked<{sizePerThread = [1, 1], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 1], threadsPerWarp = [8, 8], warpsPerCTA = [1, 4], order = [0, 1]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @convert_in_stage(%n: i32, %x: tensor<64x64xf32, #blocked>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    %y = arith.addf %x, %x : tensor<64x64xf32, #blocked>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "load"}
    // expected-error @below {{'ttg.convert_layout' in warp-pipeline stage 'compute' (stage 1 of scf.for at}}
    %z = ttg.convert_layout %y : tensor<64x64xf32, #blocked> -> tensor<64x64xf32, #blocked1>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "compute"}
  }
  tt.return
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @reduce_in_stage(%n: i32, %x: tensor<256xf32, #blocked>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    // expected-error @below {{'tt.reduce' in warp-pipeline stage 'sum' (stage 0 of scf.for at}}
    %s = "tt.reduce"(%x) <{axis = 0 : i32}> ({
    ^bb0(%a: f32, %b: f32):
      %t = arith.addf %a, %b : f32
      tt.reduce.return %t : f32
    }) : (tensor<256xf32, #blocked>) -> f32
    rocdl.sched.barrier none {triton.warp_pipeline.border = "sum"}
    %u = arith.addf %x, %x : tensor<256xf32, #blocked>
    rocdl.sched.barrier none {triton.warp_pipeline.border = "other"}
  }
  tt.return
}
}

// -----

module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @barrier_mid_stage(%n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    %a = arith.addi %i, %c1 : i32
    // expected-error @below {{'ttg.barrier' in warp-pipeline stage 's0' (stage 0 of scf.for at}}
    ttg.barrier local
    %b = arith.addi %a, %c1 : i32
    rocdl.sched.barrier none {triton.warp_pipeline.border = "s0"}
    %c = arith.addi %i, %c1 : i32
    rocdl.sched.barrier none {triton.warp_pipeline.border = "s1"}
  }
  tt.return
}
}

// -----

module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
tt.func @nested_loop(%n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    %a = arith.addi %i, %c1 : i32
    rocdl.sched.barrier none {triton.warp_pipeline.border = "s0"}
    // expected-error @below {{'scf.for' in warp-pipeline stage 's1' (stage 1 of scf.for at}}
    scf.for %j = %c0 to %n step %c1 : i32 {
      %b = arith.addi %j, %c1 : i32
    }
    rocdl.sched.barrier none {triton.warp_pipeline.border = "s1"}
  }
  tt.return
}
}
