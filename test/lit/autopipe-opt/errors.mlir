// autopipe-opt reports bad input, unknown passes and bad options as
// diagnostics with a non-zero exit code (never a crash).
// RUN: not %autopipe-opt %s -p 'builtin.module(no-such-pass)' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: 'no-such-pass' does not refer to a registered pass or pass pipeline
// RUN: not %autopipe-opt %s -p 'builtin.module(autopipe-print-schedule{bogus=1})' 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: no such option bogus
// RUN: not %autopipe-opt %s -p 'builtin.module(autopipe-print-schedule{remarks=maybe})' 2>&1 | FileCheck %s --check-prefix=VALUE
// VALUE: 'maybe' is invalid value for boolean argument
// RUN: not %autopipe-opt %inputs/does-not-exist.ttgir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: autopipe-opt: {{.*}}does-not-exist.ttgir
// RUN: printf 'tt.func @f( {\n' | not %autopipe-opt - 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: <stdin>:1:{{[0-9]+}}: error:
// RUN: printf 'module {\n  "amdg.no_such_op"() : () -> ()\n}\n' | not %autopipe-opt - 2>&1 | FileCheck %s --check-prefix=AMDG
// AMDG: error: unregistered operation 'amdg.no_such_op' found in dialect ('amdg')
// Every Triton dialect parses, NVIDIA and AMD alike.
// RUN: %autopipe-opt %s | FileCheck %s --check-prefix=OK
// OK: rocdl.sched.barrier
// OK: amdg.cond_barrier
// OK: ttng.fence_async_shared
// OK: nvvm.read.ptx.sreg.tid.x
tt.func @dialects(%c: i1) {
  rocdl.sched.barrier none
  amdg.cond_barrier %c
  ttng.fence_async_shared {bCluster = false}
  %t = nvvm.read.ptx.sreg.tid.x : i32
  tt.return
}
