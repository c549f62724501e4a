// CurlTransport: the real HttpTransport, on libcurl's easy interface.
//
// Contract:
// - One easy handle per send(): no state is shared between calls, so send()
//   is safe from any number of threads at once. libcurl's global init runs
//   once, thread-safely, on first construction.
// - HTTP/1.1, no proxy (environment proxies are ignored), no HTTP/0.9, no
//   `Expect: 100-continue`. Content-Type and Accept default to
//   application/json unless the request sets them.
// - request.timeout bounds the whole exchange, connect included.
// - Memory is bounded: at most request.max_body_bytes of the body are kept;
//   when more arrives the transfer is aborted at once and the result is a
//   success with body_truncated = true (a 2 GB or endless body neither
//   exhausts memory nor is waited for).
// - Failures map to TransportError: refused -> kRefused, timeout ->
//   kTimeout, empty reply / reset / short body -> kConnectionLost, bytes that
//   are not HTTP -> kMalformed, anything else -> kOther. error_message says
//   what happened in plain words and includes libcurl's own text.
// - Never throws.
#pragma once

#include <string>

#include "conformance/platform/http_transport.h"

namespace conformance {

class CurlTransport : public HttpTransport {
 public:
  CurlTransport();
  HttpResult send(const std::string& base_url, const HttpRequest& request) override;
};

}  // namespace conformance
