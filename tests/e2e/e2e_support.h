// Helpers for end-to-end tests that run the real binaries: run a command to
// completion with a deadline (output captured), keep a background process
// (killed with its process group on destruction), and unique temp dirs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace e2e {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or on the deadline
  bool timed_out = false;
  std::string out, err;
};

// Runs argv (argv[0] looked up in PATH); kills the process group at the deadline.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::seconds deadline);

class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);  // stdout/stderr discarded
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

using TempDir = testing_support::TempDir;

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& contents);

}  // namespace e2e
