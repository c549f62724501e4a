#include "reference_runtime/gzip_stream.h"

namespace rr {

namespace {
constexpr size_t kChunkBytes = 1 << 16;
constexpr int kGzipOnly = 16 + MAX_WBITS;  // a gzip header and trailer, not zlib or raw
}  // namespace

GzipStream::GzipStream(const std::string& compressed, uint64_t max_output_bytes)
    : max_output_(max_output_bytes), buffer_(kChunkBytes) {
  zlib_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zlib_.avail_in = static_cast<uInt>(compressed.size());
  if (compressed.size() > UINT32_MAX) {
    error_ = "archive too large";
  } else if (inflateInit2(&zlib_, kGzipOnly) != Z_OK) {
    error_ = "cannot start gzip decompression";
  } else {
    initialised_ = true;
  }
}

GzipStream::~GzipStream() {
  if (initialised_) inflateEnd(&zlib_);
}

int64_t GzipStream::Next(const char** data) {
  if (!error_.empty()) return -1;
  if (finished_) return 0;
  zlib_.next_out = buffer_.data();
  zlib_.avail_out = static_cast<uInt>(buffer_.size());
  while (zlib_.avail_out == buffer_.size()) {
    if (zlib_.avail_in == 0) {
      error_ = "truncated gzip stream";
      return -1;
    }
    const int result = inflate(&zlib_, Z_NO_FLUSH);
    if (result == Z_STREAM_END) {
      // Another member may follow (concatenated gzip files are one stream).
      if (zlib_.avail_in == 0) {
        finished_ = true;
        break;
      }
      inflateReset(&zlib_);
    } else if (result != Z_OK) {
      error_ = std::string("bad gzip stream: ") + (zlib_.msg ? zlib_.msg : "inflate error");
      return -1;
    }
  }
  const size_t got = buffer_.size() - zlib_.avail_out;
  produced_ += got;
  if (produced_ > max_output_) {
    error_ = "archive expands to more than " + std::to_string(max_output_) + " bytes (limit)";
    return -1;
  }
  *data = reinterpret_cast<const char*>(buffer_.data());
  return static_cast<int64_t>(got);
}

bool GzipStream::Drain() {
  const char* unused = nullptr;
  int64_t got = 0;
  while ((got = Next(&unused)) > 0) {
  }
  return got == 0;
}

}  // namespace rr
