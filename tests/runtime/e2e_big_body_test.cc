// End-to-end: large request bodies (an archive with many entries, a big /run
// value) are read off the event loop: while one is being handled, another
// connection is answered.
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/filesystem.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "tests/runtime/e2e_fixture.h"
#include "tests/runtime/zip_builder.h"

namespace rr_test {
namespace {

// True once the action dir holds a staging dir (an extraction is under way).
bool StagingExists(const std::string& action_dir) {
  boost::system::error_code error;
  for (boost::filesystem::directory_iterator it(action_dir, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().filename().string().rfind(".staging-", 0) == 0) return true;
  }
  return false;
}

TEST_F(E2eTest, ArchiveExtractionDoesNotStallOtherConnections) {
  Start();
  std::vector<ZipEntry> entries = {{"exec", "#!/bin/sh\necho '{}'\n", 0100755}};
  for (int i = 0; i < 5000; ++i) entries.push_back({"many/f" + std::to_string(i), "x"});
  const std::string zip = BuildZip(entries);
  ASSERT_FALSE(zip.empty());
  const json init = {{"value", {{"binary", true}, {"code", Base64(zip)}}}};
  std::atomic<bool> init_answered{false};
  HttpResult init_result;
  std::thread client([&] {
    init_result = Post(runtime_->port(), "/init", init.dump(), 60000);
    init_answered = true;
  });
  bool extracting = false;
  for (int i = 0; i < 20000 && !extracting && !init_answered; ++i) {
    extracting = StagingExists(runtime_->action_dir());
    if (!extracting) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  HttpResult other = Post(runtime_->port(), "/nope", "{}", 60000);
  const bool init_done_first = init_answered;
  client.join();
  ASSERT_TRUE(extracting) << "the extraction was never seen under way";
  EXPECT_EQ(other.status, 404) << other.error;
  EXPECT_FALSE(init_done_first) << "another connection waited for the extraction";
  EXPECT_EQ(init_result.status, 200) << init_result.body;
  EXPECT_EQ(ReadFile(runtime_->action_dir() + "/many/f4999"), "x");
}

// True once every byte sent on `client_fd` has been read by the server (the
// socket of 127.0.0.1:`server_port` facing it): nothing unacknowledged here,
// nothing left in the server socket's receive queue (/proc/net/tcp).
bool ServerReadEverything(int client_fd, int server_port) {
  int unacknowledged = 0;
  if (ioctl(client_fd, SIOCOUTQ, &unacknowledged) != 0 || unacknowledged != 0) return false;
  sockaddr_in local{};
  socklen_t size = sizeof(local);
  if (getsockname(client_fd, reinterpret_cast<sockaddr*>(&local), &size) != 0) return false;
  char wanted[64];
  std::snprintf(wanted, sizeof(wanted), "0100007F:%04X 0100007F:%04X", server_port,
                ntohs(local.sin_port));
  std::ifstream table("/proc/net/tcp");
  std::string line;
  while (std::getline(table, line)) {
    const size_t at = line.find(wanted);
    if (at == std::string::npos) continue;
    // "local rem st tx_queue:rx_queue": the receive queue follows the colon.
    const size_t queues = line.find(':', at + std::strlen(wanted) + 4);
    return queues != std::string::npos && std::strtoul(line.c_str() + queues + 1, nullptr, 16) == 0;
  }
  return false;
}

// The body is malformed only at its very end, so its answer (400) is due the
// moment its parse ends. Once the server has read the body, 20 requests in a
// row on other connections must all be answered before it: parsing 2 million
// values takes far longer than 20 round trips, unless the parse held the
// loop and they all waited for it.
TEST_F(E2eTest, BigRunBodyDoesNotStallOtherConnections) {
  Start();
  std::string body = R"({"value":{"a":[)";
  body.reserve(5u << 20);
  for (int i = 0; i < (2 << 20); ++i) body += "0,";
  body += "0]}}x";
  RawConnection big(runtime_->port());
  ASSERT_TRUE(big.Send(RawPost("/run", body)));
  bool read = false;
  for (int i = 0; i < 20000 && !(read = ServerReadEverything(big.fd(), runtime_->port())); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(read) << "the server never read the whole body";
  for (int i = 0; i < 20; ++i) {
    HttpResult other = Post(runtime_->port(), "/nope", "{}", 60000);
    ASSERT_EQ(other.status, 404) << other.error;
  }
  pollfd readable{big.fd(), POLLIN, 0};
  EXPECT_EQ(poll(&readable, 1, 0), 0) << "other connections waited for the body's parse";
  const std::string answer = big.ReadResponse(60000);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer.substr(0, 200);
}

}  // namespace
}  // namespace rr_test
