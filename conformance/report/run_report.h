// The results of a conformance run, as data. A failed check is a value, not an
// exception. Reporters (console, JSON, JUnit) render a RunReport.
#pragma once

#include <cstddef>
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
  bool runtime_not_ready = false;  // error because the runtime never started/answered
  std::vector<ExpectationResult> expectations;
  std::vector<StepRecord> steps;
  std::string runtime_logs;  // that scenario's stdout/stderr lines, redacted
  double duration_ms = 0;
};

struct Totals {
  std::size_t passed = 0, failed = 0, warned = 0, skipped = 0, errored = 0;
};

struct RunReport {
  std::string tool_version;
  std::string target;   // RuntimeTarget::describe()
  std::string profile;  // profile name
  bool strict = false;
  std::string started_at;  // ISO 8601 UTC
  double duration_ms = 0;
  std::vector<ScenarioResult> scenarios;

  Totals totals() const;
};

}  // namespace conformance
