// End-to-end: the real binary over HTTP on 127.0.0.1.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/runtime/http_client.h"
#include "tests/runtime/runtime_process.h"
#include "tests/runtime/zip_builder.h"

namespace rr_test {
namespace {

using nlohmann::json;

const std::string kSentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n";

std::string InitBody(const std::string& code) {
  return json{{"value", {{"name", "t"}, {"main", "main"}, {"binary", false}, {"code", code}}}}
      .dump();
}

class E2eTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> args = {}) {
    runtime_ = std::make_unique<RuntimeProcess>(std::move(args));
    ASSERT_TRUE(runtime_->started()) << runtime_->Stderr();
  }
  void Init(const std::string& code) {
    HttpResult result = Post(runtime_->port(), "/init", InitBody(code));
    ASSERT_EQ(result.status, 200) << result.error << result.body;
  }
  HttpResult Run(const json& body) { return Post(runtime_->port(), "/run", body.dump()); }
  // Polls for a file the action writes (the action runs concurrently).
  std::string WaitForFile(const std::string& name) {
    const std::string path = runtime_->action_dir() + "/" + name;
    for (int i = 0; i < 2000; ++i) {
      std::string content = ReadFile(path);
      if (!content.empty() && content.back() == '\n') return content;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return "";
  }
  bool WaitGone(pid_t pid) {
    for (int i = 0; i < 2000; ++i) {
      if (ProcessGone(pid)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::unique_ptr<RuntimeProcess> runtime_;
};

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

TEST_F(E2eTest, BackgroundChildHoldingStdoutDoesNotHangTheRun) {
  Start();
  Init("#!/bin/sh\nsleep 60 &\necho $! > bgpid\necho '{\"done\":true}'\n");
  HttpResult result = Post(runtime_->port(), "/run", R"({"value":{}})", 20000);
  ASSERT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"done":true})");
  const pid_t background = std::atoi(ReadFile(runtime_->action_dir() + "/bgpid").c_str());
  ASSERT_GT(background, 0);
  EXPECT_TRUE(WaitGone(background)) << "the action's group was not killed";
}

TEST_F(E2eTest, EscapedChildHoldingStdoutIsAbandonedAfterDrainTimeout) {
  Start({"--drain-timeout-ms", "200"});
  // setsid leaves the action's process group, so the group kill misses it.
  Init("#!/bin/sh\nsetsid sleep 60 &\necho $! > escaped\necho '{\"done\":true}'\n");
  HttpResult result = Post(runtime_->port(), "/run", R"({"value":{}})", 20000);
  const pid_t escaped = std::atoi(ReadFile(runtime_->action_dir() + "/escaped").c_str());
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"done":true})");
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  if (escaped > 0) kill(escaped, SIGKILL);
}

TEST_F(E2eTest, OverlongResultLineIsRejected) {
  Start({"--max-line-bytes", "1000"});
  Init("#!/bin/sh\necho \"$1\"\n");
  HttpResult result = Run({{"value", {{"long", std::string(5000, 'l')}}}});
  EXPECT_EQ(result.status, 502);
  EXPECT_EQ(result.body, R"({"error":"The action did not return a dictionary or array."})");
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
}

TEST_F(E2eTest, DeadlineKillsTheAction) {
  Start();
  Init("#!/bin/sh\necho started\necho $$ > pid\nexec sleep 60\n");
  const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() +
                        300;
  HttpResult result = Run({{"value", json::object()}, {"deadline", std::to_string(deadline)}});
  EXPECT_EQ(result.status, 502);
  EXPECT_NE(json::parse(result.body).at("error").get<std::string>().find("deadline"),
            std::string::npos);
  EXPECT_TRUE(WaitGone(std::atoi(ReadFile(runtime_->action_dir() + "/pid").c_str())));
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(runtime_->Stdout(), "started\n" + kSentinel);
}

TEST_F(E2eTest, ClientDisconnectKillsTheGroup) {
  Start();
  Init("#!/bin/sh\nsleep 60 &\necho $! > childpid\necho $$ > pid\nwait\n");
  {
    RawConnection connection(runtime_->port());
    ASSERT_TRUE(connection.connected());
    ASSERT_TRUE(connection.Send(RawPost("/run", R"({"value":{}})")));
    ASSERT_FALSE(WaitForFile("pid").empty());
  }  // disconnects
  const pid_t action = std::atoi(ReadFile(runtime_->action_dir() + "/pid").c_str());
  const pid_t child = std::atoi(ReadFile(runtime_->action_dir() + "/childpid").c_str());
  EXPECT_TRUE(WaitGone(action));
  EXPECT_TRUE(WaitGone(child));
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  // The runtime still serves.
  EXPECT_EQ(Get(runtime_->port(), "/run").status, 405);
}

TEST_F(E2eTest, NoZombiesAfterRuns) {
  Start();
  Init("#!/bin/sh\n(sleep 0.01 &)\necho '{}'\nexit 3\n");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Run({{"value", json::object()}}).status, 200);
  EXPECT_TRUE(ChildrenOf(runtime_->pid()).empty());
}

TEST_F(E2eTest, MalformedHttpIs400) {
  Start();
  RawConnection connection(runtime_->port());
  ASSERT_TRUE(connection.Send("THIS IS NOT HTTP\r\n\r\n"));
  const std::string response = connection.ReadResponse(10000);
  EXPECT_EQ(response.rfind("HTTP/1.1 400", 0), 0u) << response;
  EXPECT_NE(response.find("Content-Length:"), std::string::npos);
}

TEST_F(E2eTest, MalformedJsonIs400) {
  Start();
  HttpResult result = Post(runtime_->port(), "/run", "{\"value\": [1,");
  EXPECT_EQ(result.status, 400);
  EXPECT_TRUE(json::parse(result.body).contains("error"));
  HttpResult init = Post(runtime_->port(), "/init", "not json");
  EXPECT_EQ(init.status, 400);
}

TEST_F(E2eTest, OversizeBodyIs413) {
  Start({"--max-body-bytes", "1000"});
  HttpResult result = Post(runtime_->port(), "/init", InitBody(std::string(5000, 'x')));
  EXPECT_EQ(result.status, 413) << result.error;
  EXPECT_TRUE(json::parse(result.body).contains("error"));
  // Still serving.
  EXPECT_EQ(Run({{"value", json::object()}}).status, 200);
}

TEST_F(E2eTest, SlowHeaderIsClosed) {
  Start({"--header-timeout-ms", "200"});
  RawConnection connection(runtime_->port());
  ASSERT_TRUE(connection.Send("POST /run HTTP/1.1\r\nHost: x\r\n"));
  bool closed = false;
  connection.ReadResponse(15000, &closed);
  EXPECT_TRUE(closed);
}

TEST_F(E2eTest, IdleKeptAliveConnectionIsClosed) {
  Start({"--idle-timeout-ms", "200"});
  RawConnection connection(runtime_->port());
  ASSERT_TRUE(connection.Send(RawPost("/run", R"({"value":{}})")));
  EXPECT_EQ(connection.ReadResponse(10000).rfind("HTTP/1.1 200", 0), 0u);
  bool closed = false;
  connection.ReadResponse(15000, &closed);
  EXPECT_TRUE(closed);
}

TEST_F(E2eTest, KeepAliveServesSeveralRequests) {
  Start();
  RawConnection connection(runtime_->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.Send(RawPost("/run", R"({"value":{}})")));
    const std::string response = connection.ReadResponse(10000);
    EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  }
}

TEST_F(E2eTest, SigtermDrainsWith503ThenExitsZero) {
  Start();
  Init("#!/bin/sh\necho started > started\nsleep 1\necho '{\"finished\":true}'\n");
  RawConnection idle(runtime_->port());  // open before the drain starts
  ASSERT_TRUE(idle.connected());
  HttpResult running;
  std::thread client([&] { running = Run({{"value", json::object()}}); });
  ASSERT_FALSE(WaitForFile("started").empty());
  ASSERT_EQ(kill(runtime_->pid(), SIGTERM), 0);
  // Draining has begun once the listener is closed.
  bool refusing = false;
  for (int i = 0; i < 2000 && !refusing; ++i) {
    refusing = !RawConnection(runtime_->port()).connected();
    if (!refusing) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(refusing) << "still accepting connections after SIGTERM";
  ASSERT_TRUE(idle.Send(RawPost("/run", R"({"value":{}})")));
  const std::string refused = idle.ReadResponse(10000);
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  client.join();
  EXPECT_EQ(running.status, 200) << running.error;
  EXPECT_EQ(running.body, R"({"finished":true})");
  const int status = runtime_->WaitExit();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(E2eTest, SigtermKillsActivationsAfterGrace) {
  Start({"--shutdown-grace-ms", "200"});
  Init("#!/bin/sh\necho $$ > pid\nexec sleep 60\n");
  HttpResult running;
  std::thread client([&] { running = Run({{"value", json::object()}}); });
  ASSERT_FALSE(WaitForFile("pid").empty());
  ASSERT_EQ(kill(runtime_->pid(), SIGTERM), 0);
  client.join();
  EXPECT_EQ(running.status, 502) << running.error;
  const int status = runtime_->WaitExit();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(WaitGone(std::atoi(ReadFile(runtime_->action_dir() + "/pid").c_str())));
}

TEST(E2eCliTest, HelpAndVersion) {
  for (const std::string& flag : {std::string("--help"), std::string("--version")}) {
    const std::string command = std::string(REFERENCE_RUNTIME_BIN) + " " + flag + " > /dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << flag;
  }
  const std::string bad = std::string(REFERENCE_RUNTIME_BIN) + " --no-such-flag 2> /dev/null";
  EXPECT_NE(std::system(bad.c_str()), 0);
}

}  // namespace
}  // namespace rr_test
