// triton_autopipe._C: a thin pybind11 layer over the std-only Driver API.
// It is built with RTTI (pybind11 needs it) and never sees an MLIR class.
#include "triton-autopipe/Driver.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;

namespace {
/// Raised by run_pipeline when parsing, the pipeline text or a pass fails;
/// `.diagnostics` holds every diagnostic.
PyObject *pipelineErrorType = nullptr;
} // namespace

PYBIND11_MODULE(_C, m) {
  m.doc() = "triton-autopipe pass library bindings (list passes, run "
            "pipelines over MLIR text, build information)";

  static py::exception<std::runtime_error> pipelineError(m, "PipelineError");
  pipelineErrorType = pipelineError.ptr();

  m.def(
      "list_passes",
      [] {
        py::list out;
        for (const auto &p : autopipe_driver::listPasses()) {
          py::list options;
          for (const auto &o : p.options)
            options.append(py::dict(py::arg("name") = o.name,
                                    py::arg("type") = o.type,
                                    py::arg("default") = o.defaultValue,
                                    py::arg("description") = o.description,
                                    py::arg("values") = o.values));
          out.append(py::dict(py::arg("name") = p.name,
                              py::arg("summary") = p.summary,
                              py::arg("options") = options));
        }
        return out;
      },
      "List every pass with its summary and options (name, type, default, "
      "description, values: the allowed values of an enum option).");

  m.def(
      "run_pipeline",
      [](const std::string &ir, const std::string &pipeline,
         const std::string &source_name) {
        autopipe_driver::RunResult r;
        {
          py::gil_scoped_release release;
          r = autopipe_driver::runPipeline(ir, pipeline, source_name);
        }
        if (!r.ok) {
          py::object exc =
              py::reinterpret_borrow<py::object>(pipelineErrorType)(
                  r.diagnostics.empty() ? std::string("pipeline failed")
                                        : r.diagnostics);
          exc.attr("diagnostics") = r.diagnostics;
          PyErr_SetObject(pipelineErrorType, exc.ptr());
          throw py::error_already_set();
        }
        return py::make_tuple(r.output, r.diagnostics);
      },
      py::arg("ir"), py::arg("pipeline"), py::arg("source_name") = "<input>",
      "Parse `ir`, run the textual pass pipeline, return (output_ir, "
      "diagnostics). Raises PipelineError (with .diagnostics) on failure.");

  m.def(
      "build_info",
      [] {
        auto b = autopipe_driver::buildInfo();
        return py::dict(py::arg("version") = b.pluginVersion,
                        py::arg("triton_version") = b.tritonVersion,
                        py::arg("llvm_version") = b.llvmVersion,
                        py::arg("llvm_header_source") = b.headerSource,
                        py::arg("plugin_api_version") = b.pluginApiVersion);
      },
      "Versions this build was made for and where its LLVM/MLIR headers came "
      "from.");
}
