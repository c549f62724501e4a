// The console reporter: streaming lines, the closing line CI reads, colour,
// verbosity, and no terminal control sequences from runtime output.
#include "conformance/report/console_reporter.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::ConsoleOptions;
using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;

std::string render(const RunReport& report, ConsoleOptions options) {
  std::ostringstream out;
  auto reporter = conformance::make_console_reporter(out, options);
  reporter->on_start(report, report.scenarios.size());
  for (const auto& s : report.scenarios) reporter->on_scenario(s);
  reporter->on_finish(report);
  return out.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

TEST(ConsoleReporterTest, ClosingLineIsAloneThenWarnsAndVerdict) {
  const auto all = lines(render(sample_report(), {}));
  ASSERT_GE(all.size(), 2u);
  // One bucket per scenario: 1 + 1 + 1 + 1 + 1 warned + 1 expected = 6.
  EXPECT_EQ(all[all.size() - 2], "1 passed, 1 failed, 1 errored, 1 skipped");
  EXPECT_EQ(all.back(),
            "1 warned, 1 expected to fail; verdict: NOT CONFORMANT "
            "(6 scenarios in 1.234 s)");
}

TEST(ConsoleReporterTest, StrictCountsWarnsAsFailed) {
  RunReport report = sample_report();
  report.strict = true;
  const std::string out = render(report, {});
  EXPECT_NE(out.find("\n1 passed, 2 failed, 1 errored, 1 skipped\n0 warned,"), std::string::npos);
  EXPECT_NE(out.find("(strict: warnings fail)"), std::string::npos);
}

TEST(ConsoleReporterTest, ConformantVerdict) {
  RunReport report;
  report.scenarios.push_back(sample_report().scenarios[0]);
  const auto all = lines(render(report, {}));
  EXPECT_EQ(all[all.size() - 2], "1 passed, 0 failed, 0 errored, 0 skipped");
  EXPECT_NE(all.back().find("verdict: CONFORMANT "), std::string::npos);
}

TEST(ConsoleReporterTest, PrintsEachScenarioAsItFinishes) {
  std::ostringstream out;
  auto reporter = conformance::make_console_reporter(out, {});
  const RunReport report = sample_report();
  reporter->on_start(report, 6);
  EXPECT_NE(out.str().find("scenarios: 6"), std::string::npos);
  reporter->on_scenario(report.scenarios[3]);
  EXPECT_NE(out.str().find("SKIP   init.stub  The stub answers before init (0 ms)\n"
                           "       reason: profile lacks capability 'stub'\n"),
            std::string::npos);
}

TEST(ConsoleReporterTest, ColourOnlyWhenAsked) {
  const std::string plain = render(sample_report(), {});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  ConsoleOptions colour;
  colour.color = true;
  const std::string coloured = render(sample_report(), colour);
  EXPECT_NE(coloured.find("\x1b[32mPASS \x1b[0m"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[31mFAIL \x1b[0m"), std::string::npos);
  // The line CI reads stays plain.
  EXPECT_NE(coloured.find("\n1 passed, 1 failed, 1 errored, 1 skipped\n"), std::string::npos);
}

TEST(ConsoleReporterTest, VerboseShowsPassingDetails) {
  const std::string quiet = render(sample_report(), {});
  EXPECT_EQ(quiet.find("ok: init status"), std::string::npos);
  ConsoleOptions verbose;
  verbose.verbose = true;
  EXPECT_NE(render(sample_report(), verbose).find("ok: init status"), std::string::npos);
}

TEST(ConsoleReporterTest, MarksExpectedFailures) {
  EXPECT_NE(render(sample_report(), {})
                .find("FAIL   run.concurrent-isolated  Overlapping runs "
                      "stay separate (40 ms) [expected failure]\n"),
            std::string::npos);
}

TEST(ConsoleReporterTest, RuntimeOutputCannotDriveTheTerminal) {
  RunReport report;
  ScenarioResult r;
  r.id = "run.hostile";
  r.outcome = Outcome::kError;
  r.message = "died \x1b]0;title\x07";
  r.runtime_logs = "clear:\x1b[2J cr:\r bad:\xFF key: {\"api_key\":\"hunter2\"}\n";
  report.scenarios.push_back(r);
  const std::string out = render(report, {});
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.find('\x07'), std::string::npos);
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
  EXPECT_NE(out.find("| clear:\\x1b[2J cr:\\x0d bad:\xEF\xBF\xBD key: {\"api_key\":\"***\"}\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("message: died \\x1b]0;title\\x07\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace conformance_test
