// Large runtime output (many lines, megabytes) renders completely in every
// reporter; guards against accidental quadratic work per line.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "conformance/report/console_reporter.h"
#include "conformance/report/json_reporter.h"
#include "conformance/report/junit_reporter.h"

namespace conformance_test {
namespace {

using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;

RunReport large_report() {
  std::string logs;
  for (int i = 0; i < 20000; ++i) logs += "log line " + std::to_string(i) + " api_key=k\n";
  logs += "last line\n";
  RunReport report;
  ScenarioResult r;
  r.id = "run.large";
  r.outcome = Outcome::kFail;
  r.runtime_logs = logs;
  r.expectations.push_back({"run", "body", false, logs, logs});
  r.steps.push_back({"run", "POST /run\n" + logs, "HTTP/1.1 200 OK\n\n" + logs, 1});
  report.scenarios.push_back(r);
  return report;
}

TEST(LargeReportTest, EveryReporterRendersAllOfIt) {
  const RunReport report = large_report();
  std::ostringstream console;
  auto reporter = conformance::make_console_reporter(console, {});
  reporter->on_scenario(report.scenarios[0]);
  reporter->on_finish(report);
  const std::string json = conformance::render_json(report);
  const std::string junit = conformance::render_junit(report);
  for (const std::string* out : {&json, &junit}) {
    EXPECT_NE(out->find("last line"), std::string::npos);
    EXPECT_NE(out->find("log line 19999 api_key=***"), std::string::npos);
    EXPECT_EQ(out->find("api_key=k"), std::string::npos);
  }
  EXPECT_NE(console.str().find("| last line\n"), std::string::npos);
  EXPECT_EQ(console.str().find("api_key=k"), std::string::npos);
}

}  // namespace
}  // namespace conformance_test
