// GEMMs: autopipe-expand-loops leaves every wgmma in flight the way Triton's
// asyncLaunchDots does (the accumulator only feeds the next wgmma), so the
// whole result is exactly Triton's tritongpu-pipeline, on sm90 and sm80
// (mma.sync: nothing async to place), with Triton's load lowering and with
// ours (autopipe-allocate-buffers).
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-expand-loops)' -o %t.ours 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// REMARK: remark: autopipe-expand-loops: loop at {{.*}}gemm-sm90-before-scheduling.ttgir:57:13: expanded into 3 stages; {{.*}}asyncLaunchDots
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

// Predicated prologue (dynamic trip count %35): the copies of iteration 0 are
// masked with `0 < trip count`, those of iteration 1 with `1 < trip count`,
// so a loop of 0 or 1 iterations reads nothing past its end; the kernel loop
// masks the copies of iterations past the end the same way.
// RUN: %autopipe-opt %inputs/gemm-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false})' \
// RUN:   | FileCheck %s --check-prefix=PRO
// PRO:      %[[P0:.*]] = arith.cmpi sgt, %[[N:.*]], %c0_i32 : i32
// PRO:      %[[M0:.*]] = tt.splat %[[P0]] : i1 -> tensor<128x64xi1
// PRO:      %[[A0:.*]] = arith.andi %[[M0]], %{{.*}}
// PRO:      ttg.async_copy_global_to_local %{{.*}}, %{{.*}} mask %[[A0]] other
// PRO:      %[[P1:.*]] = arith.cmpi sgt, %[[N]], %c1_i32 : i32
// PRO:      tt.splat %[[P1]] : i1 -> tensor<128x64xi1
// PRO:      scf.for
// PRO:        %[[LIVE:.*]] = arith.cmpi slt, %{{.*}}, %{{.*}} : i32
// PRO:        tt.splat %[[LIVE]] : i1 -> tensor<128x64xi1
// PRO:        ttg.async_copy_global_to_local
