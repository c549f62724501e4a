// Private to the reporters: the counts and verdict every report shows, so the
// console, JSON and JUnit reports always agree. Pure, thread-safe.
//
// Counting rules (the console's closing line "N passed, N failed, N skipped"):
//   passed  = scenarios whose outcome is pass
//   failed  = fail + error (+ warn under strict), expected failures INCLUDED:
//             they did fail; `expected_failures` says how many of them the
//             baseline excuses, and the verdict/exit code ignores those
//   skipped = skip
// so passed + failed + skipped + (warns when not strict) = scenario count.
#pragma once

#include <cstddef>

#include "conformance/report/run_report.h"
#include "conformance/report/verdict.h"

namespace conformance {

struct RunSummary {
  std::size_t total = 0, passed = 0, failed = 0, skipped = 0;
  std::size_t warned = 0, errored = 0, expected_failures = 0;
  int exit_code = kExitConformant;  // exit_code_for(report)
};

inline RunSummary summarize(const RunReport& report) {
  RunSummary s;
  s.total = report.scenarios.size();
  for (const ScenarioResult& r : report.scenarios) {
    switch (r.outcome) {
      case Outcome::kPass:
        ++s.passed;
        break;
      case Outcome::kFail:
        ++s.failed;
        break;
      case Outcome::kWarn:
        ++s.warned;
        if (report.strict) ++s.failed;
        break;
      case Outcome::kSkip:
        ++s.skipped;
        break;
      case Outcome::kError:
        ++s.errored;
        ++s.failed;
        break;
    }
    if (r.expected_failure && r.outcome != Outcome::kPass && r.outcome != Outcome::kSkip) {
      ++s.expected_failures;
    }
  }
  s.exit_code = exit_code_for(report);
  return s;
}

// "CONFORMANT", "NOT CONFORMANT" or "NOT CONFORMANT (runtime never became ready)".
inline const char* verdict_text(int exit_code) {
  switch (exit_code) {
    case kExitConformant:
      return "CONFORMANT";
    case kExitRuntimeNotReady:
      return "NOT CONFORMANT (runtime never became ready)";
    default:
      return "NOT CONFORMANT";
  }
}

// Machine form for the JSON report: "conformant", "not-conformant", "runtime-not-ready".
inline const char* verdict_token(int exit_code) {
  switch (exit_code) {
    case kExitConformant:
      return "conformant";
    case kExitRuntimeNotReady:
      return "runtime-not-ready";
    default:
      return "not-conformant";
  }
}

}  // namespace conformance
