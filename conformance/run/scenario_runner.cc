#include "conformance/run/scenario_runner.h"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <exception>
#include <memory>
#include <thread>
#include <utility>

#include "conformance/run/scenario_steps.h"
#include "conformance/run/shared_plan.h"
#include "conformance/run/wedge_detector.h"

namespace conformance {
namespace {

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

ScenarioResult skipped(const PreparedScenario& scenario, std::string reason) {
  ScenarioResult r = result_header(scenario);
  r.outcome = Outcome::kSkip;
  r.message = std::move(reason);
  return r;
}

ScenarioResult errored(ScenarioResult r, std::string message, bool not_ready = false) {
  r.outcome = Outcome::kError;
  r.message = std::move(message);
  r.runtime_not_ready = not_ready;
  return r;
}

// A scenario the run never got to (StopPolicy): skipped, not_run, with why.
ScenarioResult not_run(const PreparedScenario& scenario, const std::string& why) {
  ScenarioResult r = skipped(scenario, why);
  r.not_run = true;
  return r;
}

}  // namespace

ScenarioRunner::ScenarioRunner(RuntimeTarget* target, HttpTransport* transport,
                               RunnerOptions options, Clock* clock, StepJudge judge)
    : target_(target),
      transport_(transport),
      options_(std::move(options)),
      clock_(clock),
      judge_(std::move(judge)),
      executor_(transport, clock, options_.timing) {}

void ScenarioRunner::add_reporter(Reporter* reporter) { reporters_.push_back(reporter); }

std::string ScenarioRunner::interruption() const {
  return options_.interruption ? options_.interruption() : std::string();
}

void ScenarioRunner::report(ScenarioResult& result) {
  if (options_.baseline) apply_baseline_to(*options_.baseline, &result);
  std::lock_guard<std::mutex> lock(report_mu_);
  for (Reporter* r : reporters_) r->on_scenario(result);
}

void ScenarioRunner::report_started(const std::string& id) {
  std::lock_guard<std::mutex> lock(report_mu_);
  for (Reporter* r : reporters_) r->on_scenario_started(id);
}

// kWhenNeverReady: the runtime could not be started and no scenario has seen
// it answer yet (41 identical errors would say nothing more). A runtime that
// answered before and fails to start later is flaky, not absent: go on.
bool ScenarioRunner::stops_after(const ScenarioResult& r, bool runtime_answered,
                                 std::string* why) const {
  switch (options_.stop) {
    case StopPolicy::kNever:
      return false;
    case StopPolicy::kWhenNeverReady:
      if (!r.runtime_not_ready || runtime_answered) return false;
      *why = "not run: the runtime never became ready (see " + r.id +
             "); --keep-going tries every scenario";
      return true;
    case StopPolicy::kOnFirstFailure:
      if (r.expected_failure) return false;
      if (r.outcome != Outcome::kFail && r.outcome != Outcome::kError &&
          !(options_.strict && r.outcome == Outcome::kWarn)) {
        return false;
      }
      *why =
          "not run: --fail-fast stopped the run after " + r.id + " (" + to_string(r.outcome) + ")";
      return true;
  }
  return false;
}

// The overall budget of one scenario: every step may use its whole timeout.
static std::chrono::milliseconds scenario_budget(const PreparedScenario& s,
                                                 const RunnerOptions& options) {
  std::chrono::milliseconds total = options.ready_timeout + options.deadline_slack;
  for (const auto& step : s.steps) total += step.timeout + options.timing.log_wait_cap;
  return total;
}

StartOptions ScenarioRunner::start_options(const PreparedScenario* scenario) const {
  StartOptions start;
  start.env = options_.env;
  if (scenario)
    for (const auto& [k, v] : scenario->runtime_env) start.env[k] = v;
  start.ready_timeout = options_.ready_timeout;
  start.stop_grace = options_.stop_grace;
  return start;
}

void ScenarioRunner::run_on_instance(const PreparedScenario& scenario, std::size_t first_step,
                                     RuntimeInstance* instance, const LogMark& logs_since,
                                     ScenarioWatchdog* watchdog, ScenarioResult* result) {
  watchdog->guard(instance);
  run_steps(
      scenario, first_step, instance, executor_, judge_, [watchdog] { return watchdog->fired(); },
      result);
  watchdog->guard(nullptr);
  if (LogCapture* logs = instance->logs()) {
    result->runtime_logs = collect_runtime_logs(*logs, logs_since, options_.max_log_lines);
    // A shared capture lives for the whole run: free what was judged so a
    // long run never reaches the capture's cap.
    logs->forget_before(logs->mark());
  }
  if (watchdog->fired()) {
    *result = errored(std::move(*result),
                      "scenario exceeded its overall deadline of " +
                          std::to_string(watchdog->budget().count()) + " ms; " +
                          (target_->fresh_instances() ? "runtime stopped"
                                                      : "the shared runtime was left running"));
  }
}

void ScenarioRunner::finish(ScenarioResult* result, Clock::time_point began) const {
  settle_outcome(result, options_.strict);
  result->duration_ms = ms_between(began, clock_->now());
}

ScenarioResult ScenarioRunner::run_fresh(const PreparedScenario& scenario) {
  if (!scenario.skip_reason.empty()) return skipped(scenario, scenario.skip_reason);
  ScenarioResult result = result_header(scenario);
  const Clock::time_point began = clock_->now();
  try {
    // The watchdog's budget covers the start too (it includes the ready timeout).
    ScenarioWatchdog watchdog(scenario_budget(scenario, options_));
    std::unique_ptr<RuntimeInstance> instance;
    ow::Status started = target_->start(start_options(&scenario), &instance);
    if (!started.ok() || !instance) {
      std::string why = started.ok() ? "the target returned no instance" : started.message();
      result = errored(std::move(result), "runtime not ready: " + why, /*not_ready=*/true);
    } else if (scenario.needs_logs && instance->logs() == nullptr) {
      result = skipped(scenario, kNeedsLogsReason);
    } else {
      run_on_instance(scenario, 0, instance.get(), LogMark{}, &watchdog, &result);
    }
    if (instance) instance->stop();
  } catch (const std::exception& e) {
    result = errored(std::move(result), std::string("internal error: ") + e.what());
  }
  finish(&result, began);
  return result;
}

void ScenarioRunner::run_all_fresh(const std::vector<PreparedScenario>& scenarios,
                                   std::vector<ScenarioResult>* results) {
  const std::size_t workers = std::max<std::size_t>(1, std::min(options_.jobs, scenarios.size()));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> answered{false}, stopped{false};
  std::mutex stop_mu;
  std::string stop_reason;
  std::vector<char> left_out(scenarios.size(), 0);  // one element per worker's own i
  auto work = [&] {
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      if (!interruption().empty()) return;
      if (stopped) {
        left_out[i] = 1;
        continue;
      }
      if (scenarios[i].skip_reason.empty()) report_started(scenarios[i].id);
      ScenarioResult result = run_fresh(scenarios[i]);
      if (!interruption().empty()) return;  // no verdict: its runtime was killed under it
      ScenarioResult& r = (*results)[i];
      r = std::move(result);
      report(r);  // applies the baseline first: an expected failure does not stop the run
      if (r.outcome != Outcome::kSkip && !r.runtime_not_ready) answered = true;
      std::string why;
      if (stops_after(r, answered, &why)) {
        std::lock_guard<std::mutex> lock(stop_mu);
        if (!stopped) stop_reason = why;
        stopped = true;
      }
    }
  };
  if (workers == 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w) {
      try {
        pool.emplace_back(work);
      } catch (const std::exception&) {
        break;  // fewer workers than asked; the ones running take all the work
      }
    }
    if (pool.empty()) work();
    for (auto& t : pool) t.join();
  }
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    if (left_out[i]) (*results)[i] = not_run(scenarios[i], stop_reason);
}

RunReport ScenarioRunner::run(const std::vector<PreparedScenario>& scenarios, RunReport header) {
  RunReport report_out = std::move(header);
  report_out.strict = options_.strict;
  report_out.started_at = utc_timestamp_now();
  report_out.scenarios.clear();
  {
    std::lock_guard<std::mutex> lock(report_mu_);
    for (Reporter* r : reporters_) r->on_start(report_out, scenarios.size());
  }
  const Clock::time_point began = clock_->now();
  std::vector<ScenarioResult> results(scenarios.size());
  if (target_->fresh_instances()) {
    run_all_fresh(scenarios, &results);
  } else {
    run_shared(scenarios, &results);
  }
  report_out.interrupted = interruption();
  if (!report_out.interrupted.empty()) {
    // Only what finished before the interruption (unfinished ones have no id).
    results.erase(std::remove_if(results.begin(), results.end(),
                                 [](const ScenarioResult& r) { return r.id.empty(); }),
                  results.end());
  }
  report_out.scenarios = std::move(results);
  report_out.duration_ms = ms_between(began, clock_->now());
  return report_out;
}

ScenarioResult ScenarioRunner::run_shared_one(const PreparedScenario& scenario,
                                              std::size_t first_step, RuntimeInstance* instance,
                                              const ScenarioResult* prior) {
  const Clock::time_point began = clock_->now();
  ScenarioResult result = prior ? *prior : result_header(scenario);
  try {
    LogCapture* logs = instance->logs();
    const LogMark mark = logs ? logs->mark() : LogMark{};
    ScenarioWatchdog watchdog(scenario_budget(scenario, options_));
    // A prior result (the shared init failed) is complete: no step runs.
    run_on_instance(scenario, prior ? scenario.steps.size() : first_step, instance, mark, &watchdog,
                    &result);
  } catch (const std::exception& e) {
    result = errored(std::move(result), std::string("internal error: ") + e.what());
  }
  finish(&result, began);
  return result;
}

bool ScenarioRunner::probe_answers(RuntimeInstance* instance) const {
  HttpRequest probe;
  probe.method = "GET";
  probe.path = "/";
  probe.timeout = options_.probe_timeout;
  probe.max_body_bytes = 4096;
  return transport_->send(instance->base_url(), probe).ok();
}

void ScenarioRunner::report_shared_start_failure(const std::vector<PreparedScenario>& scenarios,
                                                 const std::string& why,
                                                 std::vector<ScenarioResult>* results) {
  std::string said_by;  // the scenario that reported the failed start
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const PreparedScenario& s = scenarios[i];
    ScenarioResult& r = (*results)[i];
    if (!s.skip_reason.empty()) {
      r = skipped(s, s.skip_reason);
    } else if (said_by.empty() || options_.stop == StopPolicy::kNever) {
      r = errored(result_header(s), "runtime not ready: " + why, /*not_ready=*/true);
      if (said_by.empty()) said_by = s.id;
    } else {
      r = not_run(s, "not run: the runtime never became ready (see " + said_by +
                         "); --keep-going tries every scenario");
      continue;  // not_run results are listed at the end, not reported live
    }
    report(r);
  }
}

void ScenarioRunner::run_shared(const std::vector<PreparedScenario>& scenarios,
                                std::vector<ScenarioResult>* results) {
  std::unique_ptr<RuntimeInstance> instance;
  ow::Status started = target_->start(start_options(nullptr), &instance);
  if (started.ok() && !instance) started = ow::Status::Error("the target returned no instance");
  if (!started.ok()) return report_shared_start_failure(scenarios, started.message(), results);

  const SharedRunPlan plan = plan_shared_run(scenarios, instance->logs() != nullptr);
  // Skips are known now: report them first.
  for (const auto& [i, reason] : plan.skipped) {
    (*results)[i] = skipped(scenarios[i], reason);
    report((*results)[i]);
  }
  // Runs scenario i from `first_step`; `prior` holds what the shared init left.
  std::string stop_reason;  // set when --fail-fast or a wedged runtime stops the run
  WedgeDetector wedge;
  auto run_one = [&](std::size_t i, std::size_t first_step, const ScenarioResult* prior) {
    if (!interruption().empty()) return;
    if (!stop_reason.empty()) {
      (*results)[i] = not_run(scenarios[i], stop_reason);
      return;
    }
    report_started(scenarios[i].id);
    ScenarioResult r = run_shared_one(scenarios[i], first_step, instance.get(), prior);
    if (!interruption().empty()) return;  // no verdict: the runtime was killed under it
    if (options_.stop != StopPolicy::kNever) {
      const auto probe = [&] { return probe_answers(instance.get()); };
      switch (wedge.after(r, probe)) {
        case WedgeDetector::After::kCollateral:
          stop_reason = wedged_reason(wedge.wedged_during());
          (*results)[i] = not_run(scenarios[i], stop_reason);
          return;
        case WedgeDetector::After::kWedged:
          stop_reason = wedged_reason(r.id);
          r.message += std::string(r.message.empty() ? "" : "; ") +
                       "the runtime stopped answering here (GET / got no reply either)";
          break;
        case WedgeDetector::After::kAnswering:
          break;
      }
    }
    (*results)[i] = std::move(r);
    report((*results)[i]);
    stops_after((*results)[i], /*runtime_answered=*/true, &stop_reason);
  };
  for (std::size_t i : plan.first_runs) run_one(i, 0, nullptr);
  if (!plan.init_group.empty() && stop_reason.empty() && interruption().empty()) {
    // The one shared /init, judged by the first scenario that begins with it.
    const PreparedStep& init = scenarios[plan.init_group.front()].steps.front();
    StepExecution done = executor_.execute(init, instance.get());
    std::vector<ExpectationResult> judged = judge_(init, done.observation);
    const bool init_ok = std::all_of(judged.begin(), judged.end(),
                                     [](const ExpectationResult& e) { return e.passed; });
    for (std::size_t i : plan.init_group) {
      if (init_ok) {
        run_one(i, 1, nullptr);
        continue;
      }
      ScenarioResult failed = result_header(scenarios[i]);
      failed.steps = done.records;
      failed.expectations = judged;
      for (auto& e : failed.expectations) e.step = "shared " + e.step;
      run_one(i, 1, &failed);
    }
  } else {
    for (std::size_t i : plan.init_group) run_one(i, 1, nullptr);  // lists them as not run
  }
  for (std::size_t i : plan.any_state) run_one(i, 0, nullptr);
}

}  // namespace conformance
