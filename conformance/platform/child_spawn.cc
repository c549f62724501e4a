// spawn_child: see child_spawn.h.
#include "conformance/platform/child_spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace conformance {
namespace {

// One thread, started on first use and never ended: the parent thread of
// every launched child (see the header).
class SpawnerThread {
 public:
  static SpawnerThread& instance() {
    static SpawnerThread* spawner = new SpawnerThread;  // never destroyed
    return *spawner;
  }

  void run(const std::function<void()>& job) {
    std::packaged_task<void()> task(job);
    std::future<void> done = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(task));
    }
    cv_.notify_one();
    done.get();
  }

 private:
  SpawnerThread() {
    std::thread([this] { loop(); }).detach();
  }

  void loop() {
    for (;;) {
      std::packaged_task<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<void()>> jobs_;
};

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The path to exec, as posix_spawnp/execvp would find it; errno on failure.
int resolve(const std::string& name, std::string* path) {
  if (name.find('/') != std::string::npos) {
    *path = name;
    return 0;
  }
  const char* env_path = std::getenv("PATH");
  const std::string dirs = env_path ? env_path : "/usr/local/bin:/usr/bin:/bin";
  int found_err = ENOENT;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = dirs.find(':', start);
    std::string dir =
        dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_executable_file(candidate)) {
      *path = candidate;
      return 0;
    }
    if (::access(candidate.c_str(), F_OK) == 0) found_err = EACCES;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return found_err;
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(pid_t parent, const char* path, char* const* argv, char* const* envp,
                             const char* cwd, int out_fd, int err_fd, int report_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);
  const int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0 && devnull != 0) ::dup2(devnull, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  int err = 0;
  if (cwd[0] != '\0' && ::chdir(cwd) != 0) {
    err = ENOENT;
  } else {
    ::execve(path, argv, envp);
    err = errno;
  }
  [[maybe_unused]] ssize_t n = ::write(report_fd, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

int spawn_child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                const std::string& cwd, int out_fd, int err_fd, pid_t* pid) {
  if (argv.empty()) return EINVAL;
  std::string path;
  if (int err = resolve(argv[0], &path)) return err;
  std::vector<std::string> args = argv, vars = env;
  std::vector<char*> c_argv, c_envp;
  for (auto& a : args) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  for (auto& v : vars) c_envp.push_back(v.data());
  c_envp.push_back(nullptr);

  int result = 0;
  SpawnerThread::instance().run([&] {
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) {
      result = errno;
      return;
    }
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child == 0)
      exec_child(parent, path.c_str(), c_argv.data(), c_envp.data(), cwd.c_str(), out_fd, err_fd,
                 report[1]);
    ::close(report[1]);
    if (child < 0) {
      result = errno;
      ::close(report[0]);
      return;
    }
    ::setpgid(child, child);  // also here: no window where the group is missing
    int child_err = 0;
    ssize_t n;
    do {
      n = ::read(report[0], &child_err, sizeof child_err);
    } while (n < 0 && errno == EINTR);
    ::close(report[0]);
    if (n == static_cast<ssize_t>(sizeof child_err)) {
      int status;
      while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
      }
      result = child_err;
      return;
    }
    *pid = child;
  });
  return result;
}

}  // namespace conformance
