// BoundedChild: runs a program to completion under an outer deadline, the
// way the hostile end-to-end tests need it: a hang becomes a test failure
// (the child's process group is SIGKILLed at the deadline), and the child's
// peak RSS comes from wait4's rusage.
//
// Contract:
// - argv[0] is a path (or a name on PATH); the child leads its own process
//   group, stdin is /dev/null, stdout and stderr go to files in `dir` (no
//   pipe can fill up and block the child; the caller reads them afterwards).
// - The calling process becomes a child subreaper, so runtimes the child
//   started and failed to stop are reparented to it when the child exits:
//   they are counted in `orphans`, then SIGKILLed and reaped. Nothing
//   outlives the test.
// - Every wait has a deadline; nothing throws. Not thread-safe: one
//   BoundedChild run at a time per process (gtest runs one test at a time).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace hostile {

struct BoundedRun {
  bool started = false;    // spawn succeeded
  bool timed_out = false;  // killed at the outer deadline
  bool signaled = false;   // ended by a signal (a crash, or our SIGKILL)
  int exit_code = -1;      // valid when neither signaled nor timed out
  int signal = 0;          // valid when signaled
  long max_rss_kb = 0;     // wait4 ru_maxrss of the child
  double wall_ms = 0;
  int orphans = 0;          // descendants still alive after the child ended
  std::string out, err;     // the child's stdout and stderr
  std::string spawn_error;  // why the spawn failed

  // "exit 1 in 1234 ms, peak RSS 12 MB" (or "killed by signal 11 ...").
  std::string summary() const;
};

BoundedRun run_bounded(const std::vector<std::string>& argv, const std::string& dir,
                       std::chrono::milliseconds deadline);

// A unique directory under $TMPDIR (or /tmp), removed on destruction.
using ScratchDir = testing_support::TempDir;

std::string read_text_file(const std::string& path);

}  // namespace hostile
