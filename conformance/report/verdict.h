// Turning results into the run's verdict: the --expected-failures baseline and
// the exit code CI gates on.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/report/run_report.h"

namespace conformance {

// Exit codes of `mock_invoker check`.
enum ExitCode : int {
  kExitConformant = 0,
  kExitNonConformant = 1,
  kExitUsage = 2,
  kExitRuntimeNotReady = 3,
  // SIGINT, SIGTERM, SIGHUP or SIGPIPE stopped the run (interruption.h); the
  // reports hold the scenarios that finished before it.
  kExitInterrupted = 130,
};

// A baseline file: one scenario ID per line; '#' starts a comment.
struct Baseline {
  std::set<std::string> expected_failures;
};
ow::Status load_baseline(const std::string& path, Baseline* baseline);

// Marks a listed failure (fail/warn/error) as expected, so it does not fail
// the run; a listed scenario that now passes becomes a failure whose message
// says the baseline entry is stale. The runner applies it to each result
// before reporting it (RunnerOptions::baseline), so the live line, the recap,
// the reports and the exit code agree.
void apply_baseline_to(const Baseline& baseline, ScenarioResult* result);

// kExitInterrupted when the run was interrupted. Otherwise: under strict,
// warns count as failures; expected failures never count; under
// fail_on_skip (--fail-on-skip) a skipped or not-run scenario fails the run.
// kExitRuntimeNotReady when every non-skipped scenario errored because the
// runtime never became ready.
int exit_code_for(const RunReport& report);

}  // namespace conformance
