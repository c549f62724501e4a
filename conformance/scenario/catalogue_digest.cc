// catalogue_digest (catalogue_digest.h): a content digest of the scenario files.
// FNV-1a is no protection against tampering, and need not be: it tells two
// catalogues apart in reports, nothing more.
#include "conformance/scenario/catalogue_digest.h"

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "conformance/scenario/scenario.h"

namespace conformance {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

void mix(const std::string& bytes, std::uint64_t* hash) {
  for (unsigned char c : bytes) {
    *hash ^= c;
    *hash *= kFnvPrime;
  }
}

}  // namespace

ow::Status catalogue_digest(const std::string& dir, std::string* digest) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) return ow::Status::Error("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  std::uint64_t hash = kFnvOffset;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return ow::Status::Error("cannot read " + file.string());
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Name and length first, so moving bytes between files changes the digest.
    mix(file.filename().string() + '\0' + std::to_string(bytes.size()) + '\0', &hash);
    mix(bytes, &hash);
  }
  char text[32];
  std::snprintf(text, sizeof text, "fnv1a64:%016" PRIx64, hash);
  *digest = text;
  return ow::Status::Ok();
}

}  // namespace conformance
