// Loopback port helpers: see free_port.h.
#include "conformance/platform/free_port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int ms_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<long long>(0, left.count()));
}

bool connect_one(const addrinfo* ai, Clock::time_point deadline, std::chrono::milliseconds hold) {
  Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
  if (fd.get() < 0) return false;
  if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return false;
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, ms_left(deadline)) <= 0) return false;
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return false;
  }
  if (hold.count() <= 0) return true;
  // Ready only if the peer keeps the idle connection open for `hold`.
  pollfd p{fd.get(), POLLIN | POLLRDHUP, 0};
  const int r = ::poll(&p, 1, static_cast<int>(hold.count()));
  if (r <= 0) return r == 0;
  char byte;
  const ssize_t n = ::recv(fd.get(), &byte, 1, MSG_PEEK);
  return n > 0;  // it spoke first: accepting, if oddly
}

}  // namespace

ow::Status pick_free_port(unsigned short* port) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return ow::Status::Error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return ow::Status::Error(std::string("cannot bind 127.0.0.1:0: ") + std::strerror(errno));
  }
  socklen_t len = sizeof addr;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return ow::Status::Error(std::string("getsockname: ") + std::strerror(errno));
  }
  *port = ntohs(addr.sin_port);
  return ow::Status::Ok();
}

bool tcp_accepts(const std::string& host, unsigned short port, std::chrono::milliseconds timeout,
                 std::chrono::milliseconds hold) {
  const auto deadline = Clock::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
  bool ok = false;
  for (const addrinfo* ai = found; ai && !ok; ai = ai->ai_next)
    ok = connect_one(ai, deadline, hold);
  ::freeaddrinfo(found);
  return ok;
}

ow::Status wait_until_accepting(const std::string& host, unsigned short port,
                                std::chrono::milliseconds ready_timeout,
                                const std::function<std::string()>& gave_up,
                                std::chrono::milliseconds hold) {
  const auto deadline = Clock::now() + ready_timeout;
  auto pause = std::chrono::milliseconds(10);
  for (;;) {
    const auto attempt = std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(std::max(1, ms_left(deadline))), std::chrono::milliseconds(1000));
    if (tcp_accepts(host, port, attempt, hold)) return ow::Status::Ok();
    if (gave_up) {
      std::string reason = gave_up();
      if (!reason.empty()) return ow::Status::Error(reason);
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - Clock::now()));
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
  }
  return ow::Status::Error("never became ready within " + std::to_string(ready_timeout.count()) +
                           " ms (nothing accepted connections on " + host + ":" +
                           std::to_string(port) + ")");
}

}  // namespace conformance
