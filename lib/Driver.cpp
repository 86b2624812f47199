//===- Driver.cpp - parse, run a pass pipeline, print ---------------------===//
//
// Shared by autopipe-opt (through setupContext/registerAllPasses) and the
// Python module (through the std-only API of Driver.h).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Driver.h"
#include "triton-autopipe/Dialects.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Version.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "triton/Tools/PluginUtils.h"

#include <mutex>

using namespace mlir;

// Triton's TritonGPU Passes.h is shipped but includes an NVWS header the wheel
// lacks, so declare the few pass constructors we expose (libtriton exports
// them; --no-undefined proves it at link time).
namespace mlir::triton::gpu {
std::unique_ptr<Pass> createTritonGPUAssignLatencies();
std::unique_ptr<Pass> createTritonGPUScheduleLoops();
std::unique_ptr<Pass> createTritonGPUPipeline();
} // namespace mlir::triton::gpu

namespace mlir::autopipe {
/// Test-only passes of lib/Expand/TestPasses.cpp (not in the pass list).
void registerExpandTestPasses();

/// Registers our passes and Triton's loop-pipelining passes
/// (tritongpu-assign-latencies, tritongpu-schedule-loops, tritongpu-pipeline)
/// so pipelines can mix them, e.g. Triton's scheduler followed by
/// autopipe-print-schedule.
void registerAllPasses() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerAutopipePasses();
    registerExpandTestPasses();
    mlir::registerPass(
        [] { return triton::gpu::createTritonGPUAssignLatencies(); });
    mlir::registerPass(
        [] { return triton::gpu::createTritonGPUScheduleLoops(); });
    mlir::registerPass([] { return triton::gpu::createTritonGPUPipeline(); });
  });
}
} // namespace mlir::autopipe

std::vector<autopipe_driver::PassInfo> autopipe_driver::listPasses() {
  std::vector<PassInfo> out;
  for (const autopipe::PassDoc &doc : autopipe::getPassDocs()) {
    PassInfo info{doc.argument, doc.summary, {}};
    for (const autopipe::PassOptionDoc &o : doc.options) {
      OptionInfo option{o.name, o.type, o.defaultValue, o.description, {}};
      for (StringRef v : llvm::split(StringRef(o.values), '|'))
        if (!v.empty())
          option.values.push_back(v.str());
      info.options.push_back(std::move(option));
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::string autopipe_driver::explainOptionValues(const std::string &pipeline) {
  std::string out;
  StringRef text(pipeline);
  for (const autopipe::PassDoc &doc : autopipe::getPassDocs()) {
    for (const autopipe::PassOptionDoc &o : doc.options) {
      if (!*o.values)
        continue;
      SmallVector<StringRef> allowed;
      StringRef(o.values).split(allowed, '|');
      std::string key = std::string(o.name) + "=";
      for (size_t pos = text.find(key); pos != StringRef::npos;
           pos = text.find(key, pos + 1)) {
        if (pos > 0 && (llvm::isAlnum(text[pos - 1]) || text[pos - 1] == '-'))
          continue; // the tail of a longer option name
        StringRef value = text.substr(pos + key.size()).take_until([](char c) {
          return c == ' ' || c == ',' || c == '}';
        });
        if (llvm::is_contained(allowed, value))
          continue;
        out += std::string(doc.argument) + ": unknown " + o.name + " '" +
               value.str() + "' (allowed: " + llvm::join(allowed, ", ") + ")\n";
      }
    }
  }
  return out;
}

namespace {
/// "builtin.module(a,b)" -> "a,b": the pass manager is anchored on the module
/// already, and nesting a second builtin.module would run nothing.
std::string stripModuleAnchor(const std::string &pipeline) {
  StringRef text = StringRef(pipeline).trim();
  if (text.consume_front("builtin.module(") && text.consume_back(")"))
    return text.trim().str();
  return pipeline;
}

/// Parses and runs; the result's diagnostics collect everything.
void parseAndRun(const std::string &ir, const std::string &pipeline,
                 const std::string &sourceName,
                 autopipe_driver::RunResult &result) {
  DialectRegistry registry;
  autopipe::registerTritonDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(ir, sourceName), llvm::SMLoc());
  llvm::raw_string_ostream diagOs(result.diagnostics);
  SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagOs);

  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return;

  PassManager pm(&context, ModuleOp::getOperationName());
  std::string pipelineError;
  llvm::raw_string_ostream pipelineErrOs(pipelineError);
  if (failed(
          parsePassPipeline(stripModuleAnchor(pipeline), pm, pipelineErrOs))) {
    diagOs << "error: invalid pass pipeline '" << pipeline
           << "': " << pipelineError << "\n";
    std::string hints = autopipe_driver::explainOptionValues(pipeline);
    for (StringRef line : llvm::split(hints, '\n'))
      if (!line.empty())
        diagOs << "error: " << line << "\n";
    return;
  }
  if (failed(pm.run(*module)))
    return;

  llvm::raw_string_ostream outOs(result.output);
  module->print(outOs);
  result.ok = true;
}

/// Crash recovery is process-wide (signal handlers): on while any run is.
std::mutex recoveryMutex;
int recoveryUsers = 0;
void enableCrashRecovery() {
  std::lock_guard<std::mutex> lock(recoveryMutex);
  if (recoveryUsers++ == 0)
    llvm::CrashRecoveryContext::Enable();
}
void disableCrashRecovery() {
  std::lock_guard<std::mutex> lock(recoveryMutex);
  if (--recoveryUsers == 0)
    llvm::CrashRecoveryContext::Disable();
}
} // namespace

autopipe_driver::RunResult
autopipe_driver::runPipeline(const std::string &ir, const std::string &pipeline,
                             const std::string &sourceName) {
  autopipe::registerAllPasses();
  RunResult result;
  // An assertion or a signal inside the parser or a pass (Triton's own, on IR
  // they do not expect) becomes a diagnostic instead of ending the process.
  // What the crashed run allocated is leaked: it may be inconsistent.
  enableCrashRecovery();
  llvm::CrashRecoveryContext crc;
  bool finished =
      crc.RunSafely([&] { parseAndRun(ir, pipeline, sourceName, result); });
  disableCrashRecovery();
  if (!finished) {
    result.ok = false;
    result.output.clear();
    result.diagnostics += "error: the pipeline '" + pipeline +
                          "' crashed (an assertion or a signal, message "
                          "above on stderr); run the same input through "
                          "autopipe-opt for a stack trace\n";
  }
  return result;
}

autopipe_driver::BuildInfo autopipe_driver::buildInfo() {
  BuildInfo info;
  info.pluginVersion = AUTOPIPE_VERSION;
  info.tritonVersion = AUTOPIPE_TRITON_VERSION;
  info.llvmVersion = AUTOPIPE_LLVM_VERSION;
  info.headerSource = AUTOPIPE_LLVM_HEADER_SOURCE;
  info.pluginApiVersion = TRITON_PLUGIN_API_VERSION;
  return info;
}
