// Pieces of the scenario runner that work on one scenario: running its steps
// on an instance, judging them, deciding the outcome, and the watchdog that
// bounds a scenario's total time. Used by ScenarioRunner::run_on_instance.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "conformance/platform/log_capture.h"
#include "conformance/platform/runtime_target.h"
#include "conformance/report/run_report.h"
#include "conformance/run/step_executor.h"
#include "conformance/scenario/judge_step.h"
#include "conformance/scenario/scenario.h"

namespace conformance {

// Judges one step (judge_step, or a fake in tests).
using StepJudge =
    std::function<std::vector<ExpectationResult>(const PreparedStep&, const StepObservation&)>;

// A result carrying the scenario's identity, outcome pass, nothing else.
ScenarioResult result_header(const PreparedScenario& scenario);

// Runs steps [first_step, end) on `instance`, appending records and judged
// expectations to `result`. Stops early when `cancelled()` turns true or the
// runtime process exits. An exit or a timed-out request that the judge let
// pass is added as a failed expectation (the runtime broke the contract:
// that is a failure, not a harness error).
void run_steps(const PreparedScenario& scenario, std::size_t first_step, RuntimeInstance* instance,
               const StepExecutor& executor, const StepJudge& judge,
               const std::function<bool()>& cancelled, ScenarioResult* result);

// Judged expectations -> outcome: any failure is kFail for a must scenario,
// kWarn for a should one (kFail under strict). kError and kSkip are kept.
// Sets the message from the first failed expectation.
void settle_outcome(ScenarioResult* result, bool strict);

// The last `max_lines` lines after `since`, "[stdout] text" each, redacted.
std::string collect_runtime_logs(const LogCapture& logs, const LogMark& since,
                                 std::size_t max_lines);

// Stops the guarded instance if the scenario is not done by the deadline.
// Uses the real steady clock: it is a safety net against hung runtimes, not
// part of the behaviour under test. Thread-safe; the destructor joins.
class ScenarioWatchdog {
 public:
  explicit ScenarioWatchdog(std::chrono::milliseconds budget);
  ~ScenarioWatchdog();
  ScenarioWatchdog(const ScenarioWatchdog&) = delete;
  ScenarioWatchdog& operator=(const ScenarioWatchdog&) = delete;

  // The instance to stop on expiry (nullptr: none). Stops it at once if the
  // deadline already passed. Call guard(nullptr) before destroying it.
  void guard(RuntimeInstance* instance);
  bool fired() const;
  std::chrono::milliseconds budget() const { return budget_; }

 private:
  void watch();

  const std::chrono::milliseconds budget_;
  mutable std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  bool fired_ = false;
  RuntimeInstance* instance_ = nullptr;
  std::thread thread_;
};

}  // namespace conformance
