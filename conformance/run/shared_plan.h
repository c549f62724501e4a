// The plan of a run on one shared instance (--url): which scenarios can run
// there, in which order, and why the others are skipped. Pure: it looks only
// at the prepared scenarios, so it is unit-tested without processes.
//
// Order: scenarios that need a pristine runtime and begin with a run go first;
// then ONE /init with the most common init identity (ties: the first in the
// catalogue), then every scenario that begins with that init (which counts as
// done); then the scenarios that begin with a run and accept any state. The
// rest are skipped with a reason.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "conformance/scenario/scenario.h"

namespace conformance {

inline constexpr char kNeedsLogsReason[] = "log checks need the runtime's log stream (--logs-from)";
inline constexpr char kNeedsFreshReason[] =
    "needs a fresh runtime instance (--url gives one shared instance)";

struct SharedRunPlan {
  std::vector<std::size_t> first_runs;  // pristine runtime, begin with a run
  std::vector<std::size_t> init_group;  // begin with the one shared init
  std::vector<std::size_t> any_state;   // begin with a run, any state
  // Scenario index and why it is skipped, in catalogue order.
  std::vector<std::pair<std::size_t, std::string>> skipped;
};

// `logs_available`: the shared instance has a log stream (--logs-from).
SharedRunPlan plan_shared_run(const std::vector<PreparedScenario>& scenarios, bool logs_available);

}  // namespace conformance
