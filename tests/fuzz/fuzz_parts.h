// Shared parts of the libFuzzer harnesses: fakes for the handler's seams that
// also check the handler's promises, and small helpers. Harness code; every
// broken promise aborts, which libFuzzer reports as a crash with its input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "reference_runtime/action_store.h"
#include "reference_runtime/activation_log.h"
#include "reference_runtime/executor.h"
#include "reference_runtime/http_types.h"

namespace fuzz {

// Aborts with `what` when `condition` is false.
void require(bool condition, const char* what);

// A log writer that keeps nothing but checks every line is one line of the
// runtime's output (no newline, never a sentinel) and every log is finished
// exactly once with no line after it. `written` runs at once.
class CheckingLogWriter : public rr::LogWriter {
 public:
  std::unique_ptr<rr::ActivationLog> Begin() override;
};

// Runs nothing: checks the spec could be exec'd (argv[0] is the executable,
// every env entry is NAME=VALUE with no NUL and a non-empty name) and ends at
// once as if the action had printed its input back as the result. The input
// picks the ending too (exit, deadline, cancelled, spawn failure), so every
// path of the result interpreter is reached.
class EchoExecutor : public rr::Executor {
 public:
  void Run(rr::ActivationSpec spec, rr::ActivationLog* log,
           std::shared_ptr<rr::Cancellation> cancellation, rr::ExecDone done) override;
  void KillAll() override {}
  size_t running() const override { return 0; }
};

// Keeps the action in memory: no disk, so the body harness stays fast.
class MemoryStore : public rr::ActionStore {
 public:
  ow::Status Prepare() override { return ow::Status::Ok(); }
  ow::Status InstallText(const std::string& code) override;
  ow::Status InstallArchive(const std::string& zip_bytes) override;
  std::string directory() const override { return "/action"; }
  std::string executable() const override { return "/action/exec"; }

 private:
  std::string code_;
};

// Calls `handler` and returns its answer, checking it came exactly once and
// before Handle returned (every fake above completes at once).
rr::Response handle_once(rr::Handler& handler, rr::Request request);

// Checks an answer is well-formed: a real status, a JSON body that parses,
// an object with "error" for every error status.
void check_response(const rr::Response& response);

// A fresh private directory under the system temp dir (aborts on failure).
std::string make_temp_dir(const char* prefix);

}  // namespace fuzz
