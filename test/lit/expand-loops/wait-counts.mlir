// Async-copy wait counts of expanded loops (autopipe-allocate-buffers writes
// `ttg.async_wait {num = 0}` before each first read, autopipe-expand-loops
// relaxes it with Triton's updateWaits over the expanded loop's commit
// groups). sm80 GEMM, loads of A and B in stage 0 (two commit groups an
// iteration), the MMA in stage S-1: the wait before iteration i's reads may
// leave the groups of iterations i+1 .. i+S-2 in flight, 2 x (S - 2); the
// prologue holds the loads of the first S-1 iterations. More slots than the
// stage distance (global-to-shared-stages=5 at 3 and 4 stages) change the
// buffers, not the count. (S - 1 slots by default: on sm80 the iteration reads
// its slot before it issues the refill.)
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{num-stages=2 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' | FileCheck %s --check-prefix=S2
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' | FileCheck %s --check-prefix=S3
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{num-stages=4 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' | FileCheck %s --check-prefix=S4
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false global-to-shared-stages=5},autopipe-expand-loops{remarks=false})' | FileCheck %s --check-prefix=S3X
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir -p 'builtin.module(autopipe-schedule-loops{num-stages=4 remarks=false},autopipe-allocate-buffers{remarks=false global-to-shared-stages=5},autopipe-expand-loops{remarks=false})' | FileCheck %s --check-prefix=S4X

// S2:      ttg.local_alloc : () -> !ttg.memdesc<1x128x64xf16
// S2-COUNT-2: ttg.async_commit_group
// S2-NOT:  ttg.async_commit_group
// S2:      scf.for
// S2:        ttg.async_wait %{{.*}}, %{{.*}} {num = 0 : i32}
// S2-NOT:    ttg.async_wait
// S2:        scf.yield

// S3:      ttg.local_alloc : () -> !ttg.memdesc<2x128x64xf16
// S3-COUNT-4: ttg.async_commit_group
// S3-NOT:  ttg.async_commit_group
// S3:      scf.for
// S3:        ttg.async_wait %{{.*}}, %{{.*}} {num = 2 : i32}
// S3-NOT:    ttg.async_wait
// S3:        scf.yield
// S3-NEXT: }
// S3-NEXT: ttg.async_wait {num = 0 : i32}

// S4:      ttg.local_alloc : () -> !ttg.memdesc<3x128x64xf16
// S4-COUNT-6: ttg.async_commit_group
// S4-NOT:  ttg.async_commit_group
// S4:      scf.for
// S4:        ttg.async_wait %{{.*}}, %{{.*}} {num = 4 : i32}
// S4-NOT:    ttg.async_wait
// S4:        scf.yield

// S3X:     ttg.local_alloc : () -> !ttg.memdesc<5x128x64xf16
// S3X:     scf.for
// S3X:       ttg.async_wait %{{.*}}, %{{.*}} {num = 2 : i32}
// S3X-NOT:   ttg.async_wait
// S3X:       scf.yield

// S4X:     ttg.local_alloc : () -> !ttg.memdesc<5x128x64xf16
// S4X:     scf.for
// S4X:       ttg.async_wait %{{.*}}, %{{.*}} {num = 4 : i32}
// S4X-NOT:   ttg.async_wait
// S4X:       scf.yield
