//===- Plugin.cpp - Triton plugin entry point ----------------------------===//
//
// Triton 3.9 loads this library with `passes.plugin.extend_with(path)` (or
// TRITON_PLUGIN_PATHS) and calls `tritonGetPluginInfo()`. Each pass becomes
// `passes.plugin.add_<name>(pm, args)`; `args` are option assignments
// ("remarks=true", "output=-") joined into the pass's textual options.
//
// An invalid option cannot be reported from `addPass` (the callback returns
// nothing and must not throw), so a pass that fails with the error message is
// added instead: the pipeline run fails with a clear diagnostic.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/PassDocs.h"
#include "triton-autopipe/Version.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "triton/Tools/PluginUtils.h"

using namespace mlir;

namespace {

/// Stands in for a pass whose options were rejected: fails with the message.
struct OptionErrorPass
    : public PassWrapper<OptionErrorPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(OptionErrorPass)
  explicit OptionErrorPass(std::string message) : message(std::move(message)) {}
  StringRef getArgument() const final { return "autopipe-option-error"; }
  void runOnOperation() override {
    getOperation()->emitError() << "triton-autopipe: " << message;
    signalPassFailure();
  }
  std::string message;
};

template <const autopipe::docs::PassRecord &Record>
void addPass(PassManager *pm, const std::vector<std::string> &args) {
  std::string options;
  for (const std::string &a : args)
    options += (options.empty() ? "" : " ") + a;
  std::string error;
  std::unique_ptr<Pass> pass =
      autopipe::createPassByName(Record.argument, options, error);
  if (!pass) {
    pm->addPass(std::make_unique<OptionErrorPass>(error));
    return;
  }
  pm->addPass(std::move(pass));
}

void registerPasses() { autopipe::registerAutopipePasses(); }

} // namespace

TRITON_PLUGIN_API mlir::triton::plugin::PluginInfo *tritonGetPluginInfo() {
  static mlir::triton::plugin::PassInfo passes[] = {
      {autopipe::docs::printSchedule.argument, AUTOPIPE_VERSION,
       addPass<autopipe::docs::printSchedule>, registerPasses},
      {autopipe::docs::scheduleLoops.argument, AUTOPIPE_VERSION,
       addPass<autopipe::docs::scheduleLoops>, registerPasses},
      {autopipe::docs::warpPipelineRegions.argument, AUTOPIPE_VERSION,
       addPass<autopipe::docs::warpPipelineRegions>, registerPasses},
      {autopipe::docs::lowerWarpPipeline.argument, AUTOPIPE_VERSION,
       addPass<autopipe::docs::lowerWarpPipeline>, registerPasses},
      {autopipe::docs::allocateBuffers.argument, AUTOPIPE_VERSION,
       addPass<autopipe::docs::allocateBuffers>, registerPasses},
      {autopipe::docs::expandLoops.argument, AUTOPIPE_VERSION,
       addPass<autopipe::docs::expandLoops>, registerPasses},
      {autopipe::docs::doubleBufferOperands.argument, AUTOPIPE_VERSION,
       addPass<autopipe::docs::doubleBufferOperands>, registerPasses},
  };
  static_assert(std::size(passes) == std::size(autopipe::docs::allPasses),
                "every pass of PassDocs.h needs an entry in the plugin table");
  static mlir::triton::plugin::PluginInfo info = {
      TRITON_PLUGIN_API_VERSION,
      "triton-autopipe",
      AUTOPIPE_VERSION,
      passes,
      std::size(passes),
      nullptr,
      0,
      nullptr,
      0,
      AUTOPIPE_TRITON_VERSION};
  return &info;
}
