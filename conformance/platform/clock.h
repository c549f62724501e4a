// Clock: the harness's view of time, so the runner's waits (init retries,
// scenario deadlines) can be driven by a manual clock in unit tests instead
// of sleeping. Time is steady (monotonic), never wall-clock.
//
// Thread safety: implementations must allow now()/sleep_for() from any thread.
#pragma once

#include <chrono>

namespace conformance {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() const = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The process-wide steady clock. Never null; lives for the whole program.
Clock* real_clock();

}  // namespace conformance
