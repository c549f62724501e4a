// StoreFault::kTraversalExtracted: archive entries named "../..." or "/..."
// are written where their names point, joined to the action dir as a naive
// extractor does (Go's filepath.Join(dest, name) in the actionloop proxy),
// before the normal store sees the archive.
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "reference_runtime/faults/store_faults.h"

namespace rr::faults {

namespace {

bool ClimbsOut(const std::string& name) {
  return !name.empty() && (name.front() == '/' || name.rfind("../", 0) == 0 ||
                           name.find("/../") != std::string::npos);
}

}  // namespace

void ExtractClimbingEntries(const std::string& zip_bytes, const std::string& dir) {
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
    const std::filesystem::path target = std::filesystem::path(dir + "/" + name).lexically_normal();
    std::error_code ignored;
    std::filesystem::create_directories(target.parent_path(), ignored);
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
