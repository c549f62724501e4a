#include "conformance/run/scenario_runner.h"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <exception>
#include <memory>
#include <thread>
#include <utility>

#include "conformance/run/scenario_steps.h"

namespace conformance {
namespace {

constexpr char kNeedsLogs[] = "log checks need the runtime's log stream (--logs-from)";
constexpr char kNeedsFresh[] = "needs a fresh runtime instance (--url gives one shared instance)";

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

bool begins_with_init(const PreparedScenario& s) {
  return !s.steps.empty() && s.steps.front().kind == StepKind::kInit;
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

void ScenarioRunner::report(const ScenarioResult& result) {
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

ScenarioResult ScenarioRunner::run_fresh(const PreparedScenario& scenario) {
  if (!scenario.skip_reason.empty()) return skipped(scenario, scenario.skip_reason);
  ScenarioResult result = result_header(scenario);
  const Clock::time_point began = clock_->now();
  try {
    StartOptions start;
    start.env = options_.env;
    for (const auto& [k, v] : scenario.runtime_env) start.env[k] = v;
    start.ready_timeout = options_.ready_timeout;
    start.stop_grace = options_.stop_grace;

    ScenarioWatchdog watchdog(scenario_budget(scenario, options_));
    std::unique_ptr<RuntimeInstance> instance;
    ow::Status started = target_->start(start, &instance);
    if (!started.ok() || !instance) {
      std::string why = started.ok() ? "the target returned no instance" : started.message();
      result = errored(std::move(result), "runtime not ready: " + why, /*not_ready=*/true);
    } else if (scenario.needs_logs && instance->logs() == nullptr) {
      result = skipped(scenario, kNeedsLogs);
    } else {
      watchdog.guard(instance.get());
      run_steps(
          scenario, 0, instance.get(), executor_, judge_, [&watchdog] { return watchdog.fired(); },
          &result);
      if (LogCapture* logs = instance->logs())
        result.runtime_logs = collect_runtime_logs(*logs, LogMark{}, options_.max_log_lines);
      if (watchdog.fired()) {
        result = errored(std::move(result), "scenario exceeded its overall deadline of " +
                                                std::to_string(watchdog.budget().count()) +
                                                " ms; runtime stopped");
      }
      watchdog.guard(nullptr);
    }
    if (instance) instance->stop();
  } catch (const std::exception& e) {
    result = errored(std::move(result), std::string("internal error: ") + e.what());
  }
  settle_outcome(&result, options_.strict);
  result.duration_ms = ms_between(began, clock_->now());
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
      if (r.outcome != Outcome::kSkip && !r.runtime_not_ready) answered = true;
      std::string why;
      if (stops_after(r, answered, &why)) {
        std::lock_guard<std::mutex> lock(stop_mu);
        if (!stopped) stop_reason = why;
        stopped = true;
      }
      report(r);
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

void ScenarioRunner::run_shared(const std::vector<PreparedScenario>& scenarios,
                                std::vector<ScenarioResult>* results) {
  StartOptions start;
  start.env = options_.env;
  start.ready_timeout = options_.ready_timeout;
  start.stop_grace = options_.stop_grace;
  std::unique_ptr<RuntimeInstance> instance;
  ow::Status started = target_->start(start, &instance);
  if (started.ok() && !instance) started = ow::Status::Error("the target returned no instance");

  // Decide, in catalogue order, what can run on the one instance.
  std::vector<std::size_t> first_runs, init_candidates, init_group, any_state;
  std::vector<bool> decided(scenarios.size(), false);
  std::string start_error_said;  // the scenario that reported a failed start
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const PreparedScenario& s = scenarios[i];
    decided[i] = true;
    if (!s.skip_reason.empty()) {
      (*results)[i] = skipped(s, s.skip_reason);
    } else if (!started.ok() && (start_error_said.empty() || options_.stop == StopPolicy::kNever)) {
      (*results)[i] = errored(result_header(s), "runtime not ready: " + started.message(), true);
      if (start_error_said.empty()) start_error_said = s.id;
    } else if (!started.ok()) {
      (*results)[i] = not_run(s, "not run: the runtime never became ready (see " +
                                     start_error_said + "); --keep-going tries every scenario");
    } else if (s.needs_logs && instance->logs() == nullptr) {
      (*results)[i] = skipped(s, kNeedsLogs);
    } else if (!begins_with_init(s)) {
      (s.needs_fresh_instance ? first_runs : any_state).push_back(i);
    } else if (!s.steps.front().init_identity.empty()) {
      init_candidates.push_back(i);
    } else {
      decided[i] = false;
    }
  }
  // The most common init identity; ties go to the one first in the catalogue.
  std::map<std::string, std::size_t> identity_count;
  for (std::size_t i : init_candidates) ++identity_count[scenarios[i].steps.front().init_identity];
  std::string chosen;
  for (std::size_t i : init_candidates) {
    const std::string& id = scenarios[i].steps.front().init_identity;
    if (chosen.empty() || identity_count[id] > identity_count[chosen]) chosen = id;
  }
  for (std::size_t i : init_candidates) {
    if (scenarios[i].steps.front().init_identity == chosen) {
      init_group.push_back(i);
    } else {
      decided[i] = false;
    }
  }
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    if (!decided[i]) (*results)[i] = skipped(scenarios[i], kNeedsFresh);
  // Skips and start errors are known now: report them first.
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const ScenarioResult& r = (*results)[i];
    if ((r.outcome == Outcome::kSkip && !r.not_run) || r.outcome == Outcome::kError) report(r);
  }
  if (!started.ok()) return;

  // Runs scenario i from `first_step`; `prior` holds what an earlier shared step left.
  std::string stop_reason;  // set when --fail-fast stops the run
  auto run_one = [&](std::size_t i, std::size_t first_step, const ScenarioResult* prior) {
    if (!interruption().empty()) return;
    const PreparedScenario& s = scenarios[i];
    if (!stop_reason.empty()) {
      (*results)[i] = not_run(s, stop_reason);
      return;
    }
    report_started(s.id);
    const Clock::time_point began = clock_->now();
    ScenarioResult r = prior ? *prior : result_header(s);
    try {
      LogCapture* logs = instance->logs();
      const LogMark mark = logs ? logs->mark() : LogMark{};
      ScenarioWatchdog watchdog(scenario_budget(s, options_));
      watchdog.guard(instance.get());
      if (!prior) {
        run_steps(
            s, first_step, instance.get(), executor_, judge_,
            [&watchdog] { return watchdog.fired(); }, &r);
      }
      watchdog.guard(nullptr);
      if (logs) {
        r.runtime_logs = collect_runtime_logs(*logs, mark, options_.max_log_lines);
        // The shared capture lives for the whole run: free what was judged so
        // a long run never reaches the capture's cap.
        logs->forget_before(logs->mark());
      }
      if (watchdog.fired()) r = errored(std::move(r), "scenario exceeded its overall deadline");
    } catch (const std::exception& e) {
      r = errored(std::move(r), std::string("internal error: ") + e.what());
    }
    settle_outcome(&r, options_.strict);
    r.duration_ms = ms_between(began, clock_->now());
    if (!interruption().empty()) return;  // no verdict: the runtime was killed under it
    (*results)[i] = std::move(r);
    report((*results)[i]);
    stops_after((*results)[i], /*runtime_answered=*/true, &stop_reason);
  };

  for (std::size_t i : first_runs) run_one(i, 0, nullptr);
  if (!init_group.empty()) {
    // The one shared /init, judged by the first scenario that begins with it.
    const PreparedScenario& first = scenarios[init_group.front()];
    const PreparedStep& init = first.steps.front();
    StepExecution done = executor_.execute(init, instance.get());
    std::vector<ExpectationResult> judged = judge_(init, done.observation);
    bool init_ok = std::all_of(judged.begin(), judged.end(),
                               [](const ExpectationResult& e) { return e.passed; });
    for (std::size_t i : init_group) {
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
  }
  for (std::size_t i : any_state) run_one(i, 0, nullptr);
}

}  // namespace conformance
