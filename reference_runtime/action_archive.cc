// The zip reader of action_archive.h: libzip reads, ArchiveTreeWriter writes.
#include "reference_runtime/action_archive.h"

#include <sys/stat.h>
#include <zip.h>

#include <memory>

#include "reference_runtime/archive_tree.h"

namespace rr {
namespace {

using ow::Status;

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// The unix mode from the external attributes, 0 when the archive has none.
mode_t UnixMode(zip_t* archive, zip_uint64_t index) {
  zip_uint8_t opsys = 0;
  zip_uint32_t attributes = 0;
  if (zip_file_get_external_attributes(archive, index, 0, &opsys, &attributes) == 0 &&
      opsys == ZIP_OPSYS_UNIX) {
    return static_cast<mode_t>(attributes >> 16);
  }
  return 0;
}

Status ExtractEntry(zip_t* archive, zip_uint64_t index, ArchiveTreeWriter* writer) {
  const char* raw_name = zip_get_name(archive, index, ZIP_FL_ENC_RAW);
  if (raw_name == nullptr) return Status::Error("corrupt archive: unreadable entry name");
  const std::string name = raw_name;
  const mode_t mode = UnixMode(archive, index);
  if (!name.empty() && (name.back() == '/' || S_ISDIR(mode))) return writer->AddDirectory(name);
  std::unique_ptr<zip_file_t, ZipFileCloser> file;
  const ArchiveTreeWriter::ReadData read = [&](char* buffer, size_t capacity, std::string* error) {
    if (!file) {
      file.reset(zip_fopen_index(archive, index, 0));
      if (!file) {
        *error = zip_strerror(archive);
        return zip_int64_t{-1};
      }
    }
    const zip_int64_t got = zip_fread(file.get(), buffer, capacity);
    if (got < 0) *error = zip_file_strerror(file.get());
    return got;
  };
  if (S_ISLNK(mode)) return writer->AddSymlinkFromData(name, read);
  return writer->AddFile(name, (mode & 0111) != 0, read);
}

}  // namespace

bool LooksLikeZip(const std::string& bytes) {
  return bytes.size() > 3 && bytes[0] == 'P' && bytes[1] == 'K' &&
         (bytes[2] == 3 || bytes[2] == 5 || bytes[2] == 7) &&
         (bytes[3] == 4 || bytes[3] == 6 || bytes[3] == 8);
}

bool LooksLikeGzip(const std::string& bytes) {
  return bytes.size() > 3 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b && bytes[2] == 8;
}

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
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  if (count < 0) return Status::Error("corrupt archive: cannot count entries");
  ArchiveTreeWriter writer(dest_dir, max_total_bytes);
  for (zip_int64_t i = 0; i < count; ++i) {
    Status status = ExtractEntry(archive.get(), static_cast<zip_uint64_t>(i), &writer);
    if (!status.ok()) return status;
  }
  return writer.Finish();
}

}  // namespace rr
