// LaunchTarget and LogCapture against hostile runtimes: exiting at start,
// flooding the log, never writing a sentinel.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <memory>
#include <string>

#include "conformance/platform/curl_transport.h"
#include "conformance/platform/launch_target.h"

namespace conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::string Command(const std::string& mode) {
  return std::string("'") + HOSTILE_RUNTIME_BIN + "' --port {port} --mode " + mode;
}

HttpResult Post(RuntimeInstance& instance, const std::string& path) {
  CurlTransport transport;
  HttpRequest request;
  request.path = path;
  request.body = R"({"value":{}})";
  request.timeout = milliseconds(10000);
  return transport.send(instance.base_url(), request);
}

TEST(HostileLaunch, ExitAtStartReportsStatusAndStderr) {
  LaunchTarget target(Command("exit-at-start"));
  std::unique_ptr<RuntimeInstance> instance;
  StartOptions options;
  options.ready_timeout = milliseconds(10000);
  const ow::Status s = target.start(options, &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(instance, nullptr);
  EXPECT_NE(s.message().find("exited with status 1 at start"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("exiting at start as asked"), std::string::npos) << s.message();
}

TEST(HostileLaunch, LogFloodIsCappedButSentinelsCount) {
  LaunchTarget target(Command("log-flood"));
  std::unique_ptr<RuntimeInstance> instance;
  StartOptions options;
  options.ready_timeout = milliseconds(10000);
  ASSERT_TRUE(target.start(options, &instance).ok());
  ASSERT_NE(instance->logs(), nullptr);
  const LogMark before = instance->logs()->mark();
  ASSERT_TRUE(Post(*instance, "/init").ok());
  const HttpResult run = Post(*instance, "/run");
  ASSERT_TRUE(run.ok()) << run.error_message;
  EXPECT_EQ(run.response.body, "{}");
  EXPECT_TRUE(instance->logs()->wait_for_sentinels(before, 1, Clock::now() + milliseconds(60000)));
  EXPECT_EQ(instance->logs()->sentinels_since(before, Stream::kStdout), 1u);
  EXPECT_EQ(instance->logs()->sentinels_since(before, Stream::kStderr), 1u);
  EXPECT_GT(instance->logs()->dropped_bytes(), 50u << 20);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  EXPECT_LT(usage.ru_maxrss / 1024, 300);
}

// Empty lines cost no text bytes, only the structure that keeps them: the
// line cap bounds that (256 Ki lines per stream by default).
TEST(HostileLaunch, EmptyLineFloodKeepsOnlyTheLineCap) {
  LaunchTarget target(Command("empty-lines"));
  std::unique_ptr<RuntimeInstance> instance;
  StartOptions options;
  options.ready_timeout = milliseconds(10000);
  ASSERT_TRUE(target.start(options, &instance).ok());
  ASSERT_NE(instance->logs(), nullptr);
  const LogMark before = instance->logs()->mark();
  ASSERT_TRUE(Post(*instance, "/init").ok());
  ASSERT_TRUE(Post(*instance, "/run").ok());
  EXPECT_TRUE(instance->logs()->wait_for_sentinels(before, 1, Clock::now() + milliseconds(60000)));
  EXPECT_LE(instance->logs()->kept_lines(), 2u * (256u << 10) + 16);
  EXPECT_GE(instance->logs()->dropped_lines(), 2u * (2'000'000 - (256u << 10)));
  EXPECT_EQ(instance->logs()->sentinels_since(before, Stream::kStdout), 1u);
  EXPECT_EQ(instance->logs()->sentinels_since(before, Stream::kStderr), 1u);
}

TEST(HostileLaunch, MissingSentinelIsNoticedByDeadline) {
  LaunchTarget target(Command("no-sentinel"));
  std::unique_ptr<RuntimeInstance> instance;
  StartOptions options;
  options.ready_timeout = milliseconds(10000);
  ASSERT_TRUE(target.start(options, &instance).ok());
  const LogMark before = instance->logs()->mark();
  ASSERT_TRUE(Post(*instance, "/run").ok());
  EXPECT_FALSE(instance->logs()->wait_for_sentinels(before, 1, Clock::now() + milliseconds(300)));
  bool saw_line = false;
  for (const auto& line : instance->logs()->lines_since(before)) {
    saw_line = saw_line || line.text == "hostile_runtime: no sentinel follows";
  }
  EXPECT_TRUE(saw_line);
}

TEST(HostileLaunch, SilentRuntimeIsStillStoppable) {
  LaunchTarget target(Command("silent"));
  std::unique_ptr<RuntimeInstance> instance;
  StartOptions options;
  options.stop_grace = milliseconds(200);
  ASSERT_TRUE(target.start(options, &instance).ok());
  instance->stop();
  EXPECT_TRUE(instance->exited());
  EXPECT_FALSE(instance->exit_description().empty());
}

}  // namespace
}  // namespace conformance
