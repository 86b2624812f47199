//===- DoubleBufferOperands.cpp - shared->register double buffering ------===//
//
// `autopipe-double-buffer-operands` double-buffers the register operands of
// MMAs that read registers (mma.sync on sm80 -- and sm90 with MMA v3 off --,
// MFMA on gfx942/gfx950): in every scf.for, a `tt.dot` whose A and B operands
// are `ttg.local_load`s of shared-memory tiles (typically circular-buffer
// slots from autopipe-allocate-buffers; directly in the dot-operand layout or
// through one layout conversion) is split along K into slices of
// `k-slice` elements, and the loads are interleaved one slice ahead:
//
//   a0 = local_load A[:, 0:k]   b0 = local_load B[0:k, :]
//   a1 = local_load A[:, k:2k]  b1 = local_load B[k:2k, :]
//   acc = dot(a0, b0, acc)                       // slice 1 loads in flight
//   a2 = ...; b2 = ...
//   acc = dot(a1, b1, acc)
//   ...
//
// so the shared->register loads of slice j + 1 are issued before, and overlap,
// the MMA of slice j, and only two slices of each operand are live in
// registers instead of the whole tile (the loads of the next slice go into
// the second register buffer while the first is consumed). Slices are
// `ttg.memdesc_subslice` views of the original tiles; the dots keep the
// original's attributes and chain their accumulators, so the sum over K is
// the same, in the same order of K blocks. The overlap across the loop back
// edge (Triton's tritongpu-prefetch loads slice 0 of the next iteration
// before the yield) is not done here.
//
// Runs after the loop expansion (the MMA of the kernel loop is then final).
// Left as is, with a remark naming the loop and the reason: dots whose
// operands are not local_loads used only by the dot, whose K is not a
// multiple of 2 * k-slice, MMAs reading shared memory directly (wgmma), dots
// in nested regions.
//
// Options:
//   stages  (int, 2)    shared->register stages (the kernel config's
//                       shared_to_register_stages): 1 = off, 2 = double
//                       buffering; others are an error;
//   k-slice (int, 0)    K elements per slice; 0: 512 bits of the operand
//                       element type (32 for fp16/bf16, 64 for fp8, 16 for
//                       fp32) or the MFMA instruction's K if larger; a slice
//                       must be a multiple of the instruction's K (mma.sync:
//                       256 bits of the element type; MFMA: its instrShape)
//                       or the dot is left as is;
//   remarks (bool, true)  one remark per loop holding a dot;
//   output  (string, "")  also write those lines to "-" or a file.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/PassDocs.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/Pass.h"

#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/IR/Dialect.h"

using namespace mlir;
using namespace mlir::autopipe;
namespace tt = mlir::triton;
namespace ttg = mlir::triton::gpu;

namespace {

/// Splits one dot; returns "" when done, else why not.
/// The local_load an operand comes from, directly or through one layout
/// conversion (`convert`, which then goes too); both used only on this path.
ttg::LocalLoadOp operandLoad(Value operand, ttg::ConvertLayoutOp &convert) {
  convert = operand.getDefiningOp<ttg::ConvertLayoutOp>();
  if (convert) {
    if (!convert->hasOneUse())
      return nullptr;
    operand = convert.getSrc();
  }
  auto load = operand.getDefiningOp<ttg::LocalLoadOp>();
  return load && load->hasOneUse() ? load : nullptr;
}

std::string splitDot(tt::DotOp dot, int64_t kSliceOption) {
  ttg::ConvertLayoutOp convertA, convertB;
  auto loadA = operandLoad(dot.getA(), convertA);
  auto loadB = operandLoad(dot.getB(), convertB);
  if (!loadA || !loadB)
    return "its operands are not shared-memory loads (local_load, used only "
           "by the dot)";
  if (loadA->getBlock() != dot->getBlock() ||
      loadB->getBlock() != dot->getBlock())
    return "its operand loads are in another block";
  auto aType = cast<RankedTensorType>(dot.getA().getType());
  auto bType = cast<RankedTensorType>(dot.getB().getType());
  auto aMem = cast<ttg::MemDescType>(loadA.getSrc().getType());
  auto bMem = cast<ttg::MemDescType>(loadB.getSrc().getType());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return "batched (rank > 2) dot";
  int64_t K = aType.getShape()[1];
  unsigned bits = aType.getElementTypeBitWidth();
  // K of one MMA instruction: a slice must hold whole instructions.
  int64_t instrK = 256 / std::max(1u, bits); // mma.sync m16n8k(256 / bits)
  auto dotEnc = dyn_cast<ttg::DotOperandEncodingAttr>(aType.getEncoding());
  if (!dotEnc)
    return "its A operand is not in a dot-operand layout";
  if (auto mfma = dyn_cast<ttg::AMDMfmaEncodingAttr>(dotEnc.getParent())) {
    ArrayRef<unsigned> shape = mfma.getInstrShape();
    if (shape.size() >= 3)
      instrK = shape[2];
  } else if (!isa<ttg::NvidiaMmaEncodingAttr>(dotEnc.getParent())) {
    return "its MMA layout is neither mma.sync nor MFMA";
  }
  int64_t kSlice = kSliceOption > 0
                       ? kSliceOption
                       : std::max<int64_t>(instrK, 512 / std::max(1u, bits));
  if (kSlice % instrK != 0)
    return ("k-slice " + Twine(kSlice) + " is not a multiple of the MMA "
            "instruction's K (" + Twine(instrK) + ")")
        .str();
  if (K % kSlice != 0 || K / kSlice < 2)
    return ("K = " + Twine(K) + " is not a multiple of 2 x " + Twine(kSlice) +
            " (k-slice)")
        .str();
  int64_t n = K / kSlice;

  OpBuilder b(dot);
  Location loc = dot.getLoc();
  auto sliceA = [&](int64_t j) {
    auto memTy = aMem.cloneWith(ArrayRef<int64_t>{aType.getShape()[0], kSlice},
                                aMem.getElementType());
    Value view = ttg::MemDescSubsliceOp::create(
        b, loc, memTy, loadA.getSrc(),
        ArrayRef<int32_t>{0, static_cast<int32_t>(j * kSlice)});
    auto ty = RankedTensorType::get({aType.getShape()[0], kSlice},
                                    aType.getElementType(),
                                    aType.getEncoding());
    return ttg::LocalLoadOp::create(b, loc, ty, view, loadA.getToken())
        .getResult();
  };
  auto sliceB = [&](int64_t j) {
    auto memTy = bMem.cloneWith(ArrayRef<int64_t>{kSlice, bType.getShape()[1]},
                                bMem.getElementType());
    Value view = ttg::MemDescSubsliceOp::create(
        b, loc, memTy, loadB.getSrc(),
        ArrayRef<int32_t>{static_cast<int32_t>(j * kSlice), 0});
    auto ty = RankedTensorType::get({kSlice, bType.getShape()[1]},
                                    bType.getElementType(),
                                    bType.getEncoding());
    return ttg::LocalLoadOp::create(b, loc, ty, view, loadB.getToken())
        .getResult();
  };
  // Slice j + 1 is loaded before the dot of slice j.
  SmallVector<std::pair<Value, Value>> slices;
  slices.push_back({sliceA(0), sliceB(0)});
  Value acc = dot.getC();
  for (int64_t j = 0; j < n; ++j) {
    if (j + 1 < n)
      slices.push_back({sliceA(j + 1), sliceB(j + 1)});
    IRMapping map;
    map.map(dot.getA(), slices[j].first);
    map.map(dot.getB(), slices[j].second);
    map.map(dot.getC(), acc);
    acc = b.clone(*dot, map)->getResult(0);
  }
  dot.getResult().replaceAllUsesWith(acc);
  dot->erase();
  for (Operation *op : {convertA.getOperation(), convertB.getOperation()})
    if (op)
      op->erase();
  loadA->erase();
  loadB->erase();
  return "";
}

struct DoubleBufferOperandsPass
    : public PassWrapper<DoubleBufferOperandsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(DoubleBufferOperandsPass)

  DoubleBufferOperandsPass() = default;
  DoubleBufferOperandsPass(const DoubleBufferOperandsPass &other)
      : PassWrapper(other) {}

  StringRef getArgument() const final {
    return docs::doubleBufferOperands.argument;
  }
  StringRef getDescription() const final {
    return docs::doubleBufferOperands.summary;
  }

  Option<int> stages{
      *this, docs::doubleBufferOperands.options[0].name,
      llvm::cl::desc(docs::doubleBufferOperands.options[0].description),
      llvm::cl::init(2)};
  Option<int> kSlice{
      *this, docs::doubleBufferOperands.options[1].name,
      llvm::cl::desc(docs::doubleBufferOperands.options[1].description),
      llvm::cl::init(0)};
  Option<bool> remarks{
      *this, docs::doubleBufferOperands.options[2].name,
      llvm::cl::desc(docs::doubleBufferOperands.options[2].description),
      llvm::cl::init(true)};
  Option<std::string> output{
      *this, docs::doubleBufferOperands.options[3].name,
      llvm::cl::desc(docs::doubleBufferOperands.options[3].description),
      llvm::cl::init("")};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (stages != 1 && stages != 2) {
      module.emitError() << "autopipe-double-buffer-operands: stages must be 1 "
                            "(off) or 2 (double buffering), got "
                         << static_cast<int>(stages);
      return signalPassFailure();
    }
    if (kSlice < 0) {
      module.emitError() << "autopipe-double-buffer-operands: k-slice must be "
                            ">= 0, got "
                         << static_cast<int>(kSlice);
      return signalPassFailure();
    }
    if (stages == 1)
      return;
    std::string report;
    module.walk([&](scf::ForOp loop) {
      std::string msg;
      unsigned split = 0;
      for (Operation &op :
           llvm::make_early_inc_range(loop.getBody()->without_terminator())) {
        if (isa<tt::DotOpInterface>(op) && !isa<tt::DotOp>(op)) {
          bool wgmma = op.getName().getStringRef() == "ttng.warp_group_dot";
          msg += (msg.empty() ? "" : "; ") + std::string("MMA at ") +
                 formatLocation(op.getLoc()) +
                 (wgmma ? " reads shared memory directly; left as is"
                        : " is not a tt.dot (e.g. scaled); left as is");
          continue;
        }
        auto dot = dyn_cast<tt::DotOp>(op);
        if (!dot)
          continue;
        std::string loc = formatLocation(dot.getLoc());
        std::string why = splitDot(dot, kSlice);
        if (why.empty())
          ++split;
        else
          msg += (msg.empty() ? "" : "; ") + std::string("dot at ") + loc +
                 " left as is: " + why;
      }
      if (!split && msg.empty())
        return;
      std::string line = "autopipe-double-buffer-operands: loop at " +
                         formatLocation(loop.getLoc()) + ": " +
                         std::to_string(split) +
                         " dot(s) double-buffered along K" +
                         (msg.empty() ? "" : "; " + msg);
      if (remarks)
        mlir::emitRemark(loop.getLoc()) << line;
      report += line + "\n";
    });
    if (failed(writeTextReport(output, report, module, getArgument())))
      return signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> mlir::autopipe::createDoubleBufferOperandsPass() {
  return std::make_unique<DoubleBufferOperandsPass>();
}
