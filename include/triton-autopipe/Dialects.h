//===- Dialects.h - every dialect Triton 3.9 TTGIR may contain -*- C++ -*-===//
#ifndef TRITON_AUTOPIPE_DIALECTS_H
#define TRITON_AUTOPIPE_DIALECTS_H

namespace mlir {
class DialectRegistry;
namespace autopipe {

/// Inserts the dialects Triton 3.9's own Python bindings load (tt, ttg, ttng,
/// tti, gluon, nvg, nvws, amdg, arith, math, scf, cf, ub, gpu, llvm, nvvm,
/// rocdl) into `registry`, through libtriton.so's own registration code, so
/// libtriton constructs every dialect object.
void registerTritonDialects(DialectRegistry &registry);

} // namespace autopipe
} // namespace mlir

#endif // TRITON_AUTOPIPE_DIALECTS_H
