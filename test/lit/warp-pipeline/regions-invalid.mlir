// A loop with fewer than two stages is left as is, with a remark naming it;
// a border outside a loop body is an error.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-warp-pipeline-regions)' | FileCheck %s

// CHECK-LABEL: tt.func @one_stage
// CHECK: rocdl.sched.barrier none {triton.warp_pipeline.border = "only"}
// CHECK-NOT: scf.execute_region
// CHECK-NOT: pipelined_for
tt.func @one_stage(%n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{regions-invalid.mlir:13:3 has 1 stage(s); at least two are needed, left as is}}
  scf.for %i = %c0 to %n step %c1 : i32 {
    %x = arith.addi %i, %c1 : i32
    rocdl.sched.barrier none {triton.warp_pipeline.border = "only"}
  }
  tt.return
}

// -----

tt.func @border_outside_loop(%c: i1) {
  scf.if %c {
    // expected-error @below {{warp-pipeline stage border outside the body of an scf.for}}
    rocdl.sched.barrier none {triton.warp_pipeline.border = "x"}
  }
  tt.return
}
