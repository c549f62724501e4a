#include "reference_runtime/variants/tolerant_parts.h"

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "contract/contract_text.h"

namespace rr::variants {

using nlohmann::json;

std::string SpacedJson(const std::string& compact) {
  std::string out;
  out.reserve(compact.size() + compact.size() / 8);
  bool in_string = false;
  bool escaped = false;
  for (char c : compact) {
    out += c;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ':' || c == ',') {
      out += ' ';
    }
  }
  return out;
}

namespace {

bool IsRejectedResult(const Response& response) {
  if (response.status != 502) return false;
  const json body = json::parse(response.body, nullptr, false);
  return body.is_object() && body.value("error", "") == contract::kNotDictionaryResult;
}

bool NonObjectValue(const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  return parsed.is_object() && parsed.contains("value") && !parsed["value"].is_object() &&
         !parsed["value"].is_array();
}

}  // namespace

TolerantHandler::TolerantHandler(std::unique_ptr<Handler> inner, Variant variant, LogWriter* logs)
    : inner_(std::move(inner)), variant_(variant), logs_(logs) {}

void TolerantHandler::Handle(Request request, ResponseCallback done) {
  const bool is_run = request.target == "/run";
  if (is_run && variant_ == Variant::kNonObject403 && NonObjectValue(request.body)) {
    done(JsonError(403,
                   "Internal system error: the argument must be a dictionary but has type "
                   "'string'."));
    return;
  }
  if (is_run && variant_ == Variant::kRefuseOverlap && running_ > 0 && logs_ != nullptr) {
    const std::string why = "System not ready, status is running.";
    std::shared_ptr<ActivationLog> log = logs_->Begin();
    log->Line(LogStream::kStderr, "Internal system error: " + why);
    log->Finish(false, [log, done = std::move(done), why]() mutable { done(JsonError(403, why)); });
    return;
  }
  if (is_run) ++running_;
  inner_->Handle(std::move(request),
                 [this, is_run, done = std::move(done)](Response response) mutable {
                   if (is_run) --running_;
                   Adjust(is_run, &response);
                   done(std::move(response));
                 });
}

void TolerantHandler::Adjust(bool is_run, Response* r) const {
  const bool ok = r->status == 200;
  switch (variant_) {
    case Variant::kResultTrailingNewline:
      if (is_run && ok) r->body += "\n";
      break;
    case Variant::kSpacedResult:
      if (is_run && ok) r->body = SpacedJson(r->body);
      break;
    case Variant::kUnicodeEscaped:
      if (is_run && ok) {
        const json body = json::parse(r->body, nullptr, false);
        if (!body.is_discarded()) r->body = body.dump(-1, ' ', true);
      }
      break;
    case Variant::kInitOkText:
      if (!is_run && ok) {
        r->body = "OK";
        r->content_type = "text/html; charset=utf-8";
      }
      break;
    case Variant::kInitOkUpper:
      if (!is_run && ok) r->body = R"({"OK":true})";
      break;
    case Variant::kInitOkNewline:
      if (!is_run && ok) r->body = "{\"ok\":true}\n";
      break;
    case Variant::kJsonCharset:
      if (r->content_type == "application/json") r->content_type += "; charset=utf-8";
      break;
    case Variant::kRejected400:
      if (is_run && IsRejectedResult(*r)) r->status = 400;
      break;
    case Variant::kRejectedOlderText:
      if (is_run && IsRejectedResult(*r)) {
        r->body = json{{"error", "The action did not return a dictionary."}}.dump();
      }
      break;
    case Variant::kFailedInit400:
      if (!is_run && r->status != 200 && r->status != 403) r->status = 400;
      break;
    default:
      break;
  }
}

namespace {

class TolerantLog : public ActivationLog {
 public:
  TolerantLog(std::unique_ptr<ActivationLog> inner, Variant variant)
      : inner_(std::move(inner)), variant_(variant) {}

  void Line(LogStream stream, std::string_view line) override {
    if (stream == LogStream::kStderr && line == contract::kInitTwice) {
      // The runtime's own diagnostic, decorated by its logger.
      if (variant_ == Variant::kDiagnosticTimestamp) {
        inner_->Line(stream, "2026/12/01 22:29:29 " + std::string(line));
        return;
      }
      if (variant_ == Variant::kDiagnosticInternal) {
        inner_->Line(stream, "Internal system error: " + std::string(line));
        return;
      }
    }
    if (variant_ == Variant::kStdoutThenStderr) {
      (stream == LogStream::kStdout ? out_ : err_).emplace_back(line);
      return;
    }
    inner_->Line(stream, line);
  }

  void Finish(bool sentinels, std::function<void()> written) override {
    for (const auto& l : out_) inner_->Line(LogStream::kStdout, l);
    for (const auto& l : err_) inner_->Line(LogStream::kStderr, l);
    inner_->Finish(sentinels, std::move(written));
  }

 private:
  std::unique_ptr<ActivationLog> inner_;
  Variant variant_;
  std::vector<std::string> out_, err_;  // kStdoutThenStderr: held until Finish
};

}  // namespace

TolerantLogWriter::TolerantLogWriter(std::unique_ptr<LogWriter> inner, Variant variant)
    : inner_(std::move(inner)), variant_(variant) {}

std::unique_ptr<ActivationLog> TolerantLogWriter::Begin() {
  return std::make_unique<TolerantLog>(inner_->Begin(), variant_);
}

void SpacedArgumentExecutor::Run(ActivationSpec spec, ActivationLog* log,
                                 std::shared_ptr<Cancellation> cancellation, ExecDone done) {
  spec.stdin_bytes = SpacedJson(spec.stdin_bytes);
  spec.argv.resize(1);
  if (spec.stdin_bytes.size() <= contract::kMaxArgvArgument) spec.argv.push_back(spec.stdin_bytes);
  inner_->Run(std::move(spec), log, std::move(cancellation), std::move(done));
}

Response NullForEmptyResult::Interpret(const ExecOutcome& outcome, ActivationLog& log) {
  if (outcome.end == ExecOutcome::End::kExited &&
      (!outcome.has_result_line || outcome.result_line.empty())) {
    Response response;
    response.body = "null";
    return response;
  }
  return inner_->Interpret(outcome, log);
}

}  // namespace rr::variants
