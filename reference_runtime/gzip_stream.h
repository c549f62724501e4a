// A gzip stream decompressed chunk by chunk (zlib), for the tar.gz reader.
// Every member of a multi-member stream is read and its CRC and length
// checked; a stream that stops before its trailer, a bad header or CRC, or
// bytes after the last member that are not another member are errors. The
// decompressed length is capped. Thread-compatible.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rr {

class GzipStream {
 public:
  // `compressed` must outlive the stream.
  GzipStream(const std::string& compressed, uint64_t max_output_bytes);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Decompresses the next chunk: its size (*data points into the stream's
  // buffer, valid until the next call), 0 at the clean end, -1 on error().
  int64_t Next(const char** data);
  // Reads (and checks) whatever is left; false on error().
  bool Drain();
  const std::string& error() const { return error_; }

 private:
  z_stream zlib_{};
  bool initialised_ = false;
  bool finished_ = false;
  uint64_t max_output_;
  uint64_t produced_ = 0;
  std::vector<unsigned char> buffer_;
  std::string error_;
};

}  // namespace rr
