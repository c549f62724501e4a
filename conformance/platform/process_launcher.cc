// The real ProcessLauncher, on spawn_child (fork and exec on one spawner
// thread, child_spawn.h).
//
// Why not Boost.Process 1.74: we need the child in its own process group, a
// working directory, a reset signal mask and dispositions, stdin from
// /dev/null, PR_SET_PDEATHSIG, and exec failures (ENOENT, EACCES) returned as
// error codes rather than exceptions; and the pipes are read by one poll()
// loop we control the shutdown of (an escaped grandchild holding a pipe
// cannot hang us).
#include "conformance/platform/process_launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "conformance/platform/child_spawn.h"

extern char** environ;

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;
// How long output still pending after a kill is read before the pipes are
// abandoned (a grandchild outside the group may hold them open forever).
constexpr std::chrono::milliseconds kDrainAfterKill{1000};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    const auto eq = entry.find('=');
    const std::string key = entry.substr(0, eq);
    if (extra.count(key) == 0) out.push_back(std::move(entry));
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

class PosixChild : public ChildProcess {
 public:
  PosixChild(pid_t pid, int out_fd, int err_fd, int wake_read, int wake_write, LogCapture* logs)
      : pid_(pid),
        out_fd_(out_fd),
        err_fd_(err_fd),
        wake_read_(wake_read),
        wake_write_(wake_write),
        logs_(logs) {
    reader_ = std::thread([this] { read_loop(); });
  }

  ~PosixChild() override {
    terminate(std::chrono::milliseconds(0));
    if (reader_.joinable()) reader_.join();
    close_fd(out_fd_);
    close_fd(err_fd_);
    close_fd(wake_read_);
    close_fd(wake_write_);
  }

  int pid() const override { return pid_; }

  bool exited() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return reap_locked(WNOHANG);
  }

  std::string exit_description() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!reap_locked(WNOHANG)) return "";
    if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
    if (WIFSIGNALED(status_)) {
      return "killed by signal " + std::to_string(WTERMSIG(status_)) + " (" +
             ::strsignal(WTERMSIG(status_)) + ")";
    }
    return "ended with wait status " + std::to_string(status_);
  }

  bool wait_until(Clock::time_point deadline) const override {
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
      if (exited()) return true;
      const auto now = Clock::now();
      if (now >= deadline) return false;
      std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
      pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
  }

  void terminate(std::chrono::milliseconds grace) override {
    std::lock_guard<std::mutex> lock(terminate_mu_);
    if (terminated_) return;
    terminated_ = true;
    if (!exited()) {
      ::kill(-pid_, SIGTERM);
      wait_until(Clock::now() + grace);
    }
    // Also reaches grandchildren left in the group after the leader exited.
    ::kill(-pid_, SIGKILL);
    {
      std::lock_guard<std::mutex> state_lock(mu_);
      reap_locked(0);
    }
    drain_deadline_ = Clock::now() + kDrainAfterKill;
    stopping_.store(true);
    const char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_write_, &byte, 1);
  }

 private:
  // Requires mu_. Blocks when flags == 0.
  bool reap_locked(int flags) const {
    if (reaped_) return true;
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, flags);
    } while (r < 0 && errno == EINTR);
    if (r == pid_) {
      reaped_ = true;
      status_ = status;
    } else if (r < 0 && errno == ECHILD) {
      reaped_ = true;  // someone else reaped it; nothing more to learn
    }
    return reaped_;
  }

  void read_loop() {
    char buf[64 * 1024];
    bool open[2] = {true, true};
    int fds[2] = {out_fd_, err_fd_};
    const Stream streams[2] = {Stream::kStdout, Stream::kStderr};
    while (open[0] || open[1]) {
      pollfd p[3] = {{open[0] ? fds[0] : -1, POLLIN, 0},
                     {open[1] ? fds[1] : -1, POLLIN, 0},
                     {wake_read_, POLLIN, 0}};
      int timeout_ms = -1;
      if (stopping_.load()) {
        const auto left = drain_deadline_ - Clock::now();
        if (left <= Clock::duration::zero()) break;
        timeout_ms = static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1);
        p[2].fd = -1;
      }
      const int r = ::poll(p, 3, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) break;
      for (int i = 0; i < 2; ++i) {
        if (!open[i] || p[i].revents == 0) continue;
        const ssize_t n = ::read(fds[i], buf, sizeof buf);
        if (n > 0) {
          if (logs_) logs_->append(streams[i], std::string_view(buf, static_cast<size_t>(n)));
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          open[i] = false;
          if (logs_) logs_->close(streams[i]);
        }
      }
      if (p[2].revents != 0) {
        char drop[16];
        [[maybe_unused]] ssize_t n = ::read(wake_read_, drop, sizeof drop);
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (open[i] && logs_) logs_->close(streams[i]);
    }
  }

  const pid_t pid_;
  int out_fd_, err_fd_, wake_read_, wake_write_;
  LogCapture* logs_;
  std::thread reader_;
  mutable std::mutex mu_;
  mutable bool reaped_ = false;
  mutable int status_ = 0;
  std::mutex terminate_mu_;
  bool terminated_ = false;
  std::atomic<bool> stopping_{false};
  Clock::time_point drain_deadline_;  // written before stopping_ is set
};

class PosixLauncher : public ProcessLauncher {
 public:
  ow::Status launch(const ProcessSpec& spec, LogCapture* logs,
                    std::unique_ptr<ChildProcess>* child) override {
    if (spec.argv.empty() || spec.argv[0].empty()) return ow::Status::Error("empty command");
    int out[2] = {-1, -1}, err[2] = {-1, -1}, wake[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 ||
        ::pipe2(wake, O_CLOEXEC) != 0) {
      const std::string why = std::strerror(errno);
      for (int* p : {out, err, wake}) {
        close_fd(p[0]);
        close_fd(p[1]);
      }
      return ow::Status::Error("cannot create pipes: " + why);
    }

    std::vector<std::string> env = merged_environment(spec.env);
    pid_t pid = -1;
    const int rc = spawn_child(spec.argv, env, spec.cwd, out[1], err[1], &pid);
    close_fd(out[1]);
    close_fd(err[1]);
    if (rc != 0) {
      for (int* p : {out, err, wake}) {
        close_fd(p[0]);
        close_fd(p[1]);
      }
      std::string why = std::strerror(rc);
      if (rc == ENOENT) why = "command not found (or working directory missing)";
      if (rc == EACCES) why = "permission denied (not executable?)";
      return ow::Status::Error("cannot start `" + describe_argv(spec.argv) + "`: " + why);
    }
    *child = std::make_unique<PosixChild>(pid, out[0], err[0], wake[0], wake[1], logs);
    return ow::Status::Ok();
  }
};

}  // namespace

ProcessLauncher& real_process_launcher() {
  static PosixLauncher launcher;
  return launcher;
}

std::string describe_argv(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain =
        !a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>(){}") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out += c;
      }
    }
    out += '\'';
  }
  return out;
}

}  // namespace conformance
