// Small helpers declared in http_transport.h.
#include "conformance/platform/http_transport.h"

namespace conformance {

const char* to_string(TransportError e) {
  switch (e) {
    case TransportError::kNone:
      return "none";
    case TransportError::kRefused:
      return "connection refused";
    case TransportError::kTimeout:
      return "timeout";
    case TransportError::kConnectionLost:
      return "connection lost";
    case TransportError::kMalformed:
      return "malformed response";
    case TransportError::kOther:
      return "transport error";
  }
  return "transport error";
}

std::optional<std::string> HttpResponse::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

}  // namespace conformance
