// One accepted HTTP/1.1 connection.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "reference_runtime/http_types.h"
#include "reference_runtime/request_body.h"
#include "reference_runtime/wire_encoder.h"

namespace rr {

struct ServerLimits {
  size_t max_body_bytes = 128u << 20;
  size_t max_header_bytes = 64u << 10;
  // From the first byte of a request to the end of its header.
  std::chrono::milliseconds header_timeout{10000};
  // Reading the body once the header is in.
  std::chrono::milliseconds body_timeout{300000};
  // A kept-alive connection waiting for its next request.
  std::chrono::milliseconds idle_timeout{600000};
  std::chrono::milliseconds write_timeout{60000};
};

// State every session of a server shares (event loop only).
struct ServerShared {
  Handler* handler;
  WireEncoder* encoder;
  ServerLimits limits;
  bool draining = false;  // answer 503 and close
  size_t in_flight = 0;   // requests read whose answer is not yet written
};

// Reads requests with limits and timeouts, hands each to the Handler, writes
// the answer, keeps the connection alive when the client asks. While an
// answer is pending it watches the socket: a client that disconnects fires
// the request's Cancellation. End-of-stream alone does not tell a client
// that left from one that only shut down its sending side (and still waits
// for the answer), so on end-of-stream the session writes an interim
// `100 Continue` (which HTTP/1.1 clients must accept before any answer) and
// cancels only when the peer then resets the connection; a half-closed
// client gets its answer, then the connection is closed. A handler that
// throws is answered 500. Malformed HTTP: 400; body over the limit: 413;
// header over the limit: 431 (all then close); a header that does not arrive
// in time: the connection is closed. Owned by shared_ptrs held by its
// pending operations; lives on the event loop.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerShared> shared);
  void Start();

 private:
  using Parser = boost::beast::http::request_parser<RequestBody>;

  void WaitForRequest();
  void ReadHeader();
  void OnHeader(const boost::beast::error_code& error);
  void ReadBody();
  void OnBody(const boost::beast::error_code& error);
  void WatchForDisconnect();
  void ProbePeer();
  void CheckPeerLater();
  void PeerGone();
  void OnAnswer(uint64_t request_id, Response response);
  void WriteAnswer(Response response);
  void Write(const Response& response, bool keep_alive, bool counted);
  void RejectAndClose(int status, const std::string& message);
  void Drain(size_t budget);
  void Close();

  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer idle_timer_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::shared_ptr<ServerShared> shared_;
  std::shared_ptr<Cancellation> cancellation_;
  bool first_request_ = true;
  bool keep_alive_ = false;
  bool awaiting_answer_ = false;
  bool peer_gone_ = false;
  bool peer_eof_ = false;                // the client shut down its sending side
  bool probe_writing_ = false;           // the interim 100 Continue is being written
  std::optional<Response> held_answer_;  // arrived while the probe was written
  uint64_t request_id_ = 0;
  std::string write_bytes_;
  std::string drain_buffer_;
};

}  // namespace rr
