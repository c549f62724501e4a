// Fakes for RequestHandler tests: a log writer that records, an executor
// that never starts a process and completes when the test says so, and a
// background that runs work when the test says so.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "reference_runtime/activation_log.h"
#include "reference_runtime/background_work.h"
#include "reference_runtime/executor.h"

namespace rr_test {

struct LogEvent {
  int activation;
  std::string what;  // "out:<line>", "err:<line>", "end+sentinels", "end"
};

// Records every line and finish; Finish reports written at once.
class RecordingLogWriter : public rr::LogWriter {
 public:
  std::unique_ptr<rr::ActivationLog> Begin() override;
  std::vector<LogEvent> events;
  int begun = 0;
};

class FakeExecutor : public rr::Executor {
 public:
  struct Pending {
    rr::ActivationSpec spec;
    rr::ActivationLog* log;
    rr::ExecDone done;
  };
  void Run(rr::ActivationSpec spec, rr::ActivationLog* log,
           std::shared_ptr<rr::Cancellation> cancellation, rr::ExecDone done) override;
  void KillAll() override {}
  size_t running() const override { return pending.size(); }

  // Completes the oldest pending run as if the action printed `stdout_text`
  // (split into log lines and the result line like the real executor).
  void Complete(const std::string& stdout_text,
                rr::ExecOutcome::End end = rr::ExecOutcome::End::kExited);

  std::vector<Pending> pending;
  std::vector<rr::ActivationSpec> specs;  // every spec ever run
};

// Holds background work until the test releases it, so that what happens
// while a big body is being read can be observed.
class HeldBackgroundWork : public rr::BackgroundWork {
 public:
  void Run(std::function<void()> work, std::function<void()> then) override {
    held.push_back({std::move(work), std::move(then)});
  }
  // Runs the oldest held work and its continuation.
  void ReleaseOne() {
    auto [work, then] = std::move(held.front());
    held.erase(held.begin());
    work();
    then();
  }
  std::vector<std::pair<std::function<void()>, std::function<void()>>> held;
};

}  // namespace rr_test
