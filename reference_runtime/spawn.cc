#include "reference_runtime/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace rr {
namespace {

using ow::Status;

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

void CloseAll(std::initializer_list<int> fds) {
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

// Owns posix_spawn's attribute objects for one call.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawnattr_init(&attributes_);
    posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    posix_spawnattr_destroy(&attributes_);
    posix_spawn_file_actions_destroy(&actions_);
  }
  int Configure(const std::string& cwd, int stdin_fd, int stdout_fd, int stderr_fd) {
    sigset_t all;
    sigfillset(&all);
    sigset_t none;
    sigemptyset(&none);
    // Own process group (kill the whole action at once); default signal
    // dispositions (the server ignores SIGPIPE; the action must not).
    int error = posix_spawnattr_setflags(
        &attributes_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    if (error == 0) error = posix_spawnattr_setpgroup(&attributes_, 0);
    if (error == 0) error = posix_spawnattr_setsigdefault(&attributes_, &all);
    if (error == 0) error = posix_spawnattr_setsigmask(&attributes_, &none);
    if (error == 0) error = posix_spawn_file_actions_adddup2(&actions_, stdin_fd, 0);
    if (error == 0) error = posix_spawn_file_actions_adddup2(&actions_, stdout_fd, 1);
    if (error == 0) error = posix_spawn_file_actions_adddup2(&actions_, stderr_fd, 2);
    if (error == 0) error = posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
    if (error == 0) error = posix_spawn_file_actions_addchdir_np(&actions_, cwd.c_str());
    return error;
  }
  posix_spawnattr_t* attributes() { return &attributes_; }
  posix_spawn_file_actions_t* actions() { return &actions_; }

 private:
  posix_spawnattr_t attributes_;
  posix_spawn_file_actions_t actions_;
};

}  // namespace

Status SpawnProcess(const ActivationSpec& spec, SpawnedProcess* out) {
  int in_pipe[2] = {-1, -1};
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    Status status = Status::Error(std::string("pipe: ") + std::strerror(errno));
    CloseAll({in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]});
    return status;
  }
  SpawnSetup setup;
  int error = setup.Configure(spec.cwd, in_pipe[0], out_pipe[1], err_pipe[1]);
  pid_t pid = -1;
  if (error == 0) {
    std::vector<char*> argv = CStrings(spec.argv);
    std::vector<char*> envp = CStrings(spec.env);
    error = posix_spawn(&pid, spec.executable.c_str(), setup.actions(), setup.attributes(),
                        argv.data(), envp.data());
  }
  CloseAll({in_pipe[0], out_pipe[1], err_pipe[1]});
  if (error != 0) {
    CloseAll({in_pipe[1], out_pipe[0], err_pipe[0]});
    // No paths in the message: it reaches the client.
    if (error == E2BIG) {
      return Status::Error("its arguments and environment are too large for exec (E2BIG)");
    }
    return Status::Error(std::string("exec failed: ") + std::strerror(error));
  }
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    Status status = Status::Error(std::string("pidfd_open: ") + std::strerror(errno));
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    CloseAll({in_pipe[1], out_pipe[0], err_pipe[0]});
    return status;
  }
  for (int fd : {in_pipe[1], out_pipe[0], err_pipe[0]}) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  out->pid = pid;
  out->pidfd = pidfd;
  out->stdin_fd = in_pipe[1];
  out->stdout_fd = out_pipe[0];
  out->stderr_fd = err_pipe[0];
  return Status::Ok();
}

}  // namespace rr
