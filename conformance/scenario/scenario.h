// The scenario model as the runner sees it. Scenario files (JSON, see
// docs/scenarios.md) are loaded into ScenarioSpec; prepare() applies a profile
// (action sources, capabilities) and yields a PreparedScenario: concrete HTTP
// bodies plus expectations. The runner executes prepared steps and hands what
// it observed to judge_step(). Loading (scenario_spec.h), preparing
// (prepare_scenario.h) and judging (judge_step.h) are pure (no sockets, no
// processes), so they are unit-tested directly.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/platform/http_transport.h"
#include "conformance/platform/log_capture.h"
#include "conformance/report/run_report.h"

namespace conformance {

struct Expectations;  // defined in expectations.h (parsed "expect" of a step)
struct ScenarioSpec;  // defined in scenario_spec.h (a parsed scenario file)
struct Profile;       // defined in profile.h

enum class StepKind {
  kInit,            // one POST /init (retried while the connection is refused, C4.1)
  kRun,             // one POST /run (never retried)
  kConcurrentRuns,  // `concurrency` overlapping POST /run, released together
};

struct PreparedStep {
  std::string name;  // "init", "run#2", ...
  StepKind kind = StepKind::kRun;
  std::string path;  // "/init" or "/run"
  // One body per request: kInit/kRun have one; kConcurrentRuns has `concurrency` bodies.
  std::vector<std::string> bodies;
  std::chrono::milliseconds timeout{10000};
  // What the runner must collect from the logs after the response(s):
  std::size_t await_sentinels = 0;  // wait until each stream has this many new sentinels
  bool await_quiet = false;         // wait for a short quiet period (to see no sentinel comes)
  std::shared_ptr<const Expectations> expect;
  // For a successful-init step: what was installed (role plus overrides), so
  // that with one shared runtime (--url) scenarios that begin with the same
  // init can run on an instance already initialised that way. Empty otherwise.
  std::string init_identity;
};

struct PreparedScenario {
  std::string id, title, section, requirement;
  Level level = Level::kMust;
  // Why the scenario cannot run on this runtime (missing capability); empty if it can.
  std::string skip_reason;
  // True when it must start from a pristine runtime (a fresh instance, or, with
  // --url, the one instance before anything initialised it).
  bool needs_fresh_instance = true;
  bool needs_logs = false;  // has log expectations (skipped without a log stream)
  // The runtime's own environment for this scenario (e.g. __OW_API_HOST, C1.5).
  std::map<std::string, std::string> runtime_env;
  std::vector<PreparedStep> steps;
};

// What the runner saw for one step.
struct StepObservation {
  std::vector<HttpResult> results;  // one per request, in body order
  bool logs_available = false;
  std::vector<LogLine> log_lines;  // lines that arrived after the step started
  bool sentinels_arrived = true;   // await_sentinels satisfied before the deadline
  bool runtime_exited = false;     // the runtime process died during the step
  // --launch: files the runtime wrote beside {dir} (or a changed canary);
  // empty when nothing was, or when the target cannot tell.
  std::string outside_writes;
};

}  // namespace conformance
