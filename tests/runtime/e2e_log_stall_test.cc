// End-to-end: a slow reader of the runtime's own stdout holds back logs (and,
// past the output's high-water mark, the answers that wait for them), but
// never the event loop: other connections, replays of spooled logs and
// SIGTERM go on.
#include "tests/runtime/e2e_fixture.h"

namespace rr_test {
namespace {

// Lines of `text` equal to `line` (a newline after each).
size_t CountLines(const std::string& text, const std::string& line) {
  return CountOccurrences(text, line + "\n");
}

TEST_F(E2eTest, SlowLogReaderDoesNotStallOtherRequests) {
  Start();
  Init("#!/bin/sh\nhead -c 3000000 /dev/zero | tr '\\0' 'x' | fold -w 100\necho\necho '{}'\n");
  runtime_->PauseStdout(true);
  HttpResult logged;
  std::thread client([&] { logged = Run({{"value", json::object()}}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the pipe is full by now
  HttpResult other = Post(runtime_->port(), "/nope", "{}", 5000);
  runtime_->PauseStdout(false);
  client.join();
  EXPECT_EQ(other.status, 404) << "another connection waited for the log reader: " << other.error;
  EXPECT_EQ(logged.status, 200) << logged.error;
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(CountLines(runtime_->Stdout(), std::string(100, 'x')), 30000u);
}

// A reader that stops (docker's log chain under load) holds back the logs,
// but not the answers of activations whose logs fit under the output's
// high-water mark: their sentinels are queued after their lines, so the
// streams keep their order whenever the reader comes back.
TEST_F(E2eTest, PausedLogReaderDoesNotHoldSmallAnswers) {
  Start();
  // 100 KB of logs each: more than a pipe holds, well under the high-water mark.
  Init(
      "#!/bin/sh\nhead -c 100000 /dev/zero | tr '\\0' 'z' | fold -w 100\necho\n"
      "echo out line\necho '{\"ok\":true}'\n");
  runtime_->PauseStdout(true);
  for (int i = 0; i < 5; ++i) {
    HttpResult answered = Post(runtime_->port(), "/run", R"({"value":{}})", 5000);
    EXPECT_EQ(answered.status, 200) << "run " << i << ": " << answered.error;
    EXPECT_EQ(answered.body, R"({"ok":true})") << "run " << i;
  }
  runtime_->PauseStdout(false);
  ASSERT_TRUE(runtime_->WaitForSentinels(5));
  EXPECT_EQ(CountLines(runtime_->Stdout(), "out line"), 5u);
}

// A spooled activation (it overlapped an older one) is replayed once the
// older one ends; with a slow reader that replay must not hold the loop.
TEST_F(E2eTest, SpoolReplayDoesNotStallOtherRequests) {
  Start();
  Init(
      "#!/bin/sh\n"
      "case \"$(cat)\" in\n"
      "*hold*) echo started > started; while [ ! -e go ]; do sleep 0.02; done; echo held;;\n"
      "*) head -c 10000000 /dev/zero | tr '\\0' 'y' | fold -w 100; echo; echo > spooled;;\n"
      "esac\n"
      "echo '{}'\n");
  runtime_->PauseStdout(true);
  HttpResult held, spooled;
  std::thread first([&] { held = Run({{"value", {{"hold", true}}}}); });
  ASSERT_FALSE(WaitForFile("started").empty());
  std::thread second([&] { spooled = Run({{"value", json::object()}}); });
  ASSERT_FALSE(WaitForFile("spooled").empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // its pipe drained into the spool
  WriteFile(runtime_->action_dir() + "/go", "");                // the replay begins
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  HttpResult other = Post(runtime_->port(), "/nope", "{}", 5000);
  runtime_->PauseStdout(false);
  first.join();
  second.join();
  EXPECT_EQ(other.status, 404) << "another connection waited for a replay: " << other.error;
  EXPECT_EQ(held.status, 200) << held.error;
  EXPECT_EQ(spooled.status, 200) << spooled.error;
  ASSERT_TRUE(runtime_->WaitForSentinels(2));
  const std::string out = runtime_->Stdout();
  EXPECT_EQ(out.rfind("held\n" + kSentinel, 0), 0u) << out.substr(0, 200);
  EXPECT_EQ(CountLines(out, std::string(100, 'y')), 100000u);
}

// SIGTERM while the reader has stopped reading: the runtime still drains
// and exits (it gives up on the unread logs after a while).
TEST_F(E2eTest, SigtermIsNotHeldByAStoppedLogReader) {
  Start({"--shutdown-grace-ms", "200", "--drain-timeout-ms", "200"});
  Init(
      "#!/bin/sh\nhead -c 3000000 /dev/zero | tr '\\0' 'x' | fold -w 100\n"
      "echo > logged\necho '{}'\n");
  runtime_->PauseStdout(true);
  std::thread client([&] { Run({{"value", json::object()}}); });
  ASSERT_FALSE(WaitForFile("logged").empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(runtime_->pid(), SIGTERM), 0);
  const int status = runtime_->WaitExit();
  runtime_->PauseStdout(false);
  client.join();
  ASSERT_NE(status, -1) << "still running 20 s after SIGTERM";
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace rr_test
