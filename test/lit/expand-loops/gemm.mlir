// GEMMs: autopipe-expand-loops leaves every wgmma in flight the way Triton's
// asyncLaunchDots does (the accumulator only feeds the next wgmma), so the
// whole result is exactly Triton's tritongpu-pipeline, on sm90 and sm80
// (mma.sync: nothing async to place), with Triton's load lowering and with
// ours (autopipe-allocate-buffers).
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops)' -o %t.ours 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// REMARK: remark: autopipe-expand-loops: loop at {{.*}}gemm-sm90-before-scheduling.ttgir:57:13: expanded into 3 stages; wgmma waits by Triton's asyncLaunchDots (Triton's keeps every wgmma in flight)
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},tritongpu-pipeline{num-stages=3})' -o %t.triton
// RUN: diff %t.ours %t.triton
// RUN: FileCheck %s --check-prefix=SM90 < %t.ours
// SM90:      scf.for
// SM90:      %[[D:.*]] = ttng.warp_group_dot {{.*}}isAsync = true
// SM90-NEXT: ttng.warp_group_dot_wait %[[D]], {{.*}} {pendings = 1 : i32}

// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops{remarks=false})' -o %t.ours80
// RUN: %autopipe-opt %inputs/gemm-sm80-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},tritongpu-pipeline{num-stages=3})' -o %t.triton80
// RUN: diff %t.ours80 %t.triton80

// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' -o %t.bufours
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},tritongpu-pipeline{num-stages=3})' -o %t.buftriton
// RUN: diff %t.bufours %t.buftriton
