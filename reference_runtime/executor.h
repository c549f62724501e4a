// Seam (b): running one activation of the action.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reference_runtime/activation_log.h"
#include "reference_runtime/http_types.h"

namespace rr {

// Everything a process needs; built from scratch for each activation so
// nothing of one activation's context leaks into the next.
struct ActivationSpec {
  std::string executable;
  std::vector<std::string> argv;  // argv[0] included
  std::string stdin_bytes;        // written, then stdin is closed
  std::vector<std::string> env;   // "KEY=VALUE", the complete environment
  std::string cwd;
  std::optional<std::chrono::system_clock::time_point> deadline;
};

struct ExecOutcome {
  enum class End {
    kExited,       // the process ended by itself (exit code or signal)
    kDeadline,     // killed because the activation's deadline passed
    kCancelled,    // killed because the client went away or on shutdown
    kSpawnFailed,  // it never started; see `error`
  };
  End end = End::kExited;
  int exit_code = -1;   // when it exited normally
  int term_signal = 0;  // when a signal ended it
  std::string error;    // kSpawnFailed: why
  // The last stdout line (C3.4), never written to the log by the executor.
  bool has_result_line = false;
  bool result_line_overlong = false;
  std::string result_line;
};

using ExecDone = std::function<void(ExecOutcome)>;

// Runs activations. Every line the action writes goes to `log` as it comes
// (stderr lines; stdout lines except the last), `log` must stay valid until
// `done`. `done` runs once on the event loop after the process has been
// reaped and its streams have ended. Cancelling `cancellation` kills the
// activation (outcome kCancelled). Not thread-safe: one event loop.
class Executor {
 public:
  virtual ~Executor() = default;
  virtual void Run(ActivationSpec spec, ActivationLog* log,
                   std::shared_ptr<Cancellation> cancellation, ExecDone done) = 0;
  // Kills every running activation (shutdown after the grace period).
  virtual void KillAll() = 0;
  virtual size_t running() const = 0;
};

}  // namespace rr
