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
#include "triton-autopipe/Attributes.h"
#include "triton-autopipe/TargetInfo.h"

#include "triton-autopipe/Schedule.h"

#include "triton/Analysis/Allocation.h"

using namespace mlir;
using namespace mlir::autopipe;

void expand::markSyncWgmmaTrial(ModuleOp module) {
  TargetInfo sm90 = TargetInfo::fromModule(module);
  if (sm90.numWarps <= 0 || sm90.sharedMemoryPerSM <= 0 || sm90.warpsPerSM <= 0)
    return;
  ModuleAllocation allocation(module);
  int64_t bytes = static_cast<int64_t>(allocation.getSharedMemorySize());
  int64_t ctas = std::min<int64_t>(sm90.sharedMemoryPerSM /
                                       (bytes + sm90.sharedReservedPerCTA),
                                   sm90.warpsPerSM / sm90.numWarps);
  if (ctas >= 2)
    module->setAttr(
        attr::kSyncWgmmaTrial,
        IntegerAttr::get(IntegerType::get(module.getContext(), 32), ctas));
}
