// CurlTransport and LaunchTarget against each hostile_runtime mode: every
// failure must come back as a clear TransportError within the request's
// timeout, and memory must stay bounded.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "conformance/platform/curl_transport.h"
#include "conformance/platform/free_port.h"
#include "conformance/platform/launch_target.h"

namespace conformance {
namespace {

using std::chrono::milliseconds;

class HostileTransportTest : public ::testing::Test {
 protected:
  // Starts hostile_runtime in `mode` through the real LaunchTarget.
  void Start(const std::string& mode) {
    LaunchTarget target(std::string("'") + HOSTILE_RUNTIME_BIN + "' --port {port} --mode " + mode);
    StartOptions options;
    options.ready_timeout = milliseconds(10000);
    options.stop_grace = milliseconds(500);
    const ow::Status s = target.start(options, &instance_);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  HttpResult Send(const std::string& path, milliseconds timeout, std::size_t max_body = 1u << 20) {
    HttpRequest request;
    request.path = path;
    request.body = R"({"value":{}})";
    request.timeout = timeout;
    request.max_body_bytes = max_body;
    return transport_.send(instance_->base_url(), request);
  }

  static long MaxRssMegabytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;  // ru_maxrss is in KiB on Linux
  }

  CurlTransport transport_;
  std::unique_ptr<RuntimeInstance> instance_;
};

TEST_F(HostileTransportTest, WellBehavedRuntimeAnswers) {
  Start("ok");
  const HttpResult r = Send("/init", milliseconds(5000));
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.body, R"({"ok":true})");
  EXPECT_EQ(r.response.content_length, 11u);
  EXPECT_FALSE(r.response.chunked);
  EXPECT_EQ(r.response.header("content-type"), "application/json");
}

TEST_F(HostileTransportTest, SilentRuntimeTimesOut) {
  Start("silent");
  const HttpResult r = Send("/run", milliseconds(500));
  EXPECT_EQ(r.error, TransportError::kTimeout) << r.error_message;
  EXPECT_NE(r.error_message.find("500 ms"), std::string::npos) << r.error_message;
  EXPECT_LT(r.elapsed, std::chrono::seconds(10));  // a hang guard, not a speed check
}

TEST_F(HostileTransportTest, StalledHeadersTimeOut) {
  Start("stall-headers");
  const HttpResult r = Send("/run", milliseconds(500));
  EXPECT_EQ(r.error, TransportError::kTimeout) << r.error_message;
  EXPECT_LT(r.elapsed, std::chrono::seconds(10));
}

TEST_F(HostileTransportTest, EndlessBodyIsCutAtTheCap) {
  Start("endless-body");
  const HttpResult r = Send("/run", milliseconds(20000), 1u << 20);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_TRUE(r.response.body_truncated);
  EXPECT_TRUE(r.response.chunked);
  EXPECT_EQ(r.response.body.size(), 1u << 20);
  EXPECT_FALSE(r.response.content_length.has_value());
}

TEST_F(HostileTransportTest, HugeBodyKeepsMemoryBounded) {
  Start("huge");
  const HttpResult r = Send("/run", milliseconds(20000), 8u << 20);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_TRUE(r.response.body_truncated);
  EXPECT_EQ(r.response.content_length, 2147483648u);
  EXPECT_EQ(r.response.body.size(), 8u << 20);
  EXPECT_LT(MaxRssMegabytes(), 300);
}

TEST_F(HostileTransportTest, ShortBodyIsConnectionLost) {
  Start("short-body");
  const HttpResult r = Send("/run", milliseconds(5000));
  EXPECT_EQ(r.error, TransportError::kConnectionLost) << r.error_message;
  EXPECT_NE(r.error_message.find("curl:"), std::string::npos) << r.error_message;
}

TEST_F(HostileTransportTest, CloseMidResponseIsConnectionLost) {
  Start("close-mid");
  const HttpResult r = Send("/run", milliseconds(5000));
  EXPECT_EQ(r.error, TransportError::kConnectionLost) << r.error_message;
}

TEST_F(HostileTransportTest, EmptyReplyIsConnectionLost) {
  Start("empty-reply");
  const HttpResult r = Send("/run", milliseconds(5000));
  EXPECT_EQ(r.error, TransportError::kConnectionLost) << r.error_message;
}

TEST_F(HostileTransportTest, GarbageIsMalformed) {
  Start("not-http");
  const HttpResult r = Send("/run", milliseconds(5000));
  EXPECT_EQ(r.error, TransportError::kMalformed) << r.error_message;
}

TEST_F(HostileTransportTest, ChunkedAnswerIsRecordedAsChunked) {
  Start("chunked");
  const HttpResult r = Send("/run", milliseconds(5000));
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_TRUE(r.response.chunked);
  EXPECT_FALSE(r.response.content_length.has_value());
  EXPECT_EQ(r.response.body, R"({"ok":true})");
}

TEST_F(HostileTransportTest, SendsJsonHeadersByDefault) {
  Start("echo");
  const HttpResult r = Send("/run", milliseconds(5000));
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.response.body, R"({"method":"POST","path":"/run","content_type":"application/json",)"
                             R"("accept":"application/json","body_bytes":12})");
}

TEST_F(HostileTransportTest, RequestHeadersOverrideTheDefaults) {
  Start("echo");
  HttpRequest request;
  request.path = "/init";
  request.body = "x";
  request.headers = {{"Content-Type", "text/plain"}};
  const HttpResult r = transport_.send(instance_->base_url(), request);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_NE(r.response.body.find(R"("content_type":"text/plain")"), std::string::npos)
      << r.response.body;
  EXPECT_NE(r.response.body.find(R"("accept":"application/json")"), std::string::npos);
}

TEST_F(HostileTransportTest, LargeBodiesGoOutWhole) {
  Start("echo");
  HttpRequest request;
  request.path = "/run";
  request.body = std::string(3u << 20, 'a');  // past curl's 100-continue threshold
  request.timeout = milliseconds(20000);
  const HttpResult r = transport_.send(instance_->base_url(), request);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_NE(r.response.body.find(R"("body_bytes":3145728)"), std::string::npos) << r.response.body;
}

TEST_F(HostileTransportTest, ConcurrentSendsAreIndependent) {
  Start("echo");
  std::vector<std::thread> threads;
  std::vector<HttpResult> results(8);
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([this, i, &results] {
      HttpRequest request;
      request.path = "/run/" + std::to_string(i);
      request.timeout = milliseconds(10000);
      results[i] = transport_.send(instance_->base_url(), request);
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error_message;
    EXPECT_NE(results[i].response.body.find("\"/run/" + std::to_string(i) + "\""),
              std::string::npos);
  }
}

TEST(HostileTransport, NobodyListeningIsRefused) {
  unsigned short port = 0;
  ASSERT_TRUE(pick_free_port(&port).ok());
  CurlTransport transport;
  HttpRequest request;
  request.path = "/init";
  request.timeout = milliseconds(5000);
  const HttpResult r = transport.send("http://127.0.0.1:" + std::to_string(port), request);
  EXPECT_EQ(r.error, TransportError::kRefused) << r.error_message;
  EXPECT_NE(r.error_message.find("refused"), std::string::npos) << r.error_message;
}

}  // namespace
}  // namespace conformance
