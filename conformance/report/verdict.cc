// The --expected-failures baseline and the exit code. See verdict.h; the
// precise rules are repeated at each function below.
#include "conformance/report/verdict.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace conformance {
namespace {

const char kStaleEntryMessage[] =
    "listed in --expected-failures but passes now: remove its line from the baseline file";

std::string trim(const std::string& s) {
  const char* kSpace = " \t\r\n\v\f";
  const std::size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

bool is_failure(Outcome o, bool strict) {
  return o == Outcome::kFail || o == Outcome::kError || (strict && o == Outcome::kWarn);
}

}  // namespace

// Format: one scenario ID per line; '#' starts a comment (whole line or after
// an ID); blank lines and surrounding whitespace are ignored. A line holding
// two words or control characters is an error naming the line, so a mangled
// file never silently baselines nothing. Duplicates are harmless.
ow::Status load_baseline(const std::string& path, Baseline* baseline) {
  if (baseline == nullptr) return ow::Status::Error("load_baseline: no baseline to fill");
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return ow::Status::Error("expected-failures file '" + path + "' is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ow::Status::Error("cannot read expected-failures file '" + path +
                             "': " + std::strerror(errno));
  }
  Baseline loaded;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string id = trim(line.substr(0, line.find('#')));
    if (id.empty()) continue;
    for (char c : id) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F || c == ' ') {
        return ow::Status::Error(path + ":" + std::to_string(number) +
                                 ": expected one scenario ID per line, got '" + id + "'");
      }
    }
    loaded.expected_failures.insert(id);
  }
  if (in.bad()) return ow::Status::Error("error reading expected-failures file '" + path + "'");
  *baseline = std::move(loaded);
  return ow::Status::Ok();
}

// Listed fail/warn/error: expected_failure = true. Listed pass: becomes a
// fail with kStaleEntryMessage. Listed skip: left alone (not run, so neither
// still failing nor fixed). Unlisted: left alone.
void apply_baseline_to(const Baseline& baseline, ScenarioResult* s) {
  if (baseline.expected_failures.count(s->id) == 0) return;
  switch (s->outcome) {
    case Outcome::kFail:
    case Outcome::kWarn:
    case Outcome::kError:
      s->expected_failure = true;
      break;
    case Outcome::kPass:
      s->outcome = Outcome::kFail;
      s->expected_failure = false;
      s->baseline_stale = true;
      s->message = kStaleEntryMessage;
      break;
    case Outcome::kSkip:
      break;
  }
}

// kExitRuntimeNotReady: at least one scenario has runtime_not_ready and every
// non-skipped scenario has it (the runtime never answered anything, so the
// run says nothing about conformance; expected failures included).
// kExitNonConformant: any fail or error (or warn under strict) not marked
// expected_failure. kExitConformant otherwise, including a run where every
// scenario was skipped.
int exit_code_for(const RunReport& report) {
  if (!report.interrupted.empty()) return kExitInterrupted;
  bool any_not_ready = false, any_answered = false, any_failure = false;
  for (const ScenarioResult& s : report.scenarios) {
    if (s.outcome == Outcome::kSkip) continue;
    if (s.runtime_not_ready) {
      any_not_ready = true;
    } else {
      any_answered = true;
    }
    if (!s.expected_failure && is_failure(s.outcome, report.strict)) any_failure = true;
  }
  if (any_not_ready && !any_answered) return kExitRuntimeNotReady;
  if (any_failure) return kExitNonConformant;
  const bool any_skipped =
      std::any_of(report.scenarios.begin(), report.scenarios.end(),
                  [](const ScenarioResult& s) { return s.outcome == Outcome::kSkip; });
  return report.fail_on_skip && any_skipped ? kExitNonConformant : kExitConformant;
}

}  // namespace conformance
