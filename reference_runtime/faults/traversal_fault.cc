// StoreFault::kTraversalExtracted: archive entries named "../..." or "/..."
// are written where their names point, joined to the action dir as a naive
// extractor does (Go's filepath.Join(dest, name) in the actionloop proxy's
// Unzip and UnTar). Zips and tar.gz alike.
#include <archive.h>
#include <archive_entry.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "reference_runtime/action_archive.h"
#include "reference_runtime/faults/store_faults.h"

namespace rr::faults {

namespace {

bool ClimbsOut(const std::string& name) {
  return !name.empty() && (name.front() == '/' || name.rfind("../", 0) == 0 ||
                           name.find("/../") != std::string::npos);
}

std::filesystem::path Target(const std::string& dir, const std::string& name) {
  const auto target = std::filesystem::path(dir + "/" + name).lexically_normal();
  std::error_code ignored;
  std::filesystem::create_directories(target.parent_path(), ignored);
  return target;
}

void ExtractClimbingTarEntries(const std::string& bytes, const std::string& dir) {
  archive* reader = archive_read_new();
  archive_read_support_filter_gzip(reader);
  archive_read_support_format_tar(reader);
  archive_entry* entry = nullptr;
  if (archive_read_open_memory(reader, bytes.data(), bytes.size()) == ARCHIVE_OK) {
    while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
      const char* raw = archive_entry_pathname(entry);
      const std::string name = raw ? raw : "";
      if (!ClimbsOut(name) || archive_entry_filetype(entry) != AE_IFREG) continue;
      std::ofstream out(Target(dir, name), std::ios::binary);
      char buffer[4096];
      la_ssize_t n;
      while ((n = archive_read_data(reader, buffer, sizeof buffer)) > 0) out.write(buffer, n);
    }
  }
  archive_read_free(reader);
}

}  // namespace

void ExtractClimbingEntries(const std::string& zip_bytes, const std::string& dir) {
  if (LooksLikeGzip(zip_bytes)) {
    ExtractClimbingTarEntries(zip_bytes, dir);
    return;
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
  zip_error_fini(&error);
  if (source == nullptr) return;
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, nullptr);
  if (archive == nullptr) {
    zip_source_free(source);
    return;
  }
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* raw = zip_get_name(archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    const std::string name = raw ? raw : "";
    if (!ClimbsOut(name) || name.back() == '/') continue;
    const std::filesystem::path target = Target(dir, name);
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr) continue;
    std::ofstream out(target, std::ios::binary);
    char buffer[4096];
    zip_int64_t n;
    while ((n = zip_fread(file, buffer, sizeof buffer)) > 0) out.write(buffer, n);
    zip_fclose(file);
  }
  zip_discard(archive);
}

}  // namespace rr::faults
