// Fuzzes the whole request path as a client meets it: the input's bytes are
// sent on one loopback connection to the real HttpServer (HttpSession: Beast
// with the session's RequestBody, limits, timeouts, half-close handling),
// answered by the real RequestHandler, whose background pool takes every
// body (so the off-loop path runs on every input), with the real action store
// on disk, result interpreter and wire encoder; only the executor runs
// nothing (fuzz_parts.h). After the input the client shuts down its sending
// side and reads until the server closes. Checks: the server closes within
// kCloseWithin (no hang, even half-closed); the bytes that came back are a
// sequence of well-formed HTTP responses (interim 100s allowed), each a JSON
// answer (fuzz::check_response); and the handler's promises (fuzz_parts.h).
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "reference_runtime/background_work.h"
#include "reference_runtime/http_server.h"
#include "reference_runtime/request_handler.h"
#include "reference_runtime/wire_encoder.h"
#include "tests/fuzz/fuzz_parts.h"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

constexpr int kCloseWithin = 5000;  // ms, under ci/fuzz.sh's -timeout

// The real pool, taking bodies of any size.
class EveryBodyInBackground : public rr::ThreadPoolWork {
 public:
  using ThreadPoolWork::ThreadPoolWork;
  bool Takes(size_t) const override { return true; }
};

// The handler of the current input: each input starts uninitialised.
class CurrentHandler : public rr::Handler {
 public:
  void Handle(rr::Request request, rr::ResponseCallback done) override {
    handler->Handle(std::move(request), std::move(done));
  }
  std::unique_ptr<rr::RequestHandler> handler;
};

rr::ServerLimits Limits() {
  rr::ServerLimits limits;
  limits.max_body_bytes = 1u << 20;
  limits.header_timeout = std::chrono::milliseconds(2000);
  limits.body_timeout = std::chrono::milliseconds(2000);
  return limits;
}

// The runtime, built once, its event loop on a thread of its own.
class Runtime {
 public:
  Runtime()
      : store_(fuzz::make_temp_dir("fuzz-request-") + "/action", 1u << 20),
        background_(io_, 2),
        server_(io_, &current_, &encoder_, Limits()) {
    fuzz::require(store_.Prepare().ok(), "cannot prepare the action dir");
    fuzz::require(server_.Listen("127.0.0.1", 0).ok(), "cannot listen on 127.0.0.1");
    loop_ = std::thread([this] {
      auto guard = asio::make_work_guard(io_);
      io_.run();
    });
  }
  unsigned short port() const { return server_.port(); }

  // A fresh handler, once nothing of the last input is under way.
  void Reset() {
    while (OnLoop<size_t>([this] { return server_.in_flight(); }) != 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    OnLoop<int>([this] {
      rr::RequestHandler::Parts parts{&store_, &executor_, &logs_, &interpreter_, &background_};
      current_.handler = std::make_unique<rr::RequestHandler>(
          parts, std::vector<std::string>{"PATH=/usr/bin:/bin", "HOME=/root"}, 2);
      return 0;
    });
  }

 private:
  template <typename T>
  T OnLoop(std::function<T()> call) {
    std::promise<T> result;
    asio::post(io_, [&] { result.set_value(call()); });
    return result.get_future().get();
  }

  asio::io_context io_;
  rr::DirActionStore store_;
  fuzz::EchoExecutor executor_;
  fuzz::CheckingLogWriter logs_;
  rr::LastLineInterpreter interpreter_;
  rr::ContentLengthEncoder encoder_;
  EveryBodyInBackground background_;
  CurrentHandler current_;
  rr::HttpServer server_;
  std::thread loop_;
};

// Sends `input` in chunks of `chunk` bytes (reading meanwhile, so neither
// side blocks on a full buffer), shuts down the sending side, then reads
// until the server closes. Returns everything read.
std::string Exchange(unsigned short port, std::string_view input, size_t chunk) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  fuzz::require(fd >= 0, "cannot make a socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fuzz::require(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0,
                "cannot connect to the runtime");
  if (input.empty()) shutdown(fd, SHUT_WR);  // nothing to send at all
  std::string received;
  bool open = true;
  const auto limit = std::chrono::steady_clock::now() + std::chrono::milliseconds(kCloseWithin);
  while (open) {
    const bool sending = !input.empty();
    pollfd watch{fd, static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        limit - std::chrono::steady_clock::now());
    fuzz::require(left.count() > 0,
                  "the runtime neither answered nor closed the connection in time");
    // libFuzzer's SIGALRM (its -timeout watch) interrupts system calls.
    if (poll(&watch, 1, static_cast<int>(left.count())) <= 0) continue;
    if (watch.revents & (POLLIN | POLLHUP | POLLERR)) {
      char buffer[65536];
      const ssize_t got = read(fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got > 0) received.append(buffer, static_cast<size_t>(got));
      open = got > 0;
    }
    if (open && sending && (watch.revents & POLLOUT)) {
      const ssize_t sent =
          send(fd, input.data(), std::min(chunk, input.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent > 0) input.remove_prefix(static_cast<size_t>(sent));
      if (sent < 0 && errno != EAGAIN && errno != EINTR) input = {};  // the server closed its side
      if (input.empty()) shutdown(fd, SHUT_WR);
    }
  }
  close(fd);
  return received;
}

// Checks `wire` is whole HTTP responses, each a well-formed JSON answer.
void CheckResponses(std::string_view wire) {
  while (!wire.empty()) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(wire.size());
    boost::beast::error_code error;
    const size_t used = parser.put(asio::buffer(wire.data(), wire.size()), error);
    fuzz::require(!error && parser.is_done(), "bytes from the runtime that are not an answer");
    wire.remove_prefix(used);
    const auto& message = parser.get();
    if (message.result_int() == 100) continue;  // interim, sent on a half-close
    rr::Response response;
    response.status = static_cast<int>(message.result_int());
    response.body = message.body();
    response.content_type = std::string(message[http::field::content_type]);
    fuzz::check_response(response);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Runtime* runtime = new Runtime();
  if (size == 0) return 0;
  runtime->Reset();
  // The first byte picks how the input is split into writes.
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  CheckResponses(Exchange(runtime->port(), input, 1 + data[0] % 64 * 17));
  return 0;
}
