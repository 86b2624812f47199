// Loads that cannot become cp.async copies on CUDA (the fp16 GEMM with rows
// of 300 elements: not 16-byte aligned, 2-byte copies) on sm80. Triton leaves
// them synchronous, and so does our scheduler by default; with `staged-loads`
// (set by the hook when our passes lower and expand the loop) they are
// pipelined and autopipe-allocate-buffers register-stages them.
//
// Without staged-loads: nothing to pipeline.
// With it, but over the register budget: the two 128x64 / 64x128 fp16 tiles
// would hold 128 bytes a thread (8 warps) in registers, more than the
// default 64 (measured on H100: 192 bytes a thread spilled, 0.71x): kept
// synchronous, with the numbers.
// RUN: %autopipe-opt %inputs/gemm-unaligned-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4})' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OFF
// OFF: remark: autopipe-schedule-loops: loop at benchmarks/kernels/gemm.py:91:5: no pipelinable load
// OFF-NOT: kept synchronous
// RUN: %autopipe-opt %inputs/gemm-unaligned-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4 staged-loads=true})' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BUDGET
// BUDGET: no pipelinable load {{.*}}2 load(s){{.*}}kept synchronous{{.*}}128 bytes a thread (> 64)
//
// Within a larger budget (staged-bytes=128):
//
// Both loads in stage 0, in the first cluster of the body (their
// latency overlaps the MMA; the store into the slot comes at the end), the
// MMA in stage 3, the pointer increments in stage 1 before the loads.
// RUN: %autopipe-opt %inputs/gemm-unaligned-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4 staged-loads=true staged-bytes=128 remarks=false},autopipe-print-schedule{remarks=false output=-})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SCHED
// SCHED:      4 stage(s) (tt.scheduled_max_stage = 3), 3 cluster(s)
// SCHED:        stage 0 cluster 1  tt.load  ({{.*}}gemm.py:97:17)
// SCHED:        stage 0 cluster 1  tt.load  ({{.*}}gemm.py:98:17)
// SCHED:        stage 3 cluster 2  tt.dot
// SCHED-NEXT:   stage 1 cluster 0  tt.addptr
// SCHED-NEXT:   stage 1 cluster 0  tt.addptr
//
// Lowered and expanded: 3 slots each (stage distance 3: the store at the end
// of the iteration overwrites the slot read earlier in it, behind Membar's
// barrier), loads at the top of the body, local_loads, the MMA, the stores.
// RUN: %autopipe-opt %inputs/gemm-unaligned-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4 staged-loads=true staged-bytes=128 remarks=false},autopipe-allocate-buffers,autopipe-expand-loops{remarks=false})' \
// RUN:   -o %t 2>&1 | FileCheck %s --check-prefix=LOWER
// LOWER: 2 load(s)
// LOWER-SAME: gemm.py:97:17: 3 slot(s) !ttg.memdesc<3x128x64xf16, #ttg.swizzled_shared<{{[^;]*}}stage 0 -> 3 (register-staged{{[^;]*}}cp.async{{[^;]*}}alignment
// LOWER-SAME: gemm.py:98:17: 3 slot(s) !ttg.memdesc<3x64x128xf16, {{[^;]*}}stage 0 -> 3 (register-staged{{[^;]*}}cp.async{{[^;]*}}alignment
// RUN: FileCheck %s --check-prefix=LOWER-IR < %t
// LOWER-IR:      scf.for
// LOWER-IR:        %[[A:.+]] = tt.load
// LOWER-IR:        %[[B:.+]] = tt.load
// LOWER-IR:        ttg.local_load
// LOWER-IR:        ttg.local_load
// LOWER-IR:        tt.dot
// LOWER-IR:        ttg.local_store %[[A]]
// LOWER-IR:        ttg.local_store %[[B]]
// LOWER-IR:      scf.yield
// LOWER-IR-NOT:  ttg.async_copy_global_to_local
