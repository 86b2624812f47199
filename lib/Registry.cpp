//===- Registry.cpp - the list of triton-autopipe passes ------------------===//
//
// The single place that knows every pass of the project: its documentation
// record and how to create it. The plugin, autopipe-opt and the Python module
// all go through here.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/PassDocs.h"
#include "triton-autopipe/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/Twine.h"

#include <functional>
#include <mutex>

using namespace mlir;
using namespace mlir::autopipe;

namespace {
struct Entry {
  const docs::PassRecord &record;
  std::unique_ptr<Pass> (*create)();
};

const Entry kEntries[] = {
    {docs::printSchedule, [] { return createPrintSchedulePass(); }},
    {docs::scheduleLoops, [] { return createScheduleLoopsPass(); }},
    {docs::warpPipelineRegions,
     [] { return createWarpPipelineRegionsPass(); }},
    {docs::lowerWarpPipeline, [] { return createLowerWarpPipelinePass(); }},
    {docs::allocateBuffers, [] { return createAllocateBuffersPass(); }},
    {docs::expandLoops, [] { return createExpandLoopsPass(); }},
    {docs::doubleBufferOperands,
     [] { return createDoubleBufferOperandsPass(); }},
};
} // namespace

const std::vector<PassDoc> &mlir::autopipe::getPassDocs() {
  static const std::vector<PassDoc> all = [] {
    std::vector<PassDoc> v;
    for (const Entry &e : kEntries)
      v.push_back({e.record.argument, e.record.summary,
                   std::vector<PassOptionDoc>(
                       e.record.options,
                       e.record.options + e.record.numOptions)});
    return v;
  }();
  return all;
}

void mlir::autopipe::registerAutopipePasses() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const Entry &e : kEntries)
      mlir::registerPass(e.create);
  });
}

std::unique_ptr<Pass>
mlir::autopipe::createPassByName(const std::string &argument,
                                 const std::string &options,
                                 std::string &error) {
  for (const Entry &e : kEntries) {
    if (argument != e.record.argument)
      continue;
    std::unique_ptr<Pass> pass = e.create();
    if (options.empty())
      return pass;
    std::string message;
    if (failed(pass->initializeOptions(options, [&](const llvm::Twine &msg) {
          message = msg.str();
          return failure();
        }))) {
      error = "invalid options for pass '" + argument + "': '" + options +
              "'" + (message.empty() ? "" : ": " + message);
      std::string known;
      for (std::size_t i = 0; i < e.record.numOptions; ++i)
        known += (i ? ", " : "") + std::string(e.record.options[i].name);
      error += " (known options: " + known + ")";
      return nullptr;
    }
    return pass;
  }
  std::string known;
  for (const Entry &e : kEntries)
    known += (known.empty() ? "" : ", ") + std::string(e.record.argument);
  error = "unknown pass '" + argument + "' (known: " + known + ")";
  return nullptr;
}
