// Minimal HTTP helpers for end-to-end tests: libcurl for ordinary
// requests, a raw socket for malformed or slow ones.
#pragma once

#include <string>

namespace rr_test {

struct HttpResult {
  long status = 0;  // 0 when no response
  std::string body;
  std::string headers;  // raw header block
  std::string error;    // curl's message when the transfer failed
};

// POSTs `body` to http://127.0.0.1:<port><path> (application/json).
HttpResult Post(int port, const std::string& path, const std::string& body,
                long timeout_ms = 30000);
HttpResult Get(int port, const std::string& path);

// A blocking TCP connection to 127.0.0.1:<port> with a receive timeout.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  bool Send(const std::string& bytes);
  // Reads until the peer closes, `limit_ms` passes, or a whole response with
  // Content-Length has arrived. `closed` tells whether the peer closed.
  std::string ReadResponse(int limit_ms, bool* closed = nullptr);
  // Reads everything until the peer closes or `limit_ms` passes.
  std::string ReadAll(int limit_ms, bool* closed = nullptr);
  // shutdown(SHUT_WR): no more bytes from us, still reading.
  void ShutdownWrite();
  void Close();

 private:
  int fd_ = -1;
};

// A POST request in HTTP/1.1 wire format (keep-alive).
std::string RawPost(const std::string& path, const std::string& body);

}  // namespace rr_test
