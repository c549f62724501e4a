// Running a real binary from a test, with a deadline: stdout and stderr go
// to files, the child gets its own process group, and a child still running
// at the deadline is killed (its whole group) and reaped.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace faults_test {

struct ChildResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;  // when it exited normally
  std::string error;   // why it did not start
};

ChildResult RunChild(const std::vector<std::string>& argv, const std::string& stdout_path,
                     const std::string& stderr_path, std::chrono::milliseconds deadline);

std::string ReadFile(const std::string& path);

}  // namespace faults_test
