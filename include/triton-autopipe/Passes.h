//===- Passes.h - triton-autopipe pass library -----------------*- C++ -*-===//
//
// Public entry points of the triton-autopipe pass library. Downstream projects
// link `TritonAutopipe::Passes` (see README) and use these to build pipelines.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_PASSES_H
#define TRITON_AUTOPIPE_PASSES_H

#include "mlir/Pass/Pass.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::autopipe {

/// Documentation of one pass option; the pass declares its `Option<>` from the
/// same record, so listings and the pass never disagree.
struct PassOptionDoc {
  const char *name;
  const char *type;
  const char *defaultValue;
  const char *description;
};

/// Documentation of one pass: its command-line argument, summary and options.
struct PassDoc {
  const char *argument;
  const char *summary;
  std::vector<PassOptionDoc> options;
};

/// Every pass of the project, in registration order.
const std::vector<PassDoc> &getPassDocs();

/// Registers every pass of the project with MLIR's global pass registry (safe
/// to call more than once).
void registerAutopipePasses();

/// Creates the pass registered under `argument` and applies `options`, a
/// textual option list such as "remarks=true output=-". Returns null and
/// fills `error` for an unknown pass or bad options.
std::unique_ptr<Pass> createPassByName(const std::string &argument,
                                       const std::string &options,
                                       std::string &error);

//===----------------------------------------------------------------------===//
// autopipe-print-schedule
//===----------------------------------------------------------------------===//

struct PrintScheduleOptions {
  /// Emit one MLIR remark per scf.for with the schedule of its body.
  bool remarks = true;
  /// Also write the report as text: "" (no), "-" (stderr) or a file path
  /// (appended to).
  std::string output;
};

/// Reads the software-pipelining schedule (`loop.stage` / `loop.cluster` on
/// ops, `tt.scheduled_max_stage` on the loop) of every scf.for, reports it, and
/// fails with an error for a schedule that breaks a dependency.
std::unique_ptr<Pass> createPrintSchedulePass();
std::unique_ptr<Pass> createPrintSchedulePass(const PrintScheduleOptions &);

//===----------------------------------------------------------------------===//
// autopipe-schedule-loops
//===----------------------------------------------------------------------===//

/// Our loop scheduler: latency model, stage/cluster assignment (default and
/// attention schedules); writes loop.stage/loop.cluster and
/// tt.scheduled_max_stage (see lib/ScheduleLoops.cpp for the options).
std::unique_ptr<Pass> createScheduleLoopsPass();

//===----------------------------------------------------------------------===//
// AMD warp pipeline (see lib/WarpPipelineRegions.cpp, lib/LowerWarpPipeline.cpp)
//===----------------------------------------------------------------------===//

/// `autopipe-warp-pipeline-regions`: border markers -> stage regions.
std::unique_ptr<Pass> createWarpPipelineRegionsPass();
/// `autopipe-lower-warp-pipeline`: stage regions -> leap-frog schedule.
std::unique_ptr<Pass> createLowerWarpPipelinePass();

//===----------------------------------------------------------------------===//
// autopipe-allocate-buffers
//===----------------------------------------------------------------------===//

/// CUDA: pipelined tt.loads of scheduled loops -> shared-memory circular
/// buffers filled by async copies (see lib/AllocateBuffers.cpp).
std::unique_ptr<Pass> createAllocateBuffersPass();

/// `autopipe-expand-loops`: prologue/kernel expansion of scheduled loops with
/// speculated early MMAs and async-wgmma waits at first need (replaces
/// Triton's tritongpu-pipeline; see lib/ExpandLoops.cpp).
std::unique_ptr<Pass> createExpandLoopsPass();

/// Shared->register double buffering of MMA operands
/// (`autopipe-double-buffer-operands`).
std::unique_ptr<Pass> createDoubleBufferOperandsPass();

} // namespace mlir::autopipe

#endif // TRITON_AUTOPIPE_PASSES_H
