// End-to-end: the contract's behaviour of the real binary over HTTP.
#include <algorithm>
#include <sstream>

#include "tests/runtime/e2e_fixture.h"
#include "tests/runtime/zip_builder.h"

namespace rr_test {
namespace {

TEST_F(E2eTest, StubAnswersBeforeInit) {
  Start();
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, R"({"error":"This is a stub action. Replace it with custom logic."})");
  EXPECT_NE(result.headers.find("Content-Length: 64"), std::string::npos) << result.headers;
  EXPECT_NE(result.headers.find("Content-Type: application/json"), std::string::npos);
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(runtime_->Stdout(), kSentinel);
  EXPECT_EQ(runtime_->Stderr(), kSentinel);
}

TEST_F(E2eTest, TextInitThenEchoOverArgvAndStdin) {
  Start();
  Init("#!/bin/sh\necho \"$1\"\n");
  const json value = {{"text", "héllo wörld ✓ 😀"}, {"n", 1.5}, {"list", {1, "two", nullptr}}};
  HttpResult result = Run({{"value", value}, {"namespace", "ns"}});
  ASSERT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(json::parse(result.body), value);
  EXPECT_EQ(result.body, value.dump());
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(runtime_->Stdout(), kSentinel) << "no sentinel after init, one after the run";
}

TEST_F(E2eTest, LargeArgumentArrivesOnStdinOnly) {
  Start();
  Init("#!/bin/sh\nif [ $# -ne 0 ]; then echo '{\"argv\":true}'; exit; fi\ncat\necho\n");
  const json value = {{"big", std::string(200000, 'b')}};
  HttpResult result = Run({{"value", value}});
  ASSERT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, value.dump());
}

TEST_F(E2eTest, ActionIgnoringLargeStdinDoesNotDeadlock) {
  Start();
  Init("#!/bin/sh\necho '{\"ignored\":true}'\n");
  HttpResult result = Run({{"value", {{"big", std::string(1 << 20, 'i')}}}});
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"ignored":true})");
}

TEST_F(E2eTest, ZipInitWithEnvAndNoContextLeak) {
  Start();
  const std::string exec =
      "#!/bin/sh\n"
      "printf "
      "'{\"data\":\"%s\",\"greeting\":\"%s\",\"ns\":\"%s\",\"key\":\"%s\",\"cwd\":\"%s\"}\\n' "
      "\"$(cat lib/data.txt)\" \"$GREETING\" \"$__OW_NAMESPACE\" \"$__OW_API_KEY\" \"$(pwd)\"\n";
  const std::string zip = BuildZip({{"exec", exec, 0100755}, {"lib/data.txt", "payload", 0100644}});
  const json init = {
      {"value", {{"binary", true}, {"code", Base64(zip)}, {"env", {{"GREETING", "hi"}}}}}};
  HttpResult init_result = Post(runtime_->port(), "/init", init.dump());
  ASSERT_EQ(init_result.status, 200) << init_result.body;
  HttpResult first = Run({{"value", json::object()}, {"namespace", "ns1"}, {"api_key", "secret"}});
  ASSERT_EQ(first.status, 200) << first.body;
  const json result = json::parse(first.body);
  EXPECT_EQ(result["data"], "payload");
  EXPECT_EQ(result["greeting"], "hi");
  EXPECT_EQ(result["ns"], "ns1");
  EXPECT_EQ(result["key"], "secret");
  EXPECT_EQ(result["cwd"], runtime_->action_dir());
  HttpResult second = Run({{"value", json::object()}, {"namespace", "ns2"}});
  const json again = json::parse(second.body);
  EXPECT_EQ(again["ns"], "ns2");
  EXPECT_EQ(again["key"], "") << "api_key leaked into the next activation";
}

TEST_F(E2eTest, ChattyActionStreamsItsLogs) {
  Start();
  // ~8 MiB of log lines, then a result.
  Init(
      "#!/bin/sh\ni=0\nwhile [ $i -lt 64 ]; do head -c 131072 /dev/zero | tr '\\0' 'x'; echo; "
      "i=$((i+1)); done\n"
      "echo '{\"done\":1}'\n");
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"done":1})");
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  const std::string out = runtime_->Stdout();
  EXPECT_EQ(out.size(), 64u * 131073u + kSentinel.size());
}

TEST_F(E2eTest, LogsInOrderThenOneSentinelPerStream) {
  Start();
  Init("#!/bin/sh\necho o1\necho e1 >&2\necho o2\necho e2 >&2\necho '{\"r\":1}'\n");
  for (int run = 1; run <= 2; ++run) {
    HttpResult result = Run({{"value", json::object()}});
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.body, R"({"r":1})");
    ASSERT_TRUE(runtime_->WaitForSentinels(static_cast<size_t>(run)));
  }
  const std::string block_out = "o1\no2\n" + kSentinel;
  const std::string block_err = "e1\ne2\n" + kSentinel;
  EXPECT_EQ(runtime_->Stdout(), block_out + block_out);
  EXPECT_EQ(runtime_->Stderr(), block_err + block_err);
}

TEST_F(E2eTest, NonJsonResultIs502AndLogged) {
  Start();
  Init("#!/bin/sh\necho 'plain text'\n");
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 502);
  EXPECT_EQ(result.body, R"({"error":"The action did not return a dictionary or array."})");
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(runtime_->Stdout(), "plain text\n" + kSentinel);
}

TEST_F(E2eTest, SecondInitIs403WithMessageOnStderr) {
  Start();
  Init("#!/bin/sh\necho '{}'\n");
  HttpResult again = Post(runtime_->port(), "/init", InitBody("#!/bin/sh\necho '[]'\n"));
  EXPECT_EQ(again.status, 403);
  EXPECT_EQ(again.body, R"({"error":"Cannot initialize the action more than once."})");
  HttpResult run = Run({{"value", json::object()}});
  EXPECT_EQ(run.body, "{}");
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(runtime_->Stderr(), "Cannot initialize the action more than once.\n" + kSentinel);
}

TEST_F(E2eTest, ConcurrentRunsKeepLogsContiguous) {
  Start();
  Init(
      "#!/bin/sh\nfor i in 1 2 3 4; do echo \"$__OW_ACTIVATION_ID out $i\"; "
      "echo \"$__OW_ACTIVATION_ID err $i\" >&2; sleep 0.02; done\n"
      "echo \"{\\\"id\\\":\\\"$__OW_ACTIVATION_ID\\\"}\"\n");
  constexpr int kRuns = 5;
  std::vector<HttpResult> results(kRuns);
  std::vector<std::thread> clients;
  for (int i = 0; i < kRuns; ++i) {
    clients.emplace_back([&, i] {
      results[i] = Run({{"value", json::object()}, {"activation_id", "act" + std::to_string(i)}});
    });
  }
  for (auto& client : clients) client.join();
  for (int i = 0; i < kRuns; ++i) {
    ASSERT_EQ(results[i].status, 200) << results[i].error;
    EXPECT_EQ(results[i].body, "{\"id\":\"act" + std::to_string(i) + "\"}");
  }
  ASSERT_TRUE(runtime_->WaitForSentinels(kRuns));
  for (const std::string& stream : {std::string("out"), std::string("err")}) {
    const std::string text = stream == "out" ? runtime_->Stdout() : runtime_->Stderr();
    // Each block: 4 lines of one activation, then its sentinel.
    std::istringstream lines(text);
    std::string line;
    std::vector<std::string> seen;
    for (int block = 0; block < kRuns; ++block) {
      std::string id;
      for (int i = 1; i <= 4; ++i) {
        ASSERT_TRUE(std::getline(lines, line));
        const std::string this_id = line.substr(0, line.find(' '));
        if (i == 1) id = this_id;
        EXPECT_EQ(line, id + " " + stream + " " + std::to_string(i)) << text;
      }
      ASSERT_TRUE(std::getline(lines, line));
      EXPECT_EQ(line + "\n", kSentinel) << text;
      seen.push_back(id);
    }
    EXPECT_FALSE(std::getline(lines, line));
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << text;
  }
}

// Regression: under load a spurious exit notification once killed live
// actions (empty output, 502). Every quick run must succeed.
TEST_F(E2eTest, ManyOverlappingQuickRunsAllSucceed) {
  Start();
  Init("#!/bin/sh\necho \"$1\"\n");
  constexpr int kClients = 8;
  constexpr int kRunsEach = 40;
  std::vector<int> failures(kClients, 0);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      RawConnection connection(runtime_->port());  // keep-alive, like a load generator
      for (int i = 0; i < kRunsEach; ++i) {
        const json value = {{"client", c}, {"i", i}};
        connection.Send(RawPost("/run", json{{"value", value}}.dump()));
        const std::string response = connection.ReadResponse(20000);
        if (response.rfind("HTTP/1.1 200", 0) != 0 ||
            response.find("\r\n\r\n" + value.dump()) == std::string::npos) {
          ++failures[c];
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(failures[c], 0) << "client " << c;
  ASSERT_TRUE(runtime_->WaitForSentinels(kClients * kRunsEach));
  EXPECT_EQ(CountOccurrences(runtime_->Stdout(), kSentinel),
            static_cast<size_t>(kClients * kRunsEach));
  EXPECT_EQ(runtime_->Stdout(), [] {
    std::string expected;
    for (int i = 0; i < kClients * kRunsEach; ++i) expected += kSentinel;
    return expected;
  }());
}

TEST_F(E2eTest, OverlapPastTheLimitIsRefused) {
  Start({"--max-concurrent", "1"});
  Init("#!/bin/sh\necho started > started\nsleep 1\necho '{\"slow\":true}'\n");
  std::thread slow_client([&] { EXPECT_EQ(Run({{"value", json::object()}}).status, 200); });
  ASSERT_FALSE(WaitForFile("started").empty());
  HttpResult refused = Run({{"value", json::object()}});
  slow_client.join();
  EXPECT_NE(refused.status, 200);
  EXPECT_NE(refused.status, 503);
  EXPECT_TRUE(json::parse(refused.body).contains("error")) << refused.body;
}

}  // namespace
}  // namespace rr_test
