#include "reference_runtime/action_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace rr {
namespace {

using ow::Status;

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) parts.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) parts.push_back(std::move(current));
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

// Creates every directory of `parts` below `root` (no symlinks exist yet).
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

class Extractor {
 public:
  Extractor(zip_t* archive, std::string dest, uint64_t max_total)
      : archive_(archive), dest_(std::move(dest)), max_total_(max_total) {}

  Status Run() {
    const zip_int64_t count = zip_get_num_entries(archive_, 0);
    if (count < 0) return Status::Error("corrupt archive: cannot count entries");
    std::vector<std::pair<std::string, std::string>> links;  // path, target
    for (zip_int64_t i = 0; i < count; ++i) {
      Status status = ExtractEntry(static_cast<zip_uint64_t>(i), &links);
      if (!status.ok()) return status;
    }
    for (const auto& [path, target] : links) {
      if (symlink(target.c_str(), path.c_str()) != 0)
        return ErrnoStatus("cannot create symlink", path);
    }
    return Status::Ok();
  }

 private:
  Status ExtractEntry(zip_uint64_t index, std::vector<std::pair<std::string, std::string>>* links) {
    const char* raw_name = zip_get_name(archive_, index, ZIP_FL_ENC_RAW);
    if (raw_name == nullptr) return Status::Error("corrupt archive: unreadable entry name");
    const std::string name = raw_name;
    if (name.empty() || name[0] == '/' || name[0] == '\\') {
      return Status::Error("archive entry has an absolute or empty name: '" + name + "'");
    }
    const std::vector<std::string> parts = SplitPath(name);
    if (parts.empty() || HasDotDot(parts)) {
      return Status::Error("archive entry escapes the action directory: '" + name + "'");
    }
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    mode_t mode = 0;
    if (zip_file_get_external_attributes(archive_, index, 0, &opsys, &attributes) == 0 &&
        opsys == ZIP_OPSYS_UNIX) {
      mode = static_cast<mode_t>(attributes >> 16);
    }
    const bool is_dir = name.back() == '/' || S_ISDIR(mode);
    if (is_dir) return MakeDirs(dest_, parts, parts.size());

    Status status = MakeDirs(dest_, parts, parts.size() - 1);
    if (!status.ok()) return status;
    std::string path = dest_;
    for (const auto& part : parts) path += "/" + part;

    if (S_ISLNK(mode)) {
      std::string target;
      status = ReadEntry(index, name, -1, &target);
      if (!status.ok()) return status;
      const std::vector<std::string> target_parts = SplitPath(target);
      if (target.empty() || target[0] == '/' || HasDotDot(target_parts) ||
          target.find('\0') != std::string::npos) {
        return Status::Error("archive symlink '" + name + "' points outside the action directory");
      }
      links->emplace_back(path, target);
      return Status::Ok();
    }
    // Normalised: no world-writable files, no set-id bits, whatever the
    // archive says; anything executable stays executable.
    const mode_t permissions = (mode & 0111) != 0 ? 0755 : 0644;
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return ErrnoStatus("cannot create", path);
    std::string unused;
    status = ReadEntry(index, name, fd, &unused);
    if (status.ok() && fchmod(fd, permissions) != 0) status = ErrnoStatus("cannot chmod", path);
    close(fd);
    return status;
  }

  // Decompresses entry `index`, counting against the total limit. Writes to
  // `fd` when >= 0, else appends to `out` (for small symlink targets).
  Status ReadEntry(zip_uint64_t index, const std::string& name, int fd, std::string* out) {
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(archive_, index, 0));
    if (!file) {
      return Status::Error("corrupt archive: cannot open entry '" + name +
                           "': " + zip_strerror(archive_));
    }
    std::vector<char> buffer(1 << 16);
    while (true) {
      const zip_int64_t got = zip_fread(file.get(), buffer.data(), buffer.size());
      if (got < 0) {
        return Status::Error("corrupt archive: cannot read entry '" + name +
                             "': " + zip_file_strerror(file.get()));
      }
      if (got == 0) break;
      total_ += static_cast<uint64_t>(got);
      if (total_ > max_total_) {
        return Status::Error("archive expands to more than " + std::to_string(max_total_) +
                             " bytes (limit)");
      }
      if (fd >= 0) {
        Status status = WriteAll(fd, buffer.data(), static_cast<size_t>(got), name);
        if (!status.ok()) return status;
      } else {
        out->append(buffer.data(), static_cast<size_t>(got));
        if (out->size() > 4096) return Status::Error("archive symlink target too long: " + name);
      }
    }
    return Status::Ok();
  }

  zip_t* archive_;
  std::string dest_;
  uint64_t max_total_;
  uint64_t total_ = 0;
};

}  // namespace

Status ExtractZipArchive(const std::string& archive_bytes, const std::string& dest_dir,
                         uint64_t max_total_bytes) {
  if (archive_bytes.empty()) return Status::Error("corrupt archive: empty");
  zip_error_t error;
  zip_error_init(&error);
  // The source does not own or copy the bytes; they outlive the archive.
  zip_source_t* source =
      zip_source_buffer_create(archive_bytes.data(), archive_bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status::Error("cannot read archive: " + message);
  }
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open_from_source(source, ZIP_RDONLY, &error));
  if (!archive) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    return Status::Error("corrupt archive: " + message);
  }
  zip_error_fini(&error);
  return Extractor(archive.get(), dest_dir, max_total_bytes).Run();
}

}  // namespace rr
