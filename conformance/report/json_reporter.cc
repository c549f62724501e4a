// The JSON report (schema_version 1, docs/report.schema.json): machine-
// readable, stable key order. Texts from runtimes are redacted; invalid UTF-8
// becomes U+FFFD, so any runtime output yields valid JSON and rendering never
// throws.
#include "conformance/report/json_reporter.h"

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "conformance/report/json_header.h"
#include "conformance/report/redaction.h"
#include "conformance/report/report_file.h"
#include "conformance/report/run_summary.h"

namespace conformance {
namespace {

using Json = nlohmann::ordered_json;

Json expectation_json(const ExpectationResult& e) {
  Json j;
  j["step"] = e.step;
  j["what"] = e.what;
  j["passed"] = e.passed;
  j["expected"] = redact_secrets(e.expected);
  j["actual"] = redact_secrets(e.actual);
  return j;
}

Json step_json(const StepRecord& s) {
  Json j;
  j["name"] = s.name;
  j["request"] = redact_secrets(s.request);
  j["response"] = redact_secrets(s.response);
  j["duration_ms"] = rounded_ms(s.duration_ms);
  return j;
}

Json scenario_json(const ScenarioResult& r) {
  Json j;
  j["id"] = r.id;
  j["title"] = r.title;
  j["section"] = r.section;
  j["requirement"] = r.requirement;
  j["level"] = to_string(r.level);
  j["outcome"] = to_string(r.outcome);
  j["message"] = redact_secrets(r.message);
  j["duration_ms"] = rounded_ms(r.duration_ms);
  j["expected_failure"] = r.expected_failure;
  j["runtime_not_ready"] = r.runtime_not_ready;
  j["not_run"] = r.not_run;
  j["expectations"] = Json::array();
  for (const auto& e : r.expectations) j["expectations"].push_back(expectation_json(e));
  j["steps"] = Json::array();
  for (const auto& s : r.steps) j["steps"].push_back(step_json(s));
  j["logs"] = redact_secrets(r.runtime_logs);
  return j;
}

Json totals_json(const RunSummary& s) {
  Json totals;
  totals["scenarios"] = s.total;
  totals["passed"] = s.passed;
  totals["failed"] = s.failed;
  totals["errored"] = s.errored;
  totals["warned"] = s.warned;
  totals["skipped"] = s.skipped;
  totals["expected_failures"] = s.expected_failures;
  return totals;
}

Json coverage_json(const Coverage& c) {
  Json j;
  j["catalogue_scenarios"] = c.catalogue_scenarios;
  j["selected"] = c.selected;
  j["run"] = c.run;
  j["sections"] = Json::array();
  for (const SectionCoverage& s : c.sections)
    j["sections"].push_back({{"section", s.section}, {"scenarios", s.scenarios}, {"run", s.run}});
  return j;
}

}  // namespace

Json json_report_header(const JsonReportHeader& header) {
  Json j;
  j["schema_version"] = kReportSchemaVersion;
  j["kind"] = header.kind;
  j["tool_version"] = header.tool_version;
  j["target"] = redact_secrets(header.target);
  j["started_at"] = header.started_at;
  j["duration_ms"] = rounded_ms(header.duration_ms);
  return j;
}

double rounded_ms(double ms) { return std::round(ms * 1000.0) / 1000.0; }

// The header, then profile, capabilities, catalogue, strict, totals (see
// run_summary.h for the counting rules), coverage, verdict, exit_code and the
// scenarios (in run order).
std::string render_json(const RunReport& report) {
  const RunSummary s = summarize(report);
  Json j = json_report_header(
      {"check", report.tool_version, report.target, report.started_at, report.duration_ms});
  j["profile"] = report.profile;
  j["capabilities"] = Json::object();
  for (const auto& [name, value] : report.capabilities) j["capabilities"][name] = value;
  j["catalogue"] = {{"version", report.catalogue_version},
                    {"scenarios", report.catalogue_scenarios}};
  j["strict"] = report.strict;
  if (!report.interrupted.empty()) j["interrupted"] = report.interrupted;
  j["totals"] = totals_json(s);
  j["coverage"] = coverage_json(coverage_of(report));
  j["verdict"] = verdict_token(s.exit_code);
  j["exit_code"] = s.exit_code;
  j["scenarios"] = Json::array();
  for (const auto& r : report.scenarios) j["scenarios"].push_back(scenario_json(r));
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::unique_ptr<Reporter> make_json_reporter(std::string path) {
  return make_rendering_file_reporter(std::move(path), render_json);
}

}  // namespace conformance
