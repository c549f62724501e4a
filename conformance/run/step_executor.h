// StepExecutor: performs one PreparedStep against a running runtime, the way
// the platform would (C4.1: /init retried while the connection is refused,
// /run never retried), then collects the step's logs and what the harness
// must keep for the report (StepRecords). It judges nothing itself.
//
// Ownership: borrows the transport and clock (they must outlive it).
// Thread safety: execute() may run concurrently for different instances.
// Failure: never throws for transport or runtime failures; they are recorded
// in the observation (HttpResult::error, runtime_exited).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "conformance/platform/clock.h"
#include "conformance/platform/http_transport.h"
#include "conformance/platform/runtime_target.h"
#include "conformance/report/run_report.h"
#include "conformance/scenario/scenario.h"

namespace conformance {

// The harness's own waits; tests shrink them so nothing waits for real.
struct StepTiming {
  std::chrono::milliseconds init_retry_interval{100};  // C4.1
  std::chrono::milliseconds log_wait_cap{5000};        // longest wait for sentinels
  std::chrono::milliseconds quiet_period{250};         // "nothing more comes"
};

struct StepExecution {
  StepObservation observation;
  std::vector<StepRecord> records;  // one per request
};

class StepExecutor {
 public:
  StepExecutor(HttpTransport* transport, Clock* clock, StepTiming timing);

  // Sends the step's request(s) to `instance` and waits for the logs the step
  // asks for (each wait bounded by the step timeout and log_wait_cap).
  StepExecution execute(const PreparedStep& step, RuntimeInstance* instance) const;

 private:
  HttpResult send_init(RuntimeInstance* instance, const PreparedStep& step) const;
  std::vector<HttpResult> send_concurrently(const std::string& base_url,
                                            const PreparedStep& step) const;
  HttpRequest make_request(const PreparedStep& step, const std::string& body) const;

  HttpTransport* transport_;
  Clock* clock_;
  StepTiming timing_;
};

// Report texts for one exchange: the request (api_key redacted, body elided
// past `max_body` bytes with a note of its full size) and the response
// (status line, headers, elided body) or the transport failure.
std::string describe_request(const std::string& path, const std::string& body,
                             std::size_t max_body = 2048);
std::string describe_response(const HttpResult& result, std::size_t max_body = 2048);

}  // namespace conformance
