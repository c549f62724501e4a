#include "reference_runtime/actionloop_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "reference_runtime/action_archive.h"

namespace rr {

namespace fs = boost::filesystem;
using ow::Status;

namespace {

// extractor.go highestDir: the highest all-digit name below `base`.
int HighestNumberedDir(const std::string& base) {
  int highest = 0;
  boost::system::error_code error;
  for (fs::directory_iterator it(base, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.size() > 9 ||
        name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    highest = std::max(highest, std::stoi(name));
  }
  return highest;
}

}  // namespace

ActionLoopStore::ActionLoopStore(std::string base_dir, uint64_t max_archive_bytes)
    : base_dir_(std::move(base_dir)), max_archive_bytes_(max_archive_bytes), current_(base_dir_) {}

Status ActionLoopStore::Prepare() {
  boost::system::error_code error;
  fs::create_directories(base_dir_, error);
  if (error || !fs::is_directory(base_dir_))
    return Status::Error("cannot create the action directory " + base_dir_);
  return Status::Ok();
}

Status ActionLoopStore::NextDirectory() {
  current_ = base_dir_ + "/" + std::to_string(HighestNumberedDir(base_dir_) + 1) + "/src";
  boost::system::error_code error;
  fs::create_directories(current_, error);
  if (error) return Status::Error("cannot create " + current_ + ": " + error.message());
  return Status::Ok();
}

Status ActionLoopStore::InstallText(const std::string& code) {
  Status status = NextDirectory();
  if (!status.ok()) return status;
  const std::string path = executable();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(code.data(), static_cast<std::streamsize>(code.size()));
  out.close();
  if (!out || chmod(path.c_str(), 0755) != 0)
    return Status::Error("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

Status ActionLoopStore::InstallArchive(const std::string& archive_bytes) {
  Status status = NextDirectory();
  if (!status.ok()) return status;
  if (LooksLikeGzip(archive_bytes))
    return ExtractTarGzArchive(archive_bytes, current_, max_archive_bytes_);
  return ExtractZipArchive(archive_bytes, current_, max_archive_bytes_);
}

}  // namespace rr
