//===- TargetInfo.cpp - targets and their limits -------------------------===//
//
// The table of targets behind TargetInfo.h: which copies each has and its
// shared-memory and per-SM limits (from the vendors' programming guides:
// CUDA's "compute capabilities" table, AMD's CDNA3/CDNA4 ISA guides). A
// target the table does not know keeps 0 ("unknown"), which the passes read
// as "no budget", never as a limit of 0 bytes.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/TargetInfo.h"
#include "triton-autopipe/Attributes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;

namespace {

/// Shared memory one CUDA block may use (opt-in maximum), by capability.
int64_t cudaSharedPerBlock(int cap) {
  switch (cap) {
  case 80:
  case 87:
    return 166912; // 163 KB
  case 86:
  case 89:
  case 120:
    return 101376; // 99 KB
  case 90:
  case 100:
  case 103:
    return 232448; // 227 KB
  default:
    return 0;
  }
}

void fillCUDA(TargetInfo &info, llvm::StringRef capability) {
  info.kind = TargetKind::CUDA;
  int cap = 0;
  if (capability.getAsInteger(10, cap))
    return;
  info.computeCapability = cap;
  info.hasTMA = cap >= 90;
  info.hasAsyncCopy = cap >= 80;
  info.sharedMemoryPerBlock = cudaSharedPerBlock(cap);
  if (cap == 80 || cap == 90) {
    // An SM holds what a block may use plus 1 KB the hardware keeps per CTA.
    info.sharedReservedPerCTA = 1024;
    info.sharedMemoryPerSM = info.sharedMemoryPerBlock + 1024;
    info.warpsPerSM = 64;
    info.ctasPerSM = 32;
    info.registersPerSM = 65536;
  }
}

void fillHIP(TargetInfo &info, llvm::StringRef arch) {
  info.kind = TargetKind::HIP;
  info.arch = arch.str();
  // LDS per workgroup: CDNA3 (gfx942) 64 KB, CDNA4 (gfx950) 160 KB. Only
  // CDNA4 loads global memory straight into LDS 16 bytes a lane.
  if (arch == "gfx942") {
    info.sharedMemoryPerBlock = 65536;
  } else if (arch == "gfx950") {
    info.sharedMemoryPerBlock = 163840;
    info.hasAsyncCopy = true;
    info.directToLDSAsync = true;
  }
}

int intAttr(ModuleOp module, llvm::StringRef name) {
  std::optional<int64_t> v = attr::intValue(module->getAttr(name));
  return v && *v > 0 && *v < (1 << 16) ? static_cast<int>(*v) : 0;
}

} // namespace

TargetInfo TargetInfo::fromTarget(llvm::StringRef target) {
  TargetInfo info;
  info.target = target.str();
  if (target.consume_front("cuda:"))
    fillCUDA(info, target);
  else if (target.consume_front("hip:"))
    fillHIP(info, target);
  return info;
}

TargetInfo TargetInfo::fromModule(ModuleOp module) {
  auto target = module->getAttrOfType<StringAttr>(attr::kTarget);
  TargetInfo info = fromTarget(target ? target.getValue() : "");
  info.numWarps = intAttr(module, attr::kNumWarps);
  info.threadsPerWarp = intAttr(module, attr::kThreadsPerWarp);
  return info;
}

LogicalResult mlir::autopipe::checkModuleAttributes(ModuleOp module,
                                                    llvm::StringRef pass) {
  for (llvm::StringRef name :
       {attr::kNumWarps, attr::kThreadsPerWarp, attr::kNumCTAs}) {
    Attribute a = module->getAttr(name);
    if (!a) {
      if (name == attr::kNumCTAs)
        continue;
      return module.emitError()
             << pass << ": the module has no '" << name
             << "' attribute (Triton's convert-triton-to-tritongpu sets it)";
    }
    std::optional<int64_t> v = attr::intValue(a);
    if (!v || *v < 1 || *v > 1024 || !llvm::isPowerOf2_64(*v))
      return module.emitError()
             << pass << ": module attribute '" << name
             << "' must be a power of two in 1..1024 (i32), got " << a;
  }
  return success();
}

LogicalResult mlir::autopipe::checkAllocatable(ModuleOp module,
                                               llvm::StringRef pass) {
  WalkResult r = module->walk([&](triton::gpu::WarpSpecializePartitionsOp
                                      parts) {
    for (Value v : parts.getExplicitCaptures()) {
      Type t = v.getType();
      if (isa<IntegerType, FloatType, triton::PointerType,
              triton::gpu::MemDescType>(t))
        continue;
      parts->getParentOp()->emitError()
          << pass << ": ttg.warp_specialize captures a value of type " << t
          << ", which Triton's shared-memory allocation cannot size (capture "
             "scalars, pointers or shared memory)";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(r.wasInterrupted());
}
