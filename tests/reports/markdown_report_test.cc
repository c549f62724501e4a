// The Markdown summary ($GITHUB_STEP_SUMMARY): golden, counts, and runtime
// text that cannot break the table.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "conformance/report/markdown_reporter.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;

// Unescaped '|' in a line.
std::size_t cell_bars(const std::string& line) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
    } else if (line[i] == '|') {
      ++n;
    }
  }
  return n;
}

TEST(MarkdownReportTest, MatchesGolden) {
  expect_matches_golden("report.md", conformance::render_markdown(sample_report()));
}

TEST(MarkdownReportTest, ListsWhatDidNotPassWithTheSharedCounts) {
  const std::string md = conformance::render_markdown(sample_report());
  EXPECT_NE(md.find("NOT CONFORMANT"), std::string::npos);
  EXPECT_NE(md.find("| 6 | 1 | 1 | 1 | 1 | 1 | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("init.second-refused"), std::string::npos);
  EXPECT_NE(md.find("run.sentinels"), std::string::npos);
  EXPECT_EQ(md.find("init.text-code"), std::string::npos);  // passes are not listed
  EXPECT_EQ(md.find(kSampleSecret), std::string::npos);
}

TEST(MarkdownReportTest, RuntimeTextCannotBreakTheTable) {
  RunReport report;
  ScenarioResult r;
  r.id = "run.hostile";
  r.section = "C3.4";
  r.outcome = Outcome::kFail;
  r.message =
      "a | b\n| c | d |\n<script>x</script> `code` api_key=hunter2 " + std::string(2000, 'x');
  report.scenarios.push_back(r);
  const std::string md = conformance::render_markdown(report);
  EXPECT_EQ(md.find("hunter2"), std::string::npos);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  std::istringstream lines(md);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.find("run.hostile") == std::string::npos) continue;
    found = true;
    EXPECT_EQ(cell_bars(line), 5u) << line;  // four cells, one row
    EXPECT_LT(line.size(), 600u);            // long messages are cut
  }
  EXPECT_TRUE(found) << md;
}

TEST(MarkdownReportTest, ConformantRunSaysSo) {
  RunReport report;
  ScenarioResult r;
  r.id = "init.text-code";
  r.outcome = Outcome::kPass;
  report.scenarios.push_back(r);
  const std::string md = conformance::render_markdown(report);
  EXPECT_NE(md.find("CONFORMANT"), std::string::npos);
  EXPECT_EQ(md.find("NOT CONFORMANT"), std::string::npos);
  EXPECT_NE(md.find("Every scenario that ran passed."), std::string::npos);
}

}  // namespace
}  // namespace conformance_test
