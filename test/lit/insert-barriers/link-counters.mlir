// autopipe-insert-barriers{link-counters=true} on our pipelined loops (the
// hook's order: schedule, buffers, expansion). cp.async attention on sm90:
// the copies refilling K and V (slot `insert`) and the reads of this
// iteration (slot `extract`) index the buffers with two loop-carried
// counters, so Membar cannot tell the slots apart and adds a CTA barrier
// before the refill. insert == (extract + d) mod N in every iteration (both
// start constant and advance by one), so insert is written as
// remsi(extract + 1 + d, N), the form Membar's BufferIndexAnalysis compares:
// 2 barriers an iteration -> 1 (the one after ttg.async_wait).
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-insert-barriers{remarks=false output=-})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=BEFORE
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-insert-barriers{remarks=false output=- link-counters=true})' \
// RUN:   -o %t 2>&1 | FileCheck %s --check-prefix=LINKED
// RUN: FileCheck %s --check-prefix=IR < %t
// RUN: %autopipe-opt %inputs/attention-sm90-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-insert-barriers{remarks=false link-counters=true mode=place},autopipe-insert-barriers{remarks=false output=-})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=PLACED
//
// Register-staged gfx942 GEMM: the store at the end of the iteration refills
// the very slot read in it (d = 0): nothing to tell apart, nothing linked.
// RUN: %autopipe-opt %inputs/gemm-gfx942-before-scheduling.ttgir \
// RUN:   -p 'builtin.module(autopipe-schedule-loops{num-stages=3 complete=true remarks=false},autopipe-allocate-buffers{remarks=false},autopipe-expand-loops{remarks=false},autopipe-insert-barriers{remarks=false output=- link-counters=true})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SAME-SLOT

// BEFORE: autopipe-insert-barriers: loop at {{.*}}: Membar adds 2 CTA barrier(s) in it: after ttg.async_wait {{.*}}; before ttg.async_copy_global_to_local

// LINKED: autopipe-insert-barriers: loop at {{.*}}: 1 insert counter(s) written as (extract + 1 + distance) mod slots
// LINKED: autopipe-insert-barriers: loop at {{.*}}: Membar adds 1 CTA barrier(s) in it: after ttg.async_wait {{[^;]*}}; placed

// The refill's slot: (extract + 1 + 2) mod 3, from the extract counter's iter arg.
// IR:      scf.for {{.*}} iter_args({{.*}}, %[[INS:arg[0-9]+]] = %c1_i32, %[[EXT:arg[0-9]+]] = %c-1_i32
// IR:        %[[E1:.+]] = arith.addi %[[EXT]], %c1_i32
// IR:        %[[E:.+]] = arith.select {{.*}}, %c0_i32, %[[E1]]
// IR:        %[[SUM:.+]] = arith.addi %[[EXT]], %c3_i32
// IR-NEXT:   %[[I:.+]] = arith.remsi %[[SUM]], %c3_i32
// IR:        %[[SLOT:.+]] = ttg.memdesc_index %{{.*}}[%[[I]]]
// IR:        ttg.async_copy_global_to_local %{{.*}}, %[[SLOT]] mask
// IR:        scf.yield {{.*}}, %[[I]], %[[E]],

// PLACED: Membar adds 0 CTA barrier(s) in it; placed by autopipe-insert-barriers: 1, other barriers already there: 0

// SAME-SLOT-NOT: insert counter
// SAME-SLOT: Membar adds 2 CTA barrier(s)
