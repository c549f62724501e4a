// The Markdown summary (--markdown FILE), for $GITHUB_STEP_SUMMARY and merge
// request notes: verdict, the counts every report shares (summarize()), and a
// table of what did not pass. Cells are redacted, made printable, kept on one
// line and short, with Markdown's active characters escaped, so runtime output
// cannot break the table or inject markup.
#include "conformance/report/markdown_reporter.h"

#include <memory>
#include <string>

#include "conformance/report/printable_text.h"
#include "conformance/report/redaction.h"
#include "conformance/report/report_file.h"
#include "conformance/report/run_summary.h"

namespace conformance {
namespace {

constexpr std::size_t kMaxCellBytes = 300;

// One table cell: one line, at most kMaxCellBytes (cut on a UTF-8 boundary).
std::string cell(const std::string& raw) {
  const std::string text = printable_text::printable(redact_secrets(raw));
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (out.size() >= kMaxCellBytes && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      out += "\xE2\x80\xA6";  // an ellipsis
      break;
    }
    switch (c) {
      case '\n':
        out += "<br>";
        break;
      case '\t':
        out += ' ';
        break;
      case '|':
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '#':
      case '~':
        out += '\\';
        out += c;
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* icon(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "\xE2\x9C\x85 pass";  // check mark
    case Outcome::kFail:
      return "\xE2\x9D\x8C fail";  // cross
    case Outcome::kWarn:
      return "\xE2\x9A\xA0\xEF\xB8\x8F warn";  // warning sign
    case Outcome::kSkip:
      return "\xE2\x8F\xAD\xEF\xB8\x8F skip";  // next track
    case Outcome::kError:
      return "\xF0\x9F\x92\xA5 error";  // collision
  }
  return "?";
}

void render_problems(const RunReport& report, std::string* md) {
  std::string rows;
  for (const ScenarioResult& r : report.scenarios) {
    if (r.outcome == Outcome::kPass || r.outcome == Outcome::kSkip) continue;
    rows += std::string("| ") + icon(r.outcome) + (r.expected_failure ? " (expected)" : "") +
            " | " + cell(r.id) + " | " + cell(r.section) + " (" + to_string(r.level) + ") | " +
            cell(r.message.empty() ? r.requirement : r.message) + " |\n";
  }
  if (rows.empty()) {
    *md += "Every scenario that ran passed.\n";
    return;
  }
  *md += "### Not passed\n\n| outcome | scenario | section | message |\n|---|---|---|---|\n" + rows;
}

}  // namespace

std::string render_markdown(const RunReport& report) {
  const RunSummary s = summarize(report);
  std::string md = "## OpenWhisk runtime conformance: " +
                   std::string(s.exit_code == kExitConformant ? "\xE2\x9C\x85 " : "\xE2\x9D\x8C ") +
                   verdict_headline(s) + "\n\n";
  md += "Target " + cell(report.target) + ", profile " + cell(report.profile) + ", catalogue " +
        cell(report.catalogue_version) + ", mock\\_invoker " + cell(report.tool_version) +
        (report.strict ? ", strict" : "") + ".\n\n";
  md +=
      "| scenarios | passed | failed | errored | warned | skipped | expected failures | time |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  md += "| " + std::to_string(s.total) + " | " + std::to_string(s.passed) + " | " +
        std::to_string(s.failed) + " | " + std::to_string(s.errored) + " | " +
        std::to_string(s.warned) + " | " + std::to_string(s.skipped) + " | " +
        std::to_string(s.expected_failures) + " | " +
        printable_text::format_seconds(report.duration_ms) + " s |\n\n";
  render_problems(report, &md);
  return md;
}

std::unique_ptr<Reporter> make_markdown_reporter(std::string path) {
  return make_rendering_file_reporter(std::move(path), render_markdown);
}

}  // namespace conformance
