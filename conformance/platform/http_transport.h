// HttpTransport: the seam through which the harness speaks HTTP to a runtime.
// The real implementation (CurlTransport) uses libcurl over loopback; unit
// tests substitute a fake from tests/support/.
//
// Thread safety: send() may be called from several threads at once (the
// concurrency scenarios overlap requests).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace conformance {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";
  std::string path;  // "/init", "/run"
  std::string body;
  Headers headers;  // Content-Type/Accept: application/json are added by default
  std::chrono::milliseconds timeout{60000};  // whole exchange, connect included
  // Bytes of body kept; past them the transfer stops and the response is
  // marked body_truncated, so a runtime that sends gigabytes cannot exhaust
  // memory or time.
  std::size_t max_body_bytes = 8u << 20;
};

enum class TransportError {
  kNone,
  kRefused,         // nobody listens (the only case /init is retried on, C4.1)
  kTimeout,         // no complete answer within the request's timeout
  kConnectionLost,  // the peer closed or reset before a complete response
  kMalformed,       // bytes that are not an HTTP response
  kOther,
};

const char* to_string(TransportError e);

struct HttpResponse {
  int status = 0;
  Headers headers;                              // names lower-cased, in arrival order
  std::string body;                             // at most max_body_bytes
  std::optional<std::uint64_t> content_length;  // as declared, if declared
  bool chunked = false;                         // Transfer-Encoding: chunked
  bool body_truncated = false;                  // more than max_body_bytes arrived

  // First header with this lower-case name, or nullopt.
  std::optional<std::string> header(const std::string& lower_name) const;
};

struct HttpResult {
  TransportError error = TransportError::kNone;
  std::string error_message;  // human-readable, empty on success
  HttpResponse response;      // meaningful when error == kNone
  std::chrono::microseconds elapsed{0};
  bool ok() const { return error == TransportError::kNone; }
  // kConnectionLost before any byte of a response (reset or empty reply): all
  // a port proxy shows of a runtime that does not listen yet.
  bool lost_without_reply() const {
    return error == TransportError::kConnectionLost && response.status == 0;
  }
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // base_url is "http://127.0.0.1:PORT". Never throws; never blocks past
  // request.timeout (plus a small constant).
  virtual HttpResult send(const std::string& base_url, const HttpRequest& request) = 0;
};

}  // namespace conformance
