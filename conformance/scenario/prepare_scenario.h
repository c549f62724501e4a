// Applying a profile to a scenario file: concrete bodies, resolved
// placeholders, skip reasons. Pure; thread-safe.
#pragma once

#include "common/status.h"
#include "conformance/scenario/profile.h"
#include "conformance/scenario/scenario.h"
#include "conformance/scenario/scenario_spec.h"

namespace conformance {

// Applies the profile. A missing capability yields a skip_reason, not an error;
// a role the profile lacks is an error.
ow::Status prepare_scenario(const ScenarioSpec& spec, const Profile& profile,
                            PreparedScenario* prepared);

}  // namespace conformance
