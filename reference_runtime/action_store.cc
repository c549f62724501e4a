#include "reference_runtime/action_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "contract/contract_text.h"
#include "reference_runtime/action_archive.h"

namespace rr {

namespace fs = boost::filesystem;
using ow::Status;

const std::string kStubScript =
    "#!/bin/sh\necho '{\"error\": \"" + std::string(contract::kStubError) + "\"}'\n";

namespace {

constexpr char kStagingPrefix[] = ".staging-";

Status WriteFileAtomically(const std::string& path, const std::string& content, mode_t mode) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Error("cannot write " + temp + ": " + std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) return Status::Error("cannot write " + temp);
  }
  if (chmod(temp.c_str(), mode) != 0 || rename(temp.c_str(), path.c_str()) != 0) {
    Status status = Status::Error("cannot install " + path + ": " + std::strerror(errno));
    unlink(temp.c_str());
    return status;
  }
  return Status::Ok();
}

void RemoveTree(const fs::path& path) {
  boost::system::error_code ignored;
  // Read-only directories from an archive would stop removal: open them up.
  for (fs::recursive_directory_iterator it(path, ignored), end; !ignored && it != end;
       it.increment(ignored)) {
    if (it->symlink_status(ignored).type() == fs::directory_file) {
      fs::permissions(it->path(), fs::add_perms | fs::owner_all, ignored);
    }
  }
  fs::remove_all(path, ignored);
}

// Lists first so that callers may remove or move entries afterwards.
std::vector<fs::path> ListDir(const fs::path& dir, boost::system::error_code* error) {
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, *error), end; !*error && it != end; it.increment(*error)) {
    entries.push_back(it->path());
  }
  return entries;
}

}  // namespace

DirActionStore::DirActionStore(std::string directory, uint64_t max_archive_bytes)
    : directory_(std::move(directory)), max_archive_bytes_(max_archive_bytes) {}

Status DirActionStore::Prepare() {
  boost::system::error_code error;
  fs::create_directories(directory_, error);
  if (error)
    return Status::Error("cannot create action dir " + directory_ + ": " + error.message());
  // Leftovers of an interrupted extraction are never part of an action.
  for (const fs::path& entry : ListDir(directory_, &error)) {
    if (entry.filename().string().rfind(kStagingPrefix, 0) == 0) RemoveTree(entry);
  }
  if (access(executable().c_str(), F_OK) == 0) return Status::Ok();
  return WriteFileAtomically(executable(), kStubScript, 0755);
}

Status DirActionStore::InstallText(const std::string& code) {
  return WriteFileAtomically(executable(), code, 0755);
}

Status DirActionStore::InstallArchive(const std::string& zip_bytes) {
  std::string pattern = directory_ + "/" + kStagingPrefix + "XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return Status::Error("cannot create staging dir: " + std::string(std::strerror(errno)));
  }
  const fs::path staging(buffer.data());
  Status status = ExtractZipArchive(zip_bytes, staging.string(), max_archive_bytes_);
  const fs::path staged_exec = staging / "exec";
  if (status.ok()) {
    struct stat info;
    if (stat(staged_exec.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
      status = Status::Error(std::string(contract::kNoBinary));
    } else if (chmod(staged_exec.c_str(), 0755) != 0) {
      status = Status::Error("cannot make exec executable: " + std::string(std::strerror(errno)));
    }
  }
  if (!status.ok()) {
    RemoveTree(staging);
    return status;
  }
  // Swap: clear the old action (the stub), then move the staged entries in.
  boost::system::error_code error;
  for (const fs::path& old_entry : ListDir(directory_, &error)) {
    if (old_entry != staging) RemoveTree(old_entry);
  }
  for (const fs::path& entry : ListDir(staging, &error)) {
    const fs::path target = fs::path(directory_) / entry.filename();
    if (rename(entry.c_str(), target.c_str()) != 0) {
      status =
          Status::Error("cannot move " + target.string() + " into place: " + std::strerror(errno));
      break;
    }
  }
  if (error && status.ok()) status = Status::Error("cannot list staging dir: " + error.message());
  RemoveTree(staging);
  return status;
}

}  // namespace rr
