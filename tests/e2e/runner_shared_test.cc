// ScenarioRunner with a shared instance (--url): ordering, the one shared
// /init, skips with reasons.
#include "tests/e2e/runner_fixture.h"

namespace runner_test {
namespace {

using testing_support::FakeTransport;

constexpr char kNeedsFresh[] = "needs a fresh runtime instance (--url gives one shared instance)";

std::vector<std::string> paths_sent(const FakeTransport& t) {
  std::vector<std::string> out;
  for (const auto& r : t.requests()) out.push_back(r.path + (r.body.empty() ? "" : " " + r.body));
  return out;
}

TEST(SharedInstanceTest, StubRunsFirstThenOneInitForTheMostCommonIdentity) {
  RunnerHarness h(/*fresh=*/false);
  h.transport.set_fallback("/init", FakeTransport::response(200, "OK"));
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));

  PreparedStep echo_run = run_step();
  echo_run.bodies = {"echo-run"};
  PreparedStep stub_run = run_step();
  stub_run.bodies = {"stub-run"};
  PreparedStep env_init = init_step("env");
  env_init.bodies = {"env-init"};
  PreparedStep echo_init = init_step("echo");
  echo_init.bodies = {"echo-init"};

  std::vector<PreparedScenario> scenarios = {
      scenario("a.env", {env_init, echo_run}),    // other identity: skipped
      scenario("b.echo", {echo_init, echo_run}),  // shared init
      scenario("c.stub", {stub_run}),             // pristine, begins with a run: first
      scenario("d.echo", {echo_init, echo_run, echo_run}),
  };
  RunReport report = h.run(scenarios);

  EXPECT_EQ(h.target.instances().size(), 1u);
  EXPECT_EQ(paths_sent(h.transport),
            (std::vector<std::string>{"/run stub-run", "/init echo-init", "/run echo-run",
                                      "/run echo-run", "/run echo-run"}));
  ASSERT_EQ(report.scenarios.size(), 4u);
  EXPECT_EQ(report.scenarios[0].id, "a.env");
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kSkip);
  EXPECT_EQ(report.scenarios[0].message, kNeedsFresh);
  for (std::size_t i : {1u, 2u, 3u})
    EXPECT_EQ(report.scenarios[i].outcome, Outcome::kPass) << report.scenarios[i].id;
  // The shared init counts as done: not judged, not recorded, in b and d.
  EXPECT_EQ(report.scenarios[1].steps.size(), 1u);
  EXPECT_EQ(report.scenarios[3].steps.size(), 2u);
  EXPECT_EQ(h.reporter.ids.size(), 4u);
  EXPECT_EQ(h.reporter.ids.front(), "a.env");  // skips are known, and reported, first
}

TEST(SharedInstanceTest, FailedSharedInitFailsEveryScenarioThatNeedsIt) {
  RunnerHarness h(/*fresh=*/false);
  h.transport.set_fallback("/init", FakeTransport::response(502, R"({"error":"no"})"));
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  RunReport report = h.run({scenario("b.echo", {init_step(), run_step()}),
                            scenario("d.echo", {init_step(), run_step()}, Level::kShould)});
  EXPECT_EQ(h.transport.count("/init"), 1u);
  EXPECT_EQ(h.transport.count("/run"), 0u);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kFail);
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kWarn);
  EXPECT_NE(report.scenarios[0].message.find("shared init"), std::string::npos)
      << report.scenarios[0].message;
}

TEST(SharedInstanceTest, WithoutLogStreamLogScenariosSkip) {
  RunnerHarness h(/*fresh=*/false, /*with_logs=*/false);
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  PreparedScenario logs = scenario("run.sentinel", {run_step()});
  logs.needs_logs = true;
  RunReport report = h.run({logs, scenario("run.plain", {run_step()})});
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kSkip);
  EXPECT_EQ(report.scenarios[0].message, "log checks need the runtime's log stream (--logs-from)");
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kPass);
  EXPECT_EQ(h.transport.count("/run"), 1u);
}

TEST(SharedInstanceTest, UnreachableUrlErrorsEveryRunnableScenario) {
  RunnerHarness h(/*fresh=*/false);
  h.target.fail_next_start("nothing answers at http://127.0.0.1:9");
  PreparedScenario skipped = scenario("x", {run_step()});
  skipped.skip_reason = "needs capability stub";
  RunReport report = h.run({skipped, scenario("y", {run_step()})});
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kSkip);
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kError);
  EXPECT_TRUE(report.scenarios[1].runtime_not_ready);
  EXPECT_EQ(h.transport.requests().size(), 0u);
}

TEST(SharedInstanceTest, JudgedLogLinesAreFreedAfterEachScenario) {
  // One capture serves the whole --url run; what was judged must not pile up.
  RunnerHarness h(/*fresh=*/false);
  h.transport.set_handler([&](const std::string& base_url, const HttpRequest&) {
    h.target.instance_for(base_url)->logs.append(Stream::kStdout, "a log line\n");
    return FakeTransport::response(200, "{}");
  });
  RunReport report = h.run({scenario("run.one", {run_step()}), scenario("run.two", {run_step()})});
  ASSERT_EQ(report.scenarios.size(), 2u);
  for (const auto& r : report.scenarios) {
    EXPECT_EQ(r.outcome, Outcome::kPass) << r.id;
    EXPECT_NE(r.runtime_logs.find("a log line"), std::string::npos) << r.id;
  }
  ASSERT_EQ(h.target.instances().size(), 1u);
  EXPECT_TRUE(h.target.instances()[0]->logs.lines_since(conformance::LogMark{}).empty());
}

}  // namespace
}  // namespace runner_test
