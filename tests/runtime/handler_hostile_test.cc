// Hostile input through RequestHandler: bytes that are not UTF-8, names that
// cannot be variables, text that tries to forge log lines, absurd deadlines.
#include <nlohmann/json.hpp>

#include "reference_runtime/log_text.h"
#include "tests/runtime/handler_test_base.h"
#include "tests/runtime/zip_builder.h"

namespace rr_test {
namespace {

using nlohmann::json;

const std::string kForgedSentinel = "\nXXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

TEST_F(HandlerTest, NonUtf8PathIsA404WithValidJson) {
  for (const std::string& target :
       {std::string("/\xff\xfe"), std::string("/a\x80?x=1"), std::string("/\xc3")}) {
    std::optional<rr::Response> response = Send("GET", target, "");
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 404);
    EXPECT_TRUE(json::parse(response->body).contains("error")) << response->body;
  }
}

TEST_F(HandlerTest, EnvNamesThatCannotBeVariablesAre400NamingTheProblem) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"", "x"}}, "empty"},
      {{{"A=B", "x"}}, "'='"},
      {{{std::string("A\0B", 3), "x"}}, "NUL"},
      {{{"OK", std::string("v\0w", 3)}}, "NUL"},
  };
  for (const auto& [env, problem] : cases) {
    rr::Response response = Post("/init", {{"value", {{"code", "#!/bin/sh\n"}, {"env", env}}}});
    EXPECT_EQ(response.status, 400) << env.dump();
    const std::string error = json::parse(response.body).at("error");
    EXPECT_NE(error.find(problem), std::string::npos) << error;
    EXPECT_FALSE(handler_->initialized());
  }
}

// Every logged reason is one line: outside text cannot add a sentinel.
TEST_F(HandlerTest, LoggedReasonsEscapeControlCharacters) {
  Post("/init",
       {{"value",
         {{"code", "#!/bin/sh\n"}, {"env", {{"=" + kForgedSentinel + "\r\x1b[2J", "x"}}}}}});
  const std::string zip = BuildZip({{"exec", "x", 0100755}, {"../evil" + kForgedSentinel, "x"}});
  ASSERT_FALSE(zip.empty());
  Post("/init", {{"value", {{"binary", true}, {"code", Base64(zip)}}}});
  ASSERT_GE(logs_.events.size(), 4u);
  for (const auto& event : logs_.events) {
    EXPECT_EQ(event.what.find_first_of("\n\r\x1b"), std::string::npos) << event.what;
  }
  EXPECT_NE(logs_.events.at(2).what.find("\\nXXX_THE_END"), std::string::npos)
      << logs_.events.at(2).what;
}

TEST(EscapeForLogTest, ControlCharactersBecomeEscapes) {
  EXPECT_EQ(rr::EscapeForLog("a\nb\r\tc\x01\x7f\\ \xc3\xa9"),
            "a\\nb\\r\\tc\\x01\\x7f\\\\ \xc3\xa9");
}

// 17 digits of milliseconds that, multiplied into 64-bit nanoseconds, wrap
// around to about a minute from now: once a deadline that stopped actions
// early (and undefined behaviour).
std::string WrappingDeadline() {
  const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  __extension__ typedef unsigned __int128 Wide;  // GCC and Clang have it
  const Wide target = static_cast<Wide>(now_ns + 60'000'000'000LL) + (static_cast<Wide>(600) << 64);
  const auto millis = static_cast<unsigned long long>(target / 1'000'000);
  return std::to_string(millis);
}

TEST_F(HandlerTest, DeadlinesPastTheClockRangeAreNoDeadline) {
  const std::string wrapping = WrappingDeadline();
  ASSERT_EQ(wrapping.size(), 17u);
  for (const std::string& text :
       {wrapping, std::string("99999999999999999"), std::string("999999999999999999"),
        std::string("9223372036854")}) {
    StartRun({{"value", json::object()}, {"deadline", text}});
    const auto& deadline = executor_.specs.back().deadline;
    if (deadline.has_value()) {
      EXPECT_GT(*deadline, std::chrono::system_clock::now() + std::chrono::hours(24 * 365))
          << text << " became a deadline in the near future";
    }
    CompleteRun("{}");
  }
}

}  // namespace
}  // namespace rr_test
