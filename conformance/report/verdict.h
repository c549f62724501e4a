// Turning results into the run's verdict: the --expected-failures baseline and
// the exit code CI gates on.
#pragma once

#include <set>
#include <string>

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

// Marks listed failures (fail/warn/error) as expected, so they do not fail the
// run; a listed scenario that now passes becomes a failure with a message
// saying the baseline entry is stale. Unknown IDs in the baseline are a
// failure too (typos must not hide regressions): returns them.
std::set<std::string> apply_baseline(const Baseline& baseline, RunReport* report);

// kExitInterrupted when the run was interrupted. Otherwise: under strict,
// warns count as failures; expected failures never count.
// kExitRuntimeNotReady when every non-skipped scenario errored because the
// runtime never became ready.
int exit_code_for(const RunReport& report);

}  // namespace conformance
