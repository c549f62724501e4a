// Starting one long-lived actionloop process: stdio on pipes plus the result
// pipe on file descriptor 3 (the Go proxy's cmd.ExtraFiles).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/status.h"

namespace rr {

struct LoopLaunch {
  std::string executable;
  std::vector<std::string> env;  // "KEY=VALUE", the complete environment
  std::string cwd;
};

struct LoopPipes {
  pid_t pid = -1;      // also its process group id
  int pidfd = -1;      // readable when the child ends
  int stdin_fd = -1;   // write end
  int stdout_fd = -1;  // read ends
  int stderr_fd = -1;
  int result_fd = -1;  // the read end of the child's fd 3
};

// Starts `launch` (argv = {executable}) in a new process group with default
// signal dispositions, every other descriptor closed. On success the caller
// owns every descriptor (all non-blocking, close-on-exec) and must reap the
// pid; on failure nothing is left open or unreaped.
ow::Status SpawnLoopProcess(const LoopLaunch& launch, LoopPipes* out);

}  // namespace rr
