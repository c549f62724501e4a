#include "reference_runtime/faults/store_faults.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>
#include <vector>

#include "reference_runtime/action_archive.h"

namespace rr::faults {

namespace fs = std::filesystem;

namespace {

bool HoldsStub(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text == kStubScript;
}

// Removes the execute bits of a regular file, or of every regular file below
// a directory (symlinks are left alone).
void StripExecBits(const fs::path& path) {
  constexpr fs::perms kExec =
      fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
  std::error_code error;
  const fs::file_status status = fs::symlink_status(path, error);
  if (fs::is_regular_file(status)) {
    fs::permissions(path, kExec, fs::perm_options::remove, error);
    return;
  }
  if (!fs::is_directory(status)) return;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code ignored;
    if (fs::is_regular_file(it->symlink_status(ignored))) {
      fs::permissions(it->path(), kExec, fs::perm_options::remove, ignored);
    }
  }
}

}  // namespace

FaultyActionStore::FaultyActionStore(std::unique_ptr<ActionStore> inner, StoreFault fault)
    : inner_(std::move(inner)), fault_(fault) {}

ow::Status FaultyActionStore::Prepare() {
  ow::Status status = inner_->Prepare();
  if (status.ok() && fault_ == StoreFault::kNoStub && HoldsStub(inner_->executable())) {
    std::error_code ignored;
    fs::remove(inner_->executable(), ignored);
  }
  return status;
}

ow::Status FaultyActionStore::InstallArchive(const std::string& zip_bytes) {
  if (fault_ == StoreFault::kTarGzRefused && LooksLikeGzip(zip_bytes))
    return ow::Status::Error("tar.gz actions are not supported; send a zip archive");
  ow::Status status = inner_->InstallArchive(zip_bytes);
  // After the install: directory() is then the one it used (a fresh one per
  // install in --actionloop mode), failed or not.
  if (fault_ == StoreFault::kTraversalExtracted) ExtractClimbingEntries(zip_bytes, directory());
  if (!status.ok() || (fault_ != StoreFault::kOnlyExec && fault_ != StoreFault::kExecBitLost))
    return status;
  const fs::path exec = inner_->executable();
  std::error_code error;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(inner_->directory(), error), end; !error && it != end;
       it.increment(error)) {
    entries.push_back(it->path());
  }
  for (const auto& path : entries) {
    std::error_code ignored;
    if (fault_ == StoreFault::kOnlyExec) {
      if (path != exec) fs::remove_all(path, ignored);
    } else {
      StripExecBits(path);
    }
  }
  return status;
}

}  // namespace rr::faults
