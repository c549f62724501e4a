// The platform's result mapping, log collection and activation record: see
// activation.h.
#include "conformance/invoke/activation.h"

#include <cstdio>
#include <ctime>

#include "contract/contract_text.h"

namespace conformance {
namespace {

constexpr std::size_t kBytesPerMiB = 1024 * 1024;  // the record states limits.logs in MiB

using nlohmann::json;

constexpr char kAbnormalRun[] =
    "The action did not produce a valid response and exited unexpectedly.";
constexpr char kAbnormalInit[] = "The action did not initialize and exited unexpectedly.";
constexpr char kInvalidRun[] = "The action did not produce a valid JSON or JSON Array response: ";
constexpr char kFailedInit[] = "The action failed during initialization: ";

ActivationResponse make(ActivationStatus status, json result, bool timed_out = false) {
  ActivationResponse r;
  r.status = status;
  r.result = std::move(result);
  r.timed_out = timed_out;
  return r;
}

ActivationResponse error_response(ActivationStatus status, const std::string& message,
                                  bool timed_out = false) {
  return make(status, json{{"error", message}}, timed_out);
}

// Text of a body for a message: invalid UTF-8 replaced so json never throws.
std::string printable(std::string_view body) {
  const std::string quoted =
      json(std::string(body)).dump(-1, ' ', false, json::error_handler_t::replace);
  return json::parse(quoted, nullptr, false).get<std::string>();
}

// C1.2: the platform reads only complete, length-delimited answers.
bool is_length_delimited(const HttpResponse& r) {
  return !r.chunked && r.content_length.has_value() && r.status != 204;
}

// C1.4: judged by Content-Length.
bool is_truncated(const HttpResponse& r, std::size_t max_bytes) {
  return r.body_truncated || (r.content_length && *r.content_length > max_bytes);
}

std::uint64_t declared_length(const HttpResponse& r) {
  return r.content_length.value_or(r.body.size());
}

// A transport failure of either phase (C4.1, C4.2, C4.4).
ActivationResponse transport_failure(const HttpResult& exchange, std::chrono::milliseconds limit,
                                     bool init) {
  switch (exchange.error) {
    case TransportError::kTimeout:
      return error_response(ActivationStatus::kDeveloperError, time_limit_message(limit, init),
                            true);
    case TransportError::kRefused:
      // /init is retried while refused until its time limit: that is a timeout.
      if (init) {
        return error_response(ActivationStatus::kDeveloperError, time_limit_message(limit, true),
                              true);
      }
      return error_response(ActivationStatus::kWhiskError,
                            "Failed to reach the action container: " + exchange.error_message);
    case TransportError::kOther:
      return error_response(ActivationStatus::kWhiskError,
                            "Failed to reach the action container: " + exchange.error_message);
    default:  // connection lost, not HTTP
      return error_response(ActivationStatus::kDeveloperError, init ? kAbnormalInit : kAbnormalRun);
  }
}

}  // namespace

const char* status_text(ActivationStatus status) {
  switch (status) {
    case ActivationStatus::kSuccess:
      return "success";
    case ActivationStatus::kApplicationError:
      return "application error";
    case ActivationStatus::kDeveloperError:
      return "action developer error";
    case ActivationStatus::kWhiskError:
      return "whisk internal error";
  }
  return "whisk internal error";
}

std::string time_limit_message(std::chrono::milliseconds limit, bool during_init) {
  return "The action exceeded its time limits of " + std::to_string(limit.count()) +
         " milliseconds" + (during_init ? " during initialization." : ".");
}

std::string truncated_response_message(std::uint64_t length, std::size_t max_bytes,
                                       std::string_view prefix) {
  return "The action produced a response that exceeded the allowed length: " +
         std::to_string(length) + " > " + std::to_string(max_bytes) +
         " bytes. The truncated response was: " +
         printable(prefix.substr(0, std::min(prefix.size(), max_bytes)));
}

ActivationResponse map_run_response(const HttpResult& exchange, std::chrono::milliseconds limit,
                                    std::size_t max_response_bytes) {
  if (!exchange.ok()) return transport_failure(exchange, limit, false);
  const HttpResponse& r = exchange.response;
  // Checked before truncation: a chunked or unknown-length answer has no
  // length to judge (C1.4), so even an endless one is "no response".
  if (!is_length_delimited(r)) {
    return error_response(ActivationStatus::kDeveloperError, kAbnormalRun);
  }
  if (is_truncated(r, max_response_bytes)) {
    return error_response(
        ActivationStatus::kApplicationError,
        truncated_response_message(declared_length(r), max_response_bytes, r.body));
  }
  const bool ok_status = r.status == 200;
  const json parsed = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    const auto error = parsed.find("error");
    if (ok_status) {
      if (error == parsed.end()) return make(ActivationStatus::kSuccess, parsed);
      return make(ActivationStatus::kApplicationError, json{{"error", *error}});
    }
    if (error != parsed.end()) {
      return make(ActivationStatus::kDeveloperError, json{{"error", *error}});
    }
  } else if (parsed.is_array() && ok_status) {
    return make(ActivationStatus::kSuccess, parsed);
  }
  return error_response(ActivationStatus::kDeveloperError, kInvalidRun + printable(r.body));
}

std::optional<ActivationResponse> map_init_response(const HttpResult& exchange,
                                                    std::chrono::milliseconds limit,
                                                    std::size_t max_response_bytes) {
  if (!exchange.ok()) return transport_failure(exchange, limit, true);
  const HttpResponse& r = exchange.response;
  if (!is_length_delimited(r)) {  // before truncation, as for /run
    return error_response(ActivationStatus::kDeveloperError, kAbnormalInit);
  }
  if (is_truncated(r, max_response_bytes)) {
    return error_response(
        ActivationStatus::kDeveloperError,
        truncated_response_message(declared_length(r), max_response_bytes, r.body));
  }
  if (r.status == 200) return std::nullopt;
  const json parsed = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("error")) {
    return make(ActivationStatus::kDeveloperError, json{{"error", parsed["error"]}});
  }
  return error_response(ActivationStatus::kDeveloperError, kFailedInit + printable(r.body));
}

std::vector<std::string> format_activation_logs(const std::vector<LogLine>& lines,
                                                const std::string& iso_time_text,
                                                std::size_t max_bytes) {
  std::vector<std::string> out;
  std::size_t total = 0;
  for (const LogLine& line : lines) {
    if (line.is_sentinel) continue;
    total += line.text.size();
    if (total > max_bytes) {
      out.push_back(iso_time_text + " stderr: " +
                    "Logs were truncated because the total bytes size exceeds the limit of " +
                    std::to_string(max_bytes) + " bytes.");
      break;
    }
    out.push_back(iso_time_text + " " + to_string(line.stream) + ": " + printable(line.text));
  }
  return out;
}

std::string iso_time(std::int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(epoch_ms % 1000));
  return std::string(text) + millis;
}

std::int64_t epoch_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json to_json(const ActivationRecord& rec) {
  const ActivationResponse& r = rec.response;
  json annotations = json::array();
  annotations.push_back({{"key", "path"}, {"value", rec.context.action_name.substr(1)}});
  annotations.push_back({{"key", "waitTime"}, {"value", rec.wait_time_ms}});
  annotations.push_back({{"key", "kind"}, {"value", "blackbox"}});
  annotations.push_back({{"key", "timeout"}, {"value", r.timed_out}});
  annotations.push_back({{"key", "limits"},
                         {"value",
                          {{"timeout", rec.limit.count()},
                           {"memory", 256},
                           {"logs", rec.log_limit_bytes / kBytesPerMiB},
                           {"concurrency", 1}}}});
  if (rec.init_time_ms) annotations.push_back({{"key", "initTime"}, {"value", *rec.init_time_ms}});
  return json{{"activationId", rec.context.activation_id},
              {"namespace", rec.context.namespace_name},
              {"name", rec.name},
              {"version", rec.context.action_version},
              {"subject", rec.context.namespace_name},
              {"start", rec.start_ms},
              {"end", rec.end_ms},
              {"duration", rec.end_ms - rec.start_ms},
              {"response",
               {{"status", status_text(r.status)},
                {"statusCode", static_cast<int>(r.status)},
                {"success", r.success()},
                {"result", r.result}}},
              {"logs", rec.logs},
              {"annotations", annotations},
              {"publish", false}};
}

}  // namespace conformance
