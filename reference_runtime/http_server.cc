#include "reference_runtime/http_server.h"

#include <utility>

namespace rr {

namespace asio = boost::asio;
using asio::ip::tcp;

HttpServer::HttpServer(asio::io_context& io, Handler* handler, WireEncoder* encoder,
                       ServerLimits limits)
    : io_(io), acceptor_(io), retry_timer_(io), shared_(std::make_shared<ServerShared>()) {
  shared_->handler = handler;
  shared_->encoder = encoder;
  shared_->limits = limits;
}

ow::Status HttpServer::Listen(const std::string& host, unsigned short port) {
  boost::system::error_code error;
  const auto address = asio::ip::make_address(host, error);
  if (error) return ow::Status::Error("invalid host address '" + host + "': " + error.message());
  const tcp::endpoint endpoint(address, port);
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return ow::Status::Error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             error.message());
  }
  port_ = acceptor_.local_endpoint().port();
  Accept();
  return ow::Status::Ok();
}

void HttpServer::Accept() {
  acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (error) {
      // E.g. out of descriptors: retry later instead of spinning.
      retry_timer_.expires_after(std::chrono::milliseconds(50));
      retry_timer_.async_wait([this](const boost::system::error_code& timer_error) {
        if (!timer_error && acceptor_.is_open()) Accept();
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), shared_)->Start();
    Accept();
  });
}

void HttpServer::BeginDrain() {
  shared_->draining = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

}  // namespace rr
