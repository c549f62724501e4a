#include "reference_runtime/faults/result_faults.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "contract/contract_text.h"
#include "reference_runtime/json_depth.h"

namespace rr::faults {

using nlohmann::json;

std::string MangleUtf8AsLatin1(const std::string& text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (unsigned char c : text) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

FaultyResultInterpreter::FaultyResultInterpreter(std::unique_ptr<ResultInterpreter> inner,
                                                 ResultFault fault)
    : inner_(std::move(inner)), fault_(fault) {}

Response FaultyResultInterpreter::Interpret(const ExecOutcome& outcome, ActivationLog& log) {
  const bool usable_line = outcome.end == ExecOutcome::End::kExited && outcome.has_result_line &&
                           !outcome.result_line_overlong &&
                           JsonNestingDepth(outcome.result_line, kMaxJsonDepth) <= kMaxJsonDepth;
  const json parsed = usable_line ? json::parse(outcome.result_line, nullptr, false)
                                  : json(json::value_t::discarded);
  Response response;
  switch (fault_) {
    case ResultFault::kNonJsonAccepted:
      if (usable_line && parsed.is_discarded()) {
        response.body = outcome.result_line;
        return response;
      }
      break;
    case ResultFault::kScalarAccepted:
      if (usable_line && !parsed.is_discarded() && parsed.is_primitive()) {
        response.body = parsed.dump();
        return response;
      }
      break;
    case ResultFault::kArrayRefused:
      if (usable_line && parsed.is_array()) {
        log.Line(LogStream::kStdout, outcome.result_line);
        return JsonError(502, std::string(contract::kNotDictionaryResult));
      }
      break;
    case ResultFault::kBadOutputStatus: {
      response = inner_->Interpret(outcome, log);
      const json body = json::parse(response.body, nullptr, false);
      if (response.status == 502 && body.is_object() &&
          body.value("error", "") == contract::kNotDictionaryResult) {
        response.status = kWrongBadOutputStatus;
      }
      return response;
    }
    case ResultFault::kPrettyPrinted: {
      response = inner_->Interpret(outcome, log);
      const json body = json::parse(response.body, nullptr, false);
      if (response.status == 200 && !body.is_discarded()) {
        response.body = body.dump(2, ' ', false, json::error_handler_t::replace);
      }
      return response;
    }
    case ResultFault::kUnicodeMangled:
      response = inner_->Interpret(outcome, log);
      if (response.status == 200) response.body = MangleUtf8AsLatin1(response.body);
      return response;
  }
  return inner_->Interpret(outcome, log);
}

}  // namespace rr::faults
