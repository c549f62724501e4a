// The entry-writing half of archive extraction, shared by the zip and the
// tar.gz readers (action_archive.h states the contract): names are checked
// and split here, files are written with O_NOFOLLOW and normalised modes,
// every byte of entry data is counted against the total limit as it is
// read, and symlinks wait until Finish() so nothing is written through one.
// Thread-compatible; one writer per extraction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace rr {

class ArchiveTreeWriter {
 public:
  // Reads the current entry's data into `buffer`: the byte count, 0 at its
  // end, or -1 with `*error` set (corrupt or truncated archive).
  using ReadData = std::function<int64_t(char* buffer, size_t capacity, std::string* error)>;

  ArchiveTreeWriter(std::string dest_dir, uint64_t max_total_bytes);

  ow::Status AddDirectory(const std::string& name);
  // Mode 0755 when `executable`, else 0644.
  ow::Status AddFile(const std::string& name, bool executable, const ReadData& read);
  // A symlink whose target is the entry's data (zip stores it so).
  ow::Status AddSymlinkFromData(const std::string& name, const ReadData& read);
  // A symlink whose target comes from the entry's header (tar).
  ow::Status AddSymlink(const std::string& name, const std::string& target);
  // An entry that is not extracted: its data still counts against the limit.
  ow::Status Skip(const std::string& name, const ReadData& read);
  // Creates the symlinks collected so far.
  ow::Status Finish();

 private:
  ow::Status CheckedPath(const std::string& name, bool make_parents, std::string* path);
  ow::Status ReadAll(const std::string& name, const ReadData& read, int fd, std::string* out);

  std::string dest_;
  uint64_t max_total_;
  uint64_t total_ = 0;
  std::vector<std::pair<std::string, std::string>> links_;  // path, target
};

}  // namespace rr
