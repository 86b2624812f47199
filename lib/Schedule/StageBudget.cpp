//===- StageBudget.cpp - fewer stages when the buffers do not fit ---------===//
//
// A load with stage distance d keeps d + 1 tiles in shared memory (the slot
// an MMA still reads included); register-staged tiles (gfx942, `staged-loads`)
// need one slot less, a slot being stored after the iteration that read it.
// The default schedule puts every load S - 1 stages from its MMA (S tiles
// each, or S - 1), the attention schedules keep K and V 2 stages from theirs
// (3 tiles each). When that exceeds what the kernel has left, an attention
// schedule falls back to default and default gets fewer stages, instead of a
// kernel that cannot launch; below 2 stages the loop is left as is.
//
//===----------------------------------------------------------------------===//
#include "Scheduler.h"
#include "triton-autopipe/Buffers.h"

#include "triton-autopipe/Schedule.h"

using namespace mlir;
using namespace mlir::autopipe;
using namespace mlir::autopipe::sched;

StagePlan sched::fitStagesToSharedMemory(ScheduleKind kind, int numStages,
                                         const LoopAnalysis &a,
                                         const SchedulerConfig &config) {
  StagePlan plan{kind,
                 kind == ScheduleKind::Default ? numStages : kAttentionStages,
                 "", ""};
  int64_t budget = config.sharedBudget;
  if (budget <= 0 || config.anchorsOnly)
    return plan;
  int64_t tile = 0;
  for (auto &entry : a.loads)
    tile += byteSize(entry.first->getResult(0).getType());
  // A default schedule of `st` stages keeps each load `st - 1` stages ahead
  // of its reader; register-staged tiles are read before their refill.
  SlotReuse reuse = config.stagedTiles ? SlotReuse::ReadBeforeRefill
                                       : SlotReuse::ReadDuringRefill;
  auto need = [&](int st) {
    return plan.kind == ScheduleKind::Default ? tile * slotCount(st - 1, reuse)
                                              : tile * 3;
  };
  if (tile == 0 || need(plan.stages) <= budget)
    return plan;
  if (plan.kind != ScheduleKind::Default) {
    plan.note += "; but its buffers need " + std::to_string(need(plan.stages)) +
                 " bytes of shared memory, more than the " +
                 std::to_string(budget) + " left: default instead";
    plan.kind = ScheduleKind::Default;
    plan.stages = numStages;
  }
  int fit = stageDistanceFor(static_cast<int>(budget / tile), reuse) + 1;
  if (need(plan.stages) <= budget)
    return plan;
  if (fit < 2) {
    plan.rejection = "even 2 stages need " + std::to_string(need(2)) +
                     " bytes of shared memory, more than the " +
                     std::to_string(budget) + " left; left as is";
    return plan;
  }
  plan.note += "; num_stages " + std::to_string(plan.stages) + " -> " +
               std::to_string(fit) + " so that the buffers fit in shared " +
               "memory (" + std::to_string(need(plan.stages)) + " bytes > " +
               std::to_string(budget) + " left)";
  plan.stages = fit;
  return plan;
}
