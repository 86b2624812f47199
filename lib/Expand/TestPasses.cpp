//===- TestPasses.cpp - test hooks for the steps of autopipe-expand-loops -===//
//
// Test-only passes (autopipe-opt and _C.run_pipeline; not part of the plugin
// or of the pass list) that run one step of autopipe-expand-loops alone, so
// its lit tests can feed it a small hand-written loop:
//   test-autopipe-wgmma-waits              placeWgmmaWaits on every scf.for
//                                          holding a wgmma, one remark each;
//   test-autopipe-drop-settled-wait-operands  dropSettledWaitOperands.
//
//===----------------------------------------------------------------------===//
#include "Expand.h"
#include "WgmmaWaits.h"

#include "triton-autopipe/Schedule.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

#include "triton/Dialect/TritonNvidiaGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::expand;
namespace ttng = mlir::triton::nvidia_gpu;

namespace {

struct TestWgmmaWaitsPass
    : public PassWrapper<TestWgmmaWaitsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestWgmmaWaitsPass)

  StringRef getArgument() const final { return "test-autopipe-wgmma-waits"; }
  StringRef getDescription() const final {
    return "Test only: async-wgmma wait placement (async-dots=autopipe) on "
           "every scf.for whose body holds a wgmma";
  }

  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (!loop.getBody()->getOps<ttng::WarpGroupDotOp>().empty())
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops) {
      WgmmaWaitsResult r = placeWgmmaWaits(loop);
      InFlightDiagnostic remark = loop.emitRemark()
                                  << getArgument() << ": loop at "
                                  << formatLocation(loop.getLoc()) << ": ";
      if (r.placed())
        remark << r.numDots << " async wgmma, " << r.numWaits << " waits";
      else
        remark << "left as is: " << r.rejection;
    }
    getOperation().walk(
        [](Operation *op) { op->removeAttr(kExpandStageAttr); });
  }
};

struct TestDropSettledWaitOperandsPass
    : public PassWrapper<TestDropSettledWaitOperandsPass,
                         OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestDropSettledWaitOperandsPass)

  StringRef getArgument() const final {
    return "test-autopipe-drop-settled-wait-operands";
  }
  StringRef getDescription() const final {
    return "Test only: drop wgmma-wait operands that only keep buffers of "
           "synchronous wgmmas alive";
  }

  void runOnOperation() override {
    unsigned n = dropSettledWaitOperands(getOperation());
    getOperation().emitRemark()
        << getArgument() << ": " << n << " operand(s) dropped";
  }
};

} // namespace

namespace mlir::autopipe {
void registerExpandTestPasses() {
  mlir::registerPass([] { return std::make_unique<TestWgmmaWaitsPass>(); });
  mlir::registerPass(
      [] { return std::make_unique<TestDropSettledWaitOperandsPass>(); });
}
} // namespace mlir::autopipe
