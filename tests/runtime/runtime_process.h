// Runs the real reference_runtime binary for end-to-end tests: a fresh
// action dir, an ephemeral port on 127.0.0.1, its stdout and stderr
// collected by background threads.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/runtime/test_files.h"

namespace rr_test {

class RuntimeProcess {
 public:
  // Starts the binary with `--port 0 --host 127.0.0.1 --action-dir <tmp>`
  // plus `extra_args`; waits (up to 20 s) for the startup line.
  explicit RuntimeProcess(std::vector<std::string> extra_args = {});
  ~RuntimeProcess();  // SIGKILL if still running

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string action_dir() const { return dir_.path() + "/action"; }

  // Stops (or resumes) reading the runtime's stdout: a slow log reader.
  void PauseStdout(bool paused) { stdout_paused_ = paused; }
  std::string Stdout();
  // Stderr without the startup line.
  std::string Stderr();
  // Waits until both streams hold `count` sentinels (20 s at most).
  bool WaitForSentinels(size_t count);
  // Waits for the process to exit (20 s at most); returns its wait status or -1.
  int WaitExit();

 private:
  void Collect(int fd, std::string* sink);
  bool WaitUntil(const std::function<bool()>& ready, std::chrono::seconds limit);

  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool exited_ = false;
  std::atomic<bool> stdout_paused_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string stdout_;
  std::string stderr_;
  std::thread stdout_reader_;
  std::thread stderr_reader_;
};

size_t CountOccurrences(const std::string& text, const std::string& needle);

// Direct children of `pid` (from /proc), zombies included.
std::vector<pid_t> ChildrenOf(pid_t pid);
// True when `pid` no longer runs (absent, or a zombie nobody reaped yet).
bool ProcessGone(pid_t pid);

}  // namespace rr_test
