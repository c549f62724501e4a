// ManualClock: a Clock for unit tests. Time only moves when a test calls
// advance() or the code under test calls sleep_for() (which advances at once
// and records the duration), so retry loops run without real waiting.
// Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "conformance/platform/clock.h"

namespace testing_support {

class ManualClock : public conformance::Clock {
 public:
  time_point now() const override;
  void sleep_for(std::chrono::milliseconds duration) override;
  void advance(std::chrono::milliseconds duration);
  std::vector<std::chrono::milliseconds> sleeps() const;

 private:
  mutable std::mutex mu_;
  time_point now_{};  // an arbitrary fixed origin
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace testing_support
