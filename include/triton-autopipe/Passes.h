//===- Passes.h - triton-autopipe pass library -----------------*- C++ -*-===//
//
// Public entry points of the triton-autopipe pass library. Downstream projects
// link `TritonAutopipe::Passes` (see README) and use these to build pipelines.
// Every pass is declared once, in Passes.td: mlir-tblgen generates, for each
// `<Name>Pass`, the options struct `<Name>PassOptions`, `create<Name>Pass()`
// and `create<Name>Pass(<Name>PassOptions)` (below, from Passes.h.inc), and
// `registerAutopipePasses()`. docs/passes.md documents the passes.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_PASSES_H
#define TRITON_AUTOPIPE_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::autopipe {

/// `schedule` of autopipe-schedule-loops.
enum class ScheduleKind { Default, AttentionA, AttentionB, Auto };
/// `copy` of autopipe-allocate-buffers: how a circular-buffer slot is filled.
enum class CopyMode { Auto, Async, Registers };
/// `async-dots` of autopipe-expand-loops: where async wgmma waits go.
enum class AsyncDotsMode { Auto, Autopipe, Triton, Off };
/// `mode` of autopipe-insert-barriers.
enum class BarrierMode { Prove, Place };

#define GEN_PASS_DECL
#include "triton-autopipe/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "triton-autopipe/Passes.h.inc"

/// Earlier name of the options of autopipe-print-schedule.
using PrintScheduleOptions = PrintSchedulePassOptions;

/// Documentation of one pass option, from Passes.td.
struct PassOptionDoc {
  const char *name;
  /// bool, int, string or enum.
  const char *type;
  const char *defaultValue;
  const char *description;
  /// The allowed values of an enum option, joined by '|' ("" otherwise).
  const char *values;
};

/// Documentation of one pass: its command-line argument, summary and options.
struct PassDoc {
  const char *argument;
  const char *summary;
  std::vector<PassOptionDoc> options;
};

/// Every pass of the project, in declaration order (Passes.td).
const std::vector<PassDoc> &getPassDocs();

/// Creates the pass registered under `argument` and applies `options`, a
/// textual option list such as "remarks=true output=-". Returns null and
/// fills `error` for an unknown pass or bad options (the error lists the
/// pass's options and the allowed values of its enum options).
std::unique_ptr<Pass> createPassByName(const std::string &argument,
                                       const std::string &options,
                                       std::string &error);

} // namespace mlir::autopipe

#endif // TRITON_AUTOPIPE_PASSES_H
