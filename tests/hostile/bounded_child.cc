#include "tests/hostile/bounded_child.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace hostile {
namespace {

using Clock = std::chrono::steady_clock;

// Waits for `pid` to end until `end`; true if it did. pidfd + poll when the
// kernel has it, short polling otherwise.
bool wait_for_exit(pid_t pid, Clock::time_point end) {
  const long pidfd = ::syscall(SYS_pidfd_open, pid, 0);
  if (pidfd >= 0) {
    bool ended = false;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
      if (left <= 0) break;
      pollfd p{static_cast<int>(pidfd), POLLIN, 0};
      const int n = ::poll(&p, 1, static_cast<int>(left));
      if (n < 0 && errno == EINTR) continue;
      ended = n > 0;
      break;
    }
    ::close(static_cast<int>(pidfd));
    return ended;
  }
  siginfo_t info{};
  while (Clock::now() < end) {
    info.si_pid = 0;
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      return true;
    }
    ::usleep(10000);
  }
  return false;
}

// Our children other than the ones we spawned ourselves: with the subreaper
// flag set, whatever the finished child left running.
std::vector<pid_t> current_children() {
  std::vector<pid_t> pids;
  DIR* tasks = ::opendir("/proc/self/task");
  if (!tasks) return pids;
  while (dirent* t = ::readdir(tasks)) {
    if (t->d_name[0] == '.') continue;
    std::ifstream in(std::string("/proc/self/task/") + t->d_name + "/children");
    pid_t pid = 0;
    while (in >> pid) pids.push_back(pid);
  }
  ::closedir(tasks);
  return pids;
}

int reap_orphans() {
  const std::vector<pid_t> orphans = current_children();
  for (pid_t pid : orphans) {
    ::kill(-pid, SIGKILL);  // runtimes lead their own process groups
    ::kill(pid, SIGKILL);
  }
  for (pid_t pid : orphans) {
    int status = 0;
    ::waitpid(pid, &status, 0);  // SIGKILLed: ends promptly
  }
  return static_cast<int>(orphans.size());
}

}  // namespace

std::string BoundedRun::summary() const {
  std::ostringstream s;
  if (!started) return "not started: " + spawn_error;
  if (timed_out) {
    s << "HUNG: killed at the outer deadline";
  } else if (signaled) {
    s << "killed by signal " << signal << " (" << strsignal(signal) << ")";
  } else {
    s << "exit " << exit_code;
  }
  s << " in " << static_cast<long>(wall_ms) << " ms, peak RSS " << max_rss_kb / 1024 << " MB";
  if (orphans > 0) s << ", " << orphans << " process(es) left behind";
  return s.str();
}

BoundedRun run_bounded(const std::vector<std::string>& argv, const std::string& dir,
                       std::chrono::milliseconds deadline) {
  BoundedRun run;
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  const std::string out_path = dir + "/child.stdout", err_path = dir + "/child.stderr";

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto began = Clock::now();
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &files, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    run.spawn_error = std::string(argv.empty() ? "" : argv[0]) + ": " + std::strerror(rc);
    return run;
  }
  run.started = true;

  if (!wait_for_exit(pid, began + deadline)) {
    run.timed_out = true;
    ::kill(-pid, SIGKILL);
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  run.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - began).count();
  run.max_rss_kb = usage.ru_maxrss;
  if (WIFSIGNALED(status)) {
    run.signaled = true;
    run.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  }
  run.orphans = reap_orphans();
  run.out = read_text_file(out_path);
  run.err = read_text_file(err_path);
  return run;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace hostile
