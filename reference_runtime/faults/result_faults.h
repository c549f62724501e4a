// Faults on seam (c), result interpretation (C3.4, C1.4, C3.10).
#pragma once

#include <memory>
#include <string>

#include "reference_runtime/result_interpreter.h"

namespace rr::faults {

enum class ResultFault {
  kNonJsonAccepted,  // a last line that is not JSON is answered 200 as is
  kScalarAccepted,   // a JSON scalar last line is answered 200
  kArrayRefused,     // an array result is refused like a malformed one
  kBadOutputStatus,  // malformed output answered 500 instead of 502
  kPrettyPrinted,    // results re-serialised with indentation (breaks the 1 MiB budget)
  kUnicodeMangled,   // result bytes >= 0x80 re-encoded as if Latin-1 (mojibake)
};

// Status kBadOutputStatus answers for a rejected result.
inline constexpr int kWrongBadOutputStatus = 500;

// Wraps a ResultInterpreter (owned). Outcomes the fault does not concern go
// to the inner interpreter unchanged. Stateless apart from the inner part.
class FaultyResultInterpreter : public ResultInterpreter {
 public:
  FaultyResultInterpreter(std::unique_ptr<ResultInterpreter> inner, ResultFault fault);
  Response Interpret(const ExecOutcome& outcome, ActivationLog& log) override;

 private:
  std::unique_ptr<ResultInterpreter> inner_;
  ResultFault fault_;
};

// Each byte >= 0x80 of `text` taken as a Latin-1 character and re-encoded as
// UTF-8: valid UTF-8, wrong text. Exposed for tests.
std::string MangleUtf8AsLatin1(const std::string& text);

}  // namespace rr::faults
