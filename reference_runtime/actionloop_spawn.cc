#include "reference_runtime/actionloop_spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rr {
namespace {

using ow::Status;

void CloseAll(std::initializer_list<int> fds) {
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

// posix_spawn's attribute objects for one call, released on every path.
struct SpawnAttributes {
  SpawnAttributes() {
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnAttributes() {
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
  }
  // Child ends: stdin, stdout, stderr, fd 3 in this order.
  int Configure(const std::string& cwd, const int (&child_fds)[4]) {
    sigset_t all;
    sigfillset(&all);
    sigset_t none;
    sigemptyset(&none);
    int error = posix_spawnattr_setflags(
        &attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    if (error == 0) error = posix_spawnattr_setpgroup(&attributes, 0);
    if (error == 0) error = posix_spawnattr_setsigdefault(&attributes, &all);
    if (error == 0) error = posix_spawnattr_setsigmask(&attributes, &none);
    for (int target = 0; target < 4 && error == 0; ++target)
      error = posix_spawn_file_actions_adddup2(&actions, child_fds[target], target);
    if (error == 0) error = posix_spawn_file_actions_addclosefrom_np(&actions, 4);
    if (error == 0) error = posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    return error;
  }
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_t actions;
};

// A close-on-exec pipe whose ends are above 3, so that no dup2 of the child's
// setup can overwrite another end before it is used.
bool HighPipe(int (&ends)[2]) {
  int raw[2];
  if (pipe2(raw, O_CLOEXEC) != 0) return false;
  ends[0] = fcntl(raw[0], F_DUPFD_CLOEXEC, 4);
  ends[1] = fcntl(raw[1], F_DUPFD_CLOEXEC, 4);
  close(raw[0]);
  close(raw[1]);
  return ends[0] >= 0 && ends[1] >= 0;
}

}  // namespace

Status SpawnLoopProcess(const LoopLaunch& launch, LoopPipes* out) {
  int in[2] = {-1, -1}, std_out[2] = {-1, -1}, std_err[2] = {-1, -1}, result[2] = {-1, -1};
  auto close_everything = [&] {
    CloseAll({in[0], in[1], std_out[0], std_out[1], std_err[0], std_err[1], result[0], result[1]});
  };
  if (!HighPipe(in) || !HighPipe(std_out) || !HighPipe(std_err) || !HighPipe(result)) {
    Status status = Status::Error(std::string("pipe: ") + std::strerror(errno));
    close_everything();
    return status;
  }
  SpawnAttributes setup;
  int error = setup.Configure(launch.cwd, {in[0], std_out[1], std_err[1], result[1]});
  pid_t pid = -1;
  if (error == 0) {
    std::vector<char*> envp;
    for (const auto& entry : launch.env) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    char* argv[] = {const_cast<char*>(launch.executable.c_str()), nullptr};
    error = posix_spawn(&pid, launch.executable.c_str(), &setup.actions, &setup.attributes, argv,
                        envp.data());
  }
  CloseAll({in[0], std_out[1], std_err[1], result[1]});
  in[0] = std_out[1] = std_err[1] = result[1] = -1;
  if (error != 0) {
    close_everything();
    return Status::Error(std::strerror(error));
  }
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    Status status = Status::Error(std::string("pidfd_open: ") + std::strerror(errno));
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    close_everything();
    return status;
  }
  for (int fd : {in[1], std_out[0], std_err[0], result[0]})
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  *out = LoopPipes{pid, pidfd, in[1], std_out[0], std_err[0], result[0]};
  return Status::Ok();
}

}  // namespace rr
