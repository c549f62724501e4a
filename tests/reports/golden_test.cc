// Golden-file tests: the fixed sample report rendered by each reporter must
// match fixtures/report_goldens/ byte for byte (UPDATE_GOLDENS=1 rewrites them).
#include <gtest/gtest.h>

#include <sstream>

#include "conformance/report/console_reporter.h"
#include "conformance/report/json_reporter.h"
#include "conformance/report/junit_reporter.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::RunReport;

std::string render_console(const RunReport& report, conformance::ConsoleOptions options) {
  std::ostringstream out;
  auto reporter = conformance::make_console_reporter(out, options);
  RunReport header = report;
  header.scenarios.clear();
  reporter->on_start(header, report.scenarios.size());
  for (const auto& scenario : report.scenarios) reporter->on_scenario(scenario);
  reporter->on_finish(report);
  return out.str();
}

TEST(GoldenTest, JsonReportMatchesGolden) {
  expect_matches_golden("report.json", conformance::render_json(sample_report()));
}

TEST(GoldenTest, JunitReportMatchesGolden) {
  expect_matches_golden("report.xml", conformance::render_junit(sample_report()));
}

TEST(GoldenTest, ConsoleReportMatchesGolden) {
  expect_matches_golden("console.txt", render_console(sample_report(), {}));
}

TEST(GoldenTest, NoReportShowsTheSecret) {
  const RunReport report = sample_report();
  EXPECT_EQ(conformance::render_json(report).find(kSampleSecret), std::string::npos);
  EXPECT_EQ(conformance::render_junit(report).find(kSampleSecret), std::string::npos);
  conformance::ConsoleOptions verbose;
  verbose.verbose = true;
  EXPECT_EQ(render_console(report, verbose).find(kSampleSecret), std::string::npos);
  // The secret is really in the sample, so the checks above mean something.
  EXPECT_NE(report.scenarios[1].runtime_logs.find(kSampleSecret), std::string::npos);
}

}  // namespace
}  // namespace conformance_test
