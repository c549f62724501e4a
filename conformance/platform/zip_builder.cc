#include "conformance/platform/zip_builder.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace conformance {
namespace {

namespace fs = boost::filesystem;

std::string zip_error_text(zip_error_t* error) {
  const char* text = zip_error_strerror(error);
  return text ? text : "unknown libzip error";
}

struct SourceCloser {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

// Reads the whole content of a (closed, kept) in-memory source.
ow::Status drain_source(zip_source_t* source, std::string* out) {
  if (zip_source_open(source) < 0) {
    return ow::Status::Error("zip: cannot reopen the archive buffer: " +
                             zip_error_text(zip_source_error(source)));
  }
  out->clear();
  char buffer[65536];
  for (;;) {
    const zip_int64_t n = zip_source_read(source, buffer, sizeof buffer);
    if (n < 0) {
      zip_source_close(source);
      return ow::Status::Error("zip: cannot read the archive buffer");
    }
    if (n == 0) break;
    out->append(buffer, static_cast<std::size_t>(n));
  }
  zip_source_close(source);
  return ow::Status::Ok();
}

}  // namespace

ow::Status build_zip(const std::vector<ZipEntry>& entries, std::string* zip_bytes) {
  std::set<std::string> names;
  for (const ZipEntry& e : entries) {
    if (e.name.empty() || (e.name.front() == '/' && !e.absolute_name)) {
      return ow::Status::Error("zip: bad entry name '" + e.name + "'");
    }
    if (!names.insert(e.name).second) return ow::Status::Error("zip: duplicate entry " + e.name);
  }
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceCloser> buffer(
      zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer) {
    std::string message = "zip: " + zip_error_text(&error);
    zip_error_fini(&error);
    return ow::Status::Error(message);
  }
  zip_t* archive = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error);
  if (!archive) {
    std::string message = "zip: cannot create archive: " + zip_error_text(&error);
    zip_error_fini(&error);
    return ow::Status::Error(message);
  }
  zip_error_fini(&error);
  zip_source_keep(buffer.get());  // zip_close must not free it: we read the bytes after
  for (const ZipEntry& e : entries) {
    // libzip copies nothing with freep=0, so the entry data must outlive zip_close: it does.
    zip_source_t* data = zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
    if (!data) {
      std::string message = "zip: " + std::string(zip_strerror(archive));
      zip_discard(archive);
      return ow::Status::Error(message);
    }
    const zip_int64_t index = zip_file_add(archive, e.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      std::string message = "zip: cannot add " + e.name + ": " + zip_strerror(archive);
      zip_source_free(data);
      zip_discard(archive);
      return ow::Status::Error(message);
    }
    const zip_uint32_t attributes = (static_cast<zip_uint32_t>(S_IFREG | (e.mode & 07777))) << 16;
    if (zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0,
                                         ZIP_OPSYS_UNIX, attributes) < 0) {
      std::string message = "zip: cannot set mode of " + e.name + ": " + zip_strerror(archive);
      zip_discard(archive);
      return ow::Status::Error(message);
    }
  }
  if (zip_close(archive) < 0) {
    std::string message = "zip: cannot finish archive: " + std::string(zip_strerror(archive));
    zip_discard(archive);
    return ow::Status::Error(message);
  }
  return drain_source(buffer.get(), zip_bytes);
}

ow::Status read_file_entry(const std::string& path, const std::string& name, ZipEntry* entry) {
  struct stat info;
  if (lstat(path.c_str(), &info) != 0) {
    return ow::Status::Error("cannot read " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) return ow::Status::Error(path + " is not a regular file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) return ow::Status::Error("cannot read " + path);
  entry->name = name;
  entry->data = content.str();
  entry->mode = info.st_mode & 07777;
  return ow::Status::Ok();
}

ow::Status collect_directory(const std::string& dir, std::vector<ZipEntry>* entries) {
  boost::system::error_code ec;
  if (!fs::is_directory(dir, ec)) return ow::Status::Error(dir + " is not a directory");
  std::vector<std::pair<std::string, std::string>> files;  // relative name, path
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) return ow::Status::Error("cannot list " + dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return ow::Status::Error("cannot list " + dir + ": " + ec.message());
    const fs::path& p = it->path();
    const fs::file_status st = fs::symlink_status(p, ec);
    if (fs::is_directory(st)) continue;
    if (!fs::is_regular_file(st)) {
      return ow::Status::Error(p.string() + " is not a regular file (symlinks are not archived)");
    }
    files.emplace_back(fs::relative(p, dir).generic_string(), p.string());
  }
  std::sort(files.begin(), files.end());
  entries->clear();
  for (const auto& [name, path] : files) {
    ZipEntry entry;
    ow::Status status = read_file_entry(path, name, &entry);
    if (!status.ok()) return status;
    entries->push_back(std::move(entry));
  }
  return ow::Status::Ok();
}

ow::Status read_zip(const std::string& zip_bytes, std::vector<ZipEntry>* entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
  if (!source) {
    std::string message = "zip: " + zip_error_text(&error);
    zip_error_fini(&error);
    return ow::Status::Error(message);
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!archive) {
    std::string message = "zip: cannot open archive: " + zip_error_text(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    return ow::Status::Error(message);
  }
  zip_error_fini(&error);
  entries->clear();
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    zip_stat_t st;
    if (zip_stat_index(archive, index, 0, &st) != 0) continue;
    std::string name = st.name ? st.name : "";
    if (name.empty() || name.back() == '/') continue;
    ZipEntry entry;
    entry.name = name;
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(archive, index, 0, &opsys, &attributes) == 0 &&
        opsys == ZIP_OPSYS_UNIX) {
      entry.mode = (attributes >> 16) & 07777;
    }
    zip_file_t* file = zip_fopen_index(archive, index, 0);
    if (!file) {
      std::string message = "zip: cannot open " + name + ": " + zip_strerror(archive);
      zip_discard(archive);
      return ow::Status::Error(message);
    }
    char buffer[65536];
    zip_int64_t n;
    while ((n = zip_fread(file, buffer, sizeof buffer)) > 0) {
      entry.data.append(buffer, static_cast<std::size_t>(n));
    }
    zip_fclose(file);
    if (n < 0) {
      zip_discard(archive);
      return ow::Status::Error("zip: cannot read " + name);
    }
    entries->push_back(std::move(entry));
  }
  zip_discard(archive);  // read-only: nothing to write; frees the source too
  return ow::Status::Ok();
}

}  // namespace conformance
