// The real ProcessLauncher with real children (/bin/sh one-liners).
#include "conformance/platform/process_launcher.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "test_dirs.h"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::unique_ptr<ChildProcess> Launch(LogCapture* logs, const std::string& script,
                                     std::map<std::string, std::string> env = {},
                                     std::string cwd = "") {
  std::unique_ptr<ChildProcess> child;
  const ow::Status s = real_process_launcher().launch(
      ProcessSpec{{"/bin/sh", "-c", script}, std::move(env), std::move(cwd)}, logs, &child);
  EXPECT_TRUE(s.ok()) << s.message();
  return child;
}

void WaitClosed(const LogCapture& logs) {
  logs.wait_for_sentinels({}, 1000, Clock::now() + std::chrono::seconds(10));
}

// Polls (with a deadline) until `text` arrived as a whole line.
bool WaitForLine(const LogCapture& logs, const std::string& text) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    for (const auto& l : logs.lines_since({})) {
      if (l.text == text) return true;
    }
    logs.wait_quiet(milliseconds(5), Clock::now() + milliseconds(20));
  }
  return false;
}

std::vector<std::string> Lines(const LogCapture& logs, Stream stream) {
  std::vector<std::string> out;
  for (const auto& l : logs.lines_since({})) {
    if (l.stream == stream) out.push_back(l.text);
  }
  return out;
}

TEST(ProcessLauncher, CapturesBothStreamsAndTheExitStatus) {
  LogCapture logs;
  auto child = Launch(&logs, "echo out; echo err >&2; exit 3");
  ASSERT_TRUE(child->wait_until(Clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(child->exit_description(), "exited with status 3");
  WaitClosed(logs);
  EXPECT_TRUE(logs.closed(Stream::kStdout));
  EXPECT_EQ(Lines(logs, Stream::kStdout), std::vector<std::string>{"out"});
  EXPECT_EQ(Lines(logs, Stream::kStderr), std::vector<std::string>{"err"});
}

TEST(ProcessLauncher, AddsEnvironmentAndSetsTheWorkingDirectory) {
  ScratchDir dir;
  LogCapture logs;
  auto child = Launch(&logs, "echo \"$OW_TEST_VALUE\"; pwd; test -n \"$PATH\" && echo path-kept",
                      {{"OW_TEST_VALUE", "hello world"}}, dir.path());
  ASSERT_TRUE(child->wait_until(Clock::now() + std::chrono::seconds(10)));
  WaitClosed(logs);
  EXPECT_EQ(Lines(logs, Stream::kStdout),
            (std::vector<std::string>{"hello world", dir.path(), "path-kept"}));
}

TEST(ProcessLauncher, StdinIsEmpty) {
  LogCapture logs;
  auto child = Launch(&logs, "cat; echo done");
  ASSERT_TRUE(child->wait_until(Clock::now() + std::chrono::seconds(10)));
  WaitClosed(logs);
  EXPECT_EQ(Lines(logs, Stream::kStdout), std::vector<std::string>{"done"});
}

TEST(ProcessLauncher, ReportsACommandThatDoesNotExist) {
  LogCapture logs;
  std::unique_ptr<ChildProcess> child;
  const ow::Status s = real_process_launcher().launch(
      ProcessSpec{{"owconf-no-such-command-xyz"}, {}, ""}, &logs, &child);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("owconf-no-such-command-xyz"), std::string::npos);
  EXPECT_NE(s.message().find("not found"), std::string::npos) << s.message();
  EXPECT_EQ(child, nullptr);
}

TEST(ProcessLauncher, TerminateEscalatesToKillWhenTermIsIgnored) {
  LogCapture logs;
  auto child = Launch(&logs, "trap '' TERM; echo ready; while :; do sleep 1; done");
  ASSERT_TRUE(WaitForLine(logs, "ready"));
  child->terminate(milliseconds(100));
  EXPECT_TRUE(child->exited());
  EXPECT_NE(child->exit_description().find("killed by signal 9"), std::string::npos)
      << child->exit_description();
  child->terminate(milliseconds(100));  // idempotent
}

TEST(ProcessLauncher, TerminateUsesSigtermFirst) {
  LogCapture logs;
  auto child = Launch(&logs, "exec sleep 30");
  child->terminate(milliseconds(5000));
  EXPECT_NE(child->exit_description().find("killed by signal 15"), std::string::npos)
      << child->exit_description();
}

TEST(ProcessLauncher, AnEscapedGrandchildHoldingThePipesDoesNotHangShutdown) {
  LogCapture logs;
  // setsid puts the grandchild outside our group; it keeps stdout open.
  auto child = Launch(&logs, "setsid sleep 60 & echo $!");
  ASSERT_TRUE(child->wait_until(Clock::now() + std::chrono::seconds(10)));
  const auto give_up = Clock::now() + std::chrono::seconds(10);
  while (Lines(logs, Stream::kStdout).empty() && Clock::now() < give_up) {
    logs.wait_quiet(milliseconds(5), Clock::now() + milliseconds(20));
  }
  const auto started = Clock::now();
  child.reset();  // returns after the bounded drain, not when the grandchild ends
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(30));  // a hang guard
  EXPECT_TRUE(logs.closed(Stream::kStdout));
  const auto out = Lines(logs, Stream::kStdout);
  ASSERT_EQ(out.size(), 1u);
  ::kill(std::stoi(out[0]), SIGKILL);  // tidy up the escaped grandchild
}

TEST(ProcessLauncher, DescribesArgvWithQuotes) {
  EXPECT_EQ(describe_argv({"a", "b c", "it's"}), "a 'b c' 'it'\\''s'");
}

}  // namespace
}  // namespace conformance
