// Starting a child process for an activation (posix_spawn).
#pragma once

#include <sys/types.h>

#include "common/status.h"
#include "reference_runtime/executor.h"

namespace rr {

struct SpawnedProcess {
  pid_t pid = -1;      // also its process group id
  int pidfd = -1;      // readable when the child ends
  int stdin_fd = -1;   // write end, non-blocking, close-on-exec
  int stdout_fd = -1;  // read ends, non-blocking, close-on-exec
  int stderr_fd = -1;
};

// Starts `spec` in a new process group with its stdio on fresh pipes. On
// success the caller owns every descriptor in `out` and must reap the pid.
// On failure nothing is left open or unreaped.
ow::Status SpawnProcess(const ActivationSpec& spec, SpawnedProcess* out);

}  // namespace rr
