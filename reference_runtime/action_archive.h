// Extraction of an archive (the /init `code` of a binary action: a zip, or
// in --actionloop mode also a tar.gz) into a directory, refusing hostile
// archives. Both formats share one entry writer (archive_tree.h).
//
// Contract: everything is written below `dest_dir` (which must exist and be
// empty; callers pass a fresh staging directory). Refused, with an error
// status and possibly a partly filled `dest_dir` that the caller removes:
//  - entry names that are absolute, empty, or hold a `..` component;
//  - symlink entries whose target is absolute or holds a `..` component
//    (strict: with no `..` anywhere, no chain of links inside the tree can
//    resolve above it);
//  - a total uncompressed size of entry data above `max_total_bytes`,
//    counted while the bytes are actually decompressed (header sizes are not
//    trusted);
//  - corrupt or truncated archives (libzip open/read/CRC errors; for tar.gz
//    a bad gzip stream or CRC, a tar stream that ends inside an entry).
// Regular files keep their bytes; their permissions are normalised from the
// archived mode: 0755 when any execute bit is set, else 0644 (also when the
// archive has none), so 0777/0666 never land as is. Directories are created
// 0755 at least. Files are opened with O_NOFOLLOW and symlinks are created
// only after all files, so nothing is written through a link.
// Tar only: hard links, device nodes, fifos and other special entries are
// skipped (their data still counts against the limit), as the Go actionloop
// proxy's UnTar skips every entry that is not a directory or a regular file.
// Thread-compatible; no global state.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace rr {

// The first bytes of a zip (local header, empty archive or spanned marker)
// and of a gzip stream (deflate), as the Go proxy's filetype.go tells them.
bool LooksLikeZip(const std::string& bytes);
bool LooksLikeGzip(const std::string& bytes);

ow::Status ExtractZipArchive(const std::string& archive_bytes, const std::string& dest_dir,
                             uint64_t max_total_bytes);

// A gzip-compressed tar (ustar, GNU long names, pax path/linkpath).
ow::Status ExtractTarGzArchive(const std::string& archive_bytes, const std::string& dest_dir,
                               uint64_t max_total_bytes);

}  // namespace rr
