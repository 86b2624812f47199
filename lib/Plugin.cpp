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
// The pass table comes from Passes.td: the X-macro list PassList.h.inc
// (cmake/gen-pass-list.py) expands to one `addPass<argument>` instantiation
// and one PassInfo entry per pass, so there is no per-pass line and no count
// to keep here. `addPass` takes no pass name, hence one instantiation per
// pass, over a constant holding the pass's argument.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"
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

template <const char *Argument>
void addPass(PassManager *pm, const std::vector<std::string> &args) {
  std::string options;
  for (const std::string &a : args)
    options += (options.empty() ? "" : " ") + a;
  std::string error;
  std::unique_ptr<Pass> pass =
      autopipe::createPassByName(Argument, options, error);
  if (!pass) {
    pm->addPass(std::make_unique<OptionErrorPass>(error));
    return;
  }
  pm->addPass(std::move(pass));
}

void registerPasses() { autopipe::registerAutopipePasses(); }

// The argument of each pass, as a constant addPass<> can take.
#define AUTOPIPE_PASS(DEF, ARGUMENT, SUMMARY)                                  \
  constexpr char k##DEF##Argument[] = ARGUMENT;
#include "triton-autopipe/PassList.h.inc"

} // namespace

TRITON_PLUGIN_API mlir::triton::plugin::PluginInfo *tritonGetPluginInfo() {
  static mlir::triton::plugin::PassInfo passes[] = {
#define AUTOPIPE_PASS(DEF, ARGUMENT, SUMMARY)                                  \
  {k##DEF##Argument, AUTOPIPE_VERSION, addPass<k##DEF##Argument>,              \
   registerPasses},
#include "triton-autopipe/PassList.h.inc"
  };
  static mlir::triton::plugin::PluginInfo info = {TRITON_PLUGIN_API_VERSION,
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
