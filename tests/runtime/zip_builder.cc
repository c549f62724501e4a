#include "tests/runtime/zip_builder.h"

#include <sys/stat.h>
#include <zip.h>

#include <cstdio>

namespace rr_test {

std::string BuildZip(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) return "";
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    zip_source_free(buffer);
    return "";
  }
  for (const auto& entry : entries) {
    zip_int64_t index;
    if (S_ISDIR(entry.mode)) {
      index = zip_dir_add(archive, entry.name.c_str(), ZIP_FL_ENC_UTF_8);
    } else {
      zip_source_t* data =
          zip_source_buffer(archive, entry.content.data(), entry.content.size(), 0);
      index = zip_file_add(archive, entry.name.c_str(), data, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    }
    if (index < 0) {
      zip_discard(archive);
      zip_source_free(buffer);
      return "";
    }
    zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX,
                                     static_cast<zip_uint32_t>(entry.mode) << 16);
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    zip_source_free(buffer);
    return "";
  }
  std::string bytes;
  if (zip_source_open(buffer) == 0) {
    char chunk[65536];
    zip_int64_t got;
    while ((got = zip_source_read(buffer, chunk, sizeof(chunk))) > 0) {
      bytes.append(chunk, static_cast<size_t>(got));
    }
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  return bytes;
}

}  // namespace rr_test
