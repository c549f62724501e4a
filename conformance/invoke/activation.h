// The platform's reading of a runtime's answers (C4): the result mapping of
// /init and /run responses (C4.4, with the truncation of C1.4 and the time
// limits of C4.2), the collection of an activation's logs (C4.6), and the
// activation record `mock_invoker invoke` prints.
//
// Pure functions of their inputs; thread-safe; never throw (a body that is
// not valid UTF-8 is rendered with replacement characters).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/platform/http_transport.h"
#include "conformance/platform/log_capture.h"
#include "conformance/platform/platform_request.h"
#include "contract/contract_text.h"

namespace conformance {

// The four statuses of an activation, with the platform's status codes.
enum class ActivationStatus {
  kSuccess = 0,
  kApplicationError = 1,
  kDeveloperError = 2,
  kWhiskError = 3,
};
// "success", "application error", "action developer error", "whisk internal error".
const char* status_text(ActivationStatus status);

struct ActivationResponse {
  ActivationStatus status = ActivationStatus::kSuccess;
  nlohmann::json result = nlohmann::json::object();
  bool timed_out = false;  // the phase hit its time limit (C4.2)
  bool success() const { return status == ActivationStatus::kSuccess; }
  // C4.5: the platform destroys the container after these.
  bool destroys_container() const {
    return status == ActivationStatus::kDeveloperError || timed_out;
  }
};

// C4.2
std::string time_limit_message(std::chrono::milliseconds limit, bool during_init);
// C1.4: `prefix` is what was read (at most `max_bytes` of it is quoted).
std::string truncated_response_message(std::uint64_t length, std::size_t max_bytes,
                                       std::string_view prefix);

// C4.4 for a /run exchange. `limit` is the run phase's time limit.
ActivationResponse map_run_response(const HttpResult& exchange, std::chrono::milliseconds limit,
                                    std::size_t max_response_bytes = contract::kMaxResponseBytes);
// C4.4 for an /init exchange: nullopt when the init succeeded (200; the body
// is ignored), else the developer error (or timeout) the activation ends with.
std::optional<ActivationResponse> map_init_response(
    const HttpResult& exchange, std::chrono::milliseconds limit,
    std::size_t max_response_bytes = contract::kMaxResponseBytes);

// C4.6: "<ISO time> stdout: <line>" for each non-sentinel line, in arrival
// order, until the lines' bytes would pass `max_bytes`; then the notice
// `Logs were truncated because the total bytes size exceeds the limit of <n>
// bytes.` (as a stderr line) ends the list.
std::vector<std::string> format_activation_logs(const std::vector<LogLine>& lines,
                                                const std::string& iso_time, std::size_t max_bytes);

// "2026-11-24T22:52:50.123Z" for epoch milliseconds.
std::string iso_time(std::int64_t epoch_ms);
std::int64_t epoch_ms_now();

struct ActivationRecord {
  ActivationContext context;
  std::string name;  // the action's short name
  std::int64_t start_ms = 0, end_ms = 0;
  ActivationResponse response;
  std::vector<std::string> logs;
  std::optional<std::int64_t> init_time_ms;  // cold activations only
  std::int64_t wait_time_ms = 0;             // waiting for a container (start + ready)
  std::chrono::milliseconds limit{60000};
  std::size_t log_limit_bytes = contract::kMaxLogBytes;
  // The phases in fractional milliseconds (for `bench`; not in the JSON).
  double wait_ms = 0, init_ms = 0, run_ms = 0;
};

// The platform's activation JSON: activationId, namespace, name, version,
// subject, start, end, duration, response{status, statusCode, success,
// result}, logs, annotations[{key, value}], publish.
nlohmann::json to_json(const ActivationRecord& record);

}  // namespace conformance
