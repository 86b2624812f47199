# Finds the Triton wheel of the active Python and defines
# TritonAutopipe::libtriton (libtriton.so + Triton's shipped headers).
#   AUTOPIPE_TRITON_DIR      site-packages/triton
#   AUTOPIPE_TRITON_VERSION  e.g. 3.9.0
#   AUTOPIPE_LIBTRITON       path of libtriton.so
if(NOT Python_EXECUTABLE)
  find_package(Python COMPONENTS Interpreter REQUIRED)
endif()
# Avoid `import triton` (slow): ask importlib where it is and what version.
execute_process(
  COMMAND ${Python_EXECUTABLE} -c
    "import importlib.util as u, importlib.metadata as m, os; s=u.find_spec('triton'); print(m.version('triton')); print(os.path.dirname(s.origin))"
  OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "triton-autopipe: cannot find the `triton` package with ${Python_EXECUTABLE}:\n${_err}\nInstall it: pip install triton==${AUTOPIPE_EXPECTED_TRITON_VERSION}")
endif()
string(REPLACE "\n" ";" _out "${_out}")
list(GET _out 0 AUTOPIPE_TRITON_VERSION)
list(GET _out 1 AUTOPIPE_TRITON_DIR)
set(AUTOPIPE_LIBTRITON ${AUTOPIPE_TRITON_DIR}/_C/libtriton.so)
set(AUTOPIPE_TRITON_INCLUDE ${AUTOPIPE_TRITON_DIR}/include)

if(NOT AUTOPIPE_TRITON_VERSION STREQUAL AUTOPIPE_EXPECTED_TRITON_VERSION)
  if(AUTOPIPE_ALLOW_TRITON_VERSION_MISMATCH)
    message(WARNING "triton-autopipe: building against Triton ${AUTOPIPE_TRITON_VERSION}, not ${AUTOPIPE_EXPECTED_TRITON_VERSION}; the plugin ABI and the LLVM headers are unverified for it.")
  else()
    message(FATAL_ERROR "triton-autopipe: found Triton ${AUTOPIPE_TRITON_VERSION} at ${AUTOPIPE_TRITON_DIR}, but this version of triton-autopipe targets Triton ${AUTOPIPE_EXPECTED_TRITON_VERSION}. Install triton==${AUTOPIPE_EXPECTED_TRITON_VERSION}, or configure with -DAUTOPIPE_ALLOW_TRITON_VERSION_MISMATCH=ON to try anyway.")
  endif()
endif()
foreach(_f ${AUTOPIPE_LIBTRITON} ${AUTOPIPE_TRITON_INCLUDE}/triton/Tools/PluginUtils.h)
  if(NOT EXISTS ${_f})
    message(FATAL_ERROR "triton-autopipe: ${_f} is missing from the Triton package at ${AUTOPIPE_TRITON_DIR}")
  endif()
endforeach()

add_library(TritonAutopipe::libtriton SHARED IMPORTED GLOBAL)
set_target_properties(TritonAutopipe::libtriton PROPERTIES
  IMPORTED_LOCATION ${AUTOPIPE_LIBTRITON}
  IMPORTED_SONAME libtriton.so
  # Triton's headers: core dialects, analyses, PluginUtils.h, python/src/ir.h.
  INTERFACE_INCLUDE_DIRECTORIES "${AUTOPIPE_TRITON_INCLUDE}")
