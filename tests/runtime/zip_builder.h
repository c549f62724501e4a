// Builds zip archives in memory for tests (libzip), including hostile ones.
#pragma once

#include <string>
#include <vector>

namespace rr_test {

struct ZipEntry {
  std::string name;
  std::string content;      // file bytes, or the symlink target
  unsigned mode = 0100644;  // full unix mode: S_IFREG/S_IFLNK/S_IFDIR | perms
};

// Returns the archive bytes (deflate-compressed), or "" on a libzip error.
std::string BuildZip(const std::vector<ZipEntry>& entries);

}  // namespace rr_test
