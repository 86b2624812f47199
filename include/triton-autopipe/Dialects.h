//===- Dialects.h - every dialect Triton 3.9 TTGIR may contain -*- C++ -*-===//
#ifndef TRITON_AUTOPIPE_DIALECTS_H
#define TRITON_AUTOPIPE_DIALECTS_H

namespace mlir {
class DialectRegistry;
namespace autopipe {

/// Inserts the dialects of Triton 3.9's NVIDIA and AMD pipelines (core MLIR
/// dialects Triton uses, tt, ttg, ttng, gluon, tti, nvg, nvws, amdg, NVVM,
/// ROCDL) into `registry`. All of them are constructed by libtriton.so.
void registerTritonDialects(DialectRegistry &registry);

} // namespace autopipe
} // namespace mlir

#endif // TRITON_AUTOPIPE_DIALECTS_H
