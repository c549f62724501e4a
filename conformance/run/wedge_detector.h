// WedgeDetector: tells when a shared runtime (--url) has stopped answering,
// so the run names the scenario it stopped in instead of failing every later
// scenario with the same timeout. It cannot restart the runtime; a launch
// target (--launch, --image) gives each scenario a fresh one instead.
//
// A scenario whose last request got no reply ends "silent". The runtime is
// wedged when, after a silent scenario, a probe (GET /, which every runtime's
// server answers with some status) gets no reply either, or when the next
// scenario's first request gets no reply too (a server that still answers
// the probe but no longer serves activations). Pure logic: the probe is a
// callback, so it is unit-tested without sockets.
#pragma once

#include <functional>
#include <string>

#include "conformance/report/run_report.h"

namespace conformance {

class WedgeDetector {
 public:
  enum class After {
    kAnswering,   // the runtime still answers (or nothing says otherwise)
    kWedged,      // it stopped answering during this scenario
    kCollateral,  // this scenario only met an earlier wedge: not a verdict of its own
  };

  // Called after each scenario on the shared runtime, in run order.
  After after(const ScenarioResult& result, const std::function<bool()>& probe_answers);

  // The scenario during which the runtime stopped answering ("" until then).
  const std::string& wedged_during() const { return wedged_during_; }

 private:
  std::string silent_since_;  // the last scenario, if it ended without a reply
  std::string wedged_during_;
};

// "not run: the runtime stopped answering during ID; ..." for the scenarios
// after a wedge.
std::string wedged_reason(const std::string& wedged_during);

}  // namespace conformance
