// The JSON report, parsed back: schema, totals, per-scenario fields, and
// valid JSON whatever bytes the runtime wrote.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "conformance/report/json_reporter.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;
using nlohmann::json;
using nlohmann::ordered_json;

TEST(JsonReportTest, TopLevelFieldsInStableOrder) {
  const ordered_json j = ordered_json::parse(conformance::render_json(sample_report()));
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"schema_version", "kind", "tool_version", "target",
                                            "started_at", "duration_ms", "profile", "capabilities",
                                            "catalogue", "strict", "totals", "coverage", "verdict",
                                            "exit_code", "scenarios"}));
  EXPECT_EQ(j["kind"], "check");
  EXPECT_EQ(j["capabilities"], ordered_json::parse(R"({"archive":"zip","stub":"false"})"));
  EXPECT_EQ(j["catalogue"],
            ordered_json::parse(R"({"version":"fnv1a64:0123456789abcdef","scenarios":41})"));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["tool_version"], "0.1.0-test");
  EXPECT_EQ(j["strict"], false);
  EXPECT_EQ(j["started_at"], "2026-01-02T03:04:05Z");
  EXPECT_EQ(j["duration_ms"], 1234.5);
  EXPECT_EQ(j["verdict"], "not-conformant");
  EXPECT_EQ(j["exit_code"], 1);
}

TEST(JsonReportTest, TotalsFollowTheCountingRules) {
  RunReport report = sample_report();
  json totals = json::parse(conformance::render_json(report))["totals"];
  // Disjoint buckets adding up to the scenario count, as console and JUnit count.
  EXPECT_EQ(totals, json::parse(R"({"scenarios":6,"passed":1,"failed":1,"skipped":1,
                                    "warned":1,"errored":1,"expected_failures":1})"));
  report.strict = true;  // the warn now fails too
  totals = json::parse(conformance::render_json(report))["totals"];
  EXPECT_EQ(totals["failed"], 2);
  EXPECT_EQ(totals["warned"], 0);
}

TEST(JsonReportTest, CoverageBySection) {
  RunReport report = sample_report();
  report.scenarios[0].section = "C2.2, C3.10";  // a scenario citing two sections
  const json coverage = json::parse(conformance::render_json(report))["coverage"];
  EXPECT_EQ(coverage["catalogue_scenarios"], 41);
  EXPECT_EQ(coverage["selected"], 6);
  EXPECT_EQ(coverage["run"], 5);  // all but the skip
  std::vector<std::string> order;
  for (const auto& s : coverage["sections"]) order.push_back(s["section"]);
  EXPECT_EQ(order,
            (std::vector<std::string>{"C2.2", "C2.6", "C2.7", "C3.2", "C3.7", "C3.9", "C3.10"}));
  EXPECT_EQ(coverage["sections"][2], json::parse(R"({"section":"C2.7","scenarios":1,"run":0})"));
}

TEST(JsonReportTest, ScenarioFields) {
  const json j = json::parse(conformance::render_json(sample_report()));
  ASSERT_EQ(j["scenarios"].size(), 6u);
  const json& fail = j["scenarios"][1];
  EXPECT_EQ(fail["id"], "init.second-refused");
  EXPECT_EQ(fail["section"], "C2.6");
  EXPECT_EQ(fail["level"], "must");
  EXPECT_EQ(fail["outcome"], "fail");
  EXPECT_EQ(fail["message"], "init#2 status: expected 403, got 200");
  EXPECT_EQ(fail["duration_ms"], 20.0);
  EXPECT_EQ(fail["expected_failure"], false);
  ASSERT_EQ(fail["expectations"].size(), 3u);
  EXPECT_EQ(
      fail["expectations"][1],
      json::parse(
          R"({"step":"init#2","what":"status","passed":false,"expected":"403","actual":"200"})"));
  ASSERT_EQ(fail["steps"].size(), 1u);
  EXPECT_NE(fail["steps"][0]["request"].get<std::string>().find("\"api_key\":\"***\""),
            std::string::npos);
  EXPECT_EQ(fail["logs"],
            "stdout: __OW_API_KEY=***\nstderr: XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
  EXPECT_EQ(j["scenarios"][2]["level"], "should");
  EXPECT_EQ(j["scenarios"][3]["outcome"], "skip");
  EXPECT_EQ(j["scenarios"][4]["outcome"], "error");
  EXPECT_EQ(j["scenarios"][5]["expected_failure"], true);
}

TEST(JsonReportTest, AnyRuntimeBytesGiveValidJson) {
  RunReport report;
  ScenarioResult r;
  r.id = "run.bytes";
  r.outcome = Outcome::kFail;
  r.message = "bad \xFF byte";
  r.runtime_logs =
      std::string("esc:\x1b[2J nul:") + '\0' + " bad:\xC3( quote:\" emoji:\xF0\x9F\x98\x80";
  r.steps.push_back({"run", "POST /run\n\xFE", "HTTP/1.1 200 OK\n\n\xED\xA0\x80", 1});
  report.scenarios.push_back(r);
  std::string rendered;
  ASSERT_NO_THROW(rendered = conformance::render_json(report));
  json j;
  ASSERT_NO_THROW(j = json::parse(rendered)) << rendered;
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(j["scenarios"][0]["message"], "bad " + fffd + " byte");
  EXPECT_EQ(j["scenarios"][0]["logs"], std::string("esc:\x1b[2J nul:") + '\0' + " bad:" + fffd +
                                           "( quote:\" emoji:\xF0\x9F\x98\x80");
  EXPECT_EQ(j["scenarios"][0]["steps"][0]["request"], "POST /run\n" + fffd);
}

TEST(JsonReportTest, RuntimeNeverReadyVerdict) {
  RunReport report;
  ScenarioResult r;
  r.id = "init.text-code";
  r.outcome = Outcome::kError;
  r.runtime_not_ready = true;
  report.scenarios.push_back(r);
  const json j = json::parse(conformance::render_json(report));
  EXPECT_EQ(j["verdict"], "runtime-not-ready");
  EXPECT_EQ(j["exit_code"], 3);
  EXPECT_EQ(j["scenarios"][0]["runtime_not_ready"], true);
}

}  // namespace
}  // namespace conformance_test
