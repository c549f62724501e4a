#include "conformance/platform/clock.h"

#include <thread>

namespace conformance {
namespace {

class SteadyClock : public Clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
  void sleep_for(std::chrono::milliseconds duration) override {
    std::this_thread::sleep_for(duration);
  }
};

}  // namespace

Clock* real_clock() {
  static SteadyClock clock;
  return &clock;
}

}  // namespace conformance
