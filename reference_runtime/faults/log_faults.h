// Faults on seam (a), the log writer: sentinels missing, early or doubled,
// dropped streams, and activations' logs written without the floor.
#pragma once

#include <memory>

#include "reference_runtime/activation_log.h"

namespace rr::faults {

enum class LogFault {
  kNoStdoutSentinel,    // C3.7: the stdout sentinel is never written
  kNoStderrSentinel,    // C3.7: the stderr sentinel is never written
  kSentinelBeforeLogs,  // C3.7: sentinels come before the activation's lines
  kDoubleSentinel,      // C3.7: two sentinels per stream
  kDropStderr,          // C3.6: stderr lines are lost
  kDropStdout,          // C3.6: stdout log lines are lost
};

// Wraps a LogWriter (owned) so that every ActivationLog it hands out breaks
// one rule. The rest (order, floor, `written` timing) is the inner writer's.
// Same thread rules as the inner writer; it must outlive its logs.
class FaultyLogWriter : public LogWriter {
 public:
  FaultyLogWriter(std::unique_ptr<LogWriter> inner, LogFault fault);
  std::unique_ptr<ActivationLog> Begin() override;

 private:
  std::unique_ptr<LogWriter> inner_;
  LogFault fault_;
};

// C3.9 broken: every line goes straight to the descriptors as it comes, and
// sentinels at Finish, with no floor, so overlapping activations' lines
// interleave. Keeps the inner writer only to own it. `written` runs before
// Finish returns. Single event loop; write errors are ignored.
class InterleavingLogWriter : public LogWriter {
 public:
  InterleavingLogWriter(std::unique_ptr<LogWriter> inner, int stdout_fd, int stderr_fd);
  std::unique_ptr<ActivationLog> Begin() override;

 private:
  std::unique_ptr<LogWriter> inner_;
  int stdout_fd_;
  int stderr_fd_;
};

}  // namespace rr::faults
