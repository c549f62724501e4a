#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "reference_runtime/activation_log.h"
#include "tests/runtime/test_files.h"

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

}  // namespace
