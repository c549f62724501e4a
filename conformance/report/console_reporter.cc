// ConsoleReporter: live progress for people, plus the closing line CI reads.
// Not thread-safe (the runner calls it from one thread); does not own `out`,
// which must outlive it. Every text from a scenario or runtime goes through
// redact_secrets and printable_text::printable, so secrets and terminal control
// sequences never reach the screen.
#include "conformance/report/console_reporter.h"

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

#include "conformance/report/printable_text.h"
#include "conformance/report/progress_line.h"
#include "conformance/report/redaction.h"
#include "conformance/report/run_summary.h"

namespace conformance {
namespace {

using printable_text::format_ms;
using printable_text::format_seconds;
using printable_text::printable;

constexpr char kIndent[] = "       ";  // aligns details under the scenario id

const char* tag(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "PASS ";
    case Outcome::kFail:
      return "FAIL ";
    case Outcome::kWarn:
      return "WARN ";
    case Outcome::kSkip:
      return "SKIP ";
    case Outcome::kError:
      return "ERROR";
  }
  return "?    ";
}

const char* colour(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "\033[32m";  // green
    case Outcome::kFail:
      return "\033[31m";  // red
    case Outcome::kWarn:
      return "\033[33m";  // yellow
    case Outcome::kSkip:
      return "\033[36m";  // cyan
    case Outcome::kError:
      return "\033[35m";  // magenta
  }
  return "";
}
constexpr char kReset[] = "\033[0m";

// Shown text: secrets redacted, control characters visible.
std::string shown(const std::string& text) { return printable(redact_secrets(text)); }

constexpr std::chrono::milliseconds kProgressTick{200};

class ConsoleReporter : public Reporter {
 public:
  ConsoleReporter(std::ostream& out, ConsoleOptions options) : out_(out), options_(options) {
    if (options_.progress) progress_.emplace(out_, kProgressTick);
  }

  void on_start(const RunReport& header, std::size_t scenario_count) override {
    out_ << "OpenWhisk runtime conformance " << shown(header.tool_version) << "\n"
         << "target:    " << shown(header.target) << "\n"
         << "profile:   " << shown(header.profile) << "\n"
         << "scenarios: " << scenario_count << (header.strict ? " (strict: warnings fail)" : "")
         << "\n\n";
    out_.flush();
    if (progress_) progress_->begin(scenario_count);
  }

  void on_scenario_started(const std::string& id) override {
    if (progress_) progress_->started(id);
  }

  void on_scenario(const ScenarioResult& r) override {
    scenario_text(r);
    if (progress_) {
      progress_->finished(r.id, [this] { emit(); });
    } else {
      emit();
    }
  }

  void on_finish(const RunReport& report) override {
    closing_text(report);
    if (progress_) {
      progress_->end([this] { emit(); });
    } else {
      emit();
    }
  }

 private:
  // Text is built in buf_ and written at once, so the status line is erased
  // only for a moment and never lands inside a scenario's lines.
  void emit() {
    out_ << buf_.str();
    out_.flush();
    buf_.str("");
  }

  void scenario_text(const ScenarioResult& r) {
    if (r.runtime_not_ready && not_ready_described_) {
      // The runtime never became ready again: one line, not the same details again.
      buf_ << coloured(r.outcome, tag(r.outcome)) << "  " << shown(r.id)
           << "  runtime not ready (as above)\n";
      return;
    }
    not_ready_described_ = not_ready_described_ || r.runtime_not_ready;
    buf_ << coloured(r.outcome, tag(r.outcome)) << "  " << shown(r.id) << "  " << shown(r.title)
         << " (" << format_ms(r.duration_ms) << ")";
    if (r.expected_failure) buf_ << " [expected failure]";
    buf_ << "\n";
    if (r.outcome == Outcome::kSkip) {
      if (!r.message.empty()) field("reason: ", r.message);
    } else if (r.outcome != Outcome::kPass || options_.verbose) {
      details(r);
    }
  }

  void closing_text(const RunReport& report) {
    const RunSummary s = summarize(report);
    buf_ << "\n";
    recap(report);
    if (s.not_run > 0) {
      buf_ << s.not_run << " scenario" << (s.not_run == 1 ? "" : "s")
           << " not run: " << shown(first_not_run_reason(report)) << "\n\n";
    }
    // The closing lines: CI tooling reads them, so plain text and alone on their lines.
    buf_ << s.passed << " passed, " << s.failed << " failed, " << s.errored << " errored, "
         << s.skipped << " skipped\n";
    buf_ << s.warned << " warned, " << s.expected_failures << " expected to fail; verdict: "
         << coloured(s.exit_code == kExitConformant ? Outcome::kPass : Outcome::kFail,
                     verdict_headline(s))
         << " (" << s.total << " scenarios in " << format_seconds(report.duration_ms) << " s)\n";
  }

  // The reason without its "not run: " prefix (the line says it already).
  static std::string first_not_run_reason(const RunReport& report) {
    static const std::string kPrefix = "not run: ";
    for (const ScenarioResult& r : report.scenarios) {
      if (!r.not_run) continue;
      return r.message.compare(0, kPrefix.size(), kPrefix) == 0 ? r.message.substr(kPrefix.size())
                                                                : r.message;
    }
    return "";
  }

  std::string coloured(Outcome o, const std::string& text) const {
    return options_.color ? colour(o) + text + kReset : text;
  }

  // "label" on the first line, then every line of `text` indented; `prefix`
  // marks each text line (e.g. "> " for a request).
  void block(const std::string& label, const std::string& text, const std::string& prefix) {
    buf_ << kIndent << label << "\n";
    std::string body = shown(text);
    if (!body.empty() && body.back() == '\n') body.pop_back();
    if (body.empty()) {
      buf_ << kIndent << "  (empty)\n";
      return;
    }
    std::size_t begin = 0;
    while (begin <= body.size()) {
      const std::size_t end = body.find('\n', begin);
      const std::string line =
          body.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
      std::string marked = prefix + line;
      while (!marked.empty() && marked.back() == ' ') marked.pop_back();  // no trailing blanks
      buf_ << kIndent << "  " << marked << "\n";
      if (end == std::string::npos) break;
      begin = end + 1;
    }
  }

  // One-line field; later lines of a multi-line value stay indented.
  void field(const std::string& label, const std::string& text) {
    const std::string value = shown(text);
    std::string indented;
    indented.reserve(value.size());
    for (char c : value) {
      indented += c;
      if (c == '\n') indented += std::string(kIndent) + "    ";
    }
    buf_ << kIndent << label << indented << "\n";
  }

  void details(const ScenarioResult& r) {
    field("requirement: ", r.section + " (" + to_string(r.level) + "): " + r.requirement);
    if (!r.message.empty()) field("message: ", r.message);
    for (const ExpectationResult& e : r.expectations) {
      if (e.passed && !options_.verbose) continue;
      field(e.passed ? "ok: " : "failed: ", e.step + " " + e.what);
      field("  expected: ", e.expected);
      field("  actual:   ", e.actual);
    }
    for (const StepRecord& step : r.steps) {
      buf_ << kIndent << "step " << shown(step.name) << " (" << format_ms(step.duration_ms)
           << ")\n";
      block("  request:", step.request, "> ");
      block("  response:", step.response, "< ");
    }
    if (r.runtime_logs.empty()) {
      buf_ << kIndent << "runtime logs: (none)\n";
    } else {
      block("runtime logs:", r.runtime_logs, "| ");
    }
  }

  // What did not pass, in one place, since details may scroll far away.
  void recap(const RunReport& report) {
    bool any = false;
    for (const ScenarioResult& r : report.scenarios) {
      if (r.outcome == Outcome::kPass || r.outcome == Outcome::kSkip) continue;
      if (!any) buf_ << "Not passed:\n";
      any = true;
      buf_ << "  " << coloured(r.outcome, tag(r.outcome)) << "  " << shown(r.id) << " ("
           << shown(r.section) << ", " << to_string(r.level) << ")"
           << (r.expected_failure ? " [expected failure]" : "") << "\n";
    }
    if (any) buf_ << "\n";
  }

  std::ostream& out_;
  const ConsoleOptions options_;
  std::ostringstream buf_;
  bool not_ready_described_ = false;
  std::optional<ProgressLine> progress_;  // only on a terminal
};

}  // namespace

std::unique_ptr<Reporter> make_console_reporter(std::ostream& out, ConsoleOptions options) {
  return std::make_unique<ConsoleReporter>(out, options);
}

}  // namespace conformance
