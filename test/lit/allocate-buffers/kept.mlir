// Loads of real GEMMs that autopipe-allocate-buffers cannot make async
// copies or keeps synchronous, with the reason; the other load of the loop is
// still lowered.

// The variants of the sm90 GEMM loop are written out at the end of this file
// (split-input cases), each with its checks.
// RUN: %autopipe-opt %s -split-input-file -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers)' -o %t.cases 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CASE
// RUN: FileCheck %s --check-prefix=CASE-IR < %t.cases

// A loop already holding async copies (the pass run twice) is left alone.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-allocate-buffers)' -o %t.twice 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TWICE
// TWICE: remark: autopipe-allocate-buffers: loop at {{.*}}: already holds async copies or shared-memory stores; left as is
// RUN: FileCheck %s --check-prefix=TWICE-IR < %t.twice
// TWICE-IR-COUNT-2: = ttg.local_alloc : ()
// TWICE-IR-NOT:     = ttg.local_alloc : ()

// gfx942 with the anchors-only schedule (the form Triton's AMD stream
// pipeliner takes): left to it. With copy=async on gfx942 (no 16-byte
// direct-to-LDS load there): left as is, with the reason.
// RUN: %autopipe-opt %inputs/gemm-gfx942-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers)' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HIP
// HIP: remark: autopipe-allocate-buffers: loop at {{.*}}: schedule not usable ('{{.*}}' has no loop.stage/loop.cluster: a partial schedule ({{[0-9]+}} unscheduled op(s))); left as is
// RUN: %autopipe-opt %inputs/gemm-gfx942-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false complete=true},autopipe-allocate-buffers{copy=async})' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HIPASYNC
// HIPASYNC: remark: autopipe-allocate-buffers: loop at {{.*}}: async copies on HIP need direct-to-LDS loads (gfx950); use copy=registers or auto; left as is

// The text report.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false output=-})' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TEXT
// TEXT-NOT: remark
// TEXT: autopipe-allocate-buffers: loop at {{.*}}: 2 load(s) in circular buffers

// sm90: a non-zero `other` with a local_alloc consumer (wgmma reads shared
// memory, where cp.async would leave zeros for masked elements): not an async
// copy, so that load is register-staged (the load keeps its `other`; its value
// is stored into the slot at the end of the iteration), the other one is still
// a cp.async -- both forms in one loop.
// CASE:      remark: autopipe-allocate-buffers: loop at {{.*}}: 2 load(s)
// CASE-SAME: 3 slot(s) !ttg.memdesc<3x128x64xf16{{[^;]*}}stage 0 -> 2 (register-staged{{[^;]*}}non-zero 'other'{{[^;]*}}local_alloc
// CASE-SAME: 3 slot(s) !ttg.memdesc<3x64x128xf16{{[^;]*}}stage 0 -> 2 (async copy
// CASE-IR-LABEL: tt.func @other_nonzero(
// CASE-IR:      %[[V:.+]] = tt.load %{{.*}}, %{{.*}}, %{{.*}} {loop.cluster = 2 : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>
// CASE-IR:      ttg.async_copy_global_to_local %{{.*}} : tensor<64x128x!tt.ptr<f16>
// CASE-IR:      ttg.local_store %[[V]], %{{.*}} {loop.cluster = 3 : i32, loop.stage = 0 : i32}
// CASE-IR:      autopipe.buffers = 2 : i32
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @other_nonzero(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %one = arith.constant dense<1.000000e+00> : tensor<128x64xf16, #blocked>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %inb = arith.cmpi slt, %k, %n : i32
    %ma = tt.splat %inb : i1 -> tensor<128x64xi1, #blocked>
    %a = tt.load %pa, %ma, %one : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// A local_alloc pinned into the load's stage (autopipe.stage = 0): its
// consumer runs in the same stage, nothing to buffer; B is still buffered.
// CASE:      remark: autopipe-allocate-buffers: loop at {{.*}}: 1 load(s)
// CASE-SAME: 3 slot(s) !ttg.memdesc<3x64x128xf16{{[^;]*}}(async copy
// CASE-SAME: kept synchronous: load at {{.*}}(consumer in the same stage (stage 0)
// CASE-IR-LABEL: tt.func @pinned_same_stage(
// CASE-IR:      ttg.local_alloc : () -> !ttg.memdesc<3x64x128xf16
// CASE-IR-NOT:  ttg.local_alloc : ()
// CASE-IR:      tt.load %{{.*}} {loop.cluster = {{[0-9]+}} : i32, loop.stage = 0 : i32} : tensor<128x64x!tt.ptr<f16>
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @pinned_same_stage(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {autopipe.stage = 0 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}

// -----

// A local_alloc pinned to stage 1 while its wgmma stays in stage 2: the slot
// is read until stage 2, so 3 slots (not 2) for the copy issued in stage 0;
// the wait and the view are in the local_alloc's stage.
// CASE:      remark: autopipe-allocate-buffers: loop at {{.*}}: 2 load(s)
// CASE-SAME: 3 slot(s) !ttg.memdesc<3x128x64xf16, {{[^;]*}}stage 0 -> 1 (async copy
// CASE-IR-LABEL: tt.func @pinned_late(
// CASE-IR:      ttg.async_wait {{.*}}loop.stage = 1 : i32, num = 0 : i32}
// CASE-IR-NEXT: ttg.memdesc_index {{.*}}loop.stage = 1 : i32} : !ttg.memdesc<3x128x64xf16
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 128, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32} {
tt.func @pinned_late(%pa0: tensor<128x64x!tt.ptr<f16>, #blocked> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 64]> : tensor<2xi32>},
    %pb0: tensor<64x128x!tt.ptr<f16>, #blocked1> {tt.divisibility = dense<16> : tensor<2xi32>, tt.contiguity = dense<[1, 128]> : tensor<2xi32>},
    %n: i32) -> tensor<128x128xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %da = arith.constant dense<64> : tensor<128x64xi32, #blocked>
  %db = arith.constant dense<8192> : tensor<64x128xi32, #blocked1>
  %zero = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
  %r:3 = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero, %pa = %pa0, %pb = %pb0) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>) : i32 {
    %a = tt.load %pa : tensor<128x64x!tt.ptr<f16>, #blocked>
    %sa = ttg.local_alloc %a {autopipe.stage = 1 : i32} : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %b = tt.load %pb : tensor<64x128x!tt.ptr<f16>, #blocked1>
    %sb = ttg.local_alloc %b : (tensor<64x128xf16, #blocked1>) -> !ttg.memdesc<64x128xf16, #shared, #smem>
    %d = ttng.warp_group_dot %sa, %sb, %acc {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x128xf16, #shared, #smem> -> tensor<128x128xf32, #mma>
    %pa1 = tt.addptr %pa, %da : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %pb1 = tt.addptr %pb, %db : tensor<64x128x!tt.ptr<f16>, #blocked1>, tensor<64x128xi32, #blocked1>
    scf.yield %d, %pa1, %pb1 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<64x128x!tt.ptr<f16>, #blocked1>
  }
  tt.return %r#0 : tensor<128x128xf32, #mma>
}
}
