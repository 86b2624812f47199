// Register-staged circular buffers on AMD (gfx942; the MFMA reads its operands
// from registers, loads are not async): with a complete schedule
// (autopipe-schedule-loops complete=true: loads first in the body), each load
// stays where it is, its value is written into slot `insert` by a
// ttg.local_store in a new last cluster of the load's stage, and the consumer
// reads slot `extract` with ttg.local_load. num_stages 3 -> stage distance 2 ->
// 2 slots (the store runs after the slot's last read in the same iteration).
// RUN: %autopipe-opt %inputs/gemm-gfx942-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 complete=true remarks=false},autopipe-allocate-buffers{shared-limit=0})' \
// RUN:   -o %t 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// REMARK: remark: autopipe-allocate-buffers: loop at {{.*}}: 2 load(s)
// REMARK-SAME: :82:13: 2 slot(s) !ttg.memdesc<2x128x64xf16, #ttg.swizzled_shared<{{[^;]*}}stage 0 -> 2 (register-staged
// REMARK-SAME: :87:13: 2 slot(s) !ttg.memdesc<2x64x128xf16, {{[^;]*}}stage 0 -> 2 (register-staged
// CHECK:      %[[A:.*]] = ttg.local_alloc : () -> !ttg.memdesc<2x128x64xf16, #shared, #smem, mutable>
// CHECK:      %[[B:.*]] = ttg.local_alloc : () -> !ttg.memdesc<2x64x128xf16, #shared1, #smem, mutable>
// CHECK:      scf.for {{.*}} iter_args({{.*}}, %[[INS:arg[0-9]+]] = %c-1_i32, %[[EXT:arg[0-9]+]] = %c-1_i32)
// Insert index: +1, wrap at 2, in the loads' stage and cluster.
// CHECK:        %[[I1:.*]] = arith.addi %[[INS]], %{{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   %[[IW:.*]] = arith.cmpi sge, %[[I1]], %{{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   %[[I:.*]] = arith.select %[[IW]], %{{.*}}, %[[I1]] {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   %[[LA:.*]] = tt.load {{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// Extract index and the reads in the MMA's stage (2) and cluster, right after
// each load in body order (where Triton's stream pipeliner reads its slots).
// CHECK:        %[[E:.*]] = arith.select {{.*}} {loop.cluster = 2 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:   %[[VA:.*]] = ttg.memdesc_index %[[A]][%[[E]]] {loop.cluster = 2 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:   ttg.local_load %[[VA]] {loop.cluster = 2 : i32, loop.stage = 2 : i32}
// CHECK:        %[[LB:.*]] = tt.load {{.*}} {loop.cluster = 1 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   %[[VB:.*]] = ttg.memdesc_index %[[B]][%[[E]]] {loop.cluster = 2 : i32, loop.stage = 2 : i32}
// CHECK-NEXT:   ttg.local_load %[[VB]] {loop.cluster = 2 : i32, loop.stage = 2 : i32}
// CHECK:        tt.dot {{.*}} {loop.cluster = 2 : i32, loop.stage = 2 : i32}
// The stores: last cluster (3), the loads' stage.
// CHECK:        %[[SA:.*]] = ttg.memdesc_index %[[A]][%[[I]]] {loop.cluster = 3 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   ttg.local_store %[[LA]], %[[SA]] {loop.cluster = 3 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   %[[SB:.*]] = ttg.memdesc_index %[[B]][%[[I]]] {loop.cluster = 3 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   ttg.local_store %[[LB]], %[[SB]] {loop.cluster = 3 : i32, loop.stage = 0 : i32}
// CHECK-NEXT:   scf.yield {{.*}}, %[[I]], %[[E]] :
// CHECK-NOT:  ttg.async_wait
// CHECK:      ttg.local_dealloc %[[B]]
// CHECK-NEXT: ttg.local_dealloc %[[A]]

// Expanded (autopipe-expand-loops on HIP: no CUDA load lowering): the prologue
// loads and stores iterations 0 and 1; the kernel loads iteration i+2 first,
// reads slot i, runs the MMA, then stores i+2.
// RUN: %autopipe-opt %inputs/gemm-gfx942-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 complete=true remarks=false},autopipe-allocate-buffers{remarks=false shared-limit=0},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=EXP
// EXP-COUNT-2: ttg.local_store
// EXP:         scf.for
// EXP:         tt.load
// EXP:         tt.load
// EXP:         ttg.local_load
// EXP:         ttg.local_load
// EXP:         tt.dot
// EXP:         ttg.local_store
// EXP-NEXT:    ttg.memdesc_index
// EXP-NEXT:    ttg.local_store
// EXP-NEXT:    scf.yield
// EXP-NOT:     ttg.async_copy_global_to_local

// The LDS budget of gfx942 (64 KB): 4 stages (3 slots of both 32 KB tiles)
// do not fit, so the scheduler lowers the stage count to 3 (2 slots each,
// exactly 64 KB: nothing else is live in the loop; the scratch of the tiles'
// layout conversions goes away with the buffers). (Triton's AMD pipeliner
// gives a 3-stage bf16 128x256x64 GEMM 96 KB of LDS on gfx942.)
// RUN: %autopipe-opt %inputs/gemm-gfx942-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4 complete=true},autopipe-allocate-buffers)' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BUDGET
// BUDGET: default schedule, 3 stages, 2 pipelined load(s) {{.*}}num_stages 4 -> 3 {{.*}}shared memory (98304 bytes > 65536 left)
// BUDGET: 2 slot(s) !ttg.memdesc<2x128x64xf16
// BUDGET-SAME: 2 slot(s) !ttg.memdesc<2x64x128xf16

// On CUDA with copy=registers (the HIP form, for checking it on an NVIDIA
// GPU): sm90 tensor-descriptor loads stay loads; the wgmma reads the slot
// itself (asynchronously), so one slot more than the stage distance.
// RUN: %autopipe-opt %inputs/gemm-desc-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=4 remarks=false},autopipe-allocate-buffers{copy=registers})' -o %t.desc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DESC
// RUN: FileCheck %s --check-prefix=DESC-IR < %t.desc
// DESC: 2 load(s) in circular buffers: load at {{.*}}: 4 slot(s) !ttg.memdesc<4x128x64xbf16, {{.*}}stage 0 -> 3 (register-staged: local_store, read in shared memory)
// DESC-IR:     scf.for
// DESC-IR:     tt.descriptor_load {{.*}}loop.stage = 0
// DESC-IR:     ttng.warp_group_dot
// DESC-IR:     ttg.local_store {{.*}}loop.stage = 0
// DESC-IR-NOT: ttng.async_tma_copy_global_to_local
