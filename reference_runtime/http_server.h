// The listening side of the runtime's HTTP server.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "common/status.h"
#include "reference_runtime/http_session.h"

namespace rr {

// Accepts connections on one event loop and gives each to an HttpSession.
// Borrows the handler and encoder (they must outlive the io_context's
// handlers). BeginDrain stops accepting; requests that still arrive on open
// connections are answered 503 (C1.3). Not thread-safe.
class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Handler* handler, WireEncoder* encoder,
             ServerLimits limits);

  // Binds and listens; port 0 picks an ephemeral port (see port()).
  ow::Status Listen(const std::string& host, unsigned short port);
  unsigned short port() const { return port_; }
  void BeginDrain();
  // Requests read whose answer has not been fully written yet.
  size_t in_flight() const { return shared_->in_flight; }

 private:
  void Accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<ServerShared> shared_;
  unsigned short port_ = 0;
};

}  // namespace rr
