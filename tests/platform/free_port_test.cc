// Loopback helpers: free ports and the readiness poll.
#include "conformance/platform/free_port.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace conformance {
namespace {

using std::chrono::milliseconds;

// A listening loopback socket for the duration of a test.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { ::close(fd_); }
  unsigned short port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

TEST(FreePort, PicksABindablePort) {
  unsigned short port = 0;
  ASSERT_TRUE(pick_free_port(&port).ok());
  EXPECT_NE(port, 0);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
}

TEST(FreePort, TcpAcceptsSeesAListener) {
  Listener listener;
  EXPECT_TRUE(tcp_accepts("127.0.0.1", listener.port(), milliseconds(1000)));
  EXPECT_TRUE(tcp_accepts("localhost", listener.port(), milliseconds(1000)));
}

TEST(FreePort, TcpAcceptsIsFalseWhenNobodyListens) {
  unsigned short port = 0;
  ASSERT_TRUE(pick_free_port(&port).ok());
  EXPECT_FALSE(tcp_accepts("127.0.0.1", port, milliseconds(1000)));
}

TEST(FreePort, WaitReturnsOkForAListener) {
  Listener listener;
  EXPECT_TRUE(wait_until_accepting("127.0.0.1", listener.port(), milliseconds(2000), nullptr).ok());
}

TEST(FreePort, WaitStopsWithTheGiveUpReason) {
  unsigned short port = 0;
  ASSERT_TRUE(pick_free_port(&port).ok());
  const ow::Status s = wait_until_accepting("127.0.0.1", port, milliseconds(60000),
                                            [] { return std::string("it exited"); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "it exited");
}

TEST(FreePort, WaitGivesUpAtTheReadyTimeout) {
  unsigned short port = 0;
  ASSERT_TRUE(pick_free_port(&port).ok());
  const ow::Status s = wait_until_accepting("127.0.0.1", port, milliseconds(50), nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("never became ready within 50 ms"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace conformance
