// Faults on seam (e), the response bytes on the wire (C1.2).
#pragma once

#include <memory>
#include <string>

#include "reference_runtime/wire_encoder.h"

namespace rr::faults {

enum class WireFault {
  kChunked,        // Transfer-Encoding: chunked and no Content-Length
  kNoContentType,  // JSON replies without Content-Type
};

// Wraps a WireEncoder (owned) and rewrites what it produces. Stateless.
class FaultyWireEncoder : public WireEncoder {
 public:
  FaultyWireEncoder(std::unique_ptr<WireEncoder> inner, WireFault fault);
  std::string Encode(const Response& response, bool keep_alive) override;

 private:
  std::unique_ptr<WireEncoder> inner_;
  WireFault fault_;
};

// Turns a complete HTTP/1.1 response with Content-Length into the same
// response with chunked transfer encoding (one data chunk, then the last
// chunk). Input without a header end comes back unchanged. For tests too.
std::string RechunkResponse(const std::string& bytes);

}  // namespace rr::faults
