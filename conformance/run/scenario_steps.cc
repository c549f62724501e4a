#include "conformance/run/scenario_steps.h"

#include <deque>
#include <exception>

#include "conformance/report/redaction.h"

namespace conformance {

ScenarioResult result_header(const PreparedScenario& scenario) {
  ScenarioResult r;
  r.id = scenario.id;
  r.title = scenario.title;
  r.section = scenario.section;
  r.requirement = scenario.requirement;
  r.level = scenario.level;
  r.outcome = Outcome::kPass;
  return r;
}

namespace {

bool any_failed(const std::vector<ExpectationResult>& results) {
  for (const auto& e : results)
    if (!e.passed) return true;
  return false;
}

}  // namespace

void run_steps(const PreparedScenario& scenario, std::size_t first_step, RuntimeInstance* instance,
               const StepExecutor& executor, const StepJudge& judge,
               const std::function<bool()>& cancelled, ScenarioResult* result) {
  for (std::size_t i = first_step; i < scenario.steps.size(); ++i) {
    if (cancelled()) return;
    const PreparedStep& step = scenario.steps[i];
    StepExecution done = executor.execute(step, instance);
    for (auto& record : done.records) result->steps.push_back(std::move(record));
    if (cancelled()) return;  // the watchdog stopped the runtime: what we saw is not its fault

    std::vector<ExpectationResult> judged = judge(step, done.observation);
    bool timed_out = false;
    for (const auto& r : done.observation.results)
      if (r.error == TransportError::kTimeout) timed_out = true;
    if (timed_out && !any_failed(judged)) {
      judged.push_back(
          {step.name, "response", false,
           "a complete response within " + std::to_string(step.timeout.count()) + " ms",
           "no response: timeout"});
    }
    if (done.observation.runtime_exited && !any_failed(judged)) {
      std::string how = instance->exit_description();
      judged.push_back({step.name, "runtime process", false, "keeps running",
                        how.empty() ? std::string("exited") : how});
    }
    for (auto& e : judged) result->expectations.push_back(std::move(e));
    if (done.observation.runtime_exited) return;  // later steps would only pile up refusals
  }
}

void settle_outcome(ScenarioResult* result, bool strict) {
  if (result->outcome == Outcome::kError || result->outcome == Outcome::kSkip) return;
  for (const auto& e : result->expectations) {
    if (e.passed) continue;
    const bool must = result->level == Level::kMust;
    result->outcome = (must || strict) ? Outcome::kFail : Outcome::kWarn;
    result->message = e.step + ": " + e.what + ": expected " + e.expected + ", got " + e.actual;
    return;
  }
  result->outcome = Outcome::kPass;
}

std::string collect_runtime_logs(const LogCapture& logs, const LogMark& since,
                                 std::size_t max_lines) {
  std::vector<LogLine> lines = logs.lines_since(since);
  std::size_t begin = lines.size() > max_lines ? lines.size() - max_lines : 0;
  std::string text;
  if (begin > 0) text += "... (" + std::to_string(begin) + " earlier lines not shown)\n";
  for (std::size_t i = begin; i < lines.size(); ++i) {
    text += lines[i].stream == Stream::kStdout ? "[stdout] " : "[stderr] ";
    text += lines[i].text;
    text += '\n';
  }
  return redact_secrets(text);
}

ScenarioWatchdog::ScenarioWatchdog(std::chrono::milliseconds budget)
    : budget_(budget), thread_([this] { watch(); }) {}

ScenarioWatchdog::~ScenarioWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  done_cv_.notify_all();
  thread_.join();
}

void ScenarioWatchdog::watch() {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + budget_;
  if (done_cv_.wait_until(lock, deadline, [this] { return done_; })) return;
  fired_ = true;
  // Stopping kills the runtime, which makes every pending request return.
  if (instance_) instance_->stop();
}

void ScenarioWatchdog::guard(RuntimeInstance* instance) {
  std::lock_guard<std::mutex> lock(mu_);
  instance_ = instance;
  if (fired_ && instance_) instance_->stop();
}

bool ScenarioWatchdog::fired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fired_;
}

}  // namespace conformance
