// Seam (e): the bytes of an HTTP response on the wire.
#pragma once

#include <string>

#include "reference_runtime/http_types.h"

namespace rr {

class WireEncoder {
 public:
  virtual ~WireEncoder() = default;
  // The complete bytes of one HTTP/1.1 response. `keep_alive` says whether
  // the connection stays open after it.
  virtual std::string Encode(const Response& response, bool keep_alive) = 0;
};

// C1.2: status line, Content-Type, Content-Length (always, never chunked),
// Connection: close when the connection ends. Stateless.
class ContentLengthEncoder : public WireEncoder {
 public:
  std::string Encode(const Response& response, bool keep_alive) override;
};

}  // namespace rr
