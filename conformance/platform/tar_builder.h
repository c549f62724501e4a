// Builds tar.gz archives in memory with libarchive (pax format, gzip), from
// the same entries as zip_builder.h, for runtimes that accept tar.gz action
// code (the actionloop proxy's UnTar). Every parent directory gets its own
// entry ahead of its files, as `tar czf` writes them: an extractor that
// creates no missing parents (UnTar) still finds them. Pure function of its
// input; thread-safe. Failures come back as ow::Status.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/platform/zip_builder.h"

namespace conformance {

ow::Status build_tar_gz(const std::vector<ZipEntry>& entries, std::string* tar_gz_bytes);

}  // namespace conformance
