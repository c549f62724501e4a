#include "tests/runtime/runtime_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace rr_test {

namespace {
constexpr char kStartupPrefix[] = "reference_runtime listening on 127.0.0.1:";
}

RuntimeProcess::RuntimeProcess(std::vector<std::string> extra_args) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) return;
  std::vector<std::string> args = {REFERENCE_RUNTIME_BIN, "--host",    "127.0.0.1", "--port", "0",
                                   "--action-dir",        action_dir()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (error != 0) {
    pid_ = -1;
    close(out_pipe[0]);
    close(err_pipe[0]);
    return;
  }
  stdout_reader_ = std::thread([this, fd = out_pipe[0]] { Collect(fd, &stdout_); });
  stderr_reader_ = std::thread([this, fd = err_pipe[0]] { Collect(fd, &stderr_); });
  WaitUntil([this] { return stderr_.find('\n') != std::string::npos; }, std::chrono::seconds(20));
  std::lock_guard<std::mutex> lock(mutex_);
  const size_t at = stderr_.find(kStartupPrefix);
  const size_t end = stderr_.find('\n');
  if (at == 0 && end != std::string::npos) {
    port_ = std::atoi(stderr_.substr(sizeof(kStartupPrefix) - 1, end).c_str());
  }
}

RuntimeProcess::~RuntimeProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  // The pipes end once the runtime and every child holding them are gone.
  if (stdout_reader_.joinable()) stdout_reader_.join();
  if (stderr_reader_.joinable()) stderr_reader_.join();
}

void RuntimeProcess::Collect(int fd, std::string* sink) {
  char buffer[65536];
  while (true) {
    if (sink == &stdout_ && stdout_paused_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    const ssize_t got = read(fd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    std::lock_guard<std::mutex> lock(mutex_);
    sink->append(buffer, static_cast<size_t>(got));
    changed_.notify_all();
  }
  close(fd);
}

bool RuntimeProcess::WaitUntil(const std::function<bool()>& ready, std::chrono::seconds limit) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, limit, ready);
}

std::string RuntimeProcess::Stdout() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stdout_;
}

std::string RuntimeProcess::Stderr() {
  std::lock_guard<std::mutex> lock(mutex_);
  const size_t end = stderr_.find('\n');
  return end == std::string::npos ? "" : stderr_.substr(end + 1);
}

bool RuntimeProcess::WaitForSentinels(size_t count) {
  const std::string sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n";
  return WaitUntil(
      [&] {
        return CountOccurrences(stdout_, sentinel) >= count &&
               CountOccurrences(stderr_, sentinel) >= count;
      },
      std::chrono::seconds(20));
}

int RuntimeProcess::WaitExit() {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < limit) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exited_ = true;
      return status;
    }
    // Not a unit test: polling a real process for its exit.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

size_t CountOccurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

namespace {

// Fields of /proc/<pid>/stat after the command: state, ppid.
bool ReadStat(pid_t pid, char* state, pid_t* ppid) {
  // read(2), not a stream: a process reaped between open and read fails the
  // read with ESRCH, which libstdc++'s filebuf turns into an exception.
  const int fd = open(("/proc/" + std::to_string(pid) + "/stat").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[1024];
  const ssize_t got = read(fd, buffer, sizeof buffer);
  close(fd);
  if (got <= 0) return false;
  const std::string text(buffer, static_cast<size_t>(got));
  const size_t close_paren = text.rfind(')');
  if (close_paren == std::string::npos) return false;
  std::istringstream fields(text.substr(close_paren + 2));
  fields >> *state >> *ppid;
  return static_cast<bool>(fields);
}

}  // namespace

std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = readdir(proc)) {
    const pid_t candidate = std::atoi(entry->d_name);
    char state;
    pid_t ppid;
    if (candidate > 0 && ReadStat(candidate, &state, &ppid) && ppid == pid)
      children.push_back(candidate);
  }
  closedir(proc);
  return children;
}

bool ProcessGone(pid_t pid) {
  char state;
  pid_t ppid;
  if (!ReadStat(pid, &state, &ppid)) return true;
  return state == 'Z' || state == 'X';
}

}  // namespace rr_test
