// The JUnit XML report, for CI test tabs (Jenkins, GitLab, GitHub), valid
// against Jenkins' junit-10.xsd (fixtures/junit/junit-10.xsd). Mapping:
//   pass                          -> <testcase/>
//   fail                          -> <failure type="fail">
//   warn under strict             -> <failure type="warn-strict">
//   warn (not strict)             -> <skipped type="warning">: shown, not green,
//                                    and not failing the build
//   error                         -> <error type="error">
//   skip                          -> <skipped type="skip" message="reason">
//   expected failure (baseline)   -> <skipped type="expected-failure">
// failures= and errors= are run_summary.h's failed and errored (the console
// and JSON counts); skipped= is skipped + warned + expected failures and is on
// <testsuite> only (junit-10.xsd refuses it on <testsuites>). The build fails
// exactly when exit_code_for says not conformant. Runtime logs go in <system-out>. All text is
// redacted and XML-escaped; characters XML 1.0 forbids are dropped and invalid UTF-8 becomes
// U+FFFD, so any runtime output yields a well-formed document.
#include "conformance/report/junit_reporter.h"

#include <memory>
#include <string>

#include "conformance/report/printable_text.h"
#include "conformance/report/redaction.h"
#include "conformance/report/report_file.h"
#include "conformance/report/run_summary.h"

namespace conformance {
namespace {

using printable_text::format_ms;
using printable_text::format_seconds;

constexpr char kSuiteName[] = "openwhisk-runtime-conformance";

bool legal_in_xml(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Escapes for element content or (attribute = true) a double-quoted attribute,
// where \t \n \r become character references so parsers keep them.
std::string escape(const std::string& raw, bool attribute) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 8);
  for (std::size_t i = 0; i < raw.size();) {
    char32_t cp;
    i += printable_text::decode_utf8(raw, i, &cp);
    if (!legal_in_xml(cp)) continue;
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;  // also breaks up "]]>"
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;  // parsers would fold "\r\n" into "\n"
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      default:
        printable_text::append_utf8(cp, &out);
    }
  }
  return out;
}

std::string attr(const std::string& text) { return escape(redact_secrets(text), true); }
std::string content(const std::string& text) { return escape(redact_secrets(text), false); }

bool counts_as_failure(const ScenarioResult& r, bool strict) {
  return r.outcome == Outcome::kFail || r.outcome == Outcome::kError ||
         (strict && r.outcome == Outcome::kWarn);
}

std::string requirement_line(const ScenarioResult& r) {
  return r.section + " (" + to_string(r.level) + "): " + r.requirement;
}

// Every line of `text` indented by four spaces, newline-terminated.
std::string indented(const std::string& text) {
  std::string out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    if (end > begin) out += "    " + text.substr(begin, end - begin);
    out += '\n';
    begin = end + 1;
  }
  return out;
}

// Plain-text details for <failure>/<error>: requirement, message, failed
// expectations and the HTTP exchanges.
std::string details(const ScenarioResult& r) {
  std::string text = "requirement: " + requirement_line(r) + "\n";
  if (!r.message.empty()) text += "message: " + r.message + "\n";
  for (const ExpectationResult& e : r.expectations) {
    if (e.passed) continue;
    text += "failed: " + e.step + " " + e.what + "\n  expected: " + e.expected +
            "\n  actual:   " + e.actual + "\n";
  }
  for (const StepRecord& s : r.steps) {
    text += "step " + s.name + " (" + format_ms(s.duration_ms) + ")\n  request:\n" +
            indented(s.request) + "  response:\n" + indented(s.response);
  }
  return text;
}

std::string short_message(const ScenarioResult& r) {
  return r.message.empty() ? r.requirement : r.message;
}

void render_testcase(const ScenarioResult& r, bool strict, std::string* xml) {
  const std::string group = printable_text::section_group(r.section);
  *xml += "    <testcase classname=\"" +
          attr(group.empty() ? "conformance" : "conformance." + group) + "\" name=\"" + attr(r.id) +
          "\" time=\"" + format_seconds(r.duration_ms) + "\"";
  std::string body;
  std::string system_out;
  if (r.outcome == Outcome::kSkip) {
    body = "      <skipped type=\"skip\" message=\"" + attr(r.message) + "\"/>\n";
  } else if (r.expected_failure && r.outcome != Outcome::kPass) {
    body = "      <skipped type=\"expected-failure\" message=\"" +
           attr("expected failure (" + std::string(to_string(r.outcome)) +
                ", listed in --expected-failures): " + short_message(r)) +
           "\">" + content(details(r)) + "</skipped>\n";
  } else if (r.outcome == Outcome::kError) {
    body = "      <error message=\"" + attr(short_message(r)) + "\" type=\"" +
           (r.runtime_not_ready ? "runtime-not-ready" : "error") + "\">" + content(details(r)) +
           "</error>\n";
  } else if (counts_as_failure(r, strict)) {
    body = "      <failure message=\"" + attr(short_message(r)) + "\" type=\"" +
           (r.outcome == Outcome::kWarn ? "warn-strict" : "fail") + "\">" + content(details(r)) +
           "</failure>\n";
  } else if (r.outcome == Outcome::kWarn) {
    body = "      <skipped type=\"warning\" message=\"" +
           attr("warning (should-level rule broken): " + short_message(r)) + "\">" +
           content(details(r)) + "</skipped>\n";
  }
  if (!r.runtime_logs.empty()) {
    if (!system_out.empty()) system_out += "\n";
    system_out += "runtime logs:\n" + r.runtime_logs;
  }
  if (!system_out.empty()) body += "      <system-out>" + content(system_out) + "</system-out>\n";
  if (body.empty()) {
    *xml += "/>\n";
  } else {
    *xml += ">\n" + body + "    </testcase>\n";
  }
}

}  // namespace

std::string render_junit(const RunReport& report) {
  const RunSummary s = summarize(report);
  const std::string counts = "tests=\"" + std::to_string(s.total) + "\" failures=\"" +
                             std::to_string(s.failed) + "\" errors=\"" + std::to_string(s.errored) +
                             "\"";
  const std::string time = " time=\"" + format_seconds(report.duration_ms) + "\"";
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"" + std::string(kSuiteName) + "\" " + counts + time + ">\n";
  xml += "  <testsuite name=\"" + std::string(kSuiteName) + "\" " + counts + " skipped=\"" +
         std::to_string(s.skipped + s.warned + s.expected_failures) + "\"" + time +
         " timestamp=\"" + attr(report.started_at) + "\">\n";
  xml += "    <properties>\n";
  const auto property = [&xml](const std::string& name, const std::string& value) {
    xml += "      <property name=\"" + name + "\" value=\"" + attr(value) + "\"/>\n";
  };
  property("tool_version", report.tool_version);
  property("target", report.target);
  property("profile", report.profile);
  property("strict", report.strict ? "true" : "false");
  property("catalogue_version", report.catalogue_version);
  property("verdict", verdict_token(s.exit_code));
  if (!report.interrupted.empty()) property("interrupted", report.interrupted);
  xml += "    </properties>\n";
  for (const ScenarioResult& r : report.scenarios) render_testcase(r, report.strict, &xml);
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

std::unique_ptr<Reporter> make_junit_reporter(std::string path) {
  return make_rendering_file_reporter(std::move(path), render_junit);
}

}  // namespace conformance
