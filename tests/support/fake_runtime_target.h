// FakeRuntimeTarget / FakeRuntimeInstance: a RuntimeTarget for unit tests
// that starts nothing. Each start() yields an instance with a unique
// base_url ("http://fake-N") whose state (log capture, exited flag, stop
// count) outlives the instance, so tests and FakeTransport handlers can feed
// its logs or "kill" it. Start failures are scripted. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/platform/runtime_target.h"

namespace testing_support {

struct FakeInstanceState {
  std::string base_url;
  conformance::StartOptions options;  // as the runner asked
  conformance::LogCapture logs;
  bool has_logs = true;
  std::atomic<bool> exited{false};
  std::atomic<int> stops{0};
  std::string exit_description = "exited with status 1";

  void record_stop() {
    std::lock_guard<std::mutex> lock(stop_mu);
    ++stops;
    stopped.notify_all();
  }
  // For handlers simulating a hung runtime: true once stop() was called.
  bool wait_stopped(std::chrono::milliseconds deadline) {
    std::unique_lock<std::mutex> lock(stop_mu);
    return stopped.wait_for(lock, deadline, [this] { return stops.load() > 0; });
  }
  std::mutex stop_mu;
  std::condition_variable stopped;
};

class FakeRuntimeInstance : public conformance::RuntimeInstance {
 public:
  explicit FakeRuntimeInstance(std::shared_ptr<FakeInstanceState> state)
      : state_(std::move(state)) {}
  const std::string& base_url() const override { return state_->base_url; }
  conformance::LogCapture* logs() override { return state_->has_logs ? &state_->logs : nullptr; }
  bool exited() const override { return state_->exited; }
  std::string exit_description() const override {
    return state_->exited ? state_->exit_description : std::string();
  }
  void stop() override { state_->record_stop(); }

 private:
  std::shared_ptr<FakeInstanceState> state_;
};

class FakeRuntimeTarget : public conformance::RuntimeTarget {
 public:
  explicit FakeRuntimeTarget(bool fresh = true, bool with_logs = true)
      : fresh_(fresh), with_logs_(with_logs) {}

  std::string describe() const override { return "fake runtime"; }
  bool fresh_instances() const override { return fresh_; }
  ow::Status start(const conformance::StartOptions& options,
                   std::unique_ptr<conformance::RuntimeInstance>* instance) override;

  // The next start() calls fail with this message, in order.
  void fail_next_start(const std::string& message);
  std::vector<std::shared_ptr<FakeInstanceState>> instances() const;
  std::shared_ptr<FakeInstanceState> instance_for(const std::string& base_url) const;

 private:
  const bool fresh_;
  const bool with_logs_;
  mutable std::mutex mu_;
  std::deque<std::string> start_failures_;
  std::vector<std::shared_ptr<FakeInstanceState>> instances_;
};

}  // namespace testing_support
