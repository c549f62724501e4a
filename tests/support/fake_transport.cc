#include "tests/support/fake_transport.h"

#include <algorithm>

namespace testing_support {

using conformance::HttpRequest;
using conformance::HttpResult;
using conformance::TransportError;

HttpResult FakeTransport::response(int status, const std::string& body) {
  HttpResult r;
  r.response.status = status;
  r.response.body = body;
  r.response.content_length = body.size();
  r.response.headers = {{"content-type", "application/json"},
                        {"content-length", std::to_string(body.size())}};
  r.elapsed = std::chrono::microseconds(1500);
  return r;
}

HttpResult FakeTransport::failure(TransportError error) {
  HttpResult r;
  r.error = error;
  r.error_message = "scripted failure";
  return r;
}

void FakeTransport::script(const std::string& path, HttpResult result) {
  std::lock_guard<std::mutex> lock(mu_);
  scripts_[path].push_back(std::move(result));
}

void FakeTransport::set_fallback(const std::string& path, HttpResult result) {
  std::lock_guard<std::mutex> lock(mu_);
  fallbacks_[path] = std::move(result);
}

void FakeTransport::set_handler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

HttpResult FakeTransport::send(const std::string& base_url, const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    changed_.notify_all();
    auto& queue = scripts_[request.path];
    if (!queue.empty()) {
      HttpResult r = std::move(queue.front());
      queue.pop_front();
      --in_flight_;
      return r;
    }
    handler = handler_;
  }
  HttpResult r;
  if (handler) {
    r = handler(base_url, request);
  } else {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = fallbacks_.find(request.path);
    r = it != fallbacks_.end() ? it->second : failure(TransportError::kRefused);
  }
  std::lock_guard<std::mutex> lock(mu_);
  --in_flight_;
  changed_.notify_all();
  return r;
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::size_t FakeTransport::count(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<std::size_t>(std::count_if(
      requests_.begin(), requests_.end(), [&](const HttpRequest& r) { return r.path == path; }));
}

std::size_t FakeTransport::max_in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_in_flight_;
}

bool FakeTransport::wait_for_in_flight(std::size_t n, std::chrono::milliseconds deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, deadline, [&] { return in_flight_ >= n || max_in_flight_ >= n; });
}

}  // namespace testing_support
