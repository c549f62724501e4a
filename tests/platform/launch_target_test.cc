// LaunchTarget with real children: hostile_runtime in `ok` mode and shell
// one-liners.
#include "conformance/platform/launch_target.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "conformance/platform/curl_transport.h"
#include "contract/contract_text.h"
#include "test_dirs.h"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

StartOptions Quick(milliseconds ready = milliseconds(10000)) {
  StartOptions options;
  options.ready_timeout = ready;
  options.stop_grace = milliseconds(500);
  return options;
}

// True when the process is gone (or only a zombie waiting for its reaper).
bool ProcessGone(int pid) {
  if (::kill(pid, 0) != 0) return true;
  const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

TEST(LaunchTarget, StartsARuntimeThatAnswersAndLogs) {
  LaunchTarget target(HostileCommand("ok"));
  EXPECT_TRUE(target.fresh_instances());
  EXPECT_NE(target.describe().find("--launch"), std::string::npos);
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(Quick(), &instance);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(instance->base_url().rfind("http://127.0.0.1:", 0), 0u);
  EXPECT_FALSE(instance->exited());
  EXPECT_EQ(instance->exit_description(), "");
  ASSERT_NE(instance->logs(), nullptr);

  const LogMark mark = instance->logs()->mark();
  CurlTransport transport;
  HttpRequest run;
  run.path = "/run";
  run.timeout = milliseconds(10000);
  const HttpResult r = transport.send(instance->base_url(), run);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.response.status, 200);
  EXPECT_TRUE(
      instance->logs()->wait_for_sentinels(mark, 1, Clock::now() + std::chrono::seconds(10)));

  instance->stop();
  EXPECT_TRUE(instance->exited());
  instance->stop();  // idempotent
}

TEST(LaunchTarget, TwoInstancesGetDifferentPortsAndDirs) {
  ScratchDir scratch;
  LaunchTarget target("/bin/sh -c 'echo {dir} >> " + scratch.file("dirs") +
                      "; exec \"$0\" \"$@\"' " + HostileCommand("ok"));
  std::unique_ptr<RuntimeInstance> a, b;
  ASSERT_TRUE(target.start(Quick(), &a).ok());
  ASSERT_TRUE(target.start(Quick(), &b).ok());
  EXPECT_NE(a->base_url(), b->base_url());
  std::stringstream dirs(ReadFile(scratch.file("dirs")));
  std::string dir_a, dir_b;
  dirs >> dir_a >> dir_b;
  EXPECT_NE(dir_a, dir_b);
  EXPECT_TRUE(std::filesystem::is_directory(dir_a));
  EXPECT_TRUE(std::filesystem::is_empty(dir_a));
  a->stop();
  EXPECT_FALSE(std::filesystem::exists(dir_a));  // removed on stop
  EXPECT_TRUE(std::filesystem::exists(dir_b));
  b.reset();
  EXPECT_FALSE(std::filesystem::exists(dir_b));
}

TEST(LaunchTarget, PassesTheEnvironmentToTheRuntime) {
  ScratchDir scratch;
  LaunchTarget target("/bin/sh -c 'echo \"$__OW_API_HOST\" > " + scratch.file("env") +
                      "; exec \"$0\" \"$@\"' " + HostileCommand("ok"));
  StartOptions options = Quick();
  options.env["__OW_API_HOST"] = "http://api.example:1234";
  std::unique_ptr<RuntimeInstance> instance;
  ASSERT_TRUE(target.start(options, &instance).ok());
  EXPECT_EQ(ReadFile(scratch.file("env")), "http://api.example:1234\n");
}

TEST(LaunchTarget, ReportsAnExitAtStartWithItsStderr) {
  LaunchTarget target("/bin/sh -c 'echo starting; echo cannot load the action >&2; exit 7'");
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(Quick(), &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(instance, nullptr);
  EXPECT_NE(s.message().find("exited with status 7 at start"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("cannot load the action"), std::string::npos) << s.message();
}

TEST(LaunchTarget, ReportsARuntimeThatNeverListens) {
  LaunchTarget target("/bin/sh -c 'echo waiting forever >&2; exec sleep 60'");
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(Quick(milliseconds(300)), &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("never became ready within 300 ms"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("waiting forever"), std::string::npos) << s.message();
}

TEST(LaunchTarget, WaitsForASlowStarter) {
  LaunchTarget target(HostileCommand("ok") + " --listen-after 300");
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(Quick(), &instance);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(LaunchTarget, RetriesOnAnotherPortWhenTheFirstIsTaken) {
  ScratchDir scratch;
  // The first attempt pretends its port is taken; the second one runs.
  LaunchTarget target("/bin/sh -c 'if [ ! -e " + scratch.file("tried") + " ]; then touch " +
                      scratch.file("tried") +
                      "; echo \"bind: Address already in use\" >&2; exit 2; fi; "
                      "echo {port} > " +
                      scratch.file("port") + "; exec \"$0\" \"$@\"' " + HostileCommand("ok"));
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(Quick(), &instance);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(
      instance->base_url(),
      "http://127.0.0.1:" +
          ReadFile(scratch.file("port")).substr(0, ReadFile(scratch.file("port")).size() - 1));
}

TEST(LaunchTarget, ReportsACommandThatCannotStart) {
  LaunchTarget target("owconf-no-such-runtime --port {port}");
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(Quick(), &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("owconf-no-such-runtime"), std::string::npos) << s.message();
}

TEST(LaunchTarget, ReportsABadTemplate) {
  LaunchTarget target("runtime --port {port} 'unterminated");
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(Quick(), &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unterminated single quote"), std::string::npos) << s.message();
}

TEST(LaunchTarget, StopKillsTheWholeProcessGroup) {
  ScratchDir scratch;
  // The runtime's shell starts a grandchild, records its pid, then becomes
  // the runtime; stop() must take the grandchild down too.
  LaunchTarget target("/bin/sh -c 'sleep 60 & echo $! > " + scratch.file("grandchild") +
                      "; exec \"$0\" \"$@\"' " + HostileCommand("ok"));
  std::unique_ptr<RuntimeInstance> instance;
  ASSERT_TRUE(target.start(Quick(), &instance).ok());
  const int grandchild = std::stoi(ReadFile(scratch.file("grandchild")));
  ASSERT_FALSE(ProcessGone(grandchild));
  instance->stop();
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!ProcessGone(grandchild) && Clock::now() < deadline) {
    instance->logs()->wait_quiet(milliseconds(5), Clock::now() + milliseconds(10));
  }
  EXPECT_TRUE(ProcessGone(grandchild));
  EXPECT_NE(instance->exit_description().find("signal 15"), std::string::npos)
      << instance->exit_description();
}

}  // namespace
}  // namespace conformance
