// The HTML report as text: self-contained, complete, escaped, counts from the
// shared summary. (tests/reports/html_in_browser.py opens it in Chromium.)
#include <gtest/gtest.h>

#include <string>

#include "conformance/report/html_reporter.h"
#include "conformance/report/run_summary.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::Outcome;
using conformance::RunReport;
using conformance::ScenarioResult;

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReportTest, MatchesGolden) {
  expect_matches_golden("report.html", conformance::render_html(sample_report()));
}

TEST(HtmlReportTest, LoadsNothingFromTheNetwork) {
  const std::string page = conformance::render_html(sample_report());
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  for (const char* outside :
       {"<link", " src=", "href=\"http", "url(", "@import", "fetch(", "XMLHttpRequest"}) {
    EXPECT_EQ(page.find(outside), std::string::npos) << outside;
  }
  EXPECT_EQ(occurrences(page, "<script>"), 1u);  // the one inline script
  EXPECT_EQ(occurrences(page, "<style>"), 1u);
}

TEST(HtmlReportTest, CountsAreTheSummaryAndEveryScenarioIsThere) {
  const RunReport report = sample_report();
  const conformance::RunSummary s = conformance::summarize(report);
  const std::string page = conformance::render_html(report);
  const auto count = [&page](const std::string& key) {
    const std::string marker = "data-count=\"" + key + "\">";
    const std::size_t at = page.find(marker);
    return at == std::string::npos
               ? std::string("<absent>")
               : page.substr(at + marker.size(), page.find('<', at) - at - marker.size());
  };
  EXPECT_EQ(count("scenarios"), std::to_string(s.total));
  EXPECT_EQ(count("passed"), std::to_string(s.passed));
  EXPECT_EQ(count("failed"), std::to_string(s.failed));
  EXPECT_EQ(count("errored"), std::to_string(s.errored));
  EXPECT_EQ(count("warned"), std::to_string(s.warned));
  EXPECT_EQ(count("skipped"), std::to_string(s.skipped));
  EXPECT_EQ(count("expected_failures"), std::to_string(s.expected_failures));
  for (const ScenarioResult& r : report.scenarios) {
    EXPECT_EQ(occurrences(page, "<details class=\"scenario\" id=\"" + r.id + "\" data-outcome=\"" +
                                    conformance::to_string(r.outcome) + "\""),
              1u)
        << r.id;
  }
  // Grouped by contract section, in contract order.
  const std::size_t c2 = page.find("data-section=\"C2\""), c3 = page.find("data-section=\"C3\"");
  ASSERT_NE(c2, std::string::npos);
  ASSERT_NE(c3, std::string::npos);
  EXPECT_LT(c2, c3);
  EXPECT_LT(c2, page.find("id=\"init.second-refused\""));
  EXPECT_GT(c3, page.find("id=\"init.second-refused\""));
}

TEST(HtmlReportTest, TranscriptsAndLogsAreCollapsible) {
  const std::string page = conformance::render_html(sample_report());
  EXPECT_NE(page.find("<details class=\"step\"><summary>step run#1"), std::string::npos);
  EXPECT_NE(page.find("<details class=\"logs\"><summary>runtime logs"), std::string::npos);
  EXPECT_NE(page.find("A second /init after a successful one answers 403."), std::string::npos);
  // Failures and errors are open; passes are closed.
  EXPECT_NE(page.find("id=\"init.second-refused\" data-outcome=\"fail\" open>"), std::string::npos);
  EXPECT_NE(page.find("id=\"init.text-code\" data-outcome=\"pass\">"), std::string::npos);
}

TEST(HtmlReportTest, RuntimeTextIsEscapedAndRedacted) {
  RunReport report;
  report.target = "url: http://127.0.0.1:1/?a=1&b=<2>";
  ScenarioResult r;
  r.id = "run.hostile";
  r.section = "C3.4";
  r.outcome = Outcome::kFail;
  r.message = "</details><script>alert(1)</script>\x1b[2J";
  r.runtime_logs = std::string("api_key=hunter2 bad:\xFF nul:") + '\0' + " <img src=x onerror=y>\n";
  r.steps.push_back(
      {"run", "POST /run\n{\"api_key\":\"hunter2\"}", "HTTP/1.1 200 OK\n\n</pre>", 1});
  report.scenarios.push_back(r);
  const std::string page = conformance::render_html(report);
  EXPECT_EQ(page.find("hunter2"), std::string::npos);
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find('\x1b'), std::string::npos);
  EXPECT_EQ(page.find('\0'), std::string::npos);
  EXPECT_NE(page.find("&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\x1b[2J"),
            std::string::npos);
  EXPECT_NE(page.find("bad:\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(occurrences(page, "<script>"), 1u);
}

}  // namespace
}  // namespace conformance_test
