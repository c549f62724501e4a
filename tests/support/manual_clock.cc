#include "tests/support/manual_clock.h"

namespace testing_support {

ManualClock::time_point ManualClock::now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

void ManualClock::sleep_for(std::chrono::milliseconds duration) {
  std::lock_guard<std::mutex> lock(mu_);
  sleeps_.push_back(duration);
  now_ += duration;
}

void ManualClock::advance(std::chrono::milliseconds duration) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ += duration;
}

std::vector<std::chrono::milliseconds> ManualClock::sleeps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sleeps_;
}

}  // namespace testing_support
