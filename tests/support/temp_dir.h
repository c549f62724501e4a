// TempDir: a unique temporary directory for one test, removed with its
// contents on destruction (tests run in parallel). Header-only, so any test
// binary can use it without linking test_support.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace testing_support {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "owconf_test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
    path_ = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    // Open up read-only directories an archive or an action may have made.
    for (std::filesystem::recursive_directory_iterator it(path_, ignored), end;
         !ignored && it != end; it.increment(ignored)) {
      if (it->symlink_status(ignored).type() == std::filesystem::file_type::directory)
        std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ignored);
    }
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to path()/relative (parents created); returns the full path.
  std::string write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path full = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full.string(), std::ios::binary) << content;
    return full.string();
  }

 private:
  std::string path_;
};

}  // namespace testing_support
