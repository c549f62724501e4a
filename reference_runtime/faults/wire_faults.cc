#include "reference_runtime/faults/wire_faults.h"

#include <cctype>
#include <cstdio>
#include <utility>

namespace rr::faults {

namespace {

bool StartsWithNoCase(const std::string& text, size_t at, const std::string& prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string RechunkResponse(const std::string& bytes) {
  const size_t header_end = bytes.find("\r\n\r\n");
  if (header_end == std::string::npos) return bytes;
  const std::string body = bytes.substr(header_end + 4);
  std::string header;
  // Copy the status line and headers, all but Content-Length.
  size_t at = 0;
  while (at < header_end) {
    size_t eol = bytes.find("\r\n", at);
    if (eol == std::string::npos || eol > header_end) eol = header_end;
    if (!StartsWithNoCase(bytes, at, "content-length:")) {
      header.append(bytes, at, eol - at);
      header += "\r\n";
    }
    at = eol + 2;
  }
  header += "Transfer-Encoding: chunked\r\n\r\n";
  if (!body.empty()) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", body.size());
    header += size;
    header += body;
    header += "\r\n";
  }
  header += "0\r\n\r\n";
  return header;
}

FaultyWireEncoder::FaultyWireEncoder(std::unique_ptr<WireEncoder> inner, WireFault fault)
    : inner_(std::move(inner)), fault_(fault) {}

std::string FaultyWireEncoder::Encode(const Response& response, bool keep_alive) {
  switch (fault_) {
    case WireFault::kChunked:
      return RechunkResponse(inner_->Encode(response, keep_alive));
    case WireFault::kNoContentType: {
      Response bare = response;
      bare.content_type.clear();
      return inner_->Encode(bare, keep_alive);
    }
  }
  return inner_->Encode(response, keep_alive);
}

}  // namespace rr::faults
