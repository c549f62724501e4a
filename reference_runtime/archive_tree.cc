#include "reference_runtime/archive_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rr {
namespace {

using ow::Status;

constexpr size_t kMaxLinkTarget = 4096;

// Splits at '/', dropping empty and "." components ("./exec" is "exec": real
// `tar czf x.tgz .` output names everything so).
std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty() && current != ".") parts.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty() && current != ".") parts.push_back(std::move(current));
  return parts;
}

bool HasDotDot(const std::vector<std::string>& parts) {
  for (const auto& part : parts) {
    if (part == "..") return true;
  }
  return false;
}

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Status::Error(what + " " + path + ": " + std::strerror(errno));
}

// Creates the first `count` directories of `parts` below `root` (no symlinks
// exist yet, so none is followed).
Status MakeDirs(const std::string& root, const std::vector<std::string>& parts, size_t count) {
  std::string path = root;
  for (size_t i = 0; i < count; ++i) {
    path += "/" + parts[i];
    if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
      return ErrnoStatus("cannot create", path);
    struct stat info;
    if (lstat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      return Status::Error("archive path clash at " + path);
    }
  }
  return Status::Ok();
}

Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t written = write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return Status::Ok();
}

Status CheckName(const std::string& name, std::vector<std::string>* parts) {
  if (name.empty() || name[0] == '/' || name[0] == '\\') {
    return Status::Error("archive entry has an absolute or empty name: '" + name + "'");
  }
  *parts = SplitPath(name);
  if (HasDotDot(*parts)) {
    return Status::Error("archive entry escapes the action directory: '" + name + "'");
  }
  return Status::Ok();
}

}  // namespace

ArchiveTreeWriter::ArchiveTreeWriter(std::string dest_dir, uint64_t max_total_bytes)
    : dest_(std::move(dest_dir)), max_total_(max_total_bytes) {}

Status ArchiveTreeWriter::AddDirectory(const std::string& name) {
  std::vector<std::string> parts;
  Status status = CheckName(name, &parts);
  if (!status.ok()) return status;
  return MakeDirs(dest_, parts, parts.size());  // "./" is the root itself
}

// The entry's path below dest_; its parent directories are created when
// `make_parents`. Names naming the root itself are refused (not a file).
Status ArchiveTreeWriter::CheckedPath(const std::string& name, bool make_parents,
                                      std::string* path) {
  std::vector<std::string> parts;
  Status status = CheckName(name, &parts);
  if (!status.ok()) return status;
  if (parts.empty()) return Status::Error("archive entry names no file: '" + name + "'");
  if (make_parents) {
    status = MakeDirs(dest_, parts, parts.size() - 1);
    if (!status.ok()) return status;
  }
  *path = dest_;
  for (const auto& part : parts) *path += "/" + part;
  return Status::Ok();
}

Status ArchiveTreeWriter::AddFile(const std::string& name, bool executable, const ReadData& read) {
  std::string path;
  Status status = CheckedPath(name, true, &path);
  if (!status.ok()) return status;
  // Normalised: no world-writable files, no set-id bits, whatever the
  // archive says; anything executable stays executable.
  const mode_t permissions = executable ? 0755 : 0644;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot create", path);
  status = ReadAll(name, read, fd, nullptr);
  if (status.ok() && fchmod(fd, permissions) != 0) status = ErrnoStatus("cannot chmod", path);
  close(fd);
  return status;
}

Status ArchiveTreeWriter::AddSymlinkFromData(const std::string& name, const ReadData& read) {
  std::string target;
  Status status = ReadAll(name, read, -1, &target);
  if (!status.ok()) return status;
  return AddSymlink(name, target);
}

Status ArchiveTreeWriter::AddSymlink(const std::string& name, const std::string& target) {
  std::string path;
  Status status = CheckedPath(name, true, &path);
  if (!status.ok()) return status;
  // Strict: with no ".." anywhere, no chain of links can climb out.
  if (target.empty() || target[0] == '/' || HasDotDot(SplitPath(target)) ||
      target.find('\0') != std::string::npos) {
    return Status::Error("archive symlink '" + name + "' points outside the action directory");
  }
  if (target.size() > kMaxLinkTarget)
    return Status::Error("archive symlink target too long: " + name);
  links_.emplace_back(path, target);
  return Status::Ok();
}

Status ArchiveTreeWriter::Skip(const std::string& name, const ReadData& read) {
  return ReadAll(name, read, -1, nullptr);
}

Status ArchiveTreeWriter::Finish() {
  for (const auto& [path, target] : links_) {
    if (symlink(target.c_str(), path.c_str()) != 0)
      return ErrnoStatus("cannot create symlink", path);
  }
  links_.clear();
  return Status::Ok();
}

// Reads an entry's data, counting against the total limit: written to `fd`
// when >= 0, appended to `out` when given (small symlink targets), else
// dropped.
Status ArchiveTreeWriter::ReadAll(const std::string& name, const ReadData& read, int fd,
                                  std::string* out) {
  std::vector<char> buffer(1 << 16);
  while (true) {
    std::string error;
    const int64_t got = read(buffer.data(), buffer.size(), &error);
    if (got < 0)
      return Status::Error("corrupt archive: cannot read entry '" + name + "': " + error);
    if (got == 0) return Status::Ok();
    total_ += static_cast<uint64_t>(got);
    if (total_ > max_total_) {
      return Status::Error("archive expands to more than " + std::to_string(max_total_) +
                           " bytes (limit)");
    }
    if (fd >= 0) {
      Status status = WriteAll(fd, buffer.data(), static_cast<size_t>(got), name);
      if (!status.ok()) return status;
    } else if (out != nullptr) {
      out->append(buffer.data(), static_cast<size_t>(got));
      if (out->size() > kMaxLinkTarget)
        return Status::Error("archive symlink target too long: " + name);
    }
  }
}

}  // namespace rr
