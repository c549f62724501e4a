// Each response expectation kind passes on a matching observation and fails
// on a crafted mismatch.
#include <gtest/gtest.h>

#include "conformance/scenario/judge_step.h"
#include "tests/suite/judge_test_support.h"

namespace conformance {
namespace {

using nlohmann::json;
using suite_test::failed;
using suite_test::failures;
using suite_test::make_step;
using suite_test::observed;
using suite_test::response;

std::vector<ExpectationResult> judge(const json& expect, HttpResult r) {
  return judge_step(make_step(expect), observed({std::move(r)}));
}

TEST(JudgeResponse, StatusSingleSetAndNot) {
  EXPECT_TRUE(failures(judge({{"status", 200}}, response(200, "{}"))).empty());
  EXPECT_TRUE(failed(judge({{"status", 200}}, response(404, "{}")), "status"));
  EXPECT_TRUE(failures(judge({{"status", {403, 409}}}, response(409, "{}"))).empty());
  EXPECT_TRUE(failed(judge({{"status", {403, 409}}}, response(400, "{}")), "status"));
  EXPECT_TRUE(failures(judge({{"status", {{"not", {200}}}}}, response(502, "{}"))).empty());
  EXPECT_TRUE(failed(judge({{"status", {{"not", {200}}}}}, response(200, "{}")), "status"));
}

TEST(JudgeResponse, ImplicitContentLengthAndNo503) {
  HttpResult no_length = response(200, "{}");
  no_length.response.content_length.reset();
  EXPECT_TRUE(failed(judge(json::object(), no_length), "Content-Length"));
  HttpResult chunked = response(200, "{}");
  chunked.response.chunked = true;
  EXPECT_TRUE(failed(judge(json::object(), chunked), "Content-Length"));
  EXPECT_TRUE(failed(judge(json::object(), response(503, "{}")), "503"));
  EXPECT_TRUE(failures(judge(json::object(), response(502, "{}"))).empty());
}

TEST(JudgeResponse, TransportErrorFails) {
  HttpResult lost;
  lost.error = TransportError::kConnectionLost;
  lost.error_message = "connection reset";
  auto results = judge({{"status", 200}}, lost);
  EXPECT_TRUE(failed(results, "response"));
}

TEST(JudgeResponse, BodyEqualsComparesValuesNotBytes) {
  const json expect = {{"body", {{"equals", {{"a", 1}, {"b", {1, 2}}}}}}};
  EXPECT_TRUE(failures(judge(expect, response(200, "{ \"b\" : [1,2], \"a\":1 }"))).empty());
  EXPECT_TRUE(failed(judge(expect, response(200, R"({"a":1,"b":[2,1]})")), "body equals"));
  EXPECT_TRUE(failed(judge(expect, response(200, R"({"a":1,"b":[1,2],"c":0})")), "body equals"));
  EXPECT_TRUE(failed(judge(expect, response(200, "not json")), "body equals"));
}

TEST(JudgeResponse, BodySubsetIsRecursive) {
  const json expect = {{"body", {{"subset", {{"outer", {{"inner", "x"}}}}}}}};
  EXPECT_TRUE(
      failures(judge(expect, response(200, R"({"outer":{"inner":"x","more":1},"z":2})"))).empty());
  auto results = judge(expect, response(200, R"({"outer":{"inner":"y"}})"));
  ASSERT_TRUE(failed(results, "body contains"));
  EXPECT_NE(failures(results)[0].find("/outer/inner"), std::string::npos) << failures(results)[0];
  EXPECT_TRUE(failed(judge(expect, response(200, R"({"outer":1})")), "body contains"));
}

TEST(JudgeResponse, PointerChecks) {
  const std::string body = R"({"error":"boom: 42","n":3,"list":[{"k":"v"}]})";
  auto check = [&](const json& c) {
    return failures(judge({{"body", {{"pointers", c}}}}, response(200, body)));
  };
  EXPECT_TRUE(check({{"/error", "boom: 42"}}).empty());
  EXPECT_FALSE(check({{"/error", "boom"}}).empty());
  EXPECT_TRUE(check({{"/list/0/k", "v"}}).empty());
  EXPECT_TRUE(check({{"/error", {{"regex", "^boom: [0-9]+$"}}}}).empty());
  EXPECT_FALSE(check({{"/n", {{"regex", "3"}}}}).empty());  // regex only matches strings
  EXPECT_TRUE(check({{"/n", {{"one_of", {1, 2, 3}}}}}).empty());
  EXPECT_FALSE(check({{"/n", {{"one_of", {1, 2}}}}}).empty());
  EXPECT_TRUE(check({{"/missing", {{"absent", true}}}}).empty());
  EXPECT_FALSE(check({{"/error", {{"absent", true}}}}).empty());
  EXPECT_TRUE(check({{"/error", {{"present", true}}}}).empty());
  EXPECT_FALSE(check({{"/missing", {{"present", true}}}}).empty());
  EXPECT_TRUE(check({{"/list", {{"type", "array"}}}, {"/n", {{"type", "number"}}}}).empty());
  EXPECT_FALSE(check({{"/n", {{"type", "string"}}}}).empty());
  EXPECT_FALSE(check({{"/list/7/k", "v"}}).empty());
  EXPECT_FALSE(check({{"/list/x", "v"}}).empty());  // bad array index: no match, no throw
}

TEST(JudgeResponse, BodyRegexAndShape) {
  EXPECT_TRUE(
      failures(judge({{"body", {{"regex", "^OK$"}}}}, response(200, "OK", "text/plain"))).empty());
  EXPECT_TRUE(
      failed(judge({{"body", {{"regex", "^OK$"}}}}, response(200, "NOPE")), "body matches"));
  EXPECT_TRUE(failures(judge({{"body", {{"is", "object"}}}}, response(200, "{}"))).empty());
  EXPECT_TRUE(failed(judge({{"body", {{"is", "object"}}}}, response(200, "[]")), "body is object"));
  EXPECT_TRUE(failures(judge({{"body", {{"is", "array"}}}}, response(200, "[1]"))).empty());
  EXPECT_TRUE(failed(judge({{"body", {{"is", "json"}}}}, response(200, "{oops")), "body is json"));
}

TEST(JudgeResponse, RegexOnAHugeBodyDoesNotCrash) {
  const std::string huge = "[\"" + std::string(2 << 20, 'a') + "\"]";
  auto results = judge({{"body", {{"regex", "a+"}}}}, response(200, huge));
  EXPECT_TRUE(failures(results).empty());
}

TEST(JudgeResponse, BodyMaxBytesUsesContentLength) {
  const json expect = {{"body", {{"max_bytes", 10}}}};
  EXPECT_TRUE(failures(judge(expect, response(200, "[1,2,3]"))).empty());
  EXPECT_TRUE(failed(judge(expect, response(200, "[1, 2, 3, 4]")), "body size"));
  HttpResult declared_long = response(200, "[]");
  declared_long.response.content_length = 2000000;  // the platform judges by the header
  EXPECT_TRUE(failed(judge(expect, declared_long), "body size"));
}

TEST(JudgeResponse, SizeFailureSaysWhereTheBytesCome) {
  const json expect = {{"body", {{"max_bytes", 8}}}};
  auto results = judge(expect, response(200, "[1, 2, 3]\n"));
  ASSERT_TRUE(failed(results, "body size"));
  std::string actual;
  for (const auto& r : results)
    if (!r.passed) actual = r.actual;
  EXPECT_NE(actual.find("compact JSON is 7 bytes"), std::string::npos) << actual;
  EXPECT_NE(actual.find("1 trailing"), std::string::npos) << actual;
  EXPECT_NE(actual.find("2 whitespace inside"), std::string::npos) << actual;
}

// "Rejected" as the platform maps it (C4.4): any non-200, or a 200 whose
// body is not an object or array.
TEST(JudgeResponse, PlatformOutcomeFollowsTheResultMapping) {
  const json rejected = {{"platform_outcome", "developer_error"}};
  EXPECT_TRUE(failures(judge(rejected, response(502, R"({"error":"x"})"))).empty());
  EXPECT_TRUE(failures(judge(rejected, response(400, "command exited", "text/plain"))).empty());
  EXPECT_TRUE(failures(judge(rejected, response(200, "null\n"))).empty());
  EXPECT_TRUE(failures(judge(rejected, response(200, "42"))).empty());
  EXPECT_TRUE(failed(judge(rejected, response(200, R"({"a": 1})")), "platform outcome"));
  EXPECT_TRUE(failed(judge(rejected, response(200, "[]")), "platform outcome"));
  const json app_error = {{"platform_outcome", "application_error"}};
  EXPECT_TRUE(failures(judge(app_error, response(200, R"({"error":"x"})"))).empty());
}

TEST(JudgeResponse, JsonContentType) {
  const json expect = {{"headers", {{"json_content_type", true}}}};
  EXPECT_TRUE(
      failures(judge(expect, response(200, "{}", "application/json; charset=utf-8"))).empty());
  EXPECT_TRUE(failed(judge(expect, response(200, "{}", "text/plain")), "Content-Type"));
  EXPECT_TRUE(failed(judge(expect, response(200, "{}", "")), "Content-Type"));
  // Not JSON: the rule does not apply.
  EXPECT_TRUE(failures(judge(expect, response(200, "OK", "text/plain"))).empty());
}

TEST(JudgeResponse, MissingResponsesAndExitedRuntimeFail) {
  PreparedStep step = make_step({{"status", 200}});
  auto results = judge_step(step, observed({}));
  EXPECT_TRUE(failed(results, "responses"));
  StepObservation seen = observed({response(200, "{}")});
  seen.runtime_exited = true;
  EXPECT_TRUE(failed(judge_step(step, seen), "runtime still running"));
}

}  // namespace
}  // namespace conformance
