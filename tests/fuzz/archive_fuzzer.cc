// Fuzzes archive extraction: arbitrary bytes as a zip, or as a tar.gz when
// they start like gzip (as the actionloop /init tells them apart), extracted
// into a fresh directory inside a box. Checks that nothing lands beside it in the box,
// that no symlink inside points out of it, and that a successful extraction
// leaves only the normalised modes (0755 or 0644) on regular files.
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "reference_runtime/action_archive.h"
#include "tests/fuzz/fuzz_parts.h"

namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxTotal = 1u << 20;

// Exactly one entry, `name`, in `dir`.
void RequireOnly(const fs::path& dir, const std::string& name) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    fuzz::require(entry.path().filename() == name, "extraction wrote outside its directory");
    ++count;
  }
  fuzz::require(count == 1, "the extraction directory is gone");
}

// `link`'s target, resolved lexically against its directory, stays in `root`.
bool StaysInside(const fs::path& root, const fs::path& link) {
  std::error_code error;
  const fs::path target = fs::read_symlink(link, error);
  if (error) return false;
  if (target.is_absolute()) return false;
  const fs::path resolved = (link.parent_path() / target).lexically_normal();
  const fs::path relative = resolved.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

void CheckTree(const fs::path& root, bool extracted) {
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const fs::file_status status = it->symlink_status();
    if (fs::is_symlink(status)) {
      fuzz::require(StaysInside(root, it->path()), "a symlink points out of the action dir");
    } else if (extracted && fs::is_regular_file(status)) {
      const auto mode = status.permissions() & fs::perms::all;
      fuzz::require(mode == static_cast<fs::perms>(0755) || mode == static_cast<fs::perms>(0644),
                    "a regular file with a mode other than 0755 or 0644");
    }
  }
  fuzz::require(!error, "cannot walk the extracted tree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path base = fuzz::make_temp_dir("fuzz-archive-");
  const fs::path box = base / "box";
  const fs::path dest = box / "dest";
  fs::create_directories(dest);
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const ow::Status status = rr::LooksLikeGzip(bytes)
                                ? rr::ExtractTarGzArchive(bytes, dest.string(), kMaxTotal)
                                : rr::ExtractZipArchive(bytes, dest.string(), kMaxTotal);
  RequireOnly(base, "box");
  RequireOnly(box, "dest");
  CheckTree(dest, status.ok());
  std::error_code error;
  fs::remove_all(box, error);
  fuzz::require(!error, "cannot remove the extracted tree");
  return 0;
}
