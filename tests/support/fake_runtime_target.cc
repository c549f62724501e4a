#include "tests/support/fake_runtime_target.h"

namespace testing_support {

ow::Status FakeRuntimeTarget::start(const conformance::StartOptions& options,
                                    std::unique_ptr<conformance::RuntimeInstance>* instance) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!start_failures_.empty()) {
    std::string message = start_failures_.front();
    start_failures_.pop_front();
    return ow::Status::Error(message);
  }
  auto state = std::make_shared<FakeInstanceState>();
  state->base_url = "http://fake-" + std::to_string(instances_.size() + 1);
  state->options = options;
  state->has_logs = with_logs_;
  instances_.push_back(state);
  *instance = std::make_unique<FakeRuntimeInstance>(state);
  return ow::Status::Ok();
}

void FakeRuntimeTarget::fail_next_start(const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  start_failures_.push_back(message);
}

std::vector<std::shared_ptr<FakeInstanceState>> FakeRuntimeTarget::instances() const {
  std::lock_guard<std::mutex> lock(mu_);
  return instances_;
}

std::shared_ptr<FakeInstanceState> FakeRuntimeTarget::instance_for(
    const std::string& base_url) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : instances_)
    if (s->base_url == base_url) return s;
  return nullptr;
}

}  // namespace testing_support
