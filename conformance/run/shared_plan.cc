#include "conformance/run/shared_plan.h"

#include <algorithm>
#include <map>

namespace conformance {
namespace {

bool begins_with_init(const PreparedScenario& s) {
  return !s.steps.empty() && s.steps.front().kind == StepKind::kInit;
}

const std::string& init_identity(const PreparedScenario& s) {
  return s.steps.front().init_identity;
}

// The most common init identity; ties go to the one first in the catalogue.
std::string most_common_identity(const std::vector<PreparedScenario>& scenarios,
                                 const std::vector<std::size_t>& candidates) {
  std::map<std::string, std::size_t> count;
  for (std::size_t i : candidates) ++count[init_identity(scenarios[i])];
  std::string chosen;
  for (std::size_t i : candidates) {
    const std::string& id = init_identity(scenarios[i]);
    if (chosen.empty() || count[id] > count[chosen]) chosen = id;
  }
  return chosen;
}

}  // namespace

SharedRunPlan plan_shared_run(const std::vector<PreparedScenario>& scenarios, bool logs_available) {
  SharedRunPlan plan;
  std::vector<std::size_t> init_candidates;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const PreparedScenario& s = scenarios[i];
    if (!s.skip_reason.empty()) {
      plan.skipped.emplace_back(i, s.skip_reason);
    } else if (s.needs_logs && !logs_available) {
      plan.skipped.emplace_back(i, kNeedsLogsReason);
    } else if (!begins_with_init(s)) {
      (s.needs_fresh_instance ? plan.first_runs : plan.any_state).push_back(i);
    } else if (!init_identity(s).empty()) {
      init_candidates.push_back(i);
    } else {
      plan.skipped.emplace_back(i, kNeedsFreshReason);
    }
  }
  const std::string chosen = most_common_identity(scenarios, init_candidates);
  for (std::size_t i : init_candidates) {
    if (init_identity(scenarios[i]) == chosen) {
      plan.init_group.push_back(i);
    } else {
      plan.skipped.emplace_back(i, kNeedsFreshReason);
    }
  }
  std::sort(plan.skipped.begin(), plan.skipped.end());
  return plan;
}

}  // namespace conformance
