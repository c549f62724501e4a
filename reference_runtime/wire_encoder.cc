#include "reference_runtime/wire_encoder.h"

#include <boost/beast/http/status.hpp>
#include <ostream>

namespace rr {

std::string ContentLengthEncoder::Encode(const Response& response, bool keep_alive) {
  namespace http = boost::beast::http;
  const auto reason = http::obsolete_reason(static_cast<http::status>(response.status));
  std::string out;
  out.reserve(response.body.size() + 160);
  out += "HTTP/1.1 " + std::to_string(response.status) + " ";
  out.append(reason.data(), reason.size());
  out += "\r\n";
  if (!response.content_type.empty()) out += "Content-Type: " + response.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  out += "\r\n";
  out += response.body;
  return out;
}

}  // namespace rr
