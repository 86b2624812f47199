// Loops without MMA (upstream test_pipeliner.py::test_pipeline_vecadd's loop):
// as in Triton's assign-latencies, a CUDA loop whose num_stages the user set
// (`tt.num_stages`) gets every tt.load that can be an async copy pipelined,
// the loads in stage 0 and their consumers in the last stage; without the
// attribute such a loop is left as is.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-schedule-loops)' -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}: default schedule, 3 stages, 2 pipelined load(s)
// CHECK-LABEL: tt.func @vecadd(
// CHECK:       scf.for
// CHECK:         tt.load {{.*}}{loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK:         tt.load {{.*}}{loop.cluster = 2 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:    arith.addf {{.*}}{loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK:         tt.store {{.*}}{loop.cluster = 0 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:    arith.addi {{.*}}{loop.cluster = 1 : i32, loop.stage = 1 : i32}
// CHECK:       } {autopipe.schedule = "default", tt.num_stages = 3 : i32, tt.scheduled_max_stage = 2 : i32}
#blocked = #ttg.blocked<{sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @vecadd(%a: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %b: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %out: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %n: i32 {tt.divisibility = 16 : i32}, %blocks: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<256> : tensor<256xi32, #blocked>
  %range = tt.make_range {end = 256 : i32, start = 0 : i32} : tensor<256xi32, #blocked>
  %limit = tt.splat %n : i32 -> tensor<256xi32, #blocked>
  %pa = tt.splat %a : !tt.ptr<f16> -> tensor<256x!tt.ptr<f16>, #blocked>
  %pb = tt.splat %b : !tt.ptr<f16> -> tensor<256x!tt.ptr<f16>, #blocked>
  %po = tt.splat %out : !tt.ptr<f16> -> tensor<256x!tt.ptr<f16>, #blocked>
  %r = scf.for %i = %c0 to %blocks step %c1 iter_args(%offs = %range) -> (tensor<256xi32, #blocked>) : i32 {
    %mask = arith.cmpi slt, %offs, %limit : tensor<256xi32, #blocked>
    %xa = tt.addptr %pa, %offs : tensor<256x!tt.ptr<f16>, #blocked>, tensor<256xi32, #blocked>
    %x = tt.load %xa, %mask : tensor<256x!tt.ptr<f16>, #blocked>
    %ya = tt.addptr %pb, %offs : tensor<256x!tt.ptr<f16>, #blocked>, tensor<256xi32, #blocked>
    %y = tt.load %ya, %mask : tensor<256x!tt.ptr<f16>, #blocked>
    %s = arith.addf %x, %y : tensor<256xf16, #blocked>
    %oa = tt.addptr %po, %offs : tensor<256x!tt.ptr<f16>, #blocked>, tensor<256xi32, #blocked>
    tt.store %oa, %s, %mask : tensor<256x!tt.ptr<f16>, #blocked>
    %next = arith.addi %offs, %step : tensor<256xi32, #blocked>
    scf.yield %next : tensor<256xi32, #blocked>
  } {tt.num_stages = 3 : i32}
  tt.return
}
}

// -----

// The same loop without tt.num_stages: not pipelined (as in Triton).
// REMARK: remark: autopipe-schedule-loops: loop at {{.*}}: no pipelinable load
// CHECK-LABEL: tt.func @vecadd_default_stages(
// CHECK-NOT:   loop.stage
// CHECK:       tt.return
#blocked = #ttg.blocked<{sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @vecadd_default_stages(%a: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %out: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %blocks: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<256> : tensor<256xi32, #blocked>
  %range = tt.make_range {end = 256 : i32, start = 0 : i32} : tensor<256xi32, #blocked>
  %pa = tt.splat %a : !tt.ptr<f16> -> tensor<256x!tt.ptr<f16>, #blocked>
  %po = tt.splat %out : !tt.ptr<f16> -> tensor<256x!tt.ptr<f16>, #blocked>
  %r = scf.for %i = %c0 to %blocks step %c1 iter_args(%offs = %range) -> (tensor<256xi32, #blocked>) : i32 {
    %xa = tt.addptr %pa, %offs : tensor<256x!tt.ptr<f16>, #blocked>, tensor<256xi32, #blocked>
    %x = tt.load %xa : tensor<256x!tt.ptr<f16>, #blocked>
    %oa = tt.addptr %po, %offs : tensor<256x!tt.ptr<f16>, #blocked>, tensor<256xi32, #blocked>
    tt.store %oa, %x : tensor<256x!tt.ptr<f16>, #blocked>
    %next = arith.addi %offs, %step : tensor<256xi32, #blocked>
    scf.yield %next : tensor<256xi32, #blocked>
  }
  tt.return
}
}
