#include "conformance/platform/tar_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <memory>
#include <set>

namespace conformance {
namespace {

struct WriterCloser {
  void operator()(archive* writer) const { archive_write_free(writer); }
};
struct EntryCloser {
  void operator()(archive_entry* entry) const { archive_entry_free(entry); }
};

std::string error_text(archive* writer) {
  const char* text = archive_error_string(writer);
  return text ? text : "unknown libarchive error";
}

la_ssize_t append_bytes(archive*, void* out, const void* data, size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

ow::Status write_entry(archive* writer, const std::string& name, mode_t type, std::uint32_t mode,
                       const std::string& data) {
  std::unique_ptr<archive_entry, EntryCloser> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), mode & 07777);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
  archive_entry_set_mtime(entry.get(), 0, 0);
  if (archive_write_header(writer, entry.get()) != ARCHIVE_OK ||
      (!data.empty() && archive_write_data(writer, data.data(), data.size()) !=
                            static_cast<la_ssize_t>(data.size()))) {
    return ow::Status::Error("tar: cannot add " + name + ": " + error_text(writer));
  }
  return ow::Status::Ok();
}

}  // namespace

ow::Status build_tar_gz(const std::vector<ZipEntry>& entries, std::string* tar_gz_bytes) {
  std::unique_ptr<archive, WriterCloser> writer(archive_write_new());
  std::string out;
  if (!writer || archive_write_set_format_pax_restricted(writer.get()) != ARCHIVE_OK ||
      archive_write_add_filter_gzip(writer.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(writer.get(), 1) != ARCHIVE_OK ||
      archive_write_open(writer.get(), &out, nullptr, append_bytes, nullptr) != ARCHIVE_OK) {
    return ow::Status::Error("tar: cannot start an archive");
  }
  std::set<std::string> directories;
  for (const ZipEntry& e : entries) {
    if (e.name.empty() || (e.name.front() == '/' && !e.absolute_name))
      return ow::Status::Error("tar: bad entry name '" + e.name + "'");
    for (std::size_t slash = e.name.find('/', 1); slash != std::string::npos;
         slash = e.name.find('/', slash + 1)) {
      const std::string parent = e.name.substr(0, slash + 1);
      if (!directories.insert(parent).second) continue;
      ow::Status status = write_entry(writer.get(), parent, AE_IFDIR, 0755, "");
      if (!status.ok()) return status;
    }
    ow::Status status = write_entry(writer.get(), e.name, AE_IFREG, e.mode, e.data);
    if (!status.ok()) return status;
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK)
    return ow::Status::Error("tar: cannot finish archive: " + error_text(writer.get()));
  *tar_gz_bytes = std::move(out);
  return ow::Status::Ok();
}

}  // namespace conformance
