// The platform's result mapping (C4.4), truncation (C1.4), time limits (C4.2)
// and log collection (C4.6), on crafted responses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance/invoke/activation.h"
#include "tests/support/fake_transport.h"

namespace {

using conformance::ActivationStatus;
using conformance::HttpResult;
using conformance::TransportError;
using nlohmann::json;
using std::chrono::milliseconds;
using testing_support::FakeTransport;

const milliseconds kLimit(60000);

conformance::ActivationResponse run(int status, const std::string& body) {
  return conformance::map_run_response(FakeTransport::response(status, body), kLimit);
}

json error_of(const std::string& text) { return json{{"error", text}}; }

TEST(RunMapping, OkObjectIsSuccess) {
  auto r = run(200, R"({"a":1,"b":[true]})");
  EXPECT_EQ(r.status, ActivationStatus::kSuccess);
  EXPECT_TRUE(r.success());
  EXPECT_EQ(r.result, json::parse(R"({"a":1,"b":[true]})"));
  EXPECT_FALSE(r.destroys_container());
}

TEST(RunMapping, OkObjectWithErrorIsApplicationErrorKeepingOnlyTheError) {
  auto r = run(200, R"({"error":{"code":7},"other":1})");
  EXPECT_EQ(r.status, ActivationStatus::kApplicationError);
  EXPECT_EQ(r.result, json::parse(R"({"error":{"code":7}})"));
  EXPECT_FALSE(r.destroys_container());  // C4.5: kept warm
}

TEST(RunMapping, OkArrayIsSuccess) {
  auto r = run(200, R"([1,"two",{"three":3}])");
  EXPECT_EQ(r.status, ActivationStatus::kSuccess);
  EXPECT_EQ(r.result, json::parse(R"([1,"two",{"three":3}])"));
}

TEST(RunMapping, NonOkObjectWithErrorIsDeveloperErrorWithThatError) {
  auto r = run(502, R"({"error":"The action did not return a dictionary or array.","x":2})");
  EXPECT_EQ(r.status, ActivationStatus::kDeveloperError);
  EXPECT_EQ(r.result, error_of("The action did not return a dictionary or array."));
  EXPECT_TRUE(r.destroys_container());
}

TEST(RunMapping, AnyOtherBodyIsDeveloperErrorQuotingTheBody) {
  const std::string prefix = "The action did not produce a valid JSON or JSON Array response: ";
  struct Case {
    int status;
    std::string body;
  };
  for (const Case& c :
       {Case{200, "hello world"}, Case{200, "42"}, Case{200, "null"}, Case{200, "\"text\""},
        Case{500, "{\"no_error\":1}"}, Case{502, "[1,2]"}, Case{404, ""}, Case{200, "{\"a\":"}}) {
    auto r = run(c.status, c.body);
    EXPECT_EQ(r.status, ActivationStatus::kDeveloperError) << c.status << " " << c.body;
    EXPECT_EQ(r.result, error_of(prefix + c.body)) << c.status << " " << c.body;
  }
}

TEST(RunMapping, ConnectionLostOrNotHttpIsAbnormalExit) {
  for (auto e : {TransportError::kConnectionLost, TransportError::kMalformed}) {
    auto r = conformance::map_run_response(FakeTransport::failure(e), kLimit);
    EXPECT_EQ(r.status, ActivationStatus::kDeveloperError);
    EXPECT_EQ(r.result,
              error_of("The action did not produce a valid response and exited unexpectedly."));
    EXPECT_TRUE(r.destroys_container());
  }
}

TEST(RunMapping, TimeoutNamesTheLimit) {
  auto r = conformance::map_run_response(FakeTransport::failure(TransportError::kTimeout),
                                         milliseconds(1500));
  EXPECT_EQ(r.status, ActivationStatus::kDeveloperError);
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.destroys_container());
  EXPECT_EQ(r.result, error_of("The action exceeded its time limits of 1500 milliseconds."));
}

TEST(RunMapping, RefusedRunIsAnInternalError) {
  auto r = conformance::map_run_response(FakeTransport::failure(TransportError::kRefused), kLimit);
  EXPECT_EQ(r.status, ActivationStatus::kWhiskError);
  EXPECT_EQ(r.result["error"].get<std::string>().rfind("Failed to reach the action container", 0),
            0u);
}

TEST(RunMapping, ChunkedOrUnknownLengthOrNoContentIsNoResponse) {
  const json abnormal =
      error_of("The action did not produce a valid response and exited unexpectedly.");
  HttpResult chunked = FakeTransport::response(200, "{}");
  chunked.response.chunked = true;
  chunked.response.content_length.reset();
  EXPECT_EQ(conformance::map_run_response(chunked, kLimit).result, abnormal);
  HttpResult unknown = FakeTransport::response(200, "{}");
  unknown.response.content_length.reset();
  EXPECT_EQ(conformance::map_run_response(unknown, kLimit).result, abnormal);
  EXPECT_EQ(run(204, "").result, abnormal);
}

TEST(RunMapping, ResponseOverOneMebibyteIsTruncatedToAnApplicationError) {
  const std::size_t max = 1048576;
  const std::string full = "{\"a\":\"" + std::string(max + 100, 'x') + "\"}";
  HttpResult big = FakeTransport::response(200, full.substr(0, max));  // what the transport kept
  big.response.content_length = full.size();
  big.response.body_truncated = true;
  auto r = conformance::map_run_response(big, kLimit);
  EXPECT_EQ(r.status, ActivationStatus::kApplicationError);
  EXPECT_EQ(r.result, error_of("The action produced a response that exceeded the allowed length: " +
                               std::to_string(full.size()) + " > 1048576 bytes. " +
                               "The truncated response was: " + full.substr(0, max)));
}

TEST(RunMapping, ExactlyOneMebibyteIsNotTruncated) {
  const std::size_t max = 1048576;
  const std::string body = "{\"a\":\"" + std::string(max - 8, 'x') + "\"}";
  ASSERT_EQ(body.size(), max);
  auto r = run(200, body);
  EXPECT_EQ(r.status, ActivationStatus::kSuccess);
}

TEST(RunMapping, DeclaredLengthOverTheLimitTruncatesEvenIfFewerBytesCame) {
  HttpResult r = FakeTransport::response(200, "{\"a\":1}");
  r.response.content_length = 2000000;  // judged by Content-Length (C1.4)
  auto m = conformance::map_run_response(r, kLimit);
  EXPECT_EQ(m.status, ActivationStatus::kApplicationError);
  EXPECT_NE(m.result["error"].get<std::string>().find("2000000 > 1048576 bytes"),
            std::string::npos);
}

TEST(RunMapping, InvalidUtf8BodyIsQuotedWithoutThrowing) {
  auto r = run(200, std::string("bad \xff\xfe bytes"));
  EXPECT_EQ(r.status, ActivationStatus::kDeveloperError);
  EXPECT_NE(r.result["error"].get<std::string>().find("bad "), std::string::npos);
}

TEST(InitMapping, OkIsSuccessWhateverTheBody) {
  for (const char* body : {"OK", "{\"ok\":true}", "{\"OK\":true}", ""}) {
    EXPECT_FALSE(conformance::map_init_response(FakeTransport::response(200, body), kLimit))
        << body;
  }
}

TEST(InitMapping, ErrorObjectIsDeveloperErrorWithThatError) {
  auto r = conformance::map_init_response(
      FakeTransport::response(403, R"({"error":"Cannot initialize the action more than once."})"),
      kLimit);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, ActivationStatus::kDeveloperError);
  EXPECT_EQ(r->result, error_of("Cannot initialize the action more than once."));
}

TEST(InitMapping, OtherBodiesFailDuringInitialization) {
  for (const std::string body : {"boom", "{\"msg\":1}", "[]", ""}) {
    auto r = conformance::map_init_response(FakeTransport::response(500, body), kLimit);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, ActivationStatus::kDeveloperError);
    EXPECT_EQ(r->result, error_of("The action failed during initialization: " + body));
  }
}

TEST(InitMapping, ConnectionLostIsAbnormalInitialization) {
  auto r = conformance::map_init_response(FakeTransport::failure(TransportError::kConnectionLost),
                                          kLimit);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result, error_of("The action did not initialize and exited unexpectedly."));
}

TEST(InitMapping, TimeoutAndRefusedUntilTheLimitSayDuringInitialization) {
  for (auto e : {TransportError::kTimeout, TransportError::kRefused}) {
    auto r = conformance::map_init_response(FakeTransport::failure(e), milliseconds(250));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, ActivationStatus::kDeveloperError);
    EXPECT_TRUE(r->timed_out);
    EXPECT_EQ(r->result, error_of("The action exceeded its time limits of 250 milliseconds during "
                                  "initialization."));
  }
}

conformance::LogLine line(conformance::Stream s, std::string text, bool sentinel = false) {
  return conformance::LogLine{s, 0, std::move(text), sentinel};
}

TEST(ActivationLogs, SentinelsDroppedAndStreamsNamed) {
  using conformance::Stream;
  const std::string sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";
  auto logs = conformance::format_activation_logs(
      {line(Stream::kStdout, "out"), line(Stream::kStderr, "err"),
       line(Stream::kStdout, sentinel, true), line(Stream::kStderr, sentinel, true)},
      "2026-01-02T03:04:05.006Z", 1000);
  EXPECT_EQ(logs, (std::vector<std::string>{"2026-01-02T03:04:05.006Z stdout: out",
                                            "2026-01-02T03:04:05.006Z stderr: err"}));
}

TEST(ActivationLogs, CappedWithTheNotice) {
  using conformance::Stream;
  auto logs = conformance::format_activation_logs(
      {line(Stream::kStdout, "0123456789"), line(Stream::kStdout, "0123456789"),
       line(Stream::kStdout, "0123456789")},
      "T", 25);
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(logs[1], "T stdout: 0123456789");
  EXPECT_EQ(logs[2],
            "T stderr: Logs were truncated because the total bytes size exceeds the limit of 25 "
            "bytes.");
}

TEST(ActivationRecordJson, HasThePlatformFields) {
  conformance::ActivationRecord rec;
  rec.context = conformance::make_activation_context("act", kLimit);
  rec.name = "act";
  rec.start_ms = 1000;
  rec.end_ms = 1250;
  rec.response = run(200, R"({"error":"x"})");
  rec.logs = {"T stdout: hi"};
  rec.init_time_ms = 12;
  json j = conformance::to_json(rec);
  EXPECT_EQ(j["activationId"], rec.context.activation_id);
  EXPECT_EQ(j["namespace"], "guest");
  EXPECT_EQ(j["name"], "act");
  EXPECT_EQ(j["version"], "0.0.1");
  EXPECT_EQ(j["duration"], 250);
  EXPECT_EQ(j["response"]["status"], "application error");
  EXPECT_EQ(j["response"]["statusCode"], 1);
  EXPECT_EQ(j["response"]["success"], false);
  EXPECT_EQ(j["response"]["result"], error_of("x"));
  EXPECT_EQ(j["logs"], json::array({"T stdout: hi"}));
  std::set<std::string> keys;
  for (const auto& a : j["annotations"]) keys.insert(a["key"].get<std::string>());
  for (const char* k : {"initTime", "waitTime", "timeout", "limits", "path", "kind"})
    EXPECT_TRUE(keys.count(k)) << k;
  EXPECT_EQ(conformance::iso_time(1795561916893), "2026-11-24T23:11:56.893Z");
}

}  // namespace
