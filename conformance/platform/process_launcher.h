// ProcessLauncher: the seam for "start a child process". The real
// implementation (real_process_launcher()) forks on one spawner thread; tests may
// substitute their own.
//
// Contract of a launched child:
// - argv[0] is looked up on the harness's PATH. env entries are added to (or
//   replace entries of) the harness's own environment. cwd empty = inherit.
// - The child gets SIGKILL if mock_invoker dies, even by SIGKILL
//   (PR_SET_PDEATHSIG; child_spawn.h).
// - The child leads its own process group, so terminate() reaches its
//   children and grandchildren too. Stdin is /dev/null.
// - stdout and stderr go through pipes read by one reader thread per child
//   and are appended to the LogCapture given at launch (which must outlive
//   the ChildProcess); each stream is close()d at EOF or at shutdown.
// - terminate(grace): SIGTERM to the group, wait up to `grace` for the child
//   to exit, then SIGKILL to the group. The child is always reaped; the
//   destructor terminates (grace 0 if never terminated) and joins the reader.
//   Every wait has a deadline: a grandchild that escaped the group and keeps
//   the pipes open delays shutdown by at most a fixed drain period.
// - Thread safety: all methods may be called from any thread.
// - Failures (command not found, not executable, pipe errors) are returned as
//   ow::Status from launch(); nothing throws.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/platform/log_capture.h"

namespace conformance {

struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0]: a path or a name found on PATH
  std::map<std::string, std::string> env;  // added to the harness's environment
  std::string cwd;                         // empty: the harness's working directory
};

class ChildProcess {
 public:
  virtual ~ChildProcess() = default;
  virtual int pid() const = 0;
  // True once the child (the group leader) has exited; reaps it.
  virtual bool exited() const = 0;
  // "exited with status N" or "killed by signal N"; empty while running.
  virtual std::string exit_description() const = 0;
  // Waits for the child to exit until the deadline; returns exited().
  virtual bool wait_until(std::chrono::steady_clock::time_point deadline) const = 0;
  // SIGTERM to the group, up to `grace`, then SIGKILL to the group; reaps.
  // Idempotent.
  virtual void terminate(std::chrono::milliseconds grace) = 0;
};

class ProcessLauncher {
 public:
  virtual ~ProcessLauncher() = default;
  // `logs` receives the child's output and must outlive the child.
  virtual ow::Status launch(const ProcessSpec& spec, LogCapture* logs,
                            std::unique_ptr<ChildProcess>* child) = 0;
};

// The process-wide real launcher (spawn_child + pipes + a reader thread).
ProcessLauncher& real_process_launcher();

// Quotes argv for messages: `a 'b c'`.
std::string describe_argv(const std::vector<std::string>& argv);

}  // namespace conformance
