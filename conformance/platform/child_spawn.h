// spawn_child: fork and exec of a launched child, always on one long-lived
// thread.
//
// Why not posix_spawn: a launched runtime must die with mock_invoker even
// when mock_invoker is SIGKILLed, which takes PR_SET_PDEATHSIG set in the
// child before exec, and posix_spawn has no such attribute. PDEATHSIG fires
// when the *thread* that forked the child exits, not the process: scenario
// workers fork from threads that end before the run does, so every fork is
// done by one spawner thread that lives as long as the process.
//
// The child: its own process group, signal mask empty and dispositions
// default, stdin /dev/null, stdout/stderr on the given fds, the given
// working directory, SIGKILL when its parent dies.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace conformance {

// argv[0] is a path or a name looked up on the harness's PATH; env is the
// child's whole environment ("K=V"); cwd empty = inherit. Returns 0 with
// *pid set, or the errno of what failed (ENOENT: not found, EACCES: not
// executable, or chdir's errno, reported as ENOENT for a missing directory).
int spawn_child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                const std::string& cwd, int out_fd, int err_fd, pid_t* pid);

}  // namespace conformance
