// The TTGIR Triton 3.9 produces for the Gluon GEMMs of
// benchmarks/kernels/gluon_amd.py (captured before tritonamdgpu-warp-pipeline
// with MLIR_ENABLE_DUMP=1), through both of our passes.
// RUN: %autopipe-opt %inputs/gluon-warp-pipeline-2stage-gfx942.ttgir -p 'builtin.module(autopipe-warp-pipeline-regions,autopipe-lower-warp-pipeline{remarks=true})' 2>%t.2.remarks | FileCheck %s --check-prefix=TWO
// RUN: FileCheck %s --check-prefix=TWO-REMARK < %t.2.remarks
// RUN: %autopipe-opt %inputs/gluon-warp-pipeline-3stage-gfx950.ttgir -p 'builtin.module(autopipe-warp-pipeline-regions,autopipe-lower-warp-pipeline{remarks=true})' 2>%t.3.remarks | FileCheck %s --check-prefix=THREE
// RUN: FileCheck %s --check-prefix=THREE-REMARK < %t.3.remarks
// Running the regions pass twice changes nothing the second time (no markers
// left), and lowering twice neither (no pipelined loop left).
// RUN: %autopipe-opt %inputs/gluon-warp-pipeline-3stage-gfx950.ttgir -p 'builtin.module(autopipe-warp-pipeline-regions,autopipe-lower-warp-pipeline)' > %t.once
// RUN: %autopipe-opt %t.once -p 'builtin.module(autopipe-warp-pipeline-regions,autopipe-lower-warp-pipeline)' > %t.twice
// RUN: diff %t.once %t.twice

// 2 stages: "memory" (global loads, LDS stores; priority 1) and "compute"
// (LDS loads, MFMA; priority 0), one LDS buffer: fences at both boundaries.
// TWO:      ttg.barrier local
// TWO:      amdg.cond_barrier %[[HELD:.*]]
// TWO-NEXT: rocdl.s.setprio 1
// TWO-NEXT: scf.for
// TWO-NOT:  scf.execute_region
// TWO:      ttg.local_store
// TWO:      rocdl.s.setprio 0
// TWO-NEXT: rocdl.sched.barrier none
// TWO-NEXT: ttg.barrier local
// TWO-NEXT: rocdl.sched.barrier none
// TWO-NEXT: ttg.local_load
// TWO:      tt.dot
// TWO-NEXT: rocdl.s.setprio 1
// TWO-NEXT: rocdl.sched.barrier none
// TWO-NEXT: ttg.barrier local
// TWO-NEXT: rocdl.sched.barrier none
// TWO-NEXT: scf.yield
// TWO-NEXT: } {autopipe.warp_pipeline.lowered}
// TWO-NEXT: rocdl.s.setprio 0
// TWO-NEXT: amdg.cond_barrier
// TWO-NOT:  triton.warp_pipeline
// TWO-REMARK: 2 stages, 1 warp group(s) of 256 threads
// TWO-REMARK-SAME: boundary before 'memory': barrier + LDS fence ('compute' {{.*}}[0, 16384){{.*}}'memory' (next iteration)
// TWO-REMARK-SAME: boundary before 'compute': barrier + LDS fence ('memory' {{.*}}[0, 16384){{.*}}'compute'

// 3 stages: "global" (global loads only), "compute" (LDS loads of buffer
// i % 2, MFMA), "lds" (LDS stores to the other buffer). The boundary after
// "global" needs no fence: plain s_barrier.
// THREE:      amdg.cond_barrier
// THREE-NEXT: rocdl.s.setprio 1
// THREE-NEXT: scf.for
// THREE:      tt.load
// THREE:      tt.load
// THREE-NEXT: rocdl.s.setprio 0
// THREE-NEXT: rocdl.sched.barrier none
// THREE-NEXT: rocdl.s.barrier
// THREE-NEXT: rocdl.sched.barrier none
// THREE:      tt.dot
// THREE-NEXT: rocdl.s.setprio 0
// THREE-NEXT: rocdl.sched.barrier none
// THREE-NEXT: ttg.barrier local
// THREE-NEXT: rocdl.sched.barrier none
// THREE:      ttg.local_store
// THREE:      ttg.local_store
// THREE-NEXT: rocdl.s.setprio 1
// THREE-NEXT: rocdl.sched.barrier none
// THREE-NEXT: ttg.barrier local
// THREE-NEXT: rocdl.sched.barrier none
// THREE-NEXT: scf.yield
// THREE-REMARK: 3 stages, 1 warp group(s) of 256 threads
// THREE-REMARK-SAME: boundary before 'global': barrier + LDS fence ('lds' {{.*}}[0, 32768){{.*}}'compute' (next iteration)
// THREE-REMARK-SAME: boundary before 'compute': barrier;
// THREE-REMARK-SAME: boundary before 'lds': barrier + LDS fence ('compute' {{.*}}[0, 32768){{.*}}'lds'
