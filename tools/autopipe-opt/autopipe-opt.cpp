//===- autopipe-opt.cpp - run triton-autopipe passes over MLIR files ------===//
//
// A small mlir-opt for Triton IR: parses a file with every dialect of Triton
// 3.9's NVIDIA and AMD pipelines, runs the passes named on the command line
// (ours and Triton's TritonGPU passes), and prints the result. Supports
// --split-input-file and --verify-diagnostics for lit tests. Errors are
// reported as diagnostics with a non-zero exit code.
//
//===----------------------------------------------------------------------===//
#include "triton-autopipe/Dialects.h"
#include "triton-autopipe/Driver.h"
#include "triton-autopipe/Passes.h"
#include "triton-autopipe/Version.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace mlir::autopipe {
void registerAllPasses();
}

namespace {
cl::OptionCategory category("autopipe-opt options");
cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<input file>"),
                                   cl::init("-"), cl::cat(category));
cl::opt<std::string> outputFilename("o", cl::desc("Output filename"),
                                    cl::value_desc("filename"), cl::init("-"),
                                    cl::cat(category));
cl::opt<bool> splitInputFile(
    "split-input-file",
    cl::desc("Split the input on '// -----' and process each chunk"),
    cl::init(false), cl::cat(category));
cl::opt<bool> verifyDiagnostics(
    "verify-diagnostics",
    cl::desc("Check that emitted diagnostics match expected-* comments"),
    cl::init(false), cl::cat(category));
cl::opt<bool> listPasses("list-passes",
                         cl::desc("List triton-autopipe passes and exit"),
                         cl::init(false), cl::cat(category));
/// The command line, for naming the allowed values of a bad enum option.
std::string commandLine;

cl::opt<bool> allowUnregistered(
    "allow-unregistered-dialect",
    cl::desc("Accept ops of dialects that are not registered (as mlir-opt "
             "does; tests use them for ops Triton's analyses do not know)"),
    cl::init(false), cl::cat(category));

cl::opt<bool> showVersion("autopipe-version",
                          cl::desc("Print the build information and exit"),
                          cl::init(false), cl::cat(category));

/// Processes one buffer; returns failure if parsing or a pass fails (or, with
/// --verify-diagnostics, if the diagnostics do not match).
LogicalResult processBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                            const PassPipelineCLParser &pipeline,
                            llvm::raw_ostream &os) {
  DialectRegistry registry;
  autopipe::registerTritonDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  context.allowUnregisteredDialects(allowUnregistered);

  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());

  auto run = [&]() -> LogicalResult {
    OwningOpRef<ModuleOp> module =
        parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
    if (!module)
      return failure();
    PassManager pm(&context, ModuleOp::getOperationName());
    auto errorHandler = [&](const Twine &msg) {
      emitError(UnknownLoc::get(&context)) << msg;
      std::string hints = autopipe_driver::explainOptionValues(commandLine);
      for (StringRef line : llvm::split(hints, '\n'))
        if (!line.empty())
          emitError(UnknownLoc::get(&context)) << line;
      return failure();
    };
    if (failed(pipeline.addToPipeline(pm, errorHandler)))
      return failure();
    if (failed(pm.run(*module)))
      return failure();
    module->print(os);
    os << "\n";
    return success();
  };

  if (!verifyDiagnostics) {
    SourceMgrDiagnosticHandler handler(*sourceMgr, &context);
    return run();
  }
  SourceMgrDiagnosticVerifierHandler handler(*sourceMgr, &context);
  (void)run();
  return handler.verify();
}

/// Splits on lines "// -----" like mlir-opt's --split-input-file.
SmallVector<std::string> splitChunks(StringRef text) {
  SmallVector<std::string> chunks;
  std::string current;
  SmallVector<StringRef> lines;
  text.split(lines, '\n');
  for (StringRef line : lines) {
    if (line.trim() == "// -----") {
      chunks.push_back(current);
      // Keep line numbers of later chunks: pad with empty lines.
      current = std::string(
          std::count(current.begin(), current.end(), '\n') + 1, '\n');
      continue;
    }
    current += line.str();
    current += "\n";
  }
  chunks.push_back(current);
  return chunks;
}
} // namespace

int main(int argc, char **argv) {
  // A crash we could not prevent (an assertion or a signal, ours or
  // Triton's) ends with the command line, a stack trace and a non-zero exit.
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  llvm::PrettyStackTraceProgram stackTraceProgram(argc, argv);
  llvm::setBugReportMsg(
      "autopipe-opt crashed. Please report it to triton-autopipe with the "
      "input file and the command line above.\n");
  for (int i = 1; i < argc; ++i)
    commandLine += std::string(argv[i]) + " ";
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  autopipe::registerAllPasses();
  PassPipelineCLParser pipeline("", "Passes to run", "p");
  cl::HideUnrelatedOptions({&category, &cl::getGeneralCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "triton-autopipe optimizer driver (Triton " AUTOPIPE_TRITON_VERSION
      ", LLVM headers " AUTOPIPE_LLVM_VERSION ")\n");

  if (showVersion) {
    llvm::outs() << "triton-autopipe " << AUTOPIPE_VERSION << "\n"
                 << "triton " << AUTOPIPE_TRITON_VERSION << "\n"
                 << "llvm headers " << AUTOPIPE_LLVM_VERSION << " ("
                 << AUTOPIPE_LLVM_HEADER_SOURCE << ")\n";
    return 0;
  }
  if (listPasses) {
    for (const autopipe::PassDoc &doc : autopipe::getPassDocs()) {
      llvm::outs() << doc.argument << "\n    " << doc.summary << "\n";
      for (const autopipe::PassOptionDoc &o : doc.options) {
        llvm::outs() << "    " << o.name << " (" << o.type;
        if (*o.values)
          llvm::outs() << " " << o.values;
        llvm::outs() << ", default '" << o.defaultValue
                     << "'): " << o.description << "\n";
      }
    }
    return 0;
  }

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &error);
  if (!input) {
    llvm::errs() << "autopipe-opt: " << error << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "autopipe-opt: " << error << "\n";
    return 1;
  }

  bool failedAny = false;
  if (splitInputFile) {
    std::string name = input->getBufferIdentifier().str();
    SmallVector<std::string> chunks = splitChunks(input->getBuffer());
    for (size_t i = 0; i < chunks.size(); ++i) {
      auto buffer = llvm::MemoryBuffer::getMemBufferCopy(chunks[i], name);
      if (failed(processBuffer(std::move(buffer), pipeline, output->os())))
        failedAny = true;
      if (i + 1 != chunks.size())
        output->os() << "// -----\n";
    }
  } else {
    failedAny = failed(processBuffer(std::move(input), pipeline, output->os()));
  }
  if (failedAny)
    return 1;
  output->keep();
  return 0;
}
