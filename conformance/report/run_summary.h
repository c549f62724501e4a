// Private to the reporters: the counts, verdict and coverage every report
// shows, so the console, JSON, JUnit, HTML and Markdown reports always agree.
// Pure, thread-safe.
//
// Counting rules: every scenario is in exactly one bucket, so the buckets add
// up to `total`:
//   passed            pass
//   failed            fail, and warn under --strict
//   errored           error (the harness could not test)
//   warned            warn (not strict)
//   skipped           skip (not applicable, or not run)
//   expected_failures fail, warn or error excused by the --expected-failures
//                     baseline (they did not pass; the verdict ignores them)
// JUnit's failures/errors attributes are `failed`/`errored`; its skipped
// elements are skipped + warned + expected_failures.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "conformance/report/run_report.h"
#include "conformance/report/verdict.h"

namespace conformance {

struct RunSummary {
  std::size_t total = 0, passed = 0, failed = 0, errored = 0, warned = 0, skipped = 0;
  std::size_t expected_failures = 0;
  std::size_t not_run = 0;          // skipped because the run stopped early (a subset of skipped)
  int exit_code = kExitConformant;  // exit_code_for(report)
};

enum class Bucket { kPassed, kFailed, kErrored, kWarned, kSkipped, kExpectedFailure };

inline Bucket bucket_of(const ScenarioResult& r, bool strict) {
  switch (r.outcome) {
    case Outcome::kPass:
      return Bucket::kPassed;
    case Outcome::kSkip:
      return Bucket::kSkipped;
    case Outcome::kFail:
      return r.expected_failure ? Bucket::kExpectedFailure : Bucket::kFailed;
    case Outcome::kError:
      return r.expected_failure ? Bucket::kExpectedFailure : Bucket::kErrored;
    case Outcome::kWarn:
      if (r.expected_failure) return Bucket::kExpectedFailure;
      return strict ? Bucket::kFailed : Bucket::kWarned;
  }
  return Bucket::kErrored;
}

inline RunSummary summarize(const RunReport& report) {
  RunSummary s;
  s.total = report.scenarios.size();
  for (const ScenarioResult& r : report.scenarios) {
    switch (bucket_of(r, report.strict)) {
      case Bucket::kPassed:
        ++s.passed;
        break;
      case Bucket::kFailed:
        ++s.failed;
        break;
      case Bucket::kErrored:
        ++s.errored;
        break;
      case Bucket::kWarned:
        ++s.warned;
        break;
      case Bucket::kSkipped:
        ++s.skipped;
        break;
      case Bucket::kExpectedFailure:
        ++s.expected_failures;
        break;
    }
    if (r.not_run) ++s.not_run;
  }
  s.exit_code = exit_code_for(report);
  return s;
}

// "CONFORMANT", "NOT CONFORMANT", "NOT CONFORMANT (runtime never became ready)"
// or "INTERRUPTED (partial results)".
inline const char* verdict_text(int exit_code) {
  switch (exit_code) {
    case kExitConformant:
      return "CONFORMANT";
    case kExitRuntimeNotReady:
      return "NOT CONFORMANT (runtime never became ready)";
    case kExitInterrupted:
      return "INTERRUPTED (partial results)";
    default:
      return "NOT CONFORMANT";
  }
}

// verdict_text plus what qualifies it: "CONFORMANT (partial: 10 of 41
// scenarios ran)" when scenarios were skipped, "NOT CONFORMANT (3 skipped;
// --fail-on-skip)" when only skips failed the run.
inline std::string verdict_headline(const RunSummary& s) {
  std::string text = verdict_text(s.exit_code);
  if (s.skipped == 0) return text;
  if (s.exit_code == kExitConformant) {
    text += " (partial: " + std::to_string(s.total - s.skipped) + " of " + std::to_string(s.total) +
            " scenarios ran)";
  } else if (s.exit_code == kExitNonConformant && s.failed == 0 && s.errored == 0) {
    text += " (" + std::to_string(s.skipped) + " skipped; --fail-on-skip)";
  }
  return text;
}

// Machine form for the JSON report: "conformant", "not-conformant",
// "runtime-not-ready", "interrupted".
inline const char* verdict_token(int exit_code) {
  switch (exit_code) {
    case kExitConformant:
      return "conformant";
    case kExitRuntimeNotReady:
      return "runtime-not-ready";
    case kExitInterrupted:
      return "interrupted";
    default:
      return "not-conformant";
  }
}

// Which contract sections the run exercised. A scenario citing several
// sections ("C2.3, C3.8") counts for each.
struct SectionCoverage {
  std::string section;
  std::size_t scenarios = 0;  // selected scenarios citing it
  std::size_t run = 0;        // of those, the ones that ran (not skipped)
};
struct Coverage {
  std::size_t catalogue_scenarios = 0, selected = 0, run = 0;
  std::vector<SectionCoverage> sections;  // in contract order (C1.1, C1.2, ..., C2.10)
};
Coverage coverage_of(const RunReport& report);

}  // namespace conformance
