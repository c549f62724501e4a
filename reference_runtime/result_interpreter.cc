#include "reference_runtime/result_interpreter.h"

#include <nlohmann/json.hpp>
#include <string>

#include "contract/contract_text.h"
#include "reference_runtime/json_depth.h"
#include "reference_runtime/log_text.h"

namespace rr {

Response LastLineInterpreter::Interpret(const ExecOutcome& outcome, ActivationLog& log) {
  using End = ExecOutcome::End;
  if (outcome.end == End::kSpawnFailed) {
    log.Line(LogStream::kStderr, EscapeForLog(outcome.error));
    return JsonError(502, "The action could not be started: " + outcome.error);
  }
  // A held-back line that is not used as the result still belongs in the logs.
  auto log_line = [&] {
    if (outcome.has_result_line) log.Line(LogStream::kStdout, outcome.result_line);
  };
  if (outcome.end == End::kDeadline) {
    log_line();
    log.Line(LogStream::kStderr, kDeadlineError);
    return JsonError(502, kDeadlineError);
  }
  if (outcome.end == End::kCancelled) {
    log_line();
    return JsonError(502, kCancelledError);
  }
  const std::string& line = outcome.result_line;
  if (outcome.has_result_line && !outcome.result_line_overlong &&
      JsonNestingDepth(line, kMaxJsonDepth) <= kMaxJsonDepth) {
    nlohmann::json result = nlohmann::json::parse(line, nullptr, false);
    if (result.is_object() || result.is_array()) {
      Response response;
      response.body = result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return response;
    }
  }
  log_line();
  return JsonError(502, std::string(contract::kNotDictionaryResult));
}

}  // namespace rr
