// The results of a conformance run, as data. A failed check is a value, not an
// exception. Reporters (console, JSON, JUnit) render a RunReport.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace conformance {

// pass; fail (a must-level rule broken, or any rule under --strict);
// warn (a should-level rule broken); skip (not applicable, with a reason);
// error (the harness could not test: never ready, crashed, timed out).
enum class Outcome { kPass, kFail, kWarn, kSkip, kError };
const char* to_string(Outcome o);

enum class Level { kMust, kShould };
const char* to_string(Level l);

// Now, as ISO 8601 UTC to the second ("2026-01-02T03:04:05Z"): started_at.
std::string utc_timestamp_now();

// One expectation of one step, judged.
struct ExpectationResult {
  std::string step;  // step name, e.g. "run#2"
  std::string what;  // e.g. "status", "body /error", "stderr sentinels"
  bool passed = false;
  std::string expected;
  std::string actual;
};

// One HTTP exchange of a scenario, kept for the failure report.
struct StepRecord {
  std::string name;
  std::string request;   // method, path and body (api_key redacted, long bodies elided)
  std::string response;  // status line, headers and body (long bodies elided)
  double duration_ms = 0;
  bool replied = true;  // false: no response came (refused, reset, timed out)
};

struct ScenarioResult {
  std::string id;  // stable, e.g. "init.second-refused"
  std::string title;
  std::string section;      // contract section, e.g. "C2.6"
  std::string requirement;  // the rule in one sentence
  Level level = Level::kMust;
  Outcome outcome = Outcome::kPass;
  std::string message;             // why it failed, was skipped or errored
  bool expected_failure = false;   // listed in the --expected-failures baseline
  bool baseline_stale = false;     // listed there but passed: a fail saying so
  bool runtime_not_ready = false;  // error because the runtime never started/answered
  // Skipped because the run stopped before it (the runtime never became
  // ready, or --fail-fast after a failure); `message` says why.
  bool not_run = false;
  std::vector<ExpectationResult> expectations;
  std::vector<StepRecord> steps;
  std::string runtime_logs;  // that scenario's stdout/stderr lines, redacted
  double duration_ms = 0;
};

// Counts, verdict and coverage are derived by run_summary.h, the one place
// every reporter takes them from.
struct RunReport {
  std::string tool_version;
  std::string target;   // RuntimeTarget::describe()
  std::string profile;  // profile name
  // The profile's capabilities as the run used them (overrides applied).
  std::map<std::string, std::string> capabilities;
  std::string catalogue_version;        // catalogue_digest() of the scenario files
  std::size_t catalogue_scenarios = 0;  // scenarios in the catalogue (before --filter)
  bool strict = false;
  bool fail_on_skip = false;  // --fail-on-skip: any skipped scenario fails the run
  std::string started_at;     // ISO 8601 UTC
  double duration_ms = 0;
  // The signal that stopped the run early ("SIGTERM"); empty when it ran to
  // the end. An interrupted report holds only the scenarios that finished.
  std::string interrupted;
  std::vector<ScenarioResult> scenarios;
};

}  // namespace conformance
