// FakeTransport: an HttpTransport for unit tests that answers from a script
// instead of a socket. Per path, scripted results are returned in order; when
// a path's script runs out, its fallback (or a custom handler) answers.
// Every request is recorded. Thread-safe: concurrency tests call send() from
// several threads; wait_for_in_flight() lets a handler hold requests until
// they overlap, which proves they were sent together without sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/platform/http_transport.h"

namespace testing_support {

class FakeTransport : public conformance::HttpTransport {
 public:
  using Handler = std::function<conformance::HttpResult(const std::string& base_url,
                                                        const conformance::HttpRequest&)>;

  // A complete response with Content-Length and a JSON content type.
  static conformance::HttpResult response(int status, const std::string& body);
  static conformance::HttpResult failure(conformance::TransportError error);

  void script(const std::string& path, conformance::HttpResult result);
  void set_fallback(const std::string& path, conformance::HttpResult result);
  // Answers every request whose script is empty (takes precedence over fallbacks).
  void set_handler(Handler handler);

  conformance::HttpResult send(const std::string& base_url,
                               const conformance::HttpRequest& request) override;

  std::vector<conformance::HttpRequest> requests() const;
  std::size_t count(const std::string& path) const;
  std::size_t max_in_flight() const;
  // For handlers: blocks until `n` requests are in flight at once (true) or
  // the real-time deadline passes (false).
  bool wait_for_in_flight(std::size_t n, std::chrono::milliseconds deadline);

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, std::deque<conformance::HttpResult>> scripts_;
  std::map<std::string, conformance::HttpResult> fallbacks_;
  Handler handler_;
  std::vector<conformance::HttpRequest> requests_;
  std::size_t in_flight_ = 0;
  std::size_t max_in_flight_ = 0;
};

}  // namespace testing_support
