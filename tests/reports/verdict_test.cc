// The --expected-failures baseline and the exit code.
#include "conformance/report/verdict.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "conformance/report/run_summary.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::Baseline;
using conformance::exit_code_for;
using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;

class BaselineFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir();
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& contents) {
    const std::string path = dir_ + "/baseline.txt";
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  std::string dir_;
};

TEST_F(BaselineFileTest, ReadsIdsIgnoringCommentsBlanksAndWhitespace) {
  Baseline baseline;
  const auto status = conformance::load_baseline(
      write("# known gaps of the skeleton\n\n  run.context-no-leak  \n"
            "init.bad-zip # stub kept, C5\r\n\t\n#init.commented-out\nrun.concurrent\n"
            "run.concurrent\n"),
      &baseline);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(baseline.expected_failures,
            (std::set<std::string>{"run.context-no-leak", "init.bad-zip", "run.concurrent"}));
}

TEST_F(BaselineFileTest, EmptyFileIsAnEmptyBaseline) {
  Baseline baseline;
  baseline.expected_failures = {"left.over"};
  ASSERT_TRUE(conformance::load_baseline(write(""), &baseline).ok());
  EXPECT_TRUE(baseline.expected_failures.empty());
}

TEST_F(BaselineFileTest, MissingFileIsAnErrorNamingIt) {
  Baseline baseline;
  const auto status = conformance::load_baseline(dir_ + "/absent.txt", &baseline);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("absent.txt"), std::string::npos) << status.message();
}

TEST_F(BaselineFileTest, DirectoryIsAnError) {
  Baseline baseline;
  const auto status = conformance::load_baseline(dir_, &baseline);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("directory"), std::string::npos) << status.message();
}

TEST_F(BaselineFileTest, TwoWordsOnALineIsAnErrorNamingTheLine) {
  Baseline baseline;
  baseline.expected_failures = {"kept"};
  const auto status = conformance::load_baseline(write("a.ok\nrun.x run.y\n"), &baseline);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(":2:"), std::string::npos) << status.message();
  EXPECT_EQ(baseline.expected_failures, std::set<std::string>{"kept"});  // untouched on error
}

TEST_F(BaselineFileTest, BinaryContentIsAnError) {
  Baseline baseline;
  EXPECT_FALSE(
      conformance::load_baseline(write(std::string("run.x\0\x01\x02", 8)), &baseline).ok());
}

TEST_F(BaselineFileTest, NullBaselineIsAnError) {
  EXPECT_FALSE(conformance::load_baseline(write("a\n"), nullptr).ok());
}

ScenarioResult result(const std::string& id, Outcome outcome) {
  ScenarioResult r;
  r.id = id;
  r.outcome = outcome;
  r.message = "original message";
  return r;
}

RunReport report_of(std::initializer_list<ScenarioResult> results, bool strict = false) {
  RunReport report;
  report.strict = strict;
  report.scenarios = results;
  return report;
}

void apply_to_all(const Baseline& baseline, RunReport* report) {
  for (auto& r : report->scenarios) conformance::apply_baseline_to(baseline, &r);
}

TEST(ApplyBaselineTest, MarksListedFailuresExpected) {
  RunReport report = report_of({result("f", Outcome::kFail), result("w", Outcome::kWarn),
                                result("e", Outcome::kError), result("other", Outcome::kFail)});
  apply_to_all(Baseline{{"f", "w", "e"}}, &report);
  EXPECT_TRUE(report.scenarios[0].expected_failure);
  EXPECT_TRUE(report.scenarios[1].expected_failure);
  EXPECT_TRUE(report.scenarios[2].expected_failure);
  EXPECT_FALSE(report.scenarios[3].expected_failure);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kFail);
  EXPECT_EQ(report.scenarios[0].message, "original message");
}

TEST(ApplyBaselineTest, ListedPassBecomesAStaleEntryFailure) {
  RunReport report = report_of({result("p", Outcome::kPass)});
  apply_to_all(Baseline{{"p"}}, &report);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kFail);
  EXPECT_FALSE(report.scenarios[0].expected_failure);
  EXPECT_TRUE(report.scenarios[0].baseline_stale);
  EXPECT_EQ(report.scenarios[0].message,
            "listed in --expected-failures but passes now: remove its line from the baseline file");
  EXPECT_EQ(exit_code_for(report), conformance::kExitNonConformant);
}

TEST(ApplyBaselineTest, ListedSkipIsLeftAlone) {
  RunReport report = report_of({result("s", Outcome::kSkip)});
  apply_to_all(Baseline{{"s"}}, &report);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kSkip);
  EXPECT_FALSE(report.scenarios[0].expected_failure);
  EXPECT_EQ(report.scenarios[0].message, "original message");
}

TEST(ExitCodeTest, SkipsFailTheRunOnlyUnderFailOnSkip) {
  RunReport report = report_of({result("a", Outcome::kPass), result("b", Outcome::kSkip)});
  EXPECT_EQ(exit_code_for(report), conformance::kExitConformant);
  report.fail_on_skip = true;
  EXPECT_EQ(exit_code_for(report), conformance::kExitNonConformant);
  report.scenarios.pop_back();
  EXPECT_EQ(exit_code_for(report), conformance::kExitConformant);
}

TEST(ExitCodeTest, AllPassIsConformant) {
  EXPECT_EQ(exit_code_for(report_of({result("a", Outcome::kPass), result("b", Outcome::kSkip)})),
            conformance::kExitConformant);
}

TEST(ExitCodeTest, EmptyAndAllSkippedAreConformant) {
  EXPECT_EQ(exit_code_for(report_of({})), conformance::kExitConformant);
  EXPECT_EQ(exit_code_for(report_of({result("s", Outcome::kSkip)})), conformance::kExitConformant);
}

TEST(ExitCodeTest, FailOrErrorIsNonConformant) {
  EXPECT_EQ(exit_code_for(report_of({result("a", Outcome::kPass), result("b", Outcome::kFail)})),
            conformance::kExitNonConformant);
  EXPECT_EQ(exit_code_for(report_of({result("a", Outcome::kPass), result("b", Outcome::kError)})),
            conformance::kExitNonConformant);
}

TEST(ExitCodeTest, WarnFailsOnlyUnderStrict) {
  EXPECT_EQ(exit_code_for(report_of({result("w", Outcome::kWarn)})), conformance::kExitConformant);
  EXPECT_EQ(exit_code_for(report_of({result("w", Outcome::kWarn)}, /*strict=*/true)),
            conformance::kExitNonConformant);
}

TEST(ExitCodeTest, ExpectedFailuresDoNotCount) {
  ScenarioResult fail = result("f", Outcome::kFail);
  fail.expected_failure = true;
  ScenarioResult warn = result("w", Outcome::kWarn);
  warn.expected_failure = true;
  ScenarioResult error = result("e", Outcome::kError);
  error.expected_failure = true;
  EXPECT_EQ(exit_code_for(report_of({fail, warn, error, result("p", Outcome::kPass)}, true)),
            conformance::kExitConformant);
}

ScenarioResult not_ready(const std::string& id) {
  ScenarioResult r = result(id, Outcome::kError);
  r.runtime_not_ready = true;
  return r;
}

TEST(ExitCodeTest, RuntimeNeverReadyWhenEveryRunScenarioSaysSo) {
  EXPECT_EQ(exit_code_for(report_of({not_ready("a"), not_ready("b"), result("s", Outcome::kSkip)})),
            conformance::kExitRuntimeNotReady);
  ScenarioResult expected = not_ready("c");
  expected.expected_failure = true;  // the runtime still never answered
  EXPECT_EQ(exit_code_for(report_of({not_ready("a"), expected})),
            conformance::kExitRuntimeNotReady);
}

TEST(ExitCodeTest, SomeAnswersMakeItAConformanceVerdict) {
  EXPECT_EQ(exit_code_for(report_of({not_ready("a"), result("p", Outcome::kPass)})),
            conformance::kExitNonConformant);
  EXPECT_EQ(exit_code_for(report_of({not_ready("a"), result("f", Outcome::kFail)})),
            conformance::kExitNonConformant);
  ScenarioResult excused = not_ready("b");
  excused.expected_failure = true;
  EXPECT_EQ(exit_code_for(report_of({excused, result("p", Outcome::kPass)})),
            conformance::kExitConformant);
}

TEST(ExitCodeTest, SampleReportIsNonConformant) {
  EXPECT_EQ(exit_code_for(sample_report()), conformance::kExitNonConformant);
}

TEST(VerdictHeadlineTest, SkipsMakeAConformantRunPartial) {
  RunReport report = report_of(
      {result("a", Outcome::kPass), result("b", Outcome::kPass), result("c", Outcome::kSkip)});
  EXPECT_EQ(conformance::verdict_headline(conformance::summarize(report)),
            "CONFORMANT (partial: 2 of 3 scenarios ran)");
  report.scenarios.pop_back();
  EXPECT_EQ(conformance::verdict_headline(conformance::summarize(report)), "CONFORMANT");
}

TEST(VerdictHeadlineTest, FailOnSkipSaysWhyTheRunFailed) {
  RunReport report = report_of({result("a", Outcome::kPass), result("c", Outcome::kSkip)});
  report.fail_on_skip = true;
  EXPECT_EQ(conformance::verdict_headline(conformance::summarize(report)),
            "NOT CONFORMANT (1 skipped; --fail-on-skip)");
  report.scenarios.push_back(result("f", Outcome::kFail));
  EXPECT_EQ(conformance::verdict_headline(conformance::summarize(report)), "NOT CONFORMANT");
}

}  // namespace
}  // namespace conformance_test
