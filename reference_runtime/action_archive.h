// Extraction of a zip archive (the /init `code` of a binary action) into a
// directory, refusing hostile archives.
//
// Contract: everything is written below `dest_dir` (which must exist and be
// empty; callers pass a fresh staging directory). Refused, with an error
// status and possibly a partly filled `dest_dir` that the caller removes:
//  - entry names that are absolute, empty, or hold a `..` component;
//  - symlink entries (unix mode S_IFLNK) whose target is absolute or holds a
//    `..` component (strict: with no `..` anywhere, no chain of links inside
//    the tree can resolve above it);
//  - a total uncompressed size above `max_total_bytes`, counted while the
//    bytes are actually decompressed (header sizes are not trusted);
//  - corrupt or truncated archives (libzip open/read/CRC errors).
// Regular files keep their bytes; their permissions are normalised from the
// unix mode in the external attributes: 0755 when any execute bit is set,
// else 0644 (also when the archive has none), so 0777/0666 never land as is.
// Directories are created 0755 at least. Files are opened with O_NOFOLLOW and
// symlinks are created only after all files, so nothing is written through a
// link. Thread-compatible; no global state.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace rr {

ow::Status ExtractZipArchive(const std::string& archive_bytes, const std::string& dest_dir,
                             uint64_t max_total_bytes);

}  // namespace rr
