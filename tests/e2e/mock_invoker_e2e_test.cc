// End to end: the real mock_invoker against the real reference_runtime with
// the skeleton profile, on loopback ephemeral ports.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "conformance/platform/free_port.h"
#include "conformance/scenario/scenario.h"
#include "conformance/scenario/scenario_spec.h"
#include "tests/e2e/e2e_support.h"

namespace {

using namespace std::chrono_literals;

const std::string kLaunch =
    std::string(REFERENCE_RUNTIME_BIN) + " --host 127.0.0.1 --port {port} --action-dir {dir}";

std::vector<std::string> catalogue_ids() {
  std::vector<conformance::ScenarioSpec> specs;
  ow::Status s =
      conformance::load_catalogue(std::string(OW_SOURCE_DIR) + "/fixtures/scenarios", &specs);
  EXPECT_TRUE(s.ok()) << s.message();
  std::vector<std::string> ids;
  for (const auto& spec : specs) ids.push_back(spec.id);
  return ids;
}

e2e::ProcessResult mock_invoker(std::vector<std::string> args,
                                std::chrono::seconds deadline = 120s) {
  args.insert(args.begin(), MOCK_INVOKER_BIN);
  return e2e::run_process(args, deadline);
}

std::vector<std::string> check_args(std::vector<std::string> extra) {
  std::vector<std::string> args = {"check",    "--launch", kLaunch, "--profile",
                                   "skeleton", "--color",  "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string describe(const e2e::ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") +
         "\n--- stdout\n" + r.out + "\n--- stderr\n" + r.err;
}

nlohmann::json parse_report(const std::string& path) {
  return nlohmann::json::parse(e2e::read_file(path), nullptr, /*allow_exceptions=*/false);
}

TEST(MockInvokerE2E, FullCatalogueIsConformantWithJsonAndJunitReports) {
  e2e::TempDir tmp;
  auto r = mock_invoker(check_args({"--jobs", "2", "--json", tmp.file("report.json"), "--junit",
                                    tmp.file("report.xml")}),
                        300s);
  EXPECT_EQ(r.exit_code, 0) << describe(r);

  const auto ids = catalogue_ids();
  ASSERT_FALSE(ids.empty());
  nlohmann::json report = parse_report(tmp.file("report.json"));
  ASSERT_FALSE(report.is_discarded()) << e2e::read_file(tmp.file("report.json"));
  EXPECT_TRUE(report.contains("schema_version"));
  std::vector<std::string> reported;
  for (const auto& s : report.at("scenarios")) reported.push_back(s.at("id").get<std::string>());
  EXPECT_EQ(reported, ids);  // every ID, in catalogue order

  const std::string junit = e2e::read_file(tmp.file("report.xml"));
  EXPECT_NE(junit.find("<testsuite"), std::string::npos);
  for (const auto& id : ids) EXPECT_NE(junit.find("name=\"" + id + "\""), std::string::npos) << id;
}

TEST(MockInvokerE2E, FilterRunsOnlyMatchingScenarios) {
  e2e::TempDir tmp;
  const std::string glob = "run.*";
  auto r = mock_invoker(
      check_args({"--jobs", "2", "--filter", glob + ",no.such.*", "--json", tmp.file("r.json")}));
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  std::set<std::string> expected;
  for (const auto& id : catalogue_ids())
    if (fnmatch(glob.c_str(), id.c_str(), 0) == 0) expected.insert(id);
  ASSERT_FALSE(expected.empty());
  nlohmann::json report = parse_report(tmp.file("r.json"));
  ASSERT_FALSE(report.is_discarded());
  std::set<std::string> reported;
  for (const auto& s : report.at("scenarios")) reported.insert(s.at("id").get<std::string>());
  EXPECT_EQ(reported, expected);
}

TEST(MockInvokerE2E, StaleExpectedFailureFailsTheRun) {
  e2e::TempDir tmp;
  const std::string id = catalogue_ids().front();
  e2e::write_file(tmp.file("baseline.txt"), "# known failures\n" + id + "\n");
  auto r = mock_invoker(check_args({"--filter", id, "--expected-failures", tmp.file("baseline.txt"),
                                    "--json", tmp.file("r.json")}));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  nlohmann::json report = parse_report(tmp.file("r.json"));
  ASSERT_FALSE(report.is_discarded());
  ASSERT_EQ(report.at("scenarios").size(), 1u);
  const std::string stale = "listed in --expected-failures but passes now";
  EXPECT_NE(report["scenarios"][0].at("message").get<std::string>().find(stale), std::string::npos);
  // The baseline is applied before the live line: the console says it too.
  EXPECT_NE(r.out.find("FAIL   " + id), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find(stale), std::string::npos) << describe(r);
}

TEST(MockInvokerE2E, UnknownBaselineIdIsAConfigError) {
  // Refused before the run, so no report can claim a verdict the exit code denies.
  e2e::TempDir tmp;
  e2e::write_file(tmp.file("baseline.txt"), "no.such.scenario\n");
  auto r = mock_invoker(check_args({"--filter", catalogue_ids().front(), "--expected-failures",
                                    tmp.file("baseline.txt"), "--json", tmp.file("r.json")}));
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_NE(r.err.find("no.such.scenario"), std::string::npos) << describe(r);
  EXPECT_FALSE(std::ifstream(tmp.file("r.json")).good()) << "no report for a refused run";
}

TEST(MockInvokerE2E, RuntimeThatExitsAtOnceIsNeverReady) {
  auto r = mock_invoker({"check", "--launch", "sh -c 'echo dying >&2; exit 7' {port}", "--profile",
                         "skeleton", "--color", "never", "--filter", "*", "--jobs", "2",
                         "--ready-timeout", "5000"});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
}

TEST(MockInvokerE2E, BadOptionsAreUsageErrorsWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"check"}, "exactly one of --launch, --image or --url"},
      {{"check", "--launch", "x {port}", "--url", "http://127.0.0.1:1"}, "exactly one of"},
      {{"check", "--launch", "x {port}", "--jobs", "0"}, "--jobs"},
      {{"check", "--launch", "x {port}", "--color", "sometimes"}, "--color"},
      {{"check", "--launch", "x {port}", "--env", "NOEQUALS"}, "KEY=VALUE"},
      {{"check", "--launch", "x {port}", "--no-such-option"}, "no-such-option"},
      {{"check", "--launch", "x {port}", "--profile", "no-such-profile"}, "unknown profile"},
      {{"check", "--launch", "x {port}", "--filter", "zzz.nothing.*"}, "selects no scenario"},
      {{"check", "--launch", "x {port}", "--expected-failures", "/nonexistent/baseline"},
       "baseline"},
      {{"chek"}, "did you mean 'check'?"},
      {{"check", "--launch", "x {port}", "stray"}, "stray"},
  };
  for (const auto& c : cases) {
    auto r = mock_invoker(c.args, 30s);
    EXPECT_EQ(r.exit_code, 2) << c.args.back() << "\n" << describe(r);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.message << "\n" << describe(r);
  }
}

TEST(MockInvokerE2E, BadScenarioFileAndBadBaselineAreConfigErrors) {
  e2e::TempDir tmp;
  e2e::write_file(tmp.file("broken.json"), "{\"id\": \"x.broken\", \"steps\": [");
  auto scenarios = mock_invoker({"check", "--launch", kLaunch, "--scenarios", tmp.path()}, 30s);
  EXPECT_EQ(scenarios.exit_code, 2) << describe(scenarios);
  EXPECT_NE(scenarios.err.find("broken.json"), std::string::npos) << describe(scenarios);
  auto list = mock_invoker({"list", "--scenarios", tmp.path()}, 30s);
  EXPECT_EQ(list.exit_code, 2) << describe(list);

  e2e::write_file(tmp.file("baseline.txt"), "two words\n");
  auto baseline = mock_invoker(
      check_args({"--filter", "stub.*", "--expected-failures", tmp.file("baseline.txt")}), 30s);
  EXPECT_EQ(baseline.exit_code, 2) << describe(baseline);
  EXPECT_NE(baseline.err.find("baseline.txt:1"), std::string::npos) << describe(baseline);
}

TEST(MockInvokerE2E, HelpAndVersion) {
  auto help = mock_invoker({"--help"}, 30s);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("check"), std::string::npos);
  EXPECT_NE(help.out.find("list"), std::string::npos);
  auto version = mock_invoker({"--version"}, 30s);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("mock_invoker ", 0), 0u) << version.out;
  auto check_help = mock_invoker({"help", "check"}, 30s);
  EXPECT_EQ(check_help.exit_code, 0);
  EXPECT_NE(check_help.out.find("--expected-failures"), std::string::npos) << check_help.out;
}

TEST(MockInvokerE2E, ListPrintsEveryScenarioId) {
  auto r = mock_invoker({"list"}, 30s);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  const auto ids = catalogue_ids();
  ASSERT_FALSE(ids.empty());
  for (const auto& id : ids) EXPECT_NE(r.out.find(id + " "), std::string::npos) << id;
  EXPECT_NE(r.out.find("LEVEL"), std::string::npos);
}

// A reference_runtime on a free loopback port, for `check --url` runs;
// stopped (and its action dir removed) on destruction.
struct UrlRuntime {
  explicit UrlRuntime(std::vector<std::string> extra_args = {})
      : port(free_port()), process(argv(port, action_dir.path(), std::move(extra_args))) {}
  bool ready() const {
    return port != 0 && process.started() &&
           conformance::wait_until_accepting("127.0.0.1", port, 10000ms, [] {
             return std::string();
           }).ok();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  static unsigned short free_port() {
    unsigned short p = 0;
    return conformance::pick_free_port(&p).ok() ? p : 0;
  }
  static std::vector<std::string> argv(unsigned short port, const std::string& dir,
                                       std::vector<std::string> extra) {
    std::vector<std::string> args = {REFERENCE_RUNTIME_BIN, "--host",       "127.0.0.1", "--port",
                                     std::to_string(port),  "--action-dir", dir};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  const unsigned short port;
  e2e::TempDir action_dir;  // before `process`: its path is in the argv
  e2e::BackgroundProcess process;
};

TEST(MockInvokerE2E, UrlAgainstARunningRuntimeSkipsWithReasons) {
  UrlRuntime runtime;
  ASSERT_TRUE(runtime.ready());

  e2e::TempDir tmp;
  auto r = mock_invoker({"check", "--url", runtime.url(), "--profile", "skeleton", "--color",
                         "never", "--json", tmp.file("r.json")});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  nlohmann::json report = parse_report(tmp.file("r.json"));
  ASSERT_FALSE(report.is_discarded());
  std::size_t skipped = 0, ran = 0, log_skips = 0;
  for (const auto& s : report.at("scenarios")) {
    if (s.at("outcome") == "skip") {
      ++skipped;
      EXPECT_FALSE(s.at("message").get<std::string>().empty()) << s.dump();
      if (s.at("message") == "log checks need the runtime's log stream (--logs-from)") ++log_skips;
    } else {
      ++ran;
    }
  }
  EXPECT_GT(skipped, 0u);
  EXPECT_GT(ran, 0u);
  EXPECT_GT(log_skips, 0u);
  // The verdict says how much of the selection it covers.
  const std::string partial = "verdict: CONFORMANT (partial: " + std::to_string(ran) + " of " +
                              std::to_string(ran + skipped) + " scenarios ran)";
  EXPECT_NE(r.out.find(partial), std::string::npos) << describe(r);

  // --fail-on-skip: the same run on a pristine runtime fails, and says why.
  UrlRuntime pristine;
  ASSERT_TRUE(pristine.ready());
  auto strict = mock_invoker({"check", "--url", pristine.url(), "--profile", "skeleton", "--color",
                              "never", "--fail-on-skip"});
  EXPECT_EQ(strict.exit_code, 1) << describe(strict);
  EXPECT_NE(strict.out.find("skipped; --fail-on-skip)"), std::string::npos) << describe(strict);
}

// A shared runtime that dies in the middle of the run: the run names the
// scenario it stopped answering in and lists the rest as not run, instead of
// failing each of them on a refused connection.
TEST(MockInvokerE2E, UrlRuntimeThatStopsAnsweringIsReportedOnce) {
  UrlRuntime runtime({"--fault", "exit-during-run"});
  ASSERT_TRUE(runtime.ready());

  e2e::TempDir tmp;
  auto r = mock_invoker({"check", "--url", runtime.url(), "--profile", "skeleton", "--color",
                         "never", "--json", tmp.file("r.json")});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  nlohmann::json report = parse_report(tmp.file("r.json"));
  ASSERT_FALSE(report.is_discarded());
  std::string wedged_in;
  std::size_t not_run = 0, failed = 0;
  for (const auto& s : report.at("scenarios")) {
    const std::string message = s.value("message", "");
    if (message.find("stopped answering here") != std::string::npos) wedged_in = s.at("id");
    if (message.find("not run: the runtime stopped answering during") != std::string::npos)
      ++not_run;
    if (s.at("outcome") == "fail" || s.at("outcome") == "error") ++failed;
  }
  ASSERT_FALSE(wedged_in.empty()) << describe(r);
  EXPECT_EQ(failed, 1u) << "one failure, not a cascade\n" << describe(r);
  EXPECT_GT(not_run, 0u) << describe(r);
  EXPECT_NE(r.out.find("stopped answering during " + wedged_in), std::string::npos) << describe(r);
}

}  // namespace
