// End-to-end: process hygiene, limits, bad input and shutdown of the real binary.
#include <cstdlib>

#include "tests/runtime/e2e_fixture.h"

namespace rr_test {
namespace {

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
  // The runtime is a subreaper: the orphaned sleeps are its children until
  // it reaps them, shortly after each activation.
  std::vector<pid_t> children = ChildrenOf(runtime_->pid());
  for (int i = 0; i < 500 && !children.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    children = ChildrenOf(runtime_->pid());
  }
  EXPECT_TRUE(children.empty()) << children.size() << " children left";
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
