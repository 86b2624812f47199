//===- PrintSchedule.cpp - report the pipelining schedule of each loop ----===//
//
// `autopipe-print-schedule` is an analysis pass: for every scf.for it reads
// the schedule written by a loop scheduler (Triton's or ours; see Schedule.h)
// and emits one remark listing each op of the body with its stage and cluster,
// in body order. A schedule that breaks a dependency or carries malformed
// attributes is an error: the pass fails, so a bad schedule never reaches the
// pipeline expander. It does not change the IR.
//
// Options: include/triton-autopipe/Passes.td (documented in docs/passes.md).
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Schedule.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::autopipe;

namespace mlir::autopipe {
#define GEN_PASS_DEF_PRINTSCHEDULEPASS
#include "triton-autopipe/Passes.h.inc"
} // namespace mlir::autopipe

namespace {

/// Name of the function holding `op`, or "?".
std::string enclosingFunctionName(Operation *op) {
  for (Operation *p = op->getParentOp(); p; p = p->getParentOp())
    if (auto name = p->getAttrOfType<StringAttr>("sym_name"))
      return name.getValue().str();
  return "?";
}

std::string describeLoop(scf::ForOp loop, unsigned ordinal) {
  return ("loop #" + Twine(ordinal) + " in @" + enclosingFunctionName(loop) +
          " at " + formatLocation(loop.getLoc()))
      .str();
}

void printReport(llvm::raw_ostream &os, const LoopSchedule &s,
                 StringRef title) {
  os << "autopipe schedule of " << title << ": " << (s.maxStage + 1)
     << " stage(s)";
  if (s.declaredMaxStage)
    os << " (" << kMaxStageAttr << " = " << *s.declaredMaxStage << ")";
  else
    os << " (no " << kMaxStageAttr << ")";
  os << ", " << s.numClusters << " cluster(s), " << s.ops.size() << " op(s)";
  if (s.numUnscheduled)
    os << ", " << s.numUnscheduled
       << " unscheduled (placed by the pipeliner next to their users)";
  for (const ScheduledOp &op : s.ops) {
    if (op.isScheduled())
      os << "\n  stage " << op.stage << " cluster " << op.cluster << "  ";
    else
      os << "\n  unscheduled        ";
    os << op.op->getName().getStringRef();
    std::string loc = formatLocation(op.op->getLoc());
    if (loc != "<unknown>")
      os << "  (" << loc << ")";
  }
}

struct PrintSchedulePass
    : public autopipe::impl::PrintSchedulePassBase<PrintSchedulePass> {
  using Base::Base;

  void runOnOperation() override {
    std::string text;
    llvm::raw_string_ostream textOs(text);
    bool failed = false;
    unsigned ordinal = 0;

    getOperation()->walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      std::string title = describeLoop(loop, ordinal++);
      if (!hasSchedule(loop)) {
        if (remarks)
          loop.emitRemark()
              << "autopipe schedule of " << title << ": not scheduled (no "
              << kStageAttr << "/" << kClusterAttr << " attributes)";
        textOs << "autopipe schedule of " << title << ": not scheduled\n";
        return;
      }
      SmallVector<ScheduleProblem> problems;
      LoopSchedule schedule = readSchedule(loop, problems);
      verifySchedule(schedule, problems);

      std::string report;
      llvm::raw_string_ostream reportOs(report);
      printReport(reportOs, schedule, title);
      if (remarks)
        loop.emitRemark() << report;
      textOs << report << "\n";
      for (const ScheduleProblem &p : problems) {
        p.op->emitError() << "invalid pipelining schedule of " << title << ": "
                          << p.message;
        textOs << "error: " << title << ": " << p.op->getName() << " "
               << p.message << "\n";
        failed = true;
      }
    });

    if (mlir::failed(
            writeTextReport(output, text, getOperation(), getArgument())))
      return signalPassFailure();
    if (failed)
      signalPassFailure();
  }
};

} // namespace
