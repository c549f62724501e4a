#include "reference_runtime/http_session.h"

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
  WatchForDisconnect();
  auto self = shared_from_this();
  shared_->handler->Handle(request, [self](Response response) {
    // Always continue from a fresh handler: `done` may run inside Handle.
    asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
      self->OnAnswer(std::move(response));
    });
  });
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
        if (peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EINTR)) {
          self->peer_gone_ = true;
          self->cancellation_->Cancel();
        } else if (peeked < 0) {
          self->WatchForDisconnect();
        }
      });
}

void HttpSession::OnAnswer(Response response) {
  awaiting_answer_ = false;
  if (peer_gone_) {
    --shared_->in_flight;
    return Close();
  }
  beast::error_code ignored;
  stream_.socket().cancel(ignored);  // ends the disconnect watch
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
