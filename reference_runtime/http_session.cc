#include "reference_runtime/http_session.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>
#include <utility>

namespace rr {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
constexpr size_t kBigBodyBytes = 64u << 10;
}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<ServerShared> shared)
    : stream_(std::move(socket)), idle_timer_(stream_.get_executor()), shared_(std::move(shared)) {}

void HttpSession::Start() { WaitForRequest(); }

// A kept-alive connection may idle for long; once bytes arrive, the header
// must follow within header_timeout (slow-header clients are cut off).
void HttpSession::WaitForRequest() {
  if (first_request_ || buffer_.size() > 0) {
    first_request_ = false;
    ReadHeader();
    return;
  }
  // A bare socket wait is not covered by the stream's timeout: own timer.
  auto self = shared_from_this();
  idle_timer_.expires_after(shared_->limits.idle_timeout);
  idle_timer_.async_wait([self](const beast::error_code& error) {
    if (!error) self->Close();
  });
  stream_.socket().async_wait(asio::ip::tcp::socket::wait_read,
                              [self](const beast::error_code& error) {
                                self->idle_timer_.cancel();
                                if (error) return self->Close();
                                self->ReadHeader();
                              });
}

void HttpSession::ReadHeader() {
  parser_.emplace();
  parser_->body_limit(shared_->limits.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.max_header_bytes));
  stream_.expires_after(shared_->limits.header_timeout);
  auto self = shared_from_this();
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self](const beast::error_code& error, size_t) { self->OnHeader(error); });
}

void HttpSession::OnHeader(const beast::error_code& error) {
  if (error == http::error::body_limit) {
    return RejectAndClose(413, "Request body larger than " +
                                   std::to_string(shared_->limits.max_body_bytes) + " bytes.");
  }
  if (error == http::error::header_limit) return RejectAndClose(431, "Request header too large.");
  if (error == http::error::end_of_stream || error == beast::error::timeout ||
      error == asio::error::operation_aborted || error == asio::error::eof ||
      error == asio::error::connection_reset) {
    return Close();
  }
  if (error) return RejectAndClose(400, "Malformed HTTP request: " + error.message() + ".");
  const auto& header = parser_->get();
  auto expect = header.find(http::field::expect);
  if (expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
    write_bytes_ = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(shared_->limits.write_timeout);
    auto self = shared_from_this();
    asio::async_write(stream_, asio::buffer(write_bytes_),
                      [self](const beast::error_code& write_error, size_t) {
                        if (write_error) return self->Close();
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void HttpSession::ReadBody() {
  // Beast reads at most what the buffer has room for (512 bytes at first):
  // a big body would take hundreds of thousands of reads. Room for 64 KiB
  // reads while this body comes; given back once it is in.
  const auto length = parser_->content_length();
  if (length && *length > kBigBodyBytes) buffer_.reserve(kBigBodyBytes);
  stream_.expires_after(shared_->limits.body_timeout);
  auto self = shared_from_this();
  http::async_read(stream_, buffer_, *parser_,
                   [self](const beast::error_code& error, size_t) { self->OnBody(error); });
}

void HttpSession::OnBody(const beast::error_code& error) {
  if (error == http::error::body_limit) {
    return RejectAndClose(413, "Request body larger than " +
                                   std::to_string(shared_->limits.max_body_bytes) + " bytes.");
  }
  if (error == beast::error::timeout || error == asio::error::operation_aborted ||
      error == http::error::end_of_stream || error == asio::error::eof ||
      error == asio::error::connection_reset || error == http::error::partial_message) {
    return Close();
  }
  if (error) return RejectAndClose(400, "Malformed HTTP request: " + error.message() + ".");
  auto message = parser_->release();
  if (buffer_.capacity() >= kBigBodyBytes) buffer_.shrink_to_fit();
  keep_alive_ = message.keep_alive();
  if (shared_->draining) {
    Write(JsonError(503, "The runtime is shutting down."), false, false);
    return;
  }
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.body = std::move(message.body());
  cancellation_ = std::make_shared<Cancellation>();
  request.cancellation = cancellation_;
  stream_.expires_never();
  ++shared_->in_flight;
  awaiting_answer_ = true;
  peer_eof_ = false;
  WatchForDisconnect();
  auto self = shared_from_this();
  const uint64_t id = ++request_id_;
  auto answer = [self, id](Response response) {
    // Always continue from a fresh handler: `done` may run inside Handle.
    asio::post(self->stream_.get_executor(), [self, id, response = std::move(response)]() mutable {
      self->OnAnswer(id, std::move(response));
    });
  };
  // Nothing a request does may take the event loop (and every other
  // connection) down: a throwing handler is a 500 for this request only.
  try {
    shared_->handler->Handle(std::move(request), answer);
  } catch (const std::exception& thrown) {
    answer(JsonError(500, std::string("Internal error: ") + thrown.what()));
  } catch (...) {
    answer(JsonError(500, "Internal error."));
  }
}

// While the answer is pending, a readable socket means either a pipelined
// request (leave it in the kernel) or end-of-stream (the client left).
void HttpSession::WatchForDisconnect() {
  auto self = shared_from_this();
  stream_.socket().async_wait(
      asio::ip::tcp::socket::wait_read, [self](const beast::error_code& error) {
        if (error || !self->awaiting_answer_) return;
        char byte;
        const ssize_t peeked =
            recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (peeked == 0) {
          self->ProbePeer();
        } else if (peeked < 0 && errno != EAGAIN && errno != EINTR) {
          self->PeerGone();
        } else if (peeked < 0) {
          self->WatchForDisconnect();
        }
      });
}

// End-of-stream while the answer is pending: left, or only half-closed?
// Bytes sent to a socket that was closed make its host answer with a reset;
// a half-closed one takes them. The probe is an interim response, so a
// client that still reads just skips it.
void HttpSession::ProbePeer() {
  peer_eof_ = true;
  keep_alive_ = false;  // nothing more can be read from this client
  probe_writing_ = true;
  write_bytes_ = "HTTP/1.1 100 Continue\r\n\r\n";
  auto self = shared_from_this();
  asio::async_write(stream_.socket(), asio::buffer(write_bytes_),
                    [self](const beast::error_code& error, size_t) {
                      self->probe_writing_ = false;
                      if (error) self->PeerGone();
                      if (self->held_answer_) {
                        Response response = std::move(*self->held_answer_);
                        self->held_answer_.reset();
                        return self->WriteAnswer(std::move(response));
                      }
                      if (!error) self->CheckPeerLater();
                    });
}

// Polls for the reset that tells a closed client from a half-closed one
// (a readable-socket wait would fire at once: end-of-stream stays readable).
void HttpSession::CheckPeerLater() {
  auto self = shared_from_this();
  idle_timer_.expires_after(std::chrono::milliseconds(50));
  idle_timer_.async_wait([self](const beast::error_code& error) {
    if (error || !self->awaiting_answer_) return;
    // After end-of-stream, recv keeps returning 0 even once a reset came:
    // the connection's state tells.
    tcp_info info{};
    socklen_t size = sizeof(info);
    const int fd = self->stream_.socket().native_handle();
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0 || info.tcpi_state == TCP_CLOSE) {
      return self->PeerGone();
    }
    self->CheckPeerLater();
  });
}

void HttpSession::PeerGone() {
  if (peer_gone_ || !awaiting_answer_) return;
  peer_gone_ = true;
  cancellation_->Cancel();
}

void HttpSession::OnAnswer(uint64_t request_id, Response response) {
  // A handler that threw may still answer later: only the first answer counts.
  if (request_id != request_id_ || !awaiting_answer_) return;
  awaiting_answer_ = false;
  if (probe_writing_) {
    held_answer_ = std::move(response);
    return;
  }
  WriteAnswer(std::move(response));
}

void HttpSession::WriteAnswer(Response response) {
  if (peer_gone_) {
    --shared_->in_flight;
    return Close();
  }
  beast::error_code ignored;
  stream_.socket().cancel(ignored);  // ends the disconnect watch
  idle_timer_.cancel();              // and the reset poll
  Write(response, keep_alive_ && !response.close_connection && !shared_->draining, true);
}

void HttpSession::Write(const Response& response, bool keep_alive, bool counted) {
  write_bytes_ = shared_->encoder->Encode(response, keep_alive);
  stream_.expires_after(shared_->limits.write_timeout);
  auto self = shared_from_this();
  asio::async_write(stream_, asio::buffer(write_bytes_),
                    [self, keep_alive, counted](const beast::error_code& error, size_t) {
                      if (counted) --self->shared_->in_flight;
                      self->write_bytes_.clear();
                      if (error || !keep_alive) return self->Close();
                      self->WaitForRequest();
                    });
}

void HttpSession::RejectAndClose(int status, const std::string& message) {
  write_bytes_ = shared_->encoder->Encode(JsonError(status, message), false);
  stream_.expires_after(shared_->limits.write_timeout);
  auto self = shared_from_this();
  asio::async_write(
      stream_, asio::buffer(write_bytes_), [self](const beast::error_code& error, size_t) {
        if (error) return self->Close();
        // Closing with unread request bytes would reset the connection and the
        // client might never see the answer: stop sending, then drain a while.
        beast::error_code ignored;
        self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        self->stream_.expires_after(std::chrono::seconds(2));
        self->Drain(16u << 20);
      });
}

void HttpSession::Drain(size_t budget) {
  drain_buffer_.resize(65536);
  auto self = shared_from_this();
  stream_.async_read_some(asio::buffer(drain_buffer_),
                          [self, budget](const beast::error_code& error, size_t size) {
                            if (error || size >= budget) return self->Close();
                            self->Drain(budget - size);
                          });
}

void HttpSession::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace rr
