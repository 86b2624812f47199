// Loads autopipe-allocate-buffers cannot lower stay as they were (for Triton's
// pipeliner), with a remark naming the loop and the reason; loops without a
// complete schedule and modules of other targets are left alone; bad options
// are errors.
// RUN: %autopipe-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(autopipe-allocate-buffers)' | FileCheck %s
// RUN: not %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{global-to-shared-stages=-1})' 2>&1 | FileCheck %s --check-prefix=BADOPT
// BADOPT: error: autopipe-allocate-buffers: global-to-shared-stages must be in 0..32, got -1
// RUN: not %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-allocate-buffers{copy=dma})' 2>&1 | FileCheck %s --check-prefix=BADCOPY
// BADCOPY: error: autopipe-allocate-buffers: unknown copy 'dma' (allowed: async, registers, auto)

// CHECK-NOT: ttg.async_copy_global_to_local
// CHECK-NOT: ttg.local_alloc :

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// A scalar load.
tt.func @scalar(%lb: i32, %ub: i32, %p: !tt.ptr<f32>) -> f32 {
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{(scalar or block-pointer load); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (f32) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : !tt.ptr<f32>
    %s = arith.addf %acc, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : f32
    scf.yield %s : f32
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : f32
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// A tensor load consumed a stage later, but not by an MMA.
tt.func @no_mma(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked> {tt.divisibility = 16 : i32, tt.contiguity = 512 : i32}) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  // expected-remark @below {{(does not feed an MMA); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<512x!tt.ptr<f32>, #blocked>
    %s = arith.addf %acc, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : tensor<512xf32, #blocked>
    scf.yield %s : tensor<512xf32, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : tensor<512xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// Consumer in the load's stage: nothing to buffer.
tt.func @same_stage(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked>) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  // expected-remark @below {{(consumer in the same stage (stage 1): nothing to buffer); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 0 : i32, loop.stage = 1 : i32} : tensor<512x!tt.ptr<f32>, #blocked>
    %s = arith.addf %acc, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : tensor<512xf32, #blocked>
    scf.yield %s : tensor<512xf32, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : tensor<512xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// The loaded value is carried to the next iteration.
tt.func @yielded(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked>) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  // expected-remark @below {{(value carried to the next iteration); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 0 : i32, loop.stage = 0 : i32} : tensor<512x!tt.ptr<f32>, #blocked>
    scf.yield %v : tensor<512xf32, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : tensor<512xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// Users in two different stages.
tt.func @two_stages(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked>) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  // expected-remark @below {{(users in different stages or clusters); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<512x!tt.ptr<f32>, #blocked>
    %m = arith.mulf %v, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : tensor<512xf32, #blocked>
    %s = arith.addf %m, %v {loop.cluster = 0 : i32, loop.stage = 2 : i32} : tensor<512xf32, #blocked>
    scf.yield %s : tensor<512xf32, #blocked>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return %r : tensor<512xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// A partial schedule (an op without loop.stage/loop.cluster).
tt.func @partial(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked>) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  // expected-remark @below {{schedule not usable ('arith.addf' has no loop.stage/loop.cluster: a partial schedule (1 unscheduled op(s))); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<512x!tt.ptr<f32>, #blocked>
    %s = arith.addf %acc, %v : tensor<512xf32, #blocked>
    scf.yield %s : tensor<512xf32, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : tensor<512xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// An unscheduled loop: not ours to touch, no remark.
tt.func @unscheduled(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked>) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p : tensor<512x!tt.ptr<f32>, #blocked>
    %s = arith.addf %acc, %v : tensor<512xf32, #blocked>
    scf.yield %s : tensor<512xf32, #blocked>
  }
  tt.return %r : tensor<512xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
// HIP (register-staged buffers): a load feeding no MMA stays a load.
tt.func @hip(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked>) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  // expected-remark @below {{(does not feed an MMA); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<512x!tt.ptr<f32>, #blocked>
    %s = arith.addf %acc, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : tensor<512xf32, #blocked>
    scf.yield %s : tensor<512xf32, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : tensor<512xf32, #blocked>
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
// A tensor-descriptor (TMA) load whose tile feeds no MMA: kept synchronous.
tt.func @tma(%lb: i32, %ub: i32, %d: !tt.tensordesc<128x64xf16, #shared>) {
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{(does not feed an MMA); left as is}}
  scf.for %i = %lb to %ub step %c1 : i32 {
    %v = tt.descriptor_load %d[%i, %i] {loop.cluster = 1 : i32, loop.stage = 0 : i32} : !tt.tensordesc<128x64xf16, #shared> -> tensor<128x64xf16, #blocked>
    %a = ttg.local_alloc %v {loop.cluster = 0 : i32, loop.stage = 2 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    ttg.local_dealloc %a {loop.cluster = 0 : i32, loop.stage = 2 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem>
  } {tt.scheduled_max_stage = 2 : i32}
  tt.return
}
}

// -----

#blocked = #ttg.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 4 : i32, ttg.target = "other:1", "ttg.threads-per-warp" = 32 : i32} {
// Neither a CUDA nor a HIP target.
tt.func @other(%lb: i32, %ub: i32, %p: tensor<512x!tt.ptr<f32>, #blocked>) -> tensor<512xf32, #blocked> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<512xf32, #blocked>
  // expected-remark @below {{not a CUDA or HIP target (other:1); left as is}}
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<512xf32, #blocked>) : i32 {
    %v = tt.load %p {loop.cluster = 1 : i32, loop.stage = 0 : i32} : tensor<512x!tt.ptr<f32>, #blocked>
    %s = arith.addf %acc, %v {loop.cluster = 0 : i32, loop.stage = 1 : i32} : tensor<512xf32, #blocked>
    scf.yield %s : tensor<512xf32, #blocked>
  } {tt.scheduled_max_stage = 1 : i32}
  tt.return %r : tensor<512xf32, #blocked>
}
}
