// Seam (c): turning an activation's outcome into the /run answer (C3.4).
#pragma once

#include "reference_runtime/activation_log.h"
#include "reference_runtime/executor.h"
#include "reference_runtime/http_types.h"

namespace rr {

class ResultInterpreter {
 public:
  virtual ~ResultInterpreter() = default;
  // May add lines to `log` (e.g. the rejected result line); never finishes it.
  virtual Response Interpret(const ExecOutcome& outcome, ActivationLog& log) = 0;
};

// The contract's rule: the last stdout line, if a JSON object or array, is
// the 200 result (re-serialised compactly); anything else is 502
// {"error":"The action did not return a dictionary or array."} and the line
// goes to the stdout log. Killed or unstartable actions answer 502 with a
// reason. The exit code is not consulted. Stateless.
class LastLineInterpreter : public ResultInterpreter {
 public:
  Response Interpret(const ExecOutcome& outcome, ActivationLog& log) override;
};

// Messages for activations that did not end by themselves.
inline constexpr char kDeadlineError[] = "The action exceeded its deadline and was stopped.";
inline constexpr char kCancelledError[] =
    "The activation was cancelled (client disconnected or runtime shutting down).";

}  // namespace rr
