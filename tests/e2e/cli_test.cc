// mock_invoker's option handling and subcommand table, without running checks.
#include <gtest/gtest.h>

#include <sstream>

#include "mock_invoker/check_config.h"
#include "mock_invoker/commands.h"
#include "mock_invoker/options.h"
#include "mock_invoker/report_formats.h"
#include "mock_invoker/target_kinds.h"

namespace mock_invoker {
namespace {

TEST(CliTest, ClosestNameSuggestsNearCommandsOnly) {
  const std::vector<std::string> names = {"check", "list", "invoke", "bench"};
  EXPECT_EQ(closest_name("chek", names), "check");
  EXPECT_EQ(closest_name("lsit", names), "list");
  EXPECT_EQ(closest_name("benhc", names), "bench");
  EXPECT_EQ(closest_name("frobnicate", names), "");
}

TEST(CliTest, UnknownCommandIsAUsageErrorWithSuggestion) {
  std::ostringstream out, err;
  const char* argv[] = {"mock_invoker", "lst"};
  EXPECT_EQ(run_cli(2, argv, out, err), 2);
  EXPECT_NE(err.str().find("did you mean 'list'?"), std::string::npos) << err.str();
}

TEST(CliTest, EveryCommandHasHelp) {
  for (const auto& c : command_table()) {
    std::ostringstream out, err;
    const char* argv[] = {"mock_invoker", "help", c.name};
    EXPECT_EQ(run_cli(3, argv, out, err), 0) << c.name;
    EXPECT_FALSE(out.str().empty()) << c.name;
    EXPECT_NE(std::string(c.summary), "");
  }
}

TEST(CliTest, SplitHelpers) {
  EXPECT_EQ(split_commas("a,,b,"), (std::vector<std::string>{"a", "b"}));
  std::string k, v;
  EXPECT_TRUE(split_assignment("K=a=b,c", "--env", &k, &v).ok());
  EXPECT_EQ(k, "K");
  EXPECT_EQ(v, "a=b,c");
  EXPECT_FALSE(split_assignment("=v", "--env", &k, &v).ok());
  EXPECT_TRUE(matches_any_glob({}, "anything"));
  EXPECT_TRUE(matches_any_glob({"x.*", "init.*"}, "init.twice"));
  EXPECT_FALSE(matches_any_glob({"run.*"}, "init.twice"));
}

TEST(CliTest, CheckOptionsAreParsedAndValidated) {
  std::ostringstream out, err;
  CheckConfig c;
  const std::optional<int> done =
      parse_check({"--launch", "rt --port {port}", "--env", "A=1,2", "--env", "B=", "--filter",
                   "a.*,b.*", "--jobs", "3", "--timeout", "2000", "--strict", "--color", "never",
                   "--capability", "stub=false", "--junit", "out.xml"},
                  CommandIo{out, err}, &c);
  ASSERT_FALSE(done.has_value()) << err.str();
  ASSERT_NE(c.target.kind, nullptr);
  EXPECT_EQ(std::string(c.target.kind->option), "launch");
  EXPECT_EQ(c.target.value, "rt --port {port}");
  EXPECT_EQ(c.target.env.at("A"), "1,2");  // commas stay inside one --env
  EXPECT_EQ(c.target.env.at("B"), "");
  EXPECT_EQ(c.selection.filters, (std::vector<std::string>{"a.*", "b.*"}));
  EXPECT_EQ(c.selection.capabilities, (std::vector<std::string>{"stub=false"}));
  EXPECT_EQ(c.jobs, 3u);
  ASSERT_TRUE(c.step_timeout.has_value());
  EXPECT_EQ(c.step_timeout->count(), 2000);
  EXPECT_TRUE(c.strict);
  EXPECT_EQ(c.color, ColorMode::kNever);
  ASSERT_EQ(c.reports.size(), 1u);
  EXPECT_EQ(std::string(c.reports[0].format->name), "junit");
  EXPECT_EQ(c.reports[0].path, "out.xml");
  EXPECT_EQ(c.stop, conformance::StopPolicy::kWhenNeverReady);
}

TEST(CliTest, StopPolicyOptions) {
  for (const auto& [option, policy] : {std::pair<const char*, conformance::StopPolicy>{
                                           "--fail-fast", conformance::StopPolicy::kOnFirstFailure},
                                       {"--keep-going", conformance::StopPolicy::kNever}}) {
    std::ostringstream out, err;
    CheckConfig c;
    ASSERT_FALSE(parse_check({"--launch", "rt {port}", option}, CommandIo{out, err}, &c))
        << err.str();
    EXPECT_EQ(c.stop, policy) << option;
  }
}

TEST(CliTest, CheckHelpIsNotARun) {
  std::ostringstream out, err;
  CheckConfig c;
  EXPECT_EQ(parse_check({"--help"}, CommandIo{out, err}, &c), std::optional<int>(0));
  for (const auto& format : report_formats())
    EXPECT_NE(out.str().find(std::string("--") + format.name), std::string::npos) << format.name;
  for (const auto& kind : target_kinds())
    EXPECT_NE(out.str().find(std::string("--") + kind.option), std::string::npos) << kind.option;
}

// The table's fresh_instances flag is what bench relies on (--cold-starts):
// it must say what the kind's targets say.
TEST(CliTest, TargetKindTableMatchesItsTargets) {
  for (const auto& kind : target_kinds()) {
    TargetChoice choice;
    choice.kind = &kind;
    choice.value = "x";
    EXPECT_EQ(make_target(choice)->fresh_instances(), kind.fresh_instances) << kind.option;
  }
  EXPECT_EQ(target_options_where_fresh(true), "--launch or --image");
}

TEST(CliTest, CheckRejectsBadCombinations) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"--launch", "x {port}", "--image", "y"},
      {"--image", "y", "--logs-from", "docker logs -f y"},
      {"--launch", "x {port}", "--jobs", "many"},
      {"--launch", "x {port}", "--timeout", "5"},
      {"--launch", "x {port}", "--capability", "nokey"},
      {"--launch", "x {port}", "--fail-fast", "--keep-going"},
      {"--launch", "x"},                       // no {port}
      {"--launch", "x {port} 'unterminated"},  // does not split
      {"--url", "127.0.0.1:8080"},             // no scheme
      {"--url", "http://h", "--logs-from", "a 'b"},
      {"--launch", "x {port}", "--html", "/nonexistent-dir/r.html"},
  };
  for (const auto& args : bad) {
    std::ostringstream out, err;
    CheckConfig c;
    EXPECT_EQ(parse_check(args, CommandIo{out, err}, &c), std::optional<int>(2))
        << (args.empty() ? std::string("(none)") : args.back());
  }
}

}  // namespace
}  // namespace mock_invoker
