// spawn_floor: the floor for a runtime's warm /run throughput. Spawns the same
// executable again and again, the way a runtime runs an action (argv[1] and
// stdin carry the argument, stdout and stderr read through pipes to EOF,
// the child reaped), from C threads at once, for S seconds, and prints
//   {"spawns": N, "seconds": S, "per_second": X, "concurrency": C, "failures": F}
// Used by ci/bench.sh; not a test.
//
// Usage: spawn_floor [--seconds S] [--concurrency C] [--stdin TEXT] -- PROGRAM [ARGS...]
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

struct Pipes {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// One spawn: true when the child ran and exited 0.
bool spawn_once(const std::vector<char*>& argv, const std::string& input) {
  Pipes p;
  if (::pipe2(p.in, O_CLOEXEC) || ::pipe2(p.out, O_CLOEXEC) || ::pipe2(p.err, O_CLOEXEC)) {
    for (int* fd : {&p.in[0], &p.in[1], &p.out[0], &p.out[1], &p.err[0], &p.err[1]}) close_fd(*fd);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, p.in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, p.out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, p.err[1], 2);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close_fd(p.in[0]);
  close_fd(p.out[1]);
  close_fd(p.err[1]);
  if (rc != 0) {
    for (int* fd : {&p.in[1], &p.out[0], &p.err[0]}) close_fd(*fd);
    return false;
  }
  // Small inputs fit the pipe buffer: write, then close so the child sees EOF.
  std::size_t off = 0;
  while (off < input.size()) {
    const ssize_t w = ::write(p.in[1], input.data() + off, input.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += static_cast<std::size_t>(w);
  }
  close_fd(p.in[1]);
  char buf[4096];
  pollfd fds[2] = {{p.out[0], POLLIN, 0}, {p.err[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    if (::poll(fds, 2, 10000) <= 0) break;  // a hung child: give up on it
    for (pollfd& f : fds) {
      if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(f.fd, buf, sizeof buf);
      if (n > 0) continue;
      ::close(f.fd);
      f.fd = -1;
      --open_fds;
    }
  }
  for (pollfd& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: spawn_floor [--seconds S] [--concurrency C] [--stdin TEXT] -- PROGRAM "
               "[ARGS...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  long concurrency = 1;
  std::string input;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) return usage();
    if (a == "--seconds") {
      seconds = std::atof(argv[++i]);
    } else if (a == "--concurrency") {
      concurrency = std::atol(argv[++i]);
    } else if (a == "--stdin") {
      input = argv[++i];
    } else {
      return usage();
    }
  }
  if (i >= argc || seconds <= 0 || concurrency < 1 || concurrency > 1024) return usage();
  ::signal(SIGPIPE, SIG_IGN);  // a child that never reads its stdin
  std::vector<char*> child_argv(argv + i, argv + argc);
  child_argv.push_back(nullptr);

  std::atomic<long> spawns{0}, failures{0};
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (long t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      while (std::chrono::steady_clock::now() < end) {
        if (spawn_once(child_argv, input)) {
          ++spawns;
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"spawns\": %ld, \"seconds\": %.3f, \"per_second\": %.1f, \"concurrency\": %ld, "
      "\"failures\": %ld}\n",
      spawns.load(), elapsed, static_cast<double>(spawns.load()) / elapsed, concurrency,
      failures.load());
  return failures.load() > 0 && spawns.load() == 0 ? 1 : 0;
}
