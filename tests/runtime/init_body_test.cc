// Reading /init bodies: the fast path (a plain code string found by a scan,
// decoded in place) must agree with parsing the whole body.
#include <gtest/gtest.h>

#include "reference_runtime/init_code_scan.h"
#include "reference_runtime/request_bodies.h"
#include "tests/runtime/test_files.h"

namespace {

using rr::CodeSpan;
using rr::FindPlainInitCode;
using rr::InitInput;
using rr::ReadInitBody;

TEST(InitBodyTest, ScanFindsAPlainCodeString) {
  const std::string body =
      R"( { "a" : [1, {"code":"no"}], "value" : {"env":{"K":"v"}, "code" : "QUJD" , "x":null} } )";
  CodeSpan span;
  ASSERT_TRUE(FindPlainInitCode(body, &span));
  EXPECT_EQ(body.substr(span.begin, span.end - span.begin), "QUJD");
}

TEST(InitBodyTest, ScanLeavesEverythingElseToTheParser) {
  CodeSpan span;
  for (const std::string body : {
           R"({"value":{"code":"QU\/J"}})",                   // an escape in the code
           R"({"value":{"code":"é"}})",                       // not ASCII
           R"({"value":{"code":"a"},"value":{"code":"b"}})",  // two values
           R"({"value":{"code":"a","code":"b"}})",            // two codes
           R"({"val\u0075e":{"code":"a"}})",                  // an escaped key
           R"({"value":{"code":1}})",
           R"(["value"])",
           R"({"value":{"code":"a)",
       }) {
    EXPECT_FALSE(FindPlainInitCode(body, &span)) << body;
  }
}

TEST(InitBodyTest, FastAndSlowPathsAgree) {
  const std::string zip = "PK\x03\x04 any bytes \xff\x00 here";
  const std::string code = rr_test::Base64(zip);
  // Plain: the fast path. With "\/" escapes: the whole body is parsed.
  std::string escaped;
  for (char c : code) escaped += c == '/' ? std::string("\\/") : std::string(1, c);
  for (const std::string& text : {code, escaped + "\\n"}) {
    InitInput input =
        ReadInitBody(R"({"value":{"binary":true,"env":{"N":5},"code":")" + text + R"("}})");
    EXPECT_TRUE(input.malformed.empty()) << input.malformed;
    EXPECT_TRUE(input.undecodable.empty()) << input.undecodable;
    EXPECT_EQ(input.code, zip);
    EXPECT_EQ(input.env["N"], "5");
  }
  InitInput text = ReadInitBody(R"({"value":{"code":"#!/bin/sh"}})");
  EXPECT_EQ(text.code, "#!/bin/sh");
  EXPECT_FALSE(text.binary);
}

TEST(InitBodyTest, FastPathStillRejectsWhatIsNotJson) {
  for (const std::string body : {R"({"value":{"code":"QUJD"}} trailing)",
                                 R"({"value":{"code":"QUJD"},})", R"({"value":{"code":"QUJD"} )"}) {
    InitInput input = ReadInitBody(body);
    EXPECT_EQ(input.malformed, "Malformed request: the body is not valid JSON.") << body;
  }
  InitInput bad = ReadInitBody(R"({"value":{"binary":true,"code":"QU*D"}})");
  EXPECT_NE(bad.undecodable.find("invalid base64"), std::string::npos) << bad.undecodable;
  InitInput env = ReadInitBody(R"({"value":{"code":"x","env":{"A=B":"1"}}})");
  EXPECT_NE(env.malformed.find("Malformed init"), std::string::npos) << env.malformed;
}

}  // namespace
