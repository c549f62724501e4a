// The decorators behind the tolerance variants (variant_catalogue.h): each
// reproduces, on one seam, something a real runtime does that the platform
// accepts. Same threading as the parts they wrap (one event loop).
#pragma once

#include <memory>
#include <set>
#include <string>

#include "reference_runtime/activation_log.h"
#include "reference_runtime/executor.h"
#include "reference_runtime/http_types.h"
#include "reference_runtime/result_interpreter.h"

namespace rr::variants {

enum class Variant {
  kResultTrailingNewline,  // Go proxy, Flask: "\n" after the /run body
  kSpacedResult,           // Python launcher json.dumps: {"a": 1}
  kUnicodeEscaped,         // Flask jsonify: non-ASCII as \uXXXX
  kInitOkText,             // Docker skeleton: init answers text "OK"
  kInitOkUpper,            // Node.js: init answers {"OK":true}
  kInitOkNewline,          // Go proxy: init answers {"ok":true}\n
  kJsonCharset,            // express: application/json; charset=utf-8
  kRejected400,            // Go proxy: a rejected result as 400 ("command exited")
  kRejectedOlderText,      // Node.js: "The action did not return a dictionary."
  kNonObject403,           // Node.js: a non-object value refused 403, no sentinel
  kFailedInit400,          // Go proxy: a failed init answered 400
  kRefuseOverlap,          // Node.js: a /run during another refused 403 + a stderr diagnostic
  kDiagnosticTimestamp,    // Go log.Println: "2026/12/01 22:29:29 " before its own lines
  kDiagnosticInternal,     // Node.js console.error: "Internal system error: " before them
  kStdoutThenStderr,       // Docker skeleton communicate(): stdout lines, then stderr lines
  kSpacedArgument,         // Docker skeleton json.dumps: the argument as {"i": 0}
  kEmptyResultNull,        // Go proxy + a function returning None: 200 null
};

// JSON text with a space after each ':' and ',' outside strings, as Python's
// json.dumps writes it. Text that is not compact JSON comes back unchanged.
std::string SpacedJson(const std::string& compact);

// Response-level variants; `logs` (borrowed) is needed by kRefuseOverlap.
class TolerantHandler : public Handler {
 public:
  TolerantHandler(std::unique_ptr<Handler> inner, Variant variant, LogWriter* logs);
  void Handle(Request request, ResponseCallback done) override;

 private:
  void Adjust(bool is_run, Response* response) const;

  std::unique_ptr<Handler> inner_;
  Variant variant_;
  LogWriter* logs_;
  int running_ = 0;  // kRefuseOverlap
};

// Log-level variants.
class TolerantLogWriter : public LogWriter {
 public:
  TolerantLogWriter(std::unique_ptr<LogWriter> inner, Variant variant);
  std::unique_ptr<ActivationLog> Begin() override;

 private:
  std::unique_ptr<LogWriter> inner_;
  Variant variant_;
};

// kSpacedArgument: the argument re-serialised with spaces, argv[1] only when
// that text is at most 131,071 bytes (the skeleton's rule on its own text).
class SpacedArgumentExecutor : public Executor {
 public:
  explicit SpacedArgumentExecutor(std::unique_ptr<Executor> inner) : inner_(std::move(inner)) {}
  void Run(ActivationSpec spec, ActivationLog* log, std::shared_ptr<Cancellation> cancellation,
           ExecDone done) override;
  void KillAll() override { inner_->KillAll(); }
  size_t running() const override { return inner_->running(); }

 private:
  std::unique_ptr<Executor> inner_;
};

// kEmptyResultNull: an action that printed nothing gets 200 `null`.
class NullForEmptyResult : public ResultInterpreter {
 public:
  explicit NullForEmptyResult(std::unique_ptr<ResultInterpreter> inner)
      : inner_(std::move(inner)) {}
  Response Interpret(const ExecOutcome& outcome, ActivationLog& log) override;

 private:
  std::unique_ptr<ResultInterpreter> inner_;
};

}  // namespace rr::variants
