// LogCapture: line splitting, sentinels, the byte cap, waiting.
#include "conformance/platform/log_capture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <thread>

#include "contract/contract_text.h"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;
const std::string kSentinelLine = std::string(contract::kSentinel) + "\n";

std::vector<std::string> Texts(const LogCapture& logs, const LogMark& since = {}) {
  std::vector<std::string> out;
  for (const auto& l : logs.lines_since(since)) out.push_back(l.text);
  return out;
}

TEST(LogCapture, JoinsLinesSplitAcrossAppends) {
  LogCapture logs;
  logs.append(Stream::kStdout, "hel");
  logs.append(Stream::kStdout, "lo\nwor");
  logs.append(Stream::kStdout, "ld\n\n");
  EXPECT_EQ(Texts(logs), (std::vector<std::string>{"hello", "world", ""}));
}

TEST(LogCapture, KeepsArrivalOrderAcrossStreams) {
  LogCapture logs;
  logs.append(Stream::kStdout, "a\n");
  logs.append(Stream::kStderr, "b\n");
  logs.append(Stream::kStdout, "c\n");
  const auto lines = logs.lines_since({});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].stream, Stream::kStderr);
  EXPECT_LT(lines[0].seq, lines[1].seq);
  EXPECT_LT(lines[1].seq, lines[2].seq);
}

TEST(LogCapture, PartialLinesAreKeptPerStream) {
  LogCapture logs;
  logs.append(Stream::kStdout, "out-");
  logs.append(Stream::kStderr, "err\n");
  logs.append(Stream::kStdout, "line\n");
  EXPECT_EQ(Texts(logs), (std::vector<std::string>{"err", "out-line"}));
}

TEST(LogCapture, CountsSentinelsPerStreamSinceAMark) {
  LogCapture logs;
  logs.append(Stream::kStdout, "before\n" + kSentinelLine);
  const LogMark mark = logs.mark();
  logs.append(Stream::kStdout, "x\n" + kSentinelLine);
  logs.append(Stream::kStderr, kSentinelLine.substr(0, 10));
  logs.append(Stream::kStderr, kSentinelLine.substr(10));
  EXPECT_EQ(logs.sentinels_since(mark, Stream::kStdout), 1u);
  EXPECT_EQ(logs.sentinels_since(mark, Stream::kStderr), 1u);
  EXPECT_EQ(logs.sentinels_since({}, Stream::kStdout), 2u);
  const auto lines = logs.lines_since(mark);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_FALSE(lines[0].is_sentinel);
  EXPECT_TRUE(lines[1].is_sentinel);
  EXPECT_TRUE(lines[2].is_sentinel);
}

TEST(LogCapture, ALineThatOnlyContainsTheSentinelIsNotOne) {
  LogCapture logs;
  logs.append(Stream::kStdout, "say " + kSentinelLine);
  EXPECT_EQ(logs.sentinels_since({}, Stream::kStdout), 0u);
}

TEST(LogCapture, CapDropsTextButStillCountsSentinels) {
  LogCapture logs(10);
  logs.append(Stream::kStdout, "12345\n");
  logs.append(Stream::kStdout, "abcdefgh\n");            // would pass the cap: dropped
  logs.append(Stream::kStdout, "1234\n");                // still fits
  logs.append(Stream::kStdout, std::string(1000, 'z'));  // one long line, unterminated
  logs.append(Stream::kStdout, std::string(1000, 'z') + "\n" + kSentinelLine);
  EXPECT_EQ(Texts(logs),
            (std::vector<std::string>{"12345", "1234", std::string(contract::kSentinel)}));
  EXPECT_EQ(logs.dropped_bytes(), 8u + 2000u);
  EXPECT_EQ(logs.sentinels_since({}, Stream::kStdout), 1u);
}

TEST(LogCapture, CapIsPerStream) {
  LogCapture logs(4);
  logs.append(Stream::kStdout, "1234\n");
  logs.append(Stream::kStderr, "abcd\n");
  EXPECT_EQ(Texts(logs), (std::vector<std::string>{"1234", "abcd"}));
  EXPECT_EQ(logs.dropped_bytes(), 0u);
}

TEST(LogCapture, CloseFlushesAPartialLine) {
  LogCapture logs;
  logs.append(Stream::kStderr, "no newline");
  EXPECT_TRUE(Texts(logs).empty());
  EXPECT_FALSE(logs.closed(Stream::kStderr));
  logs.close(Stream::kStderr);
  EXPECT_TRUE(logs.closed(Stream::kStderr));
  EXPECT_EQ(Texts(logs), (std::vector<std::string>{"no newline"}));
  logs.close(Stream::kStderr);  // idempotent
  EXPECT_EQ(Texts(logs).size(), 1u);
}

TEST(LogCapture, WaitForSentinelsReturnsWhenTheyAreAlreadyThere) {
  LogCapture logs;
  const LogMark mark = logs.mark();
  logs.append(Stream::kStdout, kSentinelLine);
  logs.append(Stream::kStderr, kSentinelLine);
  EXPECT_TRUE(logs.wait_for_sentinels(mark, 1, Clock::now()));
  EXPECT_FALSE(logs.wait_for_sentinels(mark, 2, Clock::now()));
}

TEST(LogCapture, WaitForSentinelsGivesUpAtTheDeadline) {
  LogCapture logs;
  logs.append(Stream::kStdout, kSentinelLine);  // stderr never gets one
  EXPECT_FALSE(logs.wait_for_sentinels({}, 1, Clock::now() + std::chrono::milliseconds(20)));
}

TEST(LogCapture, WaitForSentinelsStopsWhenBothStreamsClose) {
  LogCapture logs;
  logs.close(Stream::kStdout);
  logs.close(Stream::kStderr);
  // Deadline far away: returns at once because nothing more can come.
  EXPECT_FALSE(logs.wait_for_sentinels({}, 1, Clock::now() + std::chrono::hours(1)));
}

TEST(LogCapture, WaitForSentinelsWakesOnAppendFromAnotherThread) {
  LogCapture logs;
  const LogMark mark = logs.mark();
  std::thread writer([&] {
    logs.append(Stream::kStdout, "x\n" + kSentinelLine);
    logs.append(Stream::kStderr, kSentinelLine);
  });
  EXPECT_TRUE(logs.wait_for_sentinels(mark, 1, Clock::now() + std::chrono::seconds(30)));
  writer.join();
}

TEST(LogCapture, WaitQuietReturnsByTheDeadline) {
  LogCapture logs;
  logs.append(Stream::kStdout, "x\n");
  const auto deadline = Clock::now() + std::chrono::milliseconds(20);
  logs.wait_quiet(std::chrono::hours(1), deadline);
  EXPECT_GE(Clock::now(), deadline);
}

TEST(LogCapture, WaitQuietLastsAtLeastTheQuietPeriodFromTheCall) {
  // An old last arrival must not end the wait at once: lines written just
  // before the call may still be on their way through a pipe.
  LogCapture logs;
  logs.append(Stream::kStdout, "old\n");
  const auto called = Clock::now();
  logs.wait_quiet(std::chrono::milliseconds(30), called + std::chrono::seconds(30));
  EXPECT_GE(Clock::now() - called, std::chrono::milliseconds(30));
}

TEST(LogCapture, StreamNames) {
  EXPECT_STREQ(to_string(Stream::kStdout), "stdout");
  EXPECT_STREQ(to_string(Stream::kStderr), "stderr");
}

TEST(LogCapture, ForgetBeforeFreesLinesAndCapBudget) {
  LogCapture logs(8);
  logs.append(Stream::kStdout, "12345678\n" + kSentinelLine);
  const LogMark mark = logs.mark();
  logs.append(Stream::kStdout, "abc\n");  // over the cap: dropped
  EXPECT_EQ(logs.dropped_bytes(), 3u);
  logs.forget_before(mark);
  logs.append(Stream::kStdout, "defgh\n");  // fits again
  EXPECT_EQ(Texts(logs), std::vector<std::string>{"defgh"});
  EXPECT_EQ(logs.sentinels_since({}, Stream::kStdout), 1u);  // counts survive
  EXPECT_EQ(logs.sentinels_since(mark, Stream::kStdout), 0u);
}

// Feeds `count` empty lines in pipe-sized chunks, as a reader thread would.
void AppendEmptyLines(LogCapture& logs, Stream stream, std::size_t count) {
  const std::string chunk(64 * 1024, '\n');
  for (std::size_t fed = 0; fed < count; fed += chunk.size()) {
    logs.append(stream, std::string_view(chunk).substr(0, std::min(chunk.size(), count - fed)));
  }
}

TEST(LogCapture, MillionsOfEmptyLinesKeepOnlyTheLineCap) {
  LogCapture logs;  // the default caps, as mock_invoker uses them
  const std::size_t flood = 1'000'000;
  AppendEmptyLines(logs, Stream::kStdout, flood);
  AppendEmptyLines(logs, Stream::kStderr, flood);
  logs.append(Stream::kStdout, kSentinelLine);
  logs.append(Stream::kStderr, kSentinelLine);
  const std::size_t cap = 256u << 10;
  // Empty lines cost no text bytes: without a line cap all 6 million stay.
  EXPECT_EQ(logs.kept_lines(), 2 * cap + 2);
  EXPECT_EQ(logs.lines_since({}).size(), 2 * cap + 2);
  EXPECT_EQ(logs.dropped_lines(), 2 * (flood - cap));
  EXPECT_EQ(logs.dropped_bytes(), 0u);
  EXPECT_EQ(logs.sentinels_since({}, Stream::kStdout), 1u);
  EXPECT_EQ(logs.sentinels_since({}, Stream::kStderr), 1u);
  EXPECT_TRUE(logs.lines_since({}).back().is_sentinel);
}

TEST(LogCapture, SentinelsPastTheLineCapAreKeptThenOnlyCounted) {
  LogCapture logs(1000, 2);
  logs.append(Stream::kStdout, "a\nb\nc\n");  // c: past the line cap
  for (int i = 0; i < 3; ++i) logs.append(Stream::kStdout, kSentinelLine);
  // Two text lines, two sentinels in the reserve; the third only counted.
  EXPECT_EQ(Texts(logs), (std::vector<std::string>{"a", "b", std::string(contract::kSentinel),
                                                   std::string(contract::kSentinel)}));
  EXPECT_EQ(logs.sentinels_since({}, Stream::kStdout), 3u);
  EXPECT_EQ(logs.dropped_lines(), 2u);
  EXPECT_EQ(logs.dropped_bytes(), 1u);
}

TEST(LogCapture, ForgettingLinesFreesTheLineCap) {
  LogCapture logs(1000, 1);
  logs.append(Stream::kStderr, "one\ntwo\n");
  const LogMark mark = logs.mark();
  logs.forget_before(mark);
  logs.append(Stream::kStderr, "three\n");
  EXPECT_EQ(Texts(logs), std::vector<std::string>{"three"});
  EXPECT_EQ(logs.dropped_lines(), 1u);
}

}  // namespace
}  // namespace conformance
