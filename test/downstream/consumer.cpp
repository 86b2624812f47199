// Uses the public API of triton-autopipe's pass library.
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Version.h"

#include <string>

extern "C" __attribute__((visibility("default"))) const char *
consumer_describe() {
  static std::string out;
  out = std::string(AUTOPIPE_VERSION);
  for (const auto &doc : mlir::autopipe::getPassDocs())
    out += std::string(" ") + doc.argument;
  std::unique_ptr<mlir::Pass> pass = mlir::autopipe::createPrintSchedulePass();
  out += " created:" + pass->getArgument().str();
  return out.c_str();
}
