// The tar.gz reader of action_archive.h: GzipStream decompresses, libarchive
// parses the tar format only (never its disk writer), ArchiveTreeWriter
// writes. The gzip layer is ours, not libarchive's filter, because the tar
// parser stops at the end-of-archive blocks: through the filter a stream cut
// in its trailer or with a bad CRC would pass, and the bytes after the tar's
// end would not count against the limit.
#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <memory>

#include "reference_runtime/action_archive.h"
#include "reference_runtime/archive_tree.h"
#include "reference_runtime/gzip_stream.h"

namespace rr {
namespace {

using ow::Status;

struct ArchiveCloser {
  void operator()(archive* reader) const { archive_read_free(reader); }
};

std::string ArchiveError(archive* reader) {
  const char* text = archive_error_string(reader);
  return text != nullptr ? text : "unknown libarchive error";
}

// Pathnames come as written in the archive (pax headers in UTF-8); a name
// the locale cannot convert is taken as its UTF-8 bytes.
std::string EntryName(archive_entry* entry) {
  const char* name = archive_entry_pathname(entry);
  if (name == nullptr) name = archive_entry_pathname_utf8(entry);
  return name != nullptr ? name : "";
}

std::string LinkTarget(archive_entry* entry) {
  const char* target = archive_entry_symlink(entry);
  if (target == nullptr) target = archive_entry_symlink_utf8(entry);
  return target != nullptr ? target : "";
}

Status ExtractEntry(archive* reader, archive_entry* entry, ArchiveTreeWriter* writer) {
  const std::string name = EntryName(entry);
  const ArchiveTreeWriter::ReadData read = [reader](char* buffer, size_t capacity,
                                                    std::string* error) {
    const la_ssize_t got = archive_read_data(reader, buffer, capacity);
    if (got < 0) *error = ArchiveError(reader);
    return static_cast<int64_t>(got < 0 ? -1 : got);
  };
  // A hard link may carry the regular-file type: look at it first. Hard
  // links, devices, fifos and sockets are skipped, as the Go proxy's UnTar
  // (openwhisk/tar.go) does: it handles only directories and regular files
  // and goes silently past everything else, so an archive `tar czf` made of
  // a tree holding one still installs there; skipping creates nothing, so
  // nothing can point out of the action dir.
  if (archive_entry_hardlink(entry) != nullptr) return writer->Skip(name, read);
  switch (archive_entry_filetype(entry)) {
    case AE_IFDIR:
      return writer->AddDirectory(name);
    case AE_IFREG:
      return writer->AddFile(name, (archive_entry_perm(entry) & 0111) != 0, read);
    case AE_IFLNK:
      // The Go proxy skips symlinks too; here they follow the zip rule
      // (created last, refused when they point out), one contract for both.
      return writer->AddSymlink(name, LinkTarget(entry));
    default:
      return writer->Skip(name, read);
  }
}

la_ssize_t ReadDecompressed(archive* reader, void* stream, const void** data) {
  auto* gzip = static_cast<GzipStream*>(stream);
  const char* chunk = nullptr;
  const int64_t got = gzip->Next(&chunk);
  if (got < 0) {
    archive_set_error(reader, EINVAL, "%s", gzip->error().c_str());
    return -1;
  }
  *data = chunk;
  return static_cast<la_ssize_t>(got);
}

// Headers and padding: the tar stream may be larger than its entries' data
// by at most this much more (1 KiB per small file covers 16 Ki files per MiB).
uint64_t StreamLimit(uint64_t max_total_bytes) {
  return max_total_bytes > UINT64_MAX / 2 ? UINT64_MAX : 2 * max_total_bytes + (1u << 20);
}

}  // namespace

Status ExtractTarGzArchive(const std::string& archive_bytes, const std::string& dest_dir,
                           uint64_t max_total_bytes) {
  if (!LooksLikeGzip(archive_bytes)) return Status::Error("corrupt archive: not gzip data");
  GzipStream gzip(archive_bytes, StreamLimit(max_total_bytes));
  std::unique_ptr<archive, ArchiveCloser> reader(archive_read_new());
  if (!reader) return Status::Error("cannot read archive: out of memory");
  archive_read_support_format_tar(reader.get());
  if (archive_read_open(reader.get(), &gzip, nullptr, ReadDecompressed, nullptr) != ARCHIVE_OK) {
    return Status::Error("corrupt archive: " + ArchiveError(reader.get()));
  }
  ArchiveTreeWriter writer(dest_dir, max_total_bytes);
  while (true) {
    archive_entry* entry = nullptr;
    const int result = archive_read_next_header(reader.get(), &entry);
    if (result == ARCHIVE_EOF) break;
    // ARCHIVE_WARN: e.g. a name the locale cannot convert; the entry is usable.
    if (result != ARCHIVE_OK && result != ARCHIVE_WARN)
      return Status::Error("corrupt archive: " + ArchiveError(reader.get()));
    Status status = ExtractEntry(reader.get(), entry, &writer);
    if (!status.ok()) return status;
  }
  // The rest (end blocks, the gzip trailer) is read too, so its CRC is checked.
  if (!gzip.Drain()) return Status::Error("corrupt archive: " + gzip.error());
  return writer.Finish();
}

}  // namespace rr
