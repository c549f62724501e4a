// Test helpers: a unique temp directory per test (parallel-safe), removed
// at the end, and small file helpers.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "conformance/platform/launch_target.h"

namespace conformance {

class ScratchDir {
 public:
  ScratchDir() {
    const ow::Status s = make_temp_dir("owconf-test-", &path_);
    EXPECT_TRUE(s.ok()) << s.message();
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& text, bool executable = false) {
  std::ofstream(path, std::ios::binary) << text;
  if (executable) ::chmod(path.c_str(), 0755);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string HostileCommand(const std::string& mode) {
  return std::string("'") + HOSTILE_RUNTIME_BIN + "' --port {port} --mode " + mode;
}

}  // namespace conformance
