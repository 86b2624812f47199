// Loads of real GEMMs that autopipe-allocate-buffers cannot make async
// copies or keeps synchronous, with the reason; the other load of the loop is
// still lowered.

// sm90: a non-zero `other` with a local_alloc consumer (wgmma reads shared
// memory, where cp.async would leave zeros for masked elements): not an async
// copy, so that load is register-staged (the load keeps its `other`; its value
// is stored into the slot at the end of the iteration), the other one is still
// a cp.async -- both forms in one loop.
// RUN: sed 's/%cst_0 = arith.constant dense<0.000000e+00> : tensor<128x64xf16/%cst_0 = arith.constant dense<1.000000e+00> : tensor<128x64xf16/' %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   | %autopipe-opt - -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers)' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OTHER
// RUN: FileCheck %s --check-prefix=OTHER-IR < %t
// OTHER: remark: autopipe-allocate-buffers: loop at <stdin>:57:13: 2 load(s) in circular buffers: load at <stdin>:63:13: 3 slot(s) !ttg.memdesc<3x128x64xf16{{.*}}stage 0 -> 2 (register-staged: local_store, read in shared memory) [not async: non-zero 'other' with a local_alloc consumer (cp.async zero-fills masked elements)]; load at <stdin>:68:13: 3 slot(s) !ttg.memdesc<3x64x128xf16{{.*}}stage 0 -> 2 (async copy, read in shared memory)
// OTHER-IR:      %[[V:.+]] = tt.load %arg11, %{{.*}}, %cst_0 {loop.cluster = 2 : i32, loop.stage = 0 : i32}
// OTHER-IR:      ttg.async_copy_global_to_local %arg12
// OTHER-IR:      ttg.local_store %[[V]], %{{.*}} {loop.cluster = 3 : i32, loop.stage = 0 : i32}
// OTHER-IR:      autopipe.buffers = 2 : i32

// A local_alloc pinned into the load's stage: its consumer runs in the same
// stage, nothing to buffer.
// RUN: sed 's/%61 = ttg.local_alloc %60 :/%61 = ttg.local_alloc %60 {autopipe.stage = 0 : i32} :/' %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   | %autopipe-opt - -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers)' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PIN
// PIN: 1 load(s) in circular buffers: load at <stdin>:68:13: {{.*}}; kept synchronous: load at <stdin>:63:13 (consumer in the same stage (stage 0): nothing to buffer)

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
// HIP: remark: autopipe-allocate-buffers: loop at {{.*}}: partial schedule ({{[0-9]+}} unscheduled op(s)); left as is
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

// A local_alloc pinned to stage 1 while its wgmma stays in stage 2: the slot
// is read until stage 2, so 3 slots (not 2) for the copy issued in stage 0;
// the wait and the view are in the local_alloc's stage.
// RUN: sed 's/%61 = ttg.local_alloc %60 :/%61 = ttg.local_alloc %60 {autopipe.stage = 1 : i32} :/' %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   | %autopipe-opt - -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers)' -o %t.late 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LATE
// LATE: load at <stdin>:63:13: 3 slot(s) !ttg.memdesc<3x128x64xf16, {{.*}}stage 0 -> 1 (async copy, read in shared memory)
// RUN: FileCheck %s --check-prefix=LATE-IR < %t.late
// LATE-IR: ttg.async_wait {{.*}}loop.stage = 1 : i32, num = 0 : i32}
// LATE-IR-NEXT: ttg.memdesc_index {{.*}}loop.stage = 1 : i32} : !ttg.memdesc<3x128x64xf16
