// autopipe-expand-loops on a flash-attention forward loop (sm90) scheduled by
// autopipe-schedule-loops.
//
// Schedule A (MMA0 one stage ahead of softmax). Expanded loop: MMA0(i+1) is
// issued unpredicated (no scf.if: that would make it a synchronous wgmma) and
// left in flight; softmax(i) waits for MMA0(i) only (2 groups may stay in
// flight: MMA1(i-1), MMA0(i+1)); the rescale of the accumulator waits for
// MMA1(i-1) (1: MMA0(i+1) still runs); the scores of MMA0(i+1) are copied at
// the back edge, so both results are waited for before the yield; the K/V
// copies need no wait of their own (the slots they fill were last read by
// dots already retired); wait 0 after the loop.
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 schedule=attention-a remarks=false},autopipe-expand-loops)' \
// RUN:   -o %t.a 2>&1 | FileCheck %s --check-prefix=A-REMARK
// RUN: FileCheck %s --check-prefix=SA < %t.a
// A-REMARK: remark: autopipe-expand-loops: loop at {{.*}}attention-sm90-before-scheduling.ttgir:84:13: expanded into 4 stages; 2 async wgmma, 3 waits {{.*}}serialize the wgmma at {{.*}}:87:13
// Prologue: MMA0 of iteration 0, synchronous.
// SA:       ttng.warp_group_dot %{{.*}}, %{{.*}}, %cst_0 {inputPrecision = 0 : i32} :
// SA:       scf.for
// SA-NOT:   scf.if
// SA:       %[[S:.*]] = ttng.warp_group_dot %{{.*}}, %{{.*}}, %cst_0 {inputPrecision = 0 : i32, isAsync = true}
// SA-NEXT:  %[[SW:.*]] = ttng.warp_group_dot_wait %[[SPREV:arg[0-9]+]] {pendings = 2 : i32}
// SA-NEXT:  "tt.reduce"(%[[SW]])
// SA:       %[[ACCW:.*]] = ttng.warp_group_dot_wait %[[ACC:arg[0-9]+]] {pendings = 1 : i32}
// SA-NEXT:  %[[RESC:.*]] = arith.mulf %[[ACCW]], %{{.*}} : tensor<128x64xf32, #mma>
// SA:       arith.truncf
// SA:       %[[O:.*]] = ttng.warp_group_dot %{{.*}}, %{{.*}}, %[[RESC]] {inputPrecision = 0 : i32, isAsync = true}
// SA-NOT:   ttng.warp_group_dot_wait
// SA:       ttg.async_copy_global_to_local
// SA-NOT:   ttng.warp_group_dot_wait
// SA:       ttg.async_copy_global_to_local
// SA:       %[[W:.*]]:2 = ttng.warp_group_dot_wait %[[S]], %[[O]] {pendings = 0 : i32}
// SA-NEXT:  scf.yield %[[W]]#1,
// SA:       ttng.warp_group_dot_wait %{{.*}}#0 {pendings = 0 : i32}
// SA:       ttg.local_dealloc

// Schedule B (FlashAttention-3's intra-warpgroup overlap) -- the body opens
// with the rescale of the accumulator, which waits for MMA1(i-1) with nothing
// else in flight (pendings 0), and P(i)'s conversion; then MMA0(i+1) and
// MMA1(i) are issued; softmax(i+1) waits for MMA0(i+1) only, so MMA1(i)
// overlaps it and stays in flight across the back edge (in place).
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 schedule=attention-b remarks=false},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=SB
// SB:       scf.for
// SB:       %[[ACCW:.*]] = ttng.warp_group_dot_wait %[[ACC:arg[0-9]+]] {pendings = 0 : i32}
// SB-NEXT:  %[[RESC:.*]] = arith.mulf %[[ACCW]], %{{.*}} : tensor<128x64xf32, #mma>
// SB-NEXT:  %[[P16:.*]] = arith.truncf %{{.*}} : tensor<128x64xf32, #mma> to tensor<128x64xf16, #mma>
// SB-NEXT:  %[[P:.*]] = ttg.convert_layout %[[P16]]
// SB-NOT:   ttng.warp_group_dot_wait
// SB:       %[[S:.*]] = ttng.warp_group_dot %{{.*}}, %{{.*}}, %cst_0 {inputPrecision = 0 : i32, isAsync = true}
// SB-NOT:   ttng.warp_group_dot_wait
// SB:       %[[O:.*]] = ttng.warp_group_dot %[[P]], %{{.*}}, %[[RESC]] {inputPrecision = 0 : i32, isAsync = true}
// SB-NEXT:  %[[SW:.*]] = ttng.warp_group_dot_wait %[[S]] {pendings = 1 : i32}
// SB-NEXT:  "tt.reduce"(%[[SW]])
// SB-NOT:   ttng.warp_group_dot_wait
// SB:       scf.yield %[[O]],

// Default schedule: Triton's asyncLaunchDots would serialize MMA0 (softmax
// reads it in the same iteration); ours waits right at that read, and the
// output accumulator (nothing reads its iter arg once MMA1 is issued) stays
// in flight across the back edge. The wait for MMA0 (pendings 0) retires the
// previous MMA1 too (groups complete in order), so the accumulator is threaded
// through that wait for its rescale, as Triton does, and gets no wait of its own.
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=DEF
// DEF:      scf.for
// DEF:      %[[S:.*]] = ttng.warp_group_dot %{{.*}}, %{{.*}}, %cst_0 {inputPrecision = 0 : i32, isAsync = true}
// DEF-NEXT: %[[W:.*]]:2 = ttng.warp_group_dot_wait %[[S]], %arg{{[0-9]+}} {pendings = 0 : i32}
// DEF-NOT:  ttng.warp_group_dot_wait
// DEF:      arith.mulf %[[W]]#1,
// DEF-NOT:  ttng.warp_group_dot_wait
// DEF:      %[[O:.*]] = ttng.warp_group_dot {{.*}}isAsync = true
// DEF-NOT:  ttng.warp_group_dot_wait
// DEF:      scf.yield %[[O]],

// speculate-mma=false: the early MMA is predicated like Triton does (scf.if).
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 schedule=attention-a remarks=false},autopipe-expand-loops{remarks=false speculate-mma=false})' \
// RUN:   | FileCheck %s --check-prefix=NOSPEC
// NOSPEC:      scf.for
// NOSPEC:      scf.if
// NOSPEC-NEXT: ttng.warp_group_dot

// async-dots=triton: Triton's asyncLaunchDots, MMA0 synchronous.
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 schedule=attention-a remarks=false},autopipe-expand-loops{async-dots=triton})' \
// RUN:   -o %t.tx 2>&1 | FileCheck %s --check-prefix=TX-REMARK
// RUN: FileCheck %s --check-prefix=TX < %t.tx
// TX-REMARK: expanded into 4 stages; wgmma waits by Triton's asyncLaunchDots
// TX:        scf.for
// TX:        %[[S:.*]] = ttng.warp_group_dot {{.*}}isAsync = true
// TX-NEXT:   ttng.warp_group_dot_wait %[[S]], {{.*}} {pendings = 0 : i32}

// With async-dots=triton and the default schedule the result is exactly
// Triton's tritongpu-pipeline.
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops{remarks=false async-dots=triton})' -o %t.ours
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},tritongpu-pipeline{num-stages=3})' -o %t.triton
// RUN: diff %t.ours %t.triton

// async-dots=off: the loads are still pipelined (3 stages: copies of the
// first iterations before the loop, those of later ones at the end of the body) but no wgmma is made asynchronous: no isAsync, no
// warp_group_dot_wait, in the loop or after it. Fewer accumulators live at
// once, so fewer registers: on H100, d64 attention with 128x128 tiles and 8
// warps went from 156 to 128 registers a thread (2 CTAs an SM) and 1.37x
// Triton's default.
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops{async-dots=off})' \
// RUN:   -o %t.off 2>&1 | FileCheck %s --check-prefix=OFF-REMARK
// RUN: FileCheck %s --check-prefix=OFF < %t.off
// OFF-REMARK: expanded into 3 stages; wgmma left synchronous (async-dots=off)
// OFF-NOT:   isAsync
// OFF-NOT:   warp_group_dot_wait
// OFF:       ttg.async_copy_global_to_local
// OFF:       scf.for
// OFF:       ttg.async_wait
// OFF:       ttng.warp_group_dot {{.*}} {inputPrecision = 0 : i32} :
// OFF:       ttng.warp_group_dot {{.*}} {inputPrecision = 0 : i32} :
// OFF:       ttg.async_copy_global_to_local
// OFF:       scf.yield

// Two pipelined loops (causal attention: off-diagonal, then diagonal blocks),
// attention-b with Triton's waits. The first loop's prologue issues MMA0 of
// its iteration 0 as a synchronous wgmma. Triton's asyncLaunchDots threads
// into the wait after the second loop the buffers of every wgmma reachable
// through the loops' init args -- that prologue wgmma included, so the first
// loop's K slots would stay allocated next to the second loop's (96 KiB more:
// 327704 bytes of shared memory, more than an H100 has). The pass drops
// buffers that no asynchronous wgmma reads: the wait keeps Q (read by the
// loops' async wgmmas) and not the K slot of the prologue.
// RUN: %autopipe-opt %inputs/attention-desc-causal-d128-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 schedule=attention-b remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{async-dots=triton remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=TWO
// TWO:      ttng.warp_group_dot %[[Q:[0-9]+]], %[[K0:[0-9]+]], %{{.*}} {inputPrecision = 0 : i32} :
// TWO:      scf.for
// TWO:      scf.for
// TWO:      ttng.warp_group_dot %[[Q]], %{{.*}} {inputPrecision = 0 : i32, isAsync = true}
// TWO:      scf.yield
// TWO-NEXT: }
// TWO-NEXT: ttng.warp_group_dot_wait %{{[0-9]+}}#0, %[[Q]] {pendings = 0 : i32} : tensor<128x128xf32, #mma>, !ttg.memdesc<128x128xf16, #shared, #smem>{{$}}
// TWO-NOT:  %[[K0]]
// TWO:      ttg.local_dealloc

// async-dots=auto kept async wgmma with our waits, and shared memory (the
// 128x64 tiles, 3 stages) and warps leave room for 3 CTAs an SM: the module
// is marked for the Python driver's synchronous-wgmma trial (it compiles both
// forms and keeps the synchronous one only where ptxas's register count fits
// more CTAs an SM). Not marked: an explicit async-dots, or no room for a
// second CTA (d128 128x128 tiles, 3 stages: 230 KB of shared memory).
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=TRIAL
// TRIAL: module attributes {autopipe.sync_wgmma_trial = 3 : i32,
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops{remarks=false async-dots=autopipe})' \
// RUN:   | FileCheck %s --check-prefix=NOTRIAL
// RUN: %autopipe-opt %inputs/attention-desc-causal-d128-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=NOTRIAL
// NOTRIAL: module attributes
// NOTRIAL-NOT: autopipe.sync_wgmma_trial
