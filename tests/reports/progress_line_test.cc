// The console's status line on a terminal (ProgressLine): its text, that it is
// erased before other output and gone at the end, and the console reporter
// using it only when asked.
#include "conformance/report/progress_line.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <thread>

#include "conformance/report/console_reporter.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

using conformance::ProgressLine;
using namespace std::chrono_literals;

TEST(ProgressLineTest, StatusText) {
  EXPECT_EQ(ProgressLine::status_text(12, 41, "init.second-refused", 4.06),
            "12/41 init.second-refused 4.1 s");
  EXPECT_EQ(ProgressLine::status_text(41, 41, "", 0), "41/41");
  // Control characters of a hostile ID are shown, and long IDs are cut.
  EXPECT_EQ(ProgressLine::status_text(1, 2, "a\x1b[2Jb", 0.0), "1/2 a\\x1b[2Jb 0.0 s");
  EXPECT_LT(ProgressLine::status_text(1, 2, std::string(500, 'x'), 1).size(), 80u);
}

TEST(ProgressLineTest, ErasedBeforeOutputAndGoneAtTheEnd) {
  std::ostringstream out;
  {
    ProgressLine line(out, 0ms);  // no ticker: drawn on events only
    line.begin(2);
    line.started("a.one");
    line.finished("a.one", [&out] { out << "PASS a.one\n"; });
    line.end([&out] { out << "done\n"; });
  }
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("\r\033[K0/2", 0), 0u) << text;
  EXPECT_NE(text.find("\r\033[K0/2 a.one 0.0 s\r\033[KPASS a.one\n\r\033[K1/2\r\033[Kdone\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.substr(text.size() - 5), "done\n");  // nothing drawn after the end
}

TEST(ProgressLineTest, TickerRedrawsWhileAScenarioRuns) {
  std::ostringstream out;
  ProgressLine line(out, 5ms);
  line.begin(1);
  line.started("slow.one");
  std::this_thread::sleep_for(100ms);
  line.end([] {});
  std::size_t draws = 0;
  for (std::size_t at = out.str().find("0/1 slow.one"); at != std::string::npos;
       at = out.str().find("0/1 slow.one", at + 1))
    ++draws;
  EXPECT_GT(draws, 2u) << out.str();
}

TEST(ProgressLineTest, ConsoleReporterDrawsOnlyWhenAsked) {
  const auto render = [](bool progress) {
    std::ostringstream out;
    conformance::ConsoleOptions options;
    options.progress = progress;
    auto reporter = conformance::make_console_reporter(out, options);
    const conformance::RunReport report = sample_report();
    reporter->on_start(report, report.scenarios.size());
    for (const auto& s : report.scenarios) {
      reporter->on_scenario_started(s.id);
      reporter->on_scenario(s);
    }
    reporter->on_finish(report);
    return out.str();
  };
  const std::string plain = render(false);
  EXPECT_EQ(plain.find('\r'), std::string::npos);
  const std::string live = render(true);
  EXPECT_NE(live.find("\r\033[K5/6 run.concurrent-isolated "), std::string::npos) << live;
  // The report's own lines are the same: between two erase sequences there
  // is either a status (no newline) or report text (whole lines).
  std::string without;
  const std::string erase = "\r\033[K";
  std::size_t begin = 0;
  for (bool first = true;; first = false) {
    const std::size_t at = live.find(erase, begin);
    const std::string chunk = live.substr(begin, at == std::string::npos ? at : at - begin);
    if (first || chunk.find('\n') != std::string::npos) without += chunk;
    if (at == std::string::npos) break;
    begin = at + erase.size();
  }
  EXPECT_EQ(without, plain);
}

}  // namespace
}  // namespace conformance_test
