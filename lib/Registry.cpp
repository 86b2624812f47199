//===- Registry.cpp - the list of triton-autopipe passes ------------------===//
//
// The passes' documentation and creation by name, both from Passes.td through
// the X-macro list PassList.h.inc (generated from mlir-tblgen's records by
// cmake/gen-pass-list.py): AUTOPIPE_PASS(Def, ...) names the generated
// create<Def>(). A pass is created from this library copy's own function, not
// from MLIR's global registry: in a Triton process the plugin and _C each
// link the pass library. The plugin, autopipe-opt and the Python module all go
// through here, so no per-pass line is kept by hand.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/Twine.h"

using namespace mlir;
using namespace mlir::autopipe;

namespace {
/// How to create each pass, in the order of getPassDocs().
using CreateFn = std::unique_ptr<Pass> (*)();
const CreateFn kCreate[] = {
#define AUTOPIPE_PASS(DEF, ARGUMENT, SUMMARY) [] { return create##DEF(); },
#include "triton-autopipe/PassList.h.inc"
};

/// "remarks, output, copy=async|registers|auto": what `argument` accepts.
std::string describeOptions(const PassDoc &doc) {
  std::string known;
  for (const PassOptionDoc &o : doc.options) {
    known += (known.empty() ? "" : ", ") + std::string(o.name);
    if (*o.values)
      known += "=" + std::string(o.values);
  }
  return known;
}
} // namespace

const std::vector<PassDoc> &mlir::autopipe::getPassDocs() {
  static const std::vector<PassDoc> all = [] {
    std::vector<PassDoc> v;
#define AUTOPIPE_PASS(DEF, ARGUMENT, SUMMARY)                                  \
  v.push_back({ARGUMENT, SUMMARY, {}});
#define AUTOPIPE_PASS_OPTION(DEF, ARGUMENT, TYPE, DEFAULT, DESCRIPTION,        \
                             VALUES)                                           \
  v.back().options.push_back({ARGUMENT, TYPE, DEFAULT, DESCRIPTION, VALUES});
#include "triton-autopipe/PassList.h.inc"
    return v;
  }();
  return all;
}

std::unique_ptr<Pass>
mlir::autopipe::createPassByName(const std::string &argument,
                                 const std::string &options,
                                 std::string &error) {
  const std::vector<PassDoc> &docs = getPassDocs();
  static_assert(std::size(kCreate) > 0);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const PassDoc &doc = docs[i];
    if (argument != doc.argument)
      continue;
    std::unique_ptr<Pass> pass = kCreate[i]();
    if (options.empty())
      return pass;
    std::string message;
    if (failed(pass->initializeOptions(options, [&](const llvm::Twine &msg) {
          message = msg.str();
          return failure();
        }))) {
      while (!message.empty() && message.back() == '\n')
        message.pop_back();
      error = "invalid options for pass '" + argument + "': '" + options + "'" +
              (message.empty() ? "" : ": " + message) +
              " (known options: " + describeOptions(doc) + ")";
      return nullptr;
    }
    return pass;
  }
  std::string known;
  for (const PassDoc &doc : getPassDocs())
    known += (known.empty() ? "" : ", ") + std::string(doc.argument);
  error = "unknown pass '" + argument + "' (known: " + known + ")";
  return nullptr;
}
