#include "conformance/run/step_executor.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "conformance/platform/platform_exchange.h"
#include "conformance/report/redaction.h"

namespace conformance {
namespace {

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Long bodies keep their beginning and their end (where a result's closing
// brackets, or a trailing newline, show) with the middle elided; cuts never
// split a UTF-8 character.
std::string elide(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t head = max_bytes * 2 / 3;
  std::size_t tail_from = text.size() - (max_bytes - head);
  while (head > 0 && utf8_continuation(text[head])) --head;
  while (tail_from < text.size() && utf8_continuation(text[tail_from])) ++tail_from;
  return text.substr(0, head) + "\n... (" + std::to_string(tail_from - head) + " of " +
         std::to_string(text.size()) + " bytes elided) ...\n" + text.substr(tail_from);
}

}  // namespace

std::string describe_request(const std::string& path, const std::string& body,
                             std::size_t max_body) {
  return "POST " + path + "\n" + elide(redact_secrets(body), max_body);
}

std::string describe_response(const HttpResult& result, std::size_t max_body) {
  if (!result.ok()) {
    std::string text = std::string("no response: ") + to_string(result.error);
    if (!result.error_message.empty()) text += ": " + result.error_message;
    return text;
  }
  const HttpResponse& r = result.response;
  std::string text = "HTTP " + std::to_string(r.status) + "\n";
  for (const auto& [name, value] : r.headers) text += name + ": " + value + "\n";
  text += "\n" + elide(redact_secrets(r.body), max_body);
  if (r.body_truncated) text += "\n... (body truncated by the harness)";
  return text;
}

StepExecutor::StepExecutor(HttpTransport* transport, Clock* clock, StepTiming timing)
    : transport_(transport), clock_(clock), timing_(timing) {}

HttpRequest StepExecutor::make_request(const PreparedStep& step, const std::string& body) const {
  HttpRequest request;
  request.method = "POST";
  request.path = step.path;
  request.body = body;
  request.timeout = at_least_1ms(step.timeout);
  return request;
}

HttpResult StepExecutor::send_init(RuntimeInstance* instance, const PreparedStep& step) const {
  const std::string body = step.bodies.empty() ? std::string() : step.bodies.front();
  return send_init_retrying(transport_, clock_, instance, make_request(step, body), step.timeout,
                            timing_.init_retry_interval);
}

std::vector<HttpResult> StepExecutor::send_concurrently(const std::string& base_url,
                                                        const PreparedStep& step) const {
  const std::size_t n = step.bodies.size();
  std::vector<HttpResult> results(n);
  std::mutex mu;
  std::condition_variable released;
  bool go = false;
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    try {
      threads.emplace_back([&, i] {
        {
          std::unique_lock<std::mutex> lock(mu);
          released.wait(lock, [&] { return go; });
        }
        results[i] = transport_->send(base_url, make_request(step, step.bodies[i]));
      });
    } catch (const std::exception& e) {  // could not start a thread: report, not crash
      results[i].error = TransportError::kOther;
      results[i].error_message = std::string("harness could not start a thread: ") + e.what();
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    go = true;  // all requests leave together
  }
  released.notify_all();
  for (auto& t : threads) t.join();
  return results;
}

StepExecution StepExecutor::execute(const PreparedStep& step, RuntimeInstance* instance) const {
  StepExecution out;
  StepObservation& seen = out.observation;
  LogCapture* logs = instance->logs();
  const LogMark mark = logs ? logs->mark() : LogMark{};
  const std::string& base_url = instance->base_url();

  switch (step.kind) {
    case StepKind::kInit:
      seen.results.push_back(send_init(instance, step));
      break;
    case StepKind::kRun:
      seen.results.push_back(transport_->send(
          base_url, make_request(step, step.bodies.empty() ? std::string() : step.bodies.front())));
      break;
    case StepKind::kConcurrentRuns:
      seen.results = send_concurrently(base_url, step);
      break;
  }

  if (logs) {
    seen.logs_available = true;
    // Log waits use real time: the capture is fed by reader threads.
    const auto wait = sentinel_wait(step.timeout, timing_.log_wait_cap);
    if (step.await_sentinels > 0) {
      seen.sentinels_arrived = logs->wait_for_sentinels(mark, step.await_sentinels,
                                                        std::chrono::steady_clock::now() + wait);
    }
    if (step.await_quiet) {
      logs->wait_quiet(timing_.quiet_period,
                       std::chrono::steady_clock::now() + timing_.quiet_period + wait);
    }
    seen.log_lines = logs->lines_since(mark);
  }
  seen.runtime_exited = instance->exited();
  seen.outside_writes = instance->outside_writes();

  const std::size_t n = seen.results.size();
  for (std::size_t i = 0; i < n; ++i) {
    StepRecord record;
    record.name = n > 1 ? step.name + "[" + std::to_string(i) + "]" : step.name;
    const std::string body = i < step.bodies.size() ? step.bodies[i] : std::string();
    record.request = describe_request(step.path, body);
    record.response = describe_response(seen.results[i]);
    record.replied = seen.results[i].ok();
    record.duration_ms = static_cast<double>(seen.results[i].elapsed.count()) / 1000.0;
    out.records.push_back(std::move(record));
  }
  return out;
}

}  // namespace conformance
