//===- SyncWgmmaTrial.cpp - mark modules worth a synchronous-wgmma trial --===//
//
// When async-dots=auto gave a loop our waits on sm90, synchronous wgmmas
// (fewer live accumulators, so fewer registers) may let one more CTA share an
// SM; whether they do is decided by ptxas's register count, close to the
// boundary. So the pass only marks the module when shared memory and warps
// would allow two or more CTAs an SM: `autopipe.sync_wgmma_trial` = that many
// CTAs. The Python driver then also compiles the synchronous form and keeps
// it only if ptxas's register count fits more CTAs.
//
//===----------------------------------------------------------------------===//
#include "Expand.h"

#include "triton-autopipe/Schedule.h"

#include "triton/Analysis/Allocation.h"

using namespace mlir;
using namespace mlir::autopipe;

namespace {
/// Module attribute read by the Python driver.
constexpr const char *kSyncWgmmaTrialAttr = "autopipe.sync_wgmma_trial";
} // namespace

void expand::markSyncWgmmaTrial(ModuleOp module) {
  auto warps = module->getAttrOfType<IntegerAttr>("ttg.num-warps");
  if (!warps || warps.getInt() <= 0)
    return;
  constexpr int64_t kReservedPerCTA = 1024; // sm90: 1 KiB of shared memory
  constexpr int64_t kWarpsPerSM = 64;
  int64_t perSM = sharedMemoryLimit("cuda:90") + kReservedPerCTA;
  ModuleAllocation allocation(module);
  int64_t bytes = static_cast<int64_t>(allocation.getSharedMemorySize());
  int64_t ctas = std::min(perSM / (bytes + kReservedPerCTA),
                          kWarpsPerSM / warps.getInt());
  if (ctas >= 2)
    module->setAttr(kSyncWgmmaTrialAttr,
                    IntegerAttr::get(IntegerType::get(module.getContext(), 32),
                                     ctas));
}
