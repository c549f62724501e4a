// The HTML report: one self-contained page for people (docs/ci.md). Counts and
// verdict at the top (the same summarize() the console and JSON use),
// scenarios grouped by contract section (C1..C5), each a <details> holding its
// requirement, expectations, request/response transcripts and runtime logs.
// Style and script are inline (html_assets.cc) and a Content-Security-Policy
// forbids loading anything, so the file opens offline. Every text is redacted,
// made valid UTF-8 with control characters shown as \xHH, and HTML-escaped.
#include "conformance/report/html_reporter.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "conformance/report/html_assets.h"
#include "conformance/report/printable_text.h"
#include "conformance/report/redaction.h"
#include "conformance/report/report_file.h"
#include "conformance/report/run_summary.h"

namespace conformance {
namespace {

using printable_text::format_ms;
using printable_text::format_seconds;

// Text for HTML content or a double-quoted attribute.
std::string html(const std::string& raw) {
  const std::string text = printable_text::printable(redact_secrets(raw));
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* section_title(const std::string& group) {
  static const std::map<std::string, const char*> titles = {
      {"C1", "Transport"},
      {"C2", "/init"},
      {"C3", "/run"},
      {"C4", "The platform side"},
      {"C5", "Where real runtimes differ"},
  };
  const auto it = titles.find(group);
  return it == titles.end() ? "" : it->second;
}

// "C2" for "C2.6" and for "C2.3, C3.8" (a scenario is shown under its first section).
std::string group_of(const ScenarioResult& r) {
  const std::string first = r.section.substr(0, r.section.find(','));
  const std::string group = printable_text::section_group(first);
  return group.empty() ? "other" : group;
}

// Numeric order: C2 before C10, "other" last.
bool group_before(const std::string& a, const std::string& b) {
  const auto number = [](const std::string& g) {
    return g.size() > 1 && g[0] == 'C' ? std::atoi(g.c_str() + 1) : 1 << 20;
  };
  return number(a) != number(b) ? number(a) < number(b) : a < b;
}

const char* tag_text(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "PASS";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kWarn:
      return "WARN";
    case Outcome::kSkip:
      return "SKIP";
    case Outcome::kError:
      return "ERROR";
  }
  return "?";
}

std::size_t line_count(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines + (!text.empty() && text.back() != '\n');
}

void render_head(const RunReport& report, const RunSummary& s, std::string* out) {
  *out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"mock_invoker " +
      html(report.tool_version) + "\">\n";
  *out += "<title>" + verdict_headline(s) + " \xE2\x80\x94 " + html(report.target) +
          "</title>\n<style>" + html_assets::kStyle + "</style>\n</head>\n";
}

void render_meta(const RunReport& report, std::string* out) {
  const auto row = [out](const char* name, const std::string& value) {
    *out += "<dt>" + std::string(name) + "</dt><dd>" + html(value) + "</dd>";
  };
  *out += "<dl class=\"meta\">";
  row("target", report.target);
  std::string caps;
  for (const auto& [name, value] : report.capabilities)
    caps += (caps.empty() ? "" : ", ") + name + "=" + value;
  row("profile", report.profile + (caps.empty() ? "" : " (" + caps + ")"));
  row("catalogue",
      report.catalogue_version + " (" + std::to_string(report.catalogue_scenarios) + " scenarios)");
  row("tool", "mock_invoker " + report.tool_version);
  row("started", report.started_at + ", " + format_seconds(report.duration_ms) + " s" +
                     (report.strict ? ", strict: warnings fail" : ""));
  *out += "</dl>\n";
}

void render_counts(const RunSummary& s, std::string* out) {
  const auto box = [out](const char* key, const char* label, std::size_t n) {
    *out += "<div class=\"box " + std::string(key) + "\"><span class=\"count\" data-count=\"" +
            key + "\">" + std::to_string(n) + "</span>" + label + "</div>";
  };
  *out += "<div class=\"counts\">";
  box("scenarios", "scenarios", s.total);
  box("passed", "passed", s.passed);
  box("failed", "failed", s.failed);
  box("errored", "errored", s.errored);
  box("warned", "warned", s.warned);
  box("skipped", "skipped", s.skipped);
  box("expected_failures", "expected failures", s.expected_failures);
  *out += "</div>\n";
}

void render_filters(const RunReport& report, std::string* out) {
  std::map<Outcome, std::size_t> by_outcome;
  for (const ScenarioResult& r : report.scenarios) ++by_outcome[r.outcome];
  *out += "<div class=\"filters\"><span>show:</span>";
  for (Outcome o :
       {Outcome::kFail, Outcome::kError, Outcome::kWarn, Outcome::kPass, Outcome::kSkip}) {
    const std::string name = to_string(o);
    *out += "<label><input type=\"checkbox\" value=\"" + name + "\" checked> <span class=\"tag " +
            name + "\">" + tag_text(o) + "</span>" + std::to_string(by_outcome[o]) + "</label>";
  }
  *out +=
      "<button type=\"button\" id=\"show-all\">all</button>"
      "<button type=\"button\" id=\"show-problems\">problems only</button>"
      "<button type=\"button\" id=\"expand-all\">expand all</button>"
      "<button type=\"button\" id=\"collapse-all\">collapse all</button>"
      "<span>showing <b id=\"shown\">" +
      std::to_string(report.scenarios.size()) + "</b> of " +
      std::to_string(report.scenarios.size()) + "</span></div>\n";
}

void render_expectations(const ScenarioResult& r, std::string* out) {
  if (r.expectations.empty()) return;
  *out +=
      "<table class=\"expectations\"><tr><th></th><th>step</th><th>check</th>"
      "<th>expected</th><th>actual</th></tr>";
  for (const ExpectationResult& e : r.expectations) {
    *out += std::string("<tr class=\"") + (e.passed ? "ok" : "failed") + "\"><td>" +
            (e.passed ? "ok" : "failed") + "</td><td>" + html(e.step) + "</td><td>" + html(e.what) +
            "</td><td class=\"v\">" + html(e.expected) + "</td><td class=\"v\">" + html(e.actual) +
            "</td></tr>";
  }
  *out += "</table>";
}

void render_steps_and_logs(const ScenarioResult& r, std::string* out) {
  for (const StepRecord& step : r.steps) {
    *out += "<details class=\"step\"><summary>step " + html(step.name) + " \xC2\xB7 " +
            format_ms(step.duration_ms) +
            "</summary><div class=\"transcript\"><div><h4>request</h4>"
            "<pre>" +
            html(step.request) + "</pre></div><div><h4>response</h4><pre>" + html(step.response) +
            "</pre></div></div></details>";
  }
  if (r.runtime_logs.empty()) {
    *out += "<p class=\"none\">no runtime logs</p>";
  } else {
    *out += "<details class=\"logs\"><summary>runtime logs \xC2\xB7 " +
            std::to_string(line_count(r.runtime_logs)) + " lines</summary><pre>" +
            html(r.runtime_logs) + "</pre></details>";
  }
}

void render_scenario(const ScenarioResult& r, std::string* out) {
  const std::string outcome = to_string(r.outcome);
  const bool open = r.outcome == Outcome::kFail || r.outcome == Outcome::kError;
  *out += "<details class=\"scenario\" id=\"" + html(r.id) + "\" data-outcome=\"" + outcome + "\"" +
          (open ? " open" : "") + "><summary><span class=\"tag " + outcome + "\">" +
          tag_text(r.outcome) + "</span><span class=\"id\">" + html(r.id) + "</span> " +
          html(r.title) + "<span class=\"dur\">" + format_ms(r.duration_ms) + "</span>" +
          (r.expected_failure ? "<span class=\"xf\">expected failure</span>" : "") +
          "</summary><div class=\"detail\">";
  *out += "<p><b>" + html(r.section) + " (" + to_string(r.level) + ")</b>: " + html(r.requirement) +
          "</p>";
  if (!r.message.empty()) *out += "<p class=\"message\">" + html(r.message) + "</p>";
  render_expectations(r, out);
  if (r.outcome != Outcome::kSkip) render_steps_and_logs(r, out);
  *out += "</div></details>\n";
}

void render_groups(const RunReport& report, std::string* out) {
  std::map<std::string, std::vector<const ScenarioResult*>> groups;
  for (const ScenarioResult& r : report.scenarios) groups[group_of(r)].push_back(&r);
  std::vector<std::string> order;
  for (const auto& entry : groups) order.push_back(entry.first);
  std::sort(order.begin(), order.end(), group_before);
  for (const std::string& name : order) {
    const auto& members = groups[name];
    std::size_t passed = 0;
    for (const ScenarioResult* r : members) passed += r->outcome == Outcome::kPass;
    *out += "<section class=\"group\" data-section=\"" + html(name) + "\"><h2>" + html(name) + " " +
            section_title(name) + " <span class=\"sub\">" + std::to_string(passed) + " of " +
            std::to_string(members.size()) + " passed</span></h2>\n";
    for (const ScenarioResult* r : members) render_scenario(*r, out);
    *out += "</section>\n";
  }
}

void render_coverage(const RunReport& report, std::string* out) {
  const Coverage c = coverage_of(report);
  *out += "<footer><h3>Coverage</h3><p>" + std::to_string(c.run) + " of " +
          std::to_string(c.selected) + " selected scenarios ran (" +
          std::to_string(c.catalogue_scenarios) +
          " in the catalogue).</p>"
          "<table class=\"coverage\"><tr><th>section</th><th>scenarios</th><th>ran</th></tr>";
  for (const SectionCoverage& s : c.sections) {
    *out += "<tr><td>" + html(s.section) + "</td><td>" + std::to_string(s.scenarios) + "</td><td>" +
            std::to_string(s.run) + "</td></tr>";
  }
  *out += "</table><p>Generated by mock_invoker " + html(report.tool_version) + " at " +
          html(report.started_at) + ".</p></footer>\n";
}

}  // namespace

std::string render_html(const RunReport& report) {
  const RunSummary s = summarize(report);
  std::string out;
  out.reserve(16384 + report.scenarios.size() * 2048);
  render_head(report, s, &out);
  out += "<body>\n<header><h1>OpenWhisk runtime conformance <span class=\"verdict " +
         std::string(verdict_token(s.exit_code)) + "\" id=\"verdict\">" + verdict_headline(s) +
         "</span></h1>\n";
  render_meta(report, &out);
  render_counts(s, &out);
  render_filters(report, &out);
  out += "</header>\n<main>\n";
  render_groups(report, &out);
  out += "</main>\n";
  render_coverage(report, &out);
  out += "<script>" + std::string(html_assets::kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

std::unique_ptr<Reporter> make_html_reporter(std::string path) {
  return make_rendering_file_reporter(std::move(path), render_html);
}

}  // namespace conformance
