// UrlTarget against a runtime started separately, with and without
// --logs-from.
#include "conformance/platform/url_target.h"

#include <gtest/gtest.h>

#include "conformance/platform/free_port.h"
#include "conformance/platform/image_target.h"
#include "conformance/platform/launch_target.h"
#include "test_dirs.h"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class UrlTargetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LaunchTarget launcher(HostileCommand("ok"));
    StartOptions options;
    options.ready_timeout = milliseconds(10000);
    const ow::Status s = launcher.start(options, &runtime_);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  std::unique_ptr<RuntimeInstance> runtime_;  // the "already running" runtime
};

TEST_F(UrlTargetTest, ConnectsWithoutLogs) {
  auto target = std::make_unique<UrlTarget>(runtime_->base_url() + "/", "");
  EXPECT_FALSE(target->fresh_instances());
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target->start(StartOptions{}, &instance);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(instance->base_url(), runtime_->base_url());
  EXPECT_EQ(instance->logs(), nullptr);
  EXPECT_FALSE(instance->exited());
  instance->stop();  // must leave the runtime alone
  EXPECT_FALSE(runtime_->exited());
  const std::string port = runtime_->base_url().substr(runtime_->base_url().rfind(':') + 1);
  EXPECT_TRUE(
      tcp_accepts("127.0.0.1", static_cast<unsigned short>(std::stoi(port)), milliseconds(1000)));
}

TEST_F(UrlTargetTest, LogsFromCommandFeedsBothStreamsAndIsShared) {
  auto target = std::make_unique<UrlTarget>(
      runtime_->base_url(),
      "/bin/sh -c 'echo from-logs-out; echo from-logs-err >&2; exec sleep 60'");
  std::unique_ptr<RuntimeInstance> first, second;
  ASSERT_TRUE(target->start(StartOptions{}, &first).ok());
  ASSERT_TRUE(target->start(StartOptions{}, &second).ok());
  ASSERT_NE(first->logs(), nullptr);
  EXPECT_EQ(first->logs(), second->logs());  // started once, shared
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  std::vector<LogLine> lines;
  while (lines.size() < 2 && Clock::now() < deadline) {
    first->logs()->wait_quiet(milliseconds(5), Clock::now() + milliseconds(20));
    lines = first->logs()->lines_since({});
  }
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& l : lines) {
    EXPECT_EQ(l.text, l.stream == Stream::kStdout ? "from-logs-out" : "from-logs-err");
  }
}

TEST(UrlTarget, ReportsAnUnreachableRuntime) {
  unsigned short port = 0;
  ASSERT_TRUE(pick_free_port(&port).ok());
  auto target = std::make_unique<UrlTarget>("http://127.0.0.1:" + std::to_string(port), "");
  StartOptions options;
  options.ready_timeout = milliseconds(100);
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target->start(options, &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("never became ready within 100 ms"), std::string::npos) << s.message();
}

TEST(UrlTarget, ReportsABadLogsFromCommand) {
  auto target = std::make_unique<UrlTarget>("http://127.0.0.1:1", "owconf-no-such-logs-command");
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target->start(StartOptions{}, &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--logs-from"), std::string::npos) << s.message();
}

TEST(UrlTarget, ParsesUrls) {
  std::string host, base;
  unsigned short port = 0;
  ASSERT_TRUE(parse_http_url("http://localhost:8080/", &host, &port, &base).ok());
  EXPECT_EQ(host, "localhost");
  EXPECT_EQ(port, 8080);
  EXPECT_EQ(base, "http://localhost:8080");
  ASSERT_TRUE(parse_http_url("http://[::1]:9000", &host, &port, &base).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 9000);
  ASSERT_TRUE(parse_http_url("http://example", &host, &port, &base).ok());
  EXPECT_EQ(port, 80);
  EXPECT_FALSE(parse_http_url("https://x:1", &host, &port, &base).ok());
  EXPECT_FALSE(parse_http_url("http://:1", &host, &port, &base).ok());
  EXPECT_FALSE(parse_http_url("http://x:99999", &host, &port, &base).ok());
  EXPECT_FALSE(parse_http_url("http://x:abc", &host, &port, &base).ok());
}

TEST(Targets, FactoriesDescribeTheirKind) {
  EXPECT_EQ(std::make_unique<LaunchTarget>("rt --port {port}")->describe(),
            "--launch rt --port {port}");
  EXPECT_EQ(std::make_unique<ImageTarget>("img:1")->describe(), "--image img:1");
  EXPECT_TRUE(std::make_unique<ImageTarget>("img:1")->fresh_instances());
  EXPECT_EQ(std::make_unique<UrlTarget>("http://h:1", "")->describe(), "--url http://h:1");
}

}  // namespace
}  // namespace conformance
