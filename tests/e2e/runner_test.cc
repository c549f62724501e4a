// ScenarioRunner / StepExecutor with fake transport, fake target and a manual
// clock: no sockets, no sleeping.
#include <algorithm>
#include <numeric>

#include "conformance/report/verdict.h"
#include "conformance/run/step_executor.h"
#include "tests/e2e/runner_fixture.h"

namespace runner_test {
namespace {

using testing_support::FakeTransport;

TEST(StepExecutorTest, InitIsRetriedWhileRefusedThenSucceeds) {
  RunnerHarness h;
  h.transport.script("/init", FakeTransport::failure(TransportError::kRefused));
  h.transport.script("/init", FakeTransport::failure(TransportError::kRefused));
  h.transport.script("/init", FakeTransport::response(200, "OK"));
  RunReport report = h.run({scenario("init.ok", {init_step()})});
  ASSERT_EQ(report.scenarios.size(), 1u);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kPass) << report.scenarios[0].message;
  EXPECT_EQ(h.transport.count("/init"), 3u);
  EXPECT_EQ(h.clock.sleeps(), (std::vector<std::chrono::milliseconds>{100ms, 100ms}));
}

TEST(StepExecutorTest, InitRetriesStopAtTheStepTimeout) {
  RunnerHarness h;
  h.transport.set_fallback("/init", FakeTransport::failure(TransportError::kRefused));
  PreparedStep init = init_step();
  init.timeout = 1000ms;
  RunReport report = h.run({scenario("init.never", {init})});
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kFail);
  auto sleeps = h.clock.sleeps();
  auto slept = std::accumulate(sleeps.begin(), sleeps.end(), 0ms);
  EXPECT_LT(slept, 1000ms);
  EXPECT_GE(h.transport.count("/init"), 9u);
  EXPECT_EQ(h.transport.count("/init"), sleeps.size() + 1);
}

TEST(StepExecutorTest, RunIsNeverRetried) {
  RunnerHarness h;
  h.transport.script("/run", FakeTransport::failure(TransportError::kRefused));
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  RunReport report = h.run({scenario("run.refused", {run_step()})});
  EXPECT_EQ(h.transport.count("/run"), 1u);
  EXPECT_TRUE(h.clock.sleeps().empty());
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kFail);
  EXPECT_NE(report.scenarios[0].message.find("run: status"), std::string::npos)
      << report.scenarios[0].message;
}

TEST(StepExecutorTest, ConcurrentRunsAreReleasedTogether) {
  RunnerHarness h;
  // Each request waits until all four are in flight: only passes if they overlap.
  h.transport.set_handler([&](const std::string&, const HttpRequest&) {
    bool together = h.transport.wait_for_in_flight(4, 10s);
    return together ? FakeTransport::response(200, "{}") : FakeTransport::response(500, "{}");
  });
  PreparedStep step = run_step("concurrent");
  step.kind = StepKind::kConcurrentRuns;
  step.bodies = {"{\"value\":{\"i\":0}}", "{\"value\":{\"i\":1}}", "{\"value\":{\"i\":2}}",
                 "{\"value\":{\"i\":3}}"};
  RunReport report = h.run({scenario("run.concurrent", {step})});
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kPass) << report.scenarios[0].message;
  EXPECT_EQ(h.transport.max_in_flight(), 4u);
  ASSERT_EQ(report.scenarios[0].steps.size(), 4u);
  EXPECT_EQ(report.scenarios[0].steps[3].name, "concurrent[3]");
}

TEST(StepExecutorTest, TimeoutTheJudgeIgnoredIsAFailure) {
  RunnerHarness h;
  h.transport.script("/run", FakeTransport::failure(TransportError::kTimeout));
  RunReport report = h.run({scenario("run.slow", {run_step()})}, fast_options(), pass_all_judge);
  const ScenarioResult& r = report.scenarios[0];
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_NE(r.message.find("timeout"), std::string::npos) << r.message;
}

TEST(StepExecutorTest, RuntimeExitStopsTheScenarioAsAFailure) {
  RunnerHarness h;
  h.transport.set_handler([&](const std::string& base_url, const HttpRequest&) {
    h.target.instance_for(base_url)->exited = true;  // the runtime dies answering
    return FakeTransport::response(200, "{}");
  });
  RunReport report = h.run({scenario("run.dies", {run_step("run"), run_step("run#2")})},
                           fast_options(), pass_all_judge);
  const ScenarioResult& r = report.scenarios[0];
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(h.transport.count("/run"), 1u);
  EXPECT_NE(r.message.find("exited with status 1"), std::string::npos) << r.message;
}

TEST(StepExecutorTest, SentinelsAndLogLinesReachTheJudge) {
  RunnerHarness h;
  h.transport.set_handler([&](const std::string& base_url, const HttpRequest&) {
    auto& logs = h.target.instance_for(base_url)->logs;
    logs.append(Stream::kStdout, "hello __OW_API_KEY=secret-key-123\n");
    logs.append(Stream::kStdout, "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
    logs.append(Stream::kStderr, "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
    return FakeTransport::response(200, "{}");
  });
  PreparedStep step = run_step();
  step.await_sentinels = 1;
  std::size_t lines_seen = 0;
  bool arrived = false;
  RunReport report = h.run({scenario("run.logs", {step})}, fast_options(),
                           [&](const PreparedStep& s, const StepObservation& seen) {
                             lines_seen = seen.log_lines.size();
                             arrived = seen.sentinels_arrived && seen.logs_available;
                             return status_200_judge(s, seen);
                           });
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kPass) << report.scenarios[0].message;
  EXPECT_TRUE(arrived);
  EXPECT_EQ(lines_seen, 3u);
  EXPECT_NE(report.scenarios[0].runtime_logs.find("[stdout] hello"), std::string::npos);
  EXPECT_EQ(report.scenarios[0].runtime_logs.find("secret-key-123"), std::string::npos);
}

TEST(StepExecutorTest, MissingSentinelsAreReportedNotWaitedFor) {
  RunnerHarness h;
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  PreparedStep step = run_step();
  step.await_sentinels = 1;
  RunReport report = h.run({scenario("run.nosentinel", {step})});
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kFail);
  EXPECT_NE(report.scenarios[0].message.find("sentinels"), std::string::npos);
}

TEST(StepRecordTest, RequestRedactsApiKeyAndElidesLongBodies) {
  std::string body =
      R"({"api_key":"secret-key-123","value":{"s":")" + std::string(5000, 'x') + "\"}}";
  std::string text = describe_request("/run", body);
  EXPECT_EQ(text.rfind("POST /run\n", 0), 0u);
  EXPECT_EQ(text.find("secret-key-123"), std::string::npos);
  EXPECT_NE(text.find(" bytes elided)"), std::string::npos);
  EXPECT_LT(text.size(), 2300u);
}

TEST(StepRecordTest, ResponseShowsStatusHeadersOrTheTransportError) {
  std::string ok = describe_response(FakeTransport::response(404, R"({"error":"x"})"));
  EXPECT_EQ(ok.rfind("HTTP 404\n", 0), 0u);
  EXPECT_NE(ok.find("content-length: 13"), std::string::npos);
  EXPECT_NE(ok.find(R"({"error":"x"})"), std::string::npos);
  std::string lost = describe_response(FakeTransport::failure(TransportError::kConnectionLost));
  EXPECT_EQ(lost.rfind("no response: ", 0), 0u);
}

TEST(ScenarioRunnerTest, ShouldFailureWarnsAndStrictMakesItFail) {
  for (bool strict : {false, true}) {
    RunnerHarness h;
    h.transport.set_fallback("/run", FakeTransport::response(502, "{}"));
    RunnerOptions options = fast_options();
    options.strict = strict;
    RunReport report = h.run({scenario("run.should", {run_step()}, Level::kShould)}, options);
    EXPECT_EQ(report.strict, strict);
    EXPECT_EQ(report.scenarios[0].outcome, strict ? Outcome::kFail : Outcome::kWarn);
  }
}

TEST(ScenarioRunnerTest, SkipReasonsAreReported) {
  RunnerHarness h(/*fresh=*/true, /*with_logs=*/false);
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  PreparedScenario capability = scenario("init.stub", {run_step()});
  capability.skip_reason = "needs capability stub";
  PreparedScenario logs = scenario("run.sentinel", {run_step()});
  logs.needs_logs = true;
  RunReport report = h.run({capability, logs});
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kSkip);
  EXPECT_EQ(report.scenarios[0].message, "needs capability stub");
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kSkip);
  EXPECT_EQ(report.scenarios[1].message, "log checks need the runtime's log stream (--logs-from)");
  EXPECT_EQ(h.transport.count("/run"), 0u);
}

TEST(ScenarioRunnerTest, StartFailureIsAnErrorMarkedNotReady) {
  RunnerHarness h;
  h.target.fail_next_start("runtime exited at start: status 127");
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  RunnerOptions keep_going = fast_options();  // by default the run would stop after a
  keep_going.stop = StopPolicy::kNever;
  RunReport report = h.run({scenario("a", {run_step()}), scenario("b", {run_step()})}, keep_going);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kError);
  EXPECT_TRUE(report.scenarios[0].runtime_not_ready);
  EXPECT_NE(report.scenarios[0].message.find("status 127"), std::string::npos);
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kPass);
}

TEST(ScenarioRunnerTest, FreshInstancePerScenarioWithMergedEnvAndStopped) {
  RunnerHarness h;
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  PreparedScenario a = scenario("a", {run_step()});
  a.runtime_env = {{"__OW_API_HOST", "https://example.invalid"}, {"K", "scenario"}};
  RunnerOptions options = fast_options();
  options.env = {{"K", "cli"}, {"OTHER", "1"}};
  h.run({a, scenario("b", {run_step()})}, options);
  auto instances = h.target.instances();
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0]->options.env.at("K"), "scenario");
  EXPECT_EQ(instances[0]->options.env.at("__OW_API_HOST"), "https://example.invalid");
  EXPECT_EQ(instances[0]->options.env.at("OTHER"), "1");
  EXPECT_EQ(instances[1]->options.env.at("K"), "cli");
  EXPECT_EQ(instances[1]->options.env.count("__OW_API_HOST"), 0u);
  for (const auto& i : instances) EXPECT_GE(i->stops.load(), 1);
}

TEST(ScenarioRunnerTest, JobsKeepCatalogueOrderAndReportEveryScenario) {
  RunnerHarness h;
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  std::vector<PreparedScenario> scenarios;
  for (int i = 0; i < 12; ++i)
    scenarios.push_back(scenario("s" + std::to_string(100 + i), {run_step()}));
  RunnerOptions options = fast_options();
  options.jobs = 3;
  RunReport report = h.run(scenarios, options);
  ASSERT_EQ(report.scenarios.size(), scenarios.size());
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    EXPECT_EQ(report.scenarios[i].id, scenarios[i].id);
    EXPECT_EQ(report.scenarios[i].outcome, Outcome::kPass);
  }
  EXPECT_EQ(h.reporter.started_with, scenarios.size());
  auto reported = h.reporter.ids;
  std::sort(reported.begin(), reported.end());
  EXPECT_EQ(reported.size(), scenarios.size());
  EXPECT_EQ(std::unique(reported.begin(), reported.end()), reported.end());
  EXPECT_FALSE(h.reporter.finished);  // the caller finishes, after the baseline
  EXPECT_EQ(h.target.instances().size(), scenarios.size());
}

}  // namespace
}  // namespace runner_test

namespace runner_test {
namespace {

// A runtime that never answers: the scenario's overall deadline stops it,
// which is what unblocks the request, and the scenario is a harness error.
TEST(ScenarioRunnerTest, HungRuntimeIsStoppedAtTheScenarioDeadline) {
  RunnerHarness h;
  bool unblocked_by_stop = false;
  h.transport.set_handler([&](const std::string& base_url, const HttpRequest&) {
    unblocked_by_stop = h.target.instance_for(base_url)->wait_stopped(30s);
    return testing_support::FakeTransport::failure(TransportError::kConnectionLost);
  });
  PreparedStep step = run_step();
  step.timeout = 20ms;
  RunnerOptions options = fast_options();
  options.ready_timeout = 0ms;
  options.deadline_slack = 0ms;
  PreparedStep second = run_step("run#2");
  second.timeout = 20ms;
  RunReport report = h.run({scenario("run.hangs", {step, second})}, options);
  const ScenarioResult& r = report.scenarios[0];
  EXPECT_TRUE(unblocked_by_stop);
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_NE(r.message.find("deadline"), std::string::npos) << r.message;
  EXPECT_EQ(h.transport.count("/run"), 1u);  // no further step after the deadline
}

}  // namespace
}  // namespace runner_test

namespace runner_test {
namespace {

using testing_support::FakeTransport;

// The runtime never starts: the first scenario says so, the rest are not run
// (skipped with not_run and a reason) and not reported one by one.
TEST(ScenarioRunnerStopTest, NeverReadyStopsAfterTheFirstScenarioByDefault) {
  RunnerHarness h;
  for (int i = 0; i < 3; ++i) h.target.fail_next_start("runtime exited at start: status 127");
  RunReport report = h.run(
      {scenario("a", {run_step()}), scenario("b", {run_step()}), scenario("c", {run_step()})});
  ASSERT_EQ(report.scenarios.size(), 3u);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kError);
  EXPECT_TRUE(report.scenarios[0].runtime_not_ready);
  for (std::size_t i : {1u, 2u}) {
    EXPECT_EQ(report.scenarios[i].outcome, Outcome::kSkip);
    EXPECT_TRUE(report.scenarios[i].not_run);
    EXPECT_NE(report.scenarios[i].message.find("never became ready (see a)"), std::string::npos)
        << report.scenarios[i].message;
  }
  EXPECT_EQ(h.reporter.ids, (std::vector<std::string>{"a"}));
  EXPECT_EQ(exit_code_for(report), kExitRuntimeNotReady);
  EXPECT_EQ(h.target.instances().size(), 0u);  // nothing started after the first failure
}

TEST(ScenarioRunnerStopTest, KeepGoingTriesEveryScenario) {
  RunnerHarness h;
  for (int i = 0; i < 3; ++i) h.target.fail_next_start("runtime exited at start: status 127");
  RunnerOptions options = fast_options();
  options.stop = StopPolicy::kNever;
  RunReport report =
      h.run({scenario("a", {run_step()}), scenario("b", {run_step()}), scenario("c", {run_step()})},
            options);
  for (const auto& r : report.scenarios) EXPECT_EQ(r.outcome, Outcome::kError) << r.id;
  EXPECT_EQ(h.reporter.ids.size(), 3u);
}

// A runtime that answered once and then fails to start is flaky, not absent.
TEST(ScenarioRunnerStopTest, ALaterStartFailureDoesNotStopTheRun) {
  RunnerHarness h;
  bool armed = false;  // the first /run arms one failed start: scenario b's
  h.transport.set_handler([&](const std::string&, const HttpRequest&) {
    if (!armed) {
      armed = true;
      h.target.fail_next_start("flaky start");
    }
    return FakeTransport::response(200, "{}");
  });
  RunReport report = h.run(
      {scenario("a", {run_step()}), scenario("b", {run_step()}), scenario("c", {run_step()})});
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kPass);
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kError);
  EXPECT_TRUE(report.scenarios[1].runtime_not_ready);
  EXPECT_EQ(report.scenarios[2].outcome, Outcome::kPass);
  for (const auto& r : report.scenarios) EXPECT_FALSE(r.not_run) << r.id;
}

TEST(ScenarioRunnerStopTest, FailFastStopsAfterTheFirstFailure) {
  RunnerHarness h;
  h.transport.script("/run", FakeTransport::response(200, "{}"));
  h.transport.script("/run", FakeTransport::response(500, "{}"));
  h.transport.set_fallback("/run", FakeTransport::response(200, "{}"));
  RunnerOptions options = fast_options();
  options.stop = StopPolicy::kOnFirstFailure;
  RunReport report =
      h.run({scenario("a", {run_step()}), scenario("b", {run_step()}), scenario("c", {run_step()})},
            options);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kPass);
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kFail);
  EXPECT_EQ(report.scenarios[2].outcome, Outcome::kSkip);
  EXPECT_TRUE(report.scenarios[2].not_run);
  EXPECT_NE(report.scenarios[2].message.find("--fail-fast stopped the run after b"),
            std::string::npos);
  EXPECT_EQ(exit_code_for(report), kExitNonConformant);
}

}  // namespace
}  // namespace runner_test
