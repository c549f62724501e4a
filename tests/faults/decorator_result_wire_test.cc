// Unit tests of the result-interpreter and wire-encoder fault decorators,
// wrapped around the real LastLineInterpreter and ContentLengthEncoder.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "contract/contract_text.h"
#include "reference_runtime/faults/result_faults.h"
#include "reference_runtime/faults/wire_faults.h"
#include "tests/faults/fault_fakes.h"

namespace faults_test {
namespace {

using nlohmann::json;
using rr::faults::ResultFault;

rr::ExecOutcome Exited(const std::string& last_line) {
  rr::ExecOutcome outcome;
  outcome.exit_code = 0;
  outcome.has_result_line = true;
  outcome.result_line = last_line;
  return outcome;
}

rr::Response Interpret(ResultFault fault, const rr::ExecOutcome& outcome,
                       RecordingLogWriter* logs = nullptr) {
  RecordingLogWriter local;
  auto log = (logs ? logs : &local)->Begin();
  rr::faults::FaultyResultInterpreter interpreter(std::make_unique<rr::LastLineInterpreter>(),
                                                  fault);
  return interpreter.Interpret(outcome, *log);
}

TEST(ResultFaultTest, NonJsonLineAnswered200) {
  const rr::Response response = Interpret(ResultFault::kNonJsonAccepted, Exited("plain text"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "plain text");
  // Other outcomes keep the normal rule.
  EXPECT_EQ(Interpret(ResultFault::kNonJsonAccepted, Exited("42")).status, 502);
}

TEST(ResultFaultTest, ScalarAnswered200) {
  const rr::Response response = Interpret(ResultFault::kScalarAccepted, Exited("42"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "42");
  EXPECT_EQ(Interpret(ResultFault::kScalarAccepted, Exited("nope")).status, 502);
}

TEST(ResultFaultTest, ArrayRefusedAndLogged) {
  RecordingLogWriter logs;
  const rr::Response response = Interpret(ResultFault::kArrayRefused, Exited("[1,2]"), &logs);
  EXPECT_EQ(response.status, 502);
  EXPECT_EQ(json::parse(response.body)["error"], std::string(contract::kNotDictionaryResult));
  EXPECT_EQ(logs.events, (std::vector<std::string>{"out:[1,2]"}));
  EXPECT_EQ(Interpret(ResultFault::kArrayRefused, Exited(R"({"a":1})")).status, 200);
}

TEST(ResultFaultTest, BadOutputAnswered500) {
  EXPECT_EQ(Interpret(ResultFault::kBadOutputStatus, Exited("nope")).status,
            rr::faults::kWrongBadOutputStatus);
  EXPECT_EQ(Interpret(ResultFault::kBadOutputStatus, Exited("{}")).status, 200);
}

TEST(ResultFaultTest, PrettyPrintedResultIsLongerButEqual) {
  const std::string line = R"({"s":"abc","n":[1,2]})";
  const rr::Response response = Interpret(ResultFault::kPrettyPrinted, Exited(line));
  EXPECT_EQ(response.status, 200);
  EXPECT_GT(response.body.size(), line.size());
  EXPECT_NE(response.body.find('\n'), std::string::npos);
  EXPECT_EQ(json::parse(response.body), json::parse(line));
}

TEST(ResultFaultTest, UnicodeMangledAsLatin1) {
  EXPECT_EQ(rr::faults::MangleUtf8AsLatin1("a\xC3\xA9"), "a\xC3\x83\xC2\xA9");
  const rr::Response response =
      Interpret(ResultFault::kUnicodeMangled, Exited("{\"g\":\"h\xC3\xA9llo\"}"));
  EXPECT_EQ(response.status, 200);
  const json body = json::parse(response.body);
  EXPECT_NE(body["g"], "h\xC3\xA9llo");
  EXPECT_EQ(body["g"], "h\xC3\x83\xC2\xA9llo");
}

TEST(WireFaultTest, RechunkRemovesContentLengthAndChunksTheBody) {
  rr::Response response;
  response.body = R"({"ok":true})";
  rr::faults::FaultyWireEncoder encoder(std::make_unique<rr::ContentLengthEncoder>(),
                                        rr::faults::WireFault::kChunked);
  const std::string bytes = encoder.Encode(response, true);
  EXPECT_EQ(bytes.find("Content-Length"), std::string::npos);
  EXPECT_NE(bytes.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_NE(bytes.find("Content-Type: application/json\r\n"), std::string::npos);
  const std::string tail = "\r\n\r\nb\r\n{\"ok\":true}\r\n0\r\n\r\n";
  ASSERT_GE(bytes.size(), tail.size());
  EXPECT_EQ(bytes.substr(bytes.size() - tail.size()), tail);
}

TEST(WireFaultTest, RechunkOfAnEmptyBodyIsTheLastChunkOnly) {
  const std::string out =
      rr::faults::RechunkResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(rr::faults::RechunkResponse("garbage"), "garbage");
}

TEST(WireFaultTest, NoContentType) {
  rr::Response response;
  response.body = "{}";
  rr::faults::FaultyWireEncoder encoder(std::make_unique<rr::ContentLengthEncoder>(),
                                        rr::faults::WireFault::kNoContentType);
  const std::string bytes = encoder.Encode(response, false);
  EXPECT_EQ(bytes.find("Content-Type"), std::string::npos);
  EXPECT_NE(bytes.find("Content-Length: 2\r\n"), std::string::npos);
}

}  // namespace
}  // namespace faults_test
