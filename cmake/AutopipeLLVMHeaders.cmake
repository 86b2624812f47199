# Chooses the LLVM/MLIR headers and defines TritonAutopipe::LLVMHeaders.
#   -DAUTOPIPE_LLVM_ROOT=<prefix>  use <prefix>/include (e.g. Triton's own LLVM
#                                  build, the exact llvm-project commit);
#   otherwise                      Debian sid's libmlir-23-dev/llvm-23-dev,
#                                  downloaded once into AUTOPIPE_LLVM_CACHE_DIR.
# Sets AUTOPIPE_LLVM_INCLUDE_DIR, AUTOPIPE_LLVM_VERSION and
# AUTOPIPE_LLVM_HEADER_SOURCE, and AUTOPIPE_MLIR_TBLGEN (the passes are
# declared in Passes.td): -DAUTOPIPE_MLIR_TBLGEN=<path> wins, else
# <AUTOPIPE_LLVM_ROOT>/bin/mlir-tblgen, else Debian sid's mlir-tblgen 23.1.x
# that fetch-llvm-headers.sh puts into the cache (<cache>/bin/mlir-tblgen).
if(AUTOPIPE_LLVM_ROOT)
  set(AUTOPIPE_LLVM_INCLUDE_DIR ${AUTOPIPE_LLVM_ROOT}/include)
  set(AUTOPIPE_LLVM_HEADER_SOURCE "AUTOPIPE_LLVM_ROOT=${AUTOPIPE_LLVM_ROOT}")
  set(_tblgen_default ${AUTOPIPE_LLVM_ROOT}/bin/mlir-tblgen)
else()
  if(NOT AUTOPIPE_LLVM_CACHE_DIR)
    if(DEFINED ENV{AUTOPIPE_LLVM_CACHE_DIR})
      set(AUTOPIPE_LLVM_CACHE_DIR $ENV{AUTOPIPE_LLVM_CACHE_DIR})
    elseif(DEFINED ENV{XDG_CACHE_HOME})
      set(AUTOPIPE_LLVM_CACHE_DIR $ENV{XDG_CACHE_HOME}/triton-autopipe/llvm-23)
    else()
      set(AUTOPIPE_LLVM_CACHE_DIR $ENV{HOME}/.cache/triton-autopipe/llvm-23)
    endif()
  endif()
  execute_process(
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cmake/fetch-llvm-headers.sh ${AUTOPIPE_LLVM_CACHE_DIR}
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "triton-autopipe: could not obtain Debian's LLVM/MLIR 23.1.x headers (see above). Point the build at an LLVM/MLIR install instead: -DAUTOPIPE_LLVM_ROOT=<prefix>")
  endif()
  set(AUTOPIPE_LLVM_INCLUDE_DIR ${AUTOPIPE_LLVM_CACHE_DIR}/prefix/usr/lib/llvm-23/include)
  file(READ ${AUTOPIPE_LLVM_CACHE_DIR}/STAMP _stamp)
  string(STRIP "${_stamp}" _stamp)
  set(AUTOPIPE_LLVM_HEADER_SOURCE "Debian sid ${_stamp}, cached in ${AUTOPIPE_LLVM_CACHE_DIR}")
  set(_tblgen_default ${AUTOPIPE_LLVM_CACHE_DIR}/bin/mlir-tblgen)
endif()
if(NOT AUTOPIPE_MLIR_TBLGEN)
  set(AUTOPIPE_MLIR_TBLGEN ${_tblgen_default})
  set(_tblgen_check_version ${AUTOPIPE_LLVM_ROOT})
endif()
execute_process(COMMAND ${AUTOPIPE_MLIR_TBLGEN} --version
                OUTPUT_VARIABLE _tblgen_version ERROR_VARIABLE _tblgen_version
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "triton-autopipe: mlir-tblgen ${AUTOPIPE_MLIR_TBLGEN} does not run (${_tblgen_version}). Pass one with -DAUTOPIPE_MLIR_TBLGEN=<path>.")
endif()
if(DEFINED _tblgen_check_version AND NOT _tblgen_check_version
   AND NOT _tblgen_version MATCHES "LLVM version 23\\.1\\.")
  message(FATAL_ERROR "triton-autopipe: expected mlir-tblgen 23.1.x, ${AUTOPIPE_MLIR_TBLGEN} says: ${_tblgen_version}")
endif()

foreach(_h llvm/Config/llvm-config.h llvm/Config/abi-breaking.h mlir/IR/Operation.h)
  if(NOT EXISTS ${AUTOPIPE_LLVM_INCLUDE_DIR}/${_h})
    message(FATAL_ERROR "triton-autopipe: ${AUTOPIPE_LLVM_INCLUDE_DIR}/${_h} not found (LLVM/MLIR headers from ${AUTOPIPE_LLVM_HEADER_SOURCE})")
  endif()
endforeach()
file(STRINGS ${AUTOPIPE_LLVM_INCLUDE_DIR}/llvm/Config/llvm-config.h _v
     REGEX "#define LLVM_VERSION_STRING")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" AUTOPIPE_LLVM_VERSION "${_v}")
# libtriton.so is built with LLVM_ENABLE_ABI_BREAKING_CHECKS=1; headers saying 0
# give other layouts and mangled names (ilist iterators, DenseMap epochs).
file(STRINGS ${AUTOPIPE_LLVM_INCLUDE_DIR}/llvm/Config/abi-breaking.h _abi
     REGEX "#define LLVM_ENABLE_ABI_BREAKING_CHECKS [01]")
if(NOT _abi MATCHES "LLVM_ENABLE_ABI_BREAKING_CHECKS 1")
  message(FATAL_ERROR "triton-autopipe: ${AUTOPIPE_LLVM_INCLUDE_DIR}/llvm/Config/abi-breaking.h has LLVM_ENABLE_ABI_BREAKING_CHECKS 0, but libtriton.so is built with 1. Use headers of an LLVM built with -DLLVM_ENABLE_ABI_BREAKING_CHECKS=FORCE_ON.")
endif()
if(NOT AUTOPIPE_LLVM_ROOT AND NOT AUTOPIPE_LLVM_VERSION MATCHES "^23\\.1\\.")
  message(FATAL_ERROR "triton-autopipe: expected LLVM 23.1.x headers, found ${AUTOPIPE_LLVM_VERSION}")
endif()

add_library(TritonAutopipe::LLVMHeaders INTERFACE IMPORTED GLOBAL)
set_target_properties(TritonAutopipe::LLVMHeaders PROPERTIES
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${AUTOPIPE_LLVM_INCLUDE_DIR}"
  INTERFACE_INCLUDE_DIRECTORIES "${AUTOPIPE_LLVM_INCLUDE_DIR}")
