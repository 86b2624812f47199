// ABI probe: forces complete DWARF for the LLVM/MLIR/Triton types the plugin
// shares with libtriton.so, so that the ABI check (triton_autopipe.abi_check)
// can compare their sizes, member offsets and vtable slots against libtriton's
// own DWARF.  Build it exactly like the pass library, plus
//   -g -gdwarf-4 -femit-class-debug-always -fno-eliminate-unused-debug-types
// into an object file (never linked; nothing here is meant to run).
//
// Every type named in abi/types.txt must be instantiated here with the same
// template arguments that libtriton's DWARF names (see the comments there).
// sizeof() forces the implicit instantiation of a class template
// specialization, which makes g++ emit its full definition.

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "triton/Analysis/Allocation.h"
#include "triton/Analysis/AxisInfo.h"
#include "triton/Analysis/Membar.h"
#include "triton/Dialect/Triton/IR/Dialect.h"
#include "triton/Dialect/TritonGPU/Transforms/PipelineExpander.h"
#include "triton/Dialect/TritonGPU/Transforms/Schedule.h"

// A tablegen'erated pass base (GEN_PASS_DEF only declares impl::create*() and
// defines the class template; nothing is instantiated beyond the class).
namespace mlir::triton {
#define GEN_PASS_DEF_TRITONLOOPAWARECSE
#include "triton/Dialect/Triton/Transforms/Passes.h.inc"
} // namespace mlir::triton

namespace {
// libtriton's DWARF has PassWrapper<(anonymous namespace)::
// VerifyWarpSpecializationPartitions, OperationPass<ModuleOp>>; PassWrapper's
// layout and vtable do not depend on its first argument, so we instantiate it
// over a type with the same (anonymous-namespace) name.
struct VerifyWarpSpecializationPartitions;
// Likewise mlir::triton::impl::TritonLoopAwareCSEBase<(anonymous namespace)::
// LoopAwareCSE>: the generated base's layout and vtable do not depend on its
// argument, but its inline friend create function needs a complete type.
struct LoopAwareCSE : mlir::triton::impl::TritonLoopAwareCSEBase<LoopAwareCSE> {
  void runOnOperation() override {}
};
} // namespace

#define AUTOPIPE_ABI_PROBE(...)                                                \
  static_assert(sizeof(__VA_ARGS__) > 0, #__VA_ARGS__);

// LLVM ADT
AUTOPIPE_ABI_PROBE(llvm::DenseMap<mlir::Value, mlir::Value>)
AUTOPIPE_ABI_PROBE(llvm::DenseMap<mlir::Operation *, mlir::Operation *>)
AUTOPIPE_ABI_PROBE(llvm::DenseMap<mlir::Block *, mlir::Block *>)
AUTOPIPE_ABI_PROBE(llvm::DenseMap<mlir::Operation *, int>)
AUTOPIPE_ABI_PROBE(llvm::DenseSet<mlir::Value>)
AUTOPIPE_ABI_PROBE(llvm::SmallVector<mlir::Value, 4>)
AUTOPIPE_ABI_PROBE(llvm::SmallVector<mlir::Value, 0>)
AUTOPIPE_ABI_PROBE(llvm::SmallVector<mlir::Type, 4>)
AUTOPIPE_ABI_PROBE(llvm::SmallVector<mlir::Operation *, 4>)
AUTOPIPE_ABI_PROBE(llvm::SmallVector<int64_t, 6>)
AUTOPIPE_ABI_PROBE(llvm::SmallVector<std::unique_ptr<mlir::Region>, 1>)
AUTOPIPE_ABI_PROBE(llvm::function_ref<void(mlir::PropertyRef)>)
AUTOPIPE_ABI_PROBE(llvm::SetVector<mlir::Operation *>)

// MLIR IR
AUTOPIPE_ABI_PROBE(mlir::IRMapping)
AUTOPIPE_ABI_PROBE(mlir::Builder)
AUTOPIPE_ABI_PROBE(mlir::OpBuilder)
AUTOPIPE_ABI_PROBE(mlir::OpBuilder::Listener)
AUTOPIPE_ABI_PROBE(mlir::OpBuilder::InsertPoint)
AUTOPIPE_ABI_PROBE(mlir::OperationState)
AUTOPIPE_ABI_PROBE(mlir::NamedAttrList)
AUTOPIPE_ABI_PROBE(mlir::OperationName)
AUTOPIPE_ABI_PROBE(mlir::PropertyRef)
AUTOPIPE_ABI_PROBE(mlir::PatternRewriter)
AUTOPIPE_ABI_PROBE(mlir::RewriterBase)
AUTOPIPE_ABI_PROBE(mlir::RewriterBase::Listener)
AUTOPIPE_ABI_PROBE(mlir::RewritePatternSet)
AUTOPIPE_ABI_PROBE(mlir::FrozenRewritePatternSet)
AUTOPIPE_ABI_PROBE(mlir::Pattern)
AUTOPIPE_ABI_PROBE(mlir::RewritePattern)
AUTOPIPE_ABI_PROBE(mlir::OpRewritePattern<mlir::scf::ForOp>)
AUTOPIPE_ABI_PROBE(
    mlir::detail::OpOrInterfaceRewritePatternBase<mlir::scf::ForOp>)
AUTOPIPE_ABI_PROBE(mlir::GreedyRewriteConfig)

// MLIR passes
AUTOPIPE_ABI_PROBE(mlir::Pass)
AUTOPIPE_ABI_PROBE(mlir::OperationPass<mlir::ModuleOp>)
AUTOPIPE_ABI_PROBE(mlir::OperationPass<mlir::triton::FuncOp>)
AUTOPIPE_ABI_PROBE(mlir::OperationPass<void>)
AUTOPIPE_ABI_PROBE(mlir::PassWrapper<VerifyWarpSpecializationPartitions,
                                     mlir::OperationPass<mlir::ModuleOp>>)
AUTOPIPE_ABI_PROBE(mlir::triton::impl::TritonLoopAwareCSEBase<LoopAwareCSE>)
AUTOPIPE_ABI_PROBE(mlir::OpPassManager)
AUTOPIPE_ABI_PROBE(mlir::PassManager)
AUTOPIPE_ABI_PROBE(mlir::detail::PassOptions)
AUTOPIPE_ABI_PROBE(mlir::Pass::Option<bool>)
AUTOPIPE_ABI_PROBE(mlir::Pass::Option<int>)

// Triton analyses and pipelining
AUTOPIPE_ABI_PROBE(mlir::Allocation)
AUTOPIPE_ABI_PROBE(mlir::ModuleAllocation)
AUTOPIPE_ABI_PROBE(mlir::triton::CallGraph<mlir::Allocation>)
AUTOPIPE_ABI_PROBE(mlir::MembarAnalysis)
AUTOPIPE_ABI_PROBE(mlir::ModuleMembarAnalysis)
AUTOPIPE_ABI_PROBE(mlir::triton::CoarseSchedule)
AUTOPIPE_ABI_PROBE(mlir::triton::PipeliningOption)
AUTOPIPE_ABI_PROBE(mlir::triton::ModuleAxisInfoAnalysis)
