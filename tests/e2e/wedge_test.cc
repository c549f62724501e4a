// A shared runtime (--url) that stops answering: the run names the scenario
// it stopped in and lists the rest as not run, instead of a cascade of
// timeouts. WedgeDetector's rules, then the runner with a fake transport.
#include "conformance/run/wedge_detector.h"
#include "tests/e2e/runner_fixture.h"

namespace runner_test {
namespace {

using testing_support::FakeTransport;

ScenarioResult result_with_replies(const std::string& id, std::vector<bool> replied) {
  ScenarioResult r;
  r.id = id;
  for (bool answered : replied) {
    StepRecord step;
    step.replied = answered;
    r.steps.push_back(step);
  }
  return r;
}

const auto kProbeAnswers = [] { return true; };
const auto kProbeSilent = [] { return false; };

TEST(WedgeDetectorTest, ScenariosThatGetRepliesNeverWedge) {
  WedgeDetector d;
  int probes = 0;
  auto counting = [&] { return ++probes, true; };
  EXPECT_EQ(d.after(result_with_replies("a", {true, true}), counting),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(d.after(result_with_replies("b", {false, true}), counting),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(probes, 0);  // only a scenario that ends silent costs a probe
  EXPECT_EQ(d.wedged_during(), "");
}

TEST(WedgeDetectorTest, SilentEndAndSilentProbeIsAWedge) {
  WedgeDetector d;
  EXPECT_EQ(d.after(result_with_replies("a", {true, false}), kProbeSilent),
            WedgeDetector::After::kWedged);
  EXPECT_EQ(d.wedged_during(), "a");
  EXPECT_EQ(d.after(result_with_replies("b", {true}), kProbeAnswers),
            WedgeDetector::After::kCollateral);
}

TEST(WedgeDetectorTest, ServerAnsweringProbeButNotActivationsWedgesOnTheSecondSilence) {
  WedgeDetector d;
  EXPECT_EQ(d.after(result_with_replies("a", {false}), kProbeAnswers),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(d.after(result_with_replies("b", {false, false}), kProbeAnswers),
            WedgeDetector::After::kCollateral);
  EXPECT_EQ(d.wedged_during(), "a");
}

TEST(WedgeDetectorTest, OneDroppedConnectionThenRepliesIsNotAWedge) {
  // e.g. a corrupt zip answered by closing the connection, then business as usual.
  WedgeDetector d;
  EXPECT_EQ(d.after(result_with_replies("a", {false}), kProbeAnswers),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(d.after(result_with_replies("b", {true}), kProbeAnswers),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(d.after(result_with_replies("c", {false}), kProbeAnswers),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(d.wedged_during(), "");
}

TEST(WedgeDetectorTest, ScenarioWithoutRequestsTellsNothing) {
  WedgeDetector d;
  EXPECT_EQ(d.after(result_with_replies("a", {false}), kProbeAnswers),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(d.after(result_with_replies("skipped", {}), kProbeAnswers),
            WedgeDetector::After::kAnswering);
  EXPECT_EQ(d.after(result_with_replies("c", {false}), kProbeAnswers),
            WedgeDetector::After::kCollateral);
  EXPECT_EQ(d.wedged_during(), "a");
}

// The runtime answers three /run requests, then nothing: neither /run nor GET /.
TEST(SharedWedgeTest, RuntimeThatStopsAnsweringIsNamedAndTheRestNotRun) {
  RunnerHarness h(/*fresh=*/false);
  for (int i = 0; i < 3; ++i) h.transport.script("/run", FakeTransport::response(200, "{}"));
  h.transport.set_fallback("/run", FakeTransport::failure(TransportError::kTimeout));
  h.transport.set_fallback("/", FakeTransport::failure(TransportError::kTimeout));
  std::vector<PreparedScenario> scenarios;
  for (const char* id : {"a", "b", "c", "d", "e"})
    scenarios.push_back(scenario(id, {run_step(), run_step("run#2")}));
  RunReport report = h.run(scenarios);

  ASSERT_EQ(report.scenarios.size(), 5u);
  EXPECT_EQ(report.scenarios[0].outcome, Outcome::kPass);
  EXPECT_EQ(report.scenarios[1].outcome, Outcome::kFail);  // its second /run got no reply
  EXPECT_NE(report.scenarios[1].message.find("stopped answering here"), std::string::npos)
      << report.scenarios[1].message;
  for (std::size_t i : {2u, 3u, 4u}) {
    EXPECT_TRUE(report.scenarios[i].not_run) << report.scenarios[i].id;
    EXPECT_NE(report.scenarios[i].message.find("stopped answering during b"), std::string::npos)
        << report.scenarios[i].message;
  }
  EXPECT_EQ(h.transport.count("/run"), 4u);  // nothing sent after the wedge
  EXPECT_EQ(h.transport.count("/"), 1u);
}

TEST(SharedWedgeTest, KeepGoingTriesEveryScenario) {
  RunnerOptions options = fast_options();
  options.stop = StopPolicy::kNever;
  RunnerHarness h(/*fresh=*/false);
  h.transport.set_fallback("/run", FakeTransport::failure(TransportError::kTimeout));
  h.transport.set_fallback("/", FakeTransport::failure(TransportError::kTimeout));
  RunReport report = h.run({scenario("a", {run_step()}), scenario("b", {run_step()})}, options);
  EXPECT_EQ(h.transport.count("/run"), 2u);
  EXPECT_EQ(h.transport.count("/"), 0u);
  for (const auto& r : report.scenarios) EXPECT_FALSE(r.not_run) << r.id;
}

}  // namespace
}  // namespace runner_test
