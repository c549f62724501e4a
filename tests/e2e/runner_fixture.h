// Shared helpers for the runner unit tests: prepared scenarios built by hand
// and a minimal judge (status 200, sentinels when awaited), so the tests
// exercise the runner, not the scenario catalogue.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/report/reporter.h"
#include "conformance/run/scenario_runner.h"
#include "tests/support/fake_runtime_target.h"
#include "tests/support/fake_transport.h"
#include "tests/support/manual_clock.h"

namespace runner_test {

using namespace conformance;
using namespace std::chrono_literals;

inline PreparedStep init_step(const std::string& identity = "echo") {
  PreparedStep s;
  s.name = "init";
  s.kind = StepKind::kInit;
  s.path = "/init";
  s.bodies = {R"({"value":{"code":"#!/bin/sh"}})"};
  s.init_identity = identity;
  return s;
}

inline PreparedStep run_step(const std::string& name = "run") {
  PreparedStep s;
  s.name = name;
  s.kind = StepKind::kRun;
  s.path = "/run";
  s.bodies = {R"({"value":{"a":1},"api_key":"secret-key-123"})"};
  return s;
}

inline PreparedScenario scenario(const std::string& id, std::vector<PreparedStep> steps,
                                 Level level = Level::kMust) {
  PreparedScenario p;
  p.id = id;
  p.title = "title of " + id;
  p.section = "C3.4";
  p.requirement = "a rule";
  p.level = level;
  p.steps = std::move(steps);
  return p;
}

// Passes a response with status 200 and, when sentinels are awaited, their arrival.
inline std::vector<ExpectationResult> status_200_judge(const PreparedStep& step,
                                                       const StepObservation& seen) {
  std::vector<ExpectationResult> out;
  for (const auto& r : seen.results) {
    bool ok = r.ok() && r.response.status == 200;
    out.push_back({step.name, "status", ok, "200",
                   r.ok() ? std::to_string(r.response.status) : "no response"});
  }
  if (step.await_sentinels > 0 && seen.logs_available)
    out.push_back({step.name, "sentinels", seen.sentinels_arrived, "arrived",
                   seen.sentinels_arrived ? "arrived" : "missing"});
  return out;
}

inline std::vector<ExpectationResult> pass_all_judge(const PreparedStep&, const StepObservation&) {
  return {};
}

class RecordingReporter : public Reporter {
 public:
  void on_start(const RunReport&, std::size_t count) override { started_with = count; }
  void on_scenario(const ScenarioResult& r) override {
    std::lock_guard<std::mutex> lock(mu);
    ids.push_back(r.id);
  }
  void on_finish(const RunReport&) override { finished = true; }
  std::mutex mu;
  std::vector<std::string> ids;
  std::size_t started_with = 0;
  bool finished = false;
};

// Options that never wait for real: no quiet period, no log wait.
inline RunnerOptions fast_options() {
  RunnerOptions o;
  o.timing.quiet_period = 0ms;
  o.timing.log_wait_cap = 0ms;
  return o;
}

struct RunnerHarness {
  explicit RunnerHarness(bool fresh = true, bool with_logs = true) : target(fresh, with_logs) {}
  RunReport run(const std::vector<PreparedScenario>& scenarios,
                RunnerOptions options = fast_options(), StepJudge judge = status_200_judge) {
    ScenarioRunner runner(&target, &transport, options, &clock, std::move(judge));
    runner.add_reporter(&reporter);
    RunReport header;
    header.target = target.describe();
    return runner.run(scenarios, header);
  }
  testing_support::FakeRuntimeTarget target;
  testing_support::FakeTransport transport;
  testing_support::ManualClock clock;
  RecordingReporter reporter;
};

}  // namespace runner_test
