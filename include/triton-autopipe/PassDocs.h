//===- PassDocs.h - names, summaries and options of our passes -*- C++ -*-===//
//
// One constant record per pass. Each pass declares its MLIR `Option<>`s from
// its record, and `getPassDocs()` lists the same records, so `autopipe-opt
// --help`, `triton_autopipe._C.list_passes()` and the passes agree.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_PASSDOCS_H
#define TRITON_AUTOPIPE_PASSDOCS_H

#include "triton-autopipe/Passes.h"

#include <cstddef>

namespace mlir::autopipe::docs {

struct PassRecord {
  const char *argument;
  const char *summary;
  const PassOptionDoc *options;
  std::size_t numOptions;
};

inline constexpr PassOptionDoc printScheduleOptions[] = {
    {"remarks", "bool", "true",
     "Emit one remark per scf.for listing every op of the body with its "
     "stage and cluster."},
    {"output", "string", "",
     "Also write the report as plain text: '-' for stderr, or a file path "
     "(appended to). Empty: no text report."},
};

inline constexpr PassRecord printSchedule = {
    "autopipe-print-schedule",
    "Report the software-pipelining schedule (loop.stage/loop.cluster) of "
    "every scf.for and reject schedules that break a dependency",
    printScheduleOptions, std::size(printScheduleOptions)};

/// Every pass, in registration order. The plugin's pass table must list the
/// same passes (checked there at compile time).
inline constexpr const PassRecord *allPasses[] = {&printSchedule};

} // namespace mlir::autopipe::docs

#endif // TRITON_AUTOPIPE_PASSDOCS_H
