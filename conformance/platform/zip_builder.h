// Builds zip archives in memory with libzip, keeping unix file modes (so an
// `exec` stays executable after extraction, C2.3), and reads them back (used
// by tests and by nothing on the hot path). Pure functions of their inputs and
// the files they read; thread-safe. Failures come back as ow::Status.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace conformance {

struct ZipEntry {
  std::string name;            // path inside the archive, '/'-separated, no leading '/'
  std::string data;            // file bytes
  std::uint32_t mode = 0644;   // unix permission bits (stored in the external attributes)
  bool absolute_name = false;  // allow a leading '/' (hostile archives for traversal checks)
};

// Builds an archive holding `entries` in order (deflated). Duplicate or empty
// names are errors.
ow::Status build_zip(const std::vector<ZipEntry>& entries, std::string* zip_bytes);

// Reads every regular file under `dir` (recursively, sorted by name), with
// names relative to `dir` and their permission bits. Symlinks and special
// files are errors (a fixture should not contain them).
ow::Status collect_directory(const std::string& dir, std::vector<ZipEntry>* entries);

// Reads one file's bytes and permission bits.
ow::Status read_file_entry(const std::string& path, const std::string& name, ZipEntry* entry);

// Lists an archive's files with their bytes and permission bits (directories skipped).
ow::Status read_zip(const std::string& zip_bytes, std::vector<ZipEntry>* entries);

}  // namespace conformance
