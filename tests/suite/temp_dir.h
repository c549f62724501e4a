// A unique temporary directory for one test, removed with its contents on
// destruction (tests run in parallel).
#pragma once

#include <boost/filesystem.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

namespace suite_test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (boost::filesystem::temp_directory_path() / "suite_test_XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    path_ = made ? made : "";
  }
  ~TempDir() {
    boost::system::error_code ec;
    if (!path_.empty()) boost::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to path()/relative (parents created); returns the full path.
  std::string write(const std::string& relative, const std::string& content) const {
    const boost::filesystem::path full = boost::filesystem::path(path_) / relative;
    boost::filesystem::create_directories(full.parent_path());
    std::ofstream(full.string(), std::ios::binary) << content;
    return full.string();
  }

 private:
  std::string path_;
};

}  // namespace suite_test
