#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reference_runtime/activation_log.h"
#include "reference_runtime/log_output.h"
#include "tests/runtime/test_files.h"

namespace rr_test {
// Lines of `text` equal to `line`.
size_t CountLines(const std::string& text, const std::string& line) {
  size_t count = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    if (text.compare(at, end - at, line) == 0) ++count;
    at = end + 1;
  }
  return count;
}
}  // namespace rr_test

namespace {

using rr::LogStream;

constexpr char kS[] = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n";

class LogWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    out_fd_ = open((dir_.path() + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    err_fd_ = open((dir_.path() + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(out_fd_, 0);
    ASSERT_GE(err_fd_, 0);
  }
  void TearDown() override {
    close(out_fd_);
    close(err_fd_);
  }
  std::string Out() { return rr_test::ReadFile(dir_.path() + "/out"); }
  std::string Err() { return rr_test::ReadFile(dir_.path() + "/err"); }

  rr_test::TempDir dir_;
  int out_fd_ = -1;
  int err_fd_ = -1;
};

TEST_F(LogWriterTest, SingleActivationStreamsThenSentinels) {
  rr::SentinelLogWriter writer(out_fd_, err_fd_);
  auto log = writer.Begin();
  log->Line(LogStream::kStdout, "o1");
  log->Line(LogStream::kStderr, "e1");
  EXPECT_EQ(Out(), "o1\n");  // written through, not buffered
  bool written = false;
  log->Finish(true, [&] { written = true; });
  EXPECT_TRUE(written);
  EXPECT_EQ(Out(), std::string("o1\n") + kS);
  EXPECT_EQ(Err(), std::string("e1\n") + kS);
}

TEST_F(LogWriterTest, FinishWithoutSentinels) {
  rr::SentinelLogWriter writer(out_fd_, err_fd_);
  auto log = writer.Begin();
  log->Line(LogStream::kStderr, "message");
  bool written = false;
  log->Finish(false, [&] { written = true; });
  EXPECT_TRUE(written);
  EXPECT_EQ(Out(), "");
  EXPECT_EQ(Err(), "message\n");
}

TEST_F(LogWriterTest, OverlappingActivationsStayContiguous) {
  rr::SentinelLogWriter writer(out_fd_, err_fd_);
  auto a = writer.Begin();
  auto b = writer.Begin();
  auto c = writer.Begin();
  a->Line(LogStream::kStdout, "a1");
  b->Line(LogStream::kStdout, "b1");
  c->Line(LogStream::kStdout, "c1");
  a->Line(LogStream::kStdout, "a2");
  b->Line(LogStream::kStderr, "b-err");
  bool b_written = false;
  b->Finish(true, [&] { b_written = true; });
  EXPECT_FALSE(b_written);  // waits for the floor held by a
  EXPECT_EQ(Out(), "a1\na2\n");
  bool a_written = false;
  a->Finish(true, [&] { a_written = true; });
  EXPECT_TRUE(a_written);
  EXPECT_TRUE(b_written);
  // c took the floor: its spool so far is out, later lines stream.
  EXPECT_EQ(Out(), std::string("a1\na2\n") + kS + "b1\n" + kS + "c1\n");
  c->Line(LogStream::kStdout, "c2");
  c->Finish(true, nullptr);
  EXPECT_EQ(Out(), std::string("a1\na2\n") + kS + "b1\n" + kS + "c1\nc2\n" + kS);
  EXPECT_EQ(Err(), std::string(kS) + "b-err\n" + kS + kS);
}

TEST_F(LogWriterTest, FinishedWaitersFlushInCompletionOrder) {
  rr::SentinelLogWriter writer(out_fd_, err_fd_);
  auto a = writer.Begin();
  auto b = writer.Begin();
  auto c = writer.Begin();
  b->Line(LogStream::kStdout, "b");
  c->Line(LogStream::kStdout, "c");
  c->Finish(true, nullptr);
  b->Finish(true, nullptr);
  a->Finish(true, nullptr);
  EXPECT_EQ(Out(), std::string(kS) + "c\n" + kS + "b\n" + kS);
}

TEST_F(LogWriterTest, DroppedLogReleasesTheFloor) {
  rr::SentinelLogWriter writer(out_fd_, err_fd_);
  auto a = writer.Begin();
  auto b = writer.Begin();
  b->Line(LogStream::kStdout, "b");
  a.reset();
  EXPECT_EQ(Out(), "b\n");
  b->Finish(true, nullptr);
  EXPECT_EQ(Out(), std::string("b\n") + kS);
}

// Overlapping activations' logs are spooled up to a limit each; beyond it
// lines are dropped and a note says how much (2 GB of logs used to take
// 2.4 GB of the temp dir).
TEST_F(LogWriterTest, SpoolBeyondTheLimitIsDroppedWithANote) {
  rr::SentinelLogWriter writer(out_fd_, err_fd_, 100);
  auto a = writer.Begin();
  auto b = writer.Begin();
  for (int i = 0; i < 50; ++i) b->Line(LogStream::kStdout, "0123456789");
  b->Finish(true, nullptr);
  a->Finish(true, nullptr);
  const std::string out = Out();
  EXPECT_EQ(rr_test::CountLines(out, "0123456789"), 6u) << out;  // 6 records of 15 bytes fit
  EXPECT_NE(Err().find("484 bytes of this activation's logs were dropped"), std::string::npos)
      << Err();
}

// Replay goes through the output in chunks; a big spool arrives whole and
// in order.
TEST_F(LogWriterTest, LargeSpoolIsReplayedInOrder) {
  rr::SentinelLogWriter writer(out_fd_, err_fd_);
  auto a = writer.Begin();
  auto b = writer.Begin();
  std::string expected;
  for (int i = 0; i < 200000; ++i) {
    const std::string line = "line " + std::to_string(i);
    b->Line(LogStream::kStdout, line);
    expected += line + "\n";
  }
  b->Finish(true, nullptr);
  a->Finish(true, nullptr);
  EXPECT_EQ(Out(), std::string(kS) + expected + kS);
}

// The threaded output never blocks its caller, even on a pipe nobody reads,
// and reports `written` through the given poster once the bytes are out.
TEST(ThreadedLogOutputTest, AppendNeverBlocksOnAFullPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::mutex mutex;
  std::vector<std::function<void()>> posted;
  {
    rr::ThreadedLogOutput output(
        fds[1], fds[1],
        [&](std::function<void()> done) {
          std::lock_guard<std::mutex> lock(mutex);
          posted.push_back(std::move(done));
        },
        1u << 20, std::chrono::milliseconds(100));
    const std::string line(1000, 'x');
    for (int i = 0; i < 2000; ++i) output.Append(LogStream::kStdout, line);  // 2 MB > pipe
    EXPECT_TRUE(output.Backlogged());
    bool written = false;
    output.WhenWritten([&] { written = true; });
    std::string sink(1 << 16, '\0');
    size_t drained = 0;
    while (drained < 2000u * 1001u) {
      const ssize_t got = read(fds[0], sink.data(), sink.size());
      ASSERT_GT(got, 0);
      drained += static_cast<size_t>(got);
    }
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!posted.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard<std::mutex> lock(mutex);
    ASSERT_EQ(posted.size(), 1u);
    posted.front()();
    EXPECT_TRUE(written);
    EXPECT_FALSE(output.Backlogged());
    output.Append(LogStream::kStdout, line);  // left unread: the destructor gives up
  }
  close(fds[0]);
  close(fds[1]);
}

// With nothing queued a short line goes straight out on the caller's thread
// and WhenWritten runs at once (no round trip through the thread); once the
// pipe is full, lines queue and keep their order behind it.
TEST(ThreadedLogOutputTest, ShortLinesGoStraightOutAndKeepTheirOrderWhenQueued) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::atomic<int> posted{0};
  std::vector<std::function<void()>> waiting;
  std::mutex mutex;
  {
    rr::ThreadedLogOutput output(
        fds[1], fds[1],
        [&](std::function<void()> done) {
          std::lock_guard<std::mutex> lock(mutex);
          ++posted;
          waiting.push_back(std::move(done));
        },
        1u << 20, std::chrono::milliseconds(100));
    output.Append(LogStream::kStdout, "first");
    bool written = false;
    output.WhenWritten([&] { written = true; });
    EXPECT_TRUE(written) << "nothing queued: at once";
    EXPECT_EQ(posted.load(), 0);
    char got[16] = {};
    ASSERT_EQ(read(fds[0], got, sizeof(got)), 6);
    EXPECT_EQ(std::string(got, 6), "first\n");
    const std::string filler(1000, 'x');
    for (int i = 0; i < 100; ++i) output.Append(LogStream::kStdout, filler);  // > a pipe
    output.Append(LogStream::kStdout, "last");
    std::string all;
    std::string sink(1 << 16, '\0');
    while (all.size() < 100u * 1001u + 5u) {
      const ssize_t size = read(fds[0], sink.data(), sink.size());
      ASSERT_GT(size, 0);
      all.append(sink.data(), static_cast<size_t>(size));
    }
    EXPECT_EQ(all.find_first_not_of("x\n"), 100u * 1001u) << "the last line came last";
    EXPECT_EQ(all.substr(100u * 1001u), "last\n");
  }
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
