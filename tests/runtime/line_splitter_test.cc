#include "reference_runtime/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

struct Split {
  std::vector<std::string> emitted;
  bool has_last = false;
  bool overlong = false;
  std::string last;
};

Split SplitChunks(const std::vector<std::string>& chunks, bool hold_last, size_t max = 1000) {
  Split split;
  rr::LineSplitter splitter(hold_last, max,
                            [&](std::string_view line) { split.emitted.emplace_back(line); });
  for (const auto& chunk : chunks) splitter.Feed(chunk);
  splitter.Finish();
  split.has_last = splitter.has_last_line();
  split.last = splitter.last_line();
  split.overlong = splitter.last_line_overlong();
  return split;
}

TEST(LineSplitterTest, HoldsBackTheLastLineAndIgnoresFinalNewline) {
  Split split = SplitChunks({"a\n{\"x\":1}\n"}, true);
  EXPECT_EQ(split.emitted, (std::vector<std::string>{"a"}));
  ASSERT_TRUE(split.has_last);
  EXPECT_EQ(split.last, "{\"x\":1}");
}

TEST(LineSplitterTest, EmptyLastLineAfterDoubleNewline) {
  Split split = SplitChunks({"{}\n\n"}, true);
  EXPECT_EQ(split.emitted, (std::vector<std::string>{"{}"}));
  ASSERT_TRUE(split.has_last);
  EXPECT_EQ(split.last, "");
}

TEST(LineSplitterTest, PartialLastLineWithoutNewline) {
  Split split = SplitChunks({"one\ntw", "o"}, true);
  EXPECT_EQ(split.emitted, (std::vector<std::string>{"one"}));
  EXPECT_EQ(split.last, "two");
}

TEST(LineSplitterTest, NoOutputMeansNoLastLine) {
  Split split = SplitChunks({}, true);
  EXPECT_TRUE(split.emitted.empty());
  EXPECT_FALSE(split.has_last);
}

TEST(LineSplitterTest, ChunkingDoesNotMatter) {
  const std::string text = "l1\nl2\r\n\nl4\n[1]";
  std::vector<std::string> bytes;
  for (char c : text) bytes.emplace_back(1, c);
  Split split = SplitChunks(bytes, true);
  EXPECT_EQ(split.emitted, (std::vector<std::string>{"l1", "l2\r", "", "l4"}));
  EXPECT_EQ(split.last, "[1]");
}

TEST(LineSplitterTest, WithoutHoldingEveryLineIsEmitted) {
  Split split = SplitChunks({"e1\ne2"}, false);
  EXPECT_EQ(split.emitted, (std::vector<std::string>{"e1", "e2"}));
  EXPECT_FALSE(split.has_last);
}

TEST(LineSplitterTest, OverlongLinesAreCutAndNeverAResult) {
  Split split = SplitChunks({"ok\n" + std::string(25, 'x')}, true, 10);
  EXPECT_EQ(split.emitted,
            (std::vector<std::string>{"ok", std::string(10, 'x'), std::string(10, 'x')}));
  ASSERT_TRUE(split.has_last);
  EXPECT_TRUE(split.overlong);
  EXPECT_EQ(split.last, std::string(5, 'x'));
}

}  // namespace
