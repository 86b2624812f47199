//===- Driver.h - run passes over MLIR text (std types only) ---*- C++ -*-===//
//
// A thin, exception-free API over the pass library that uses only standard
// types, so code built with RTTI (the pybind11 module) can call it without
// seeing MLIR classes, which libtriton.so provides without RTTI.
//
//===----------------------------------------------------------------------===//
#ifndef TRITON_AUTOPIPE_DRIVER_H
#define TRITON_AUTOPIPE_DRIVER_H

#include <string>
#include <vector>

namespace autopipe_driver {

struct OptionInfo {
  std::string name, type, defaultValue, description;
  /// The allowed values of an enum option (empty otherwise).
  std::vector<std::string> values;
};

struct PassInfo {
  std::string name, summary;
  std::vector<OptionInfo> options;
};

struct RunResult {
  bool ok = false;
  /// The IR after the pipeline (empty when !ok).
  std::string output;
  /// Every diagnostic (errors, warnings, remarks), as "file:line:col: kind:
  /// message" lines.
  std::string diagnostics;
};

struct BuildInfo {
  std::string pluginVersion;
  std::string tritonVersion; ///< Triton the plugin was built against.
  std::string llvmVersion;   ///< LLVM version of the headers used.
  std::string headerSource;  ///< Where the LLVM/MLIR headers came from.
  unsigned pluginApiVersion = 0;
};

std::vector<PassInfo> listPasses();

/// Parses `ir` (TTGIR or any IR of Triton's dialects), runs `pipeline` (a
/// textual pass pipeline such as "autopipe-print-schedule{remarks=true}";
/// Triton's TritonGPU passes are available too) and prints the result.
RunResult runPipeline(const std::string &ir, const std::string &pipeline,
                      const std::string &sourceName = "<input>");

BuildInfo buildInfo();

/// For a pipeline that failed to parse: one line per enum option of our
/// passes given a value it does not allow, naming the allowed values
/// ("autopipe-allocate-buffers: unknown copy 'dma' (allowed: async, registers,
/// auto)"); empty if there is none.
std::string explainOptionValues(const std::string &pipeline);

} // namespace autopipe_driver

#endif // TRITON_AUTOPIPE_DRIVER_H
