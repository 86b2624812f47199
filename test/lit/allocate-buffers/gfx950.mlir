// gfx950 (CDNA4): circular buffers filled by direct-to-LDS async copies, the
// default there (copy=auto). Same ops as cp.async on CUDA; Triton's AMD
// backend lowers them to global_load_lds_dwordx4. A load whose copy would be
// narrower than 16 bytes a lane is register-staged instead (and says why).
//
// GEMM bf16 128x256x64, 3 stages: both operands async, 3 slots each (stage
// distance 2 + 1: on HIP the loads open the body, so the copy of iteration
// i + 2 is issued before iteration i reads its slot).
// RUN: %autopipe-opt %inputs/gemm-gfx950-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 complete=true remarks=false},autopipe-allocate-buffers)' \
// RUN:   -o %t 2>&1 | FileCheck %s --check-prefix=GEMM
// GEMM: remark: autopipe-allocate-buffers: loop at benchmarks/kernels/gemm.py:91:5: 2 load(s)
// GEMM-SAME: gemm.py:93:17: 3 slot(s) !ttg.memdesc<3x128x64xbf16, #ttg.swizzled_shared<{vec = 8, perPhase = 2, maxPhase = 8, order = [1, 0]}>{{[^;]*}}stage 0 -> 2 (async copy
// GEMM-SAME: gemm.py:94:17: 3 slot(s) !ttg.memdesc<3x64x256xbf16{{[^;]*}}stage 0 -> 2 (async copy
// GEMM-NOT: register-staged
// RUN: FileCheck %s --check-prefix=GEMM-IR < %t
// GEMM-IR:      %[[A:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x128x64xbf16
// GEMM-IR:      %[[B:.+]] = ttg.local_alloc : () -> !ttg.memdesc<3x64x256xbf16
// GEMM-IR:      scf.for
// GEMM-IR:        ttg.memdesc_index %[[A]]
// GEMM-IR-NEXT:   ttg.async_copy_global_to_local
// GEMM-IR-NEXT:   ttg.async_commit_group
// GEMM-IR:        ttg.memdesc_index %[[B]]
// GEMM-IR-NEXT:   ttg.async_copy_global_to_local
// GEMM-IR-NEXT:   ttg.async_commit_group
// GEMM-IR:        %[[W:.+]] = ttg.async_wait {{.*}}num = 0 : i32}
// GEMM-IR:        ttg.local_load {{.*}} token %[[W]]
// GEMM-IR:        %[[W2:.+]] = ttg.async_wait {{.*}}num = 0 : i32}
// GEMM-IR:        ttg.local_load {{.*}} token %[[W2]]
// GEMM-IR:        tt.dot
// GEMM-IR-NOT:    ttg.local_store
// GEMM-IR:        scf.yield
// GEMM-IR:      ttg.async_wait {num = 0 : i32}
// GEMM-IR-DAG:  ttg.local_dealloc %[[A]]
// GEMM-IR-DAG:  ttg.local_dealloc %[[B]]
//
// Expanded: the copies of the next iterations stay in flight across the back
// edge (wait for all but the 2 newer iterations' 4 groups).
// RUN: %autopipe-opt %inputs/gemm-gfx950-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 complete=true remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=EXP
// EXP-COUNT-4: ttg.async_commit_group
// EXP:         scf.for
// EXP-COUNT-2:   ttg.async_copy_global_to_local
// EXP:           ttg.async_wait {{.*}}{num = 4 : i32}
// EXP:           tt.dot
// EXP:         scf.yield
//
// Attention d64: K^T's tile (vec 8 x 2 bytes) is an async copy; V's layout
// has a 4-element (8-byte) vector, so V is register-staged, with the reason;
// both in one loop.
// RUN: %autopipe-opt %inputs/attention-d64-gfx950-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 complete=true remarks=false},autopipe-allocate-buffers)' \
// RUN:   -o %t.attn 2>&1 | FileCheck %s --check-prefix=ATTN
// ATTN: 2 load(s)
// ATTN-SAME: attention.py:63:17 {{[^;]*}}: 3 slot(s) !ttg.memdesc<3x64x64xf16, #ttg.swizzled_shared<{vec = 8, {{[^;]*}}stage 0 -> 2 (async copy
// ATTN-SAME: attention.py:79:17 {{[^;]*}}: 2 slot(s) !ttg.memdesc<2x64x64xf16, #ttg.swizzled_shared<{vec = 4, {{[^;]*}}stage 0 -> 2 (register-staged{{[^;]*}}8 bytes{{[^;]*}}not 16
// RUN: FileCheck %s --check-prefix=ATTN-IR < %t.attn
// ATTN-IR:      scf.for
// ATTN-IR-COUNT-1: ttg.async_copy_global_to_local
// ATTN-IR:        ttg.local_store
// ATTN-IR:      scf.yield
//
// copy=registers keeps gfx950 register-staged (the gfx942 form).
// RUN: %autopipe-opt %inputs/gemm-gfx950-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 complete=true remarks=false},autopipe-allocate-buffers{copy=registers})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=REG
// REG-COUNT-2: (register-staged: local_store, local_load)
// REG-NOT: async copy
