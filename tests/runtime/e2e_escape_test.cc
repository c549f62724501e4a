// End-to-end: descendants that leave the action's process group (setsid,
// double fork) are ended with their activation.
#include <cstdlib>

#include "tests/runtime/e2e_fixture.h"

namespace rr_test {
namespace {

pid_t PidIn(const std::string& text) { return static_cast<pid_t>(std::atoi(text.c_str())); }

TEST_F(E2eTest, SetsidChildHoldingStdoutIsEndedWithTheActivation) {
  Start();
  // The pid is written once the child has its own session.
  Init(
      "#!/bin/sh\n"
      "setsid sh -c 'echo $$ > escaped; exec sleep 60' &\n"
      "while [ ! -s escaped ]; do sleep 0.01; done\n"
      "echo '{\"done\":true}'\n");
  HttpResult result = Post(runtime_->port(), "/run", R"({"value":{}})", 20000);
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"done":true})");
  const pid_t escaped = PidIn(ReadFile(runtime_->action_dir() + "/escaped"));
  ASSERT_GT(escaped, 0);
  const bool gone = WaitGone(escaped);
  if (!gone) kill(escaped, SIGKILL);
  EXPECT_TRUE(gone) << "a setsid child outlived its activation";
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
}

// setsid, then fork and let the session leader exit: the grandchild is in
// no group of the action and its parent is gone. It keeps the init env.
TEST_F(E2eTest, SetsidDoubleForkIsEndedWithTheActivation) {
  Start();
  const json init = {{"value",
                      {{"code",
                        "#!/bin/sh\n"
                        "setsid sh -c 'sleep 60 </dev/null >/dev/null 2>&1 & echo $! > grandchild' "
                        "</dev/null >/dev/null 2>&1\n"
                        "echo '{\"done\":true}'\n"},
                       {"env", {{"SECRET", "init-only"}}}}}};
  ASSERT_EQ(Post(runtime_->port(), "/init", init.dump()).status, 200);
  HttpResult result = Post(runtime_->port(), "/run", R"({"value":{}})", 20000);
  EXPECT_EQ(result.status, 200) << result.error;
  const pid_t grandchild = PidIn(WaitForFile("grandchild"));
  ASSERT_GT(grandchild, 0);
  const bool gone = WaitGone(grandchild);
  if (!gone) kill(grandchild, SIGKILL);
  EXPECT_TRUE(gone) << "a setsid'd double fork outlived its activation";
  // The runtime serves on, and reaps what it killed.
  EXPECT_EQ(Run({{"value", json::object()}}).status, 200);
}

// An escaped process is left alone while its activation still runs.
TEST_F(E2eTest, EscapedChildLivesWhileItsActivationRuns) {
  Start();
  Init(
      "#!/bin/sh\n"
      "setsid sh -c 'echo $$ > escaped; exec sleep 60' </dev/null >/dev/null 2>&1 &\n"
      "while [ ! -s escaped ]; do sleep 0.01; done\n"
      "sleep 1\n"
      "kill -0 $(cat escaped) && echo '{\"alive\":true}'\n");
  HttpResult result = Post(runtime_->port(), "/run", R"({"value":{}})", 20000);
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, R"({"alive":true})");
  const pid_t escaped = PidIn(ReadFile(runtime_->action_dir() + "/escaped"));
  ASSERT_GT(escaped, 0);
  const bool gone = WaitGone(escaped);
  if (!gone) kill(escaped, SIGKILL);
  EXPECT_TRUE(gone);
}

}  // namespace
}  // namespace rr_test
