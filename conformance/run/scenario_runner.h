// ScenarioRunner: runs prepared scenarios against a RuntimeTarget through an
// HttpTransport, reports each ScenarioResult to the reporters as it finishes
// and returns the RunReport (scenarios in catalogue order).
//
// Fresh targets (--launch, --image): a new instance per scenario, started with
// the run's env plus the scenario's runtime_env, stopped afterwards; up to
// `jobs` scenarios at once. A shared target (--url): one instance; scenarios
// run in the order of plan_shared_run (shared_plan.h), the rest are skipped
// with a reason.
//
// Ownership: borrows target, transport, clock and reporters (they must
// outlive the runner). Thread safety: run() is called from one thread; it
// calls Reporter::on_start/on_scenario under a mutex, in completion order,
// and never calls on_finish (the caller applies the baseline first).
// Failure: never throws; a harness failure (start failure, deadline, internal
// error) becomes Outcome::kError on that scenario. No scenario can hang the
// run: each has an overall deadline (sum of step timeouts + ready timeout +
// slack) after which its instance is stopped.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/platform/clock.h"
#include "conformance/platform/http_transport.h"
#include "conformance/platform/runtime_target.h"
#include "conformance/report/reporter.h"
#include "conformance/report/verdict.h"
#include "conformance/run/scenario_steps.h"
#include "conformance/run/step_executor.h"
#include "conformance/scenario/judge_step.h"
#include "conformance/scenario/scenario.h"

namespace conformance {

// When a run stops before its end; the scenarios it did not get to are
// skipped with not_run set and the reason as their message.
enum class StopPolicy {
  kNever,           // run everything (--keep-going)
  kWhenNeverReady,  // the default: the first scenarios could not even start the runtime
  kOnFirstFailure,  // --fail-fast: the first fail or error (or warn under strict)
};

struct RunnerOptions {
  std::map<std::string, std::string> env;  // --env: every instance's environment
  std::chrono::milliseconds ready_timeout{30000};
  std::chrono::milliseconds stop_grace{2000};
  std::size_t jobs = 1;  // scenarios at once (fresh targets only)
  bool strict = false;   // warns become fails
  StepTiming timing;
  std::chrono::milliseconds deadline_slack{10000};  // added to each scenario's deadline
  std::size_t max_log_lines = 200;                  // runtime log lines kept per scenario
  StopPolicy stop = StopPolicy::kWhenNeverReady;
  // How long a shared runtime (--url) may take to answer the probe that
  // tells a wedged runtime from a slow scenario (wedge_detector.h).
  std::chrono::milliseconds probe_timeout{5000};
  // Applied to each result before any reporter sees it (not owned; may be null).
  const Baseline* baseline = nullptr;
  // Non-empty (the signal's name) once the run must stop: no scenario starts
  // after that, and those under way are dropped (their runtimes were killed
  // under them). The report then holds the finished ones, marked interrupted.
  std::function<std::string()> interruption;
};

class ScenarioRunner {
 public:
  ScenarioRunner(RuntimeTarget* target, HttpTransport* transport, RunnerOptions options,
                 Clock* clock = real_clock(), StepJudge judge = judge_step);

  void add_reporter(Reporter* reporter);  // not owned

  // `header` supplies tool_version, target and profile; the runner fills
  // strict, started_at, duration_ms and scenarios.
  RunReport run(const std::vector<PreparedScenario>& scenarios, RunReport header);

 private:
  StartOptions start_options(const PreparedScenario* scenario) const;
  // Every scenario's run on an instance: steps from `first_step` under the
  // watchdog, the runtime's logs since `logs_since`, the deadline verdict.
  void run_on_instance(const PreparedScenario& scenario, std::size_t first_step,
                       RuntimeInstance* instance, const LogMark& logs_since,
                       ScenarioWatchdog* watchdog, ScenarioResult* result);
  void finish(ScenarioResult* result, Clock::time_point began) const;
  ScenarioResult run_fresh(const PreparedScenario& scenario);
  ScenarioResult run_shared_one(const PreparedScenario& scenario, std::size_t first_step,
                                RuntimeInstance* instance, const ScenarioResult* prior);
  // The shared instance could not be started: the first scenario says why,
  // the others are not run (or, under kNever, say it too).
  // Whether the shared runtime answers a GET / at all (wedge_detector.h).
  bool probe_answers(RuntimeInstance* instance) const;
  void report_shared_start_failure(const std::vector<PreparedScenario>& scenarios,
                                   const std::string& why, std::vector<ScenarioResult>* results);
  void run_all_fresh(const std::vector<PreparedScenario>& scenarios,
                     std::vector<ScenarioResult>* results);
  void run_shared(const std::vector<PreparedScenario>& scenarios,
                  std::vector<ScenarioResult>* results);
  // Applies the baseline to `result`, then hands it to every reporter.
  void report(ScenarioResult& result);
  void report_started(const std::string& id);
  // Whether the run must stop after `result` (StopPolicy); sets *why.
  bool stops_after(const ScenarioResult& result, bool runtime_answered, std::string* why) const;
  std::string interruption() const;

  RuntimeTarget* target_;
  HttpTransport* transport_;
  RunnerOptions options_;
  Clock* clock_;
  StepJudge judge_;
  StepExecutor executor_;
  std::vector<Reporter*> reporters_;
  std::mutex report_mu_;
};

}  // namespace conformance
