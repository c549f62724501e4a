// Command templates: shell-like splitting without a shell, placeholders.
#include "conformance/platform/command_template.h"

#include <gtest/gtest.h>

namespace conformance {
namespace {

using Words = std::vector<std::string>;

Words Split(const std::string& line) {
  Words words;
  const ow::Status s = split_command_line(line, &words);
  EXPECT_TRUE(s.ok()) << s.message();
  return words;
}

TEST(CommandTemplate, SplitsOnBlanks) { EXPECT_EQ(Split("  a  b\tc\n"), (Words{"a", "b", "c"})); }

TEST(CommandTemplate, SingleQuotesKeepEverything) {
  EXPECT_EQ(Split(R"(sh -c 'echo "$HOME" \n')"), (Words{"sh", "-c", R"(echo "$HOME" \n)"}));
}

TEST(CommandTemplate, DoubleQuotesKeepBlanksAndHonourEscapes) {
  EXPECT_EQ(Split(R"(x "a b" "q\"q" "back\\slash" "keep\n")"),
            (Words{"x", "a b", "q\"q", "back\\slash", "keep\\n"}));
}

TEST(CommandTemplate, BackslashOutsideQuotesEscapesOneCharacter) {
  EXPECT_EQ(Split(R"(a\ b c\'d)"), (Words{"a b", "c'd"}));
}

TEST(CommandTemplate, AdjacentQuotedPartsFormOneWord) {
  EXPECT_EQ(Split(R"(--x='1 2'"3"4)"), (Words{"--x=1 234"}));
  EXPECT_EQ(Split("a '' b"), (Words{"a", "", "b"}));
}

TEST(CommandTemplate, RejectsBadInput) {
  Words words;
  EXPECT_FALSE(split_command_line("echo 'open", &words).ok());
  EXPECT_FALSE(split_command_line("echo \"open", &words).ok());
  EXPECT_FALSE(split_command_line("echo \\", &words).ok());
  const ow::Status empty = split_command_line("   ", &words);
  EXPECT_FALSE(empty.ok());
  EXPECT_NE(empty.message().find("empty"), std::string::npos);
}

TEST(CommandTemplate, SubstitutesKnownPlaceholdersOnly) {
  const std::map<std::string, std::string> values{{"port", "8123"}, {"dir", "/tmp/a b"}};
  EXPECT_EQ(substitute_placeholders("--port={port}", values), "--port=8123");
  EXPECT_EQ(substitute_placeholders("{dir}/x{port}{port}", values), "/tmp/a b/x81238123");
  EXPECT_EQ(substitute_placeholders(R"({"a":{port}})", values), R"({"a":8123})");
  EXPECT_EQ(substitute_placeholders("{other} {", values), "{other} {");
}

TEST(CommandTemplate, ExpandsAfterSplittingSoValuesStayOneWord) {
  Words argv;
  ASSERT_TRUE(expand_command_template("rt --port {port} --dir {dir}",
                                      {{"port", "1"}, {"dir", "/t/with space"}}, &argv)
                  .ok());
  EXPECT_EQ(argv, (Words{"rt", "--port", "1", "--dir", "/t/with space"}));
}

}  // namespace
}  // namespace conformance
