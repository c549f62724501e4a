// ImageTarget through a FAKE `docker` on PATH: a shell script that checks
// its arguments and execs hostile_runtime on the requested port.
#include "conformance/platform/image_target.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "conformance/platform/free_port.h"
#include "test_dirs.h"

namespace conformance {
namespace {

using std::chrono::milliseconds;

class ImageTargetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(scratch_.file("docker"), FakeDocker(), /*executable=*/true);
    const char* path = std::getenv("PATH");
    old_path_ = path ? path : "";
    // Each test runs in its own process (gtest_discover_tests), before any
    // thread of ours starts, so changing PATH here races with nothing.
    ::setenv("PATH", (scratch_.path() + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override { ::setenv("PATH", old_path_.c_str(), 1); }

  std::string FakeDocker() const {
    return "#!/bin/sh\n"
           "echo \"$*\" >> '" +
           scratch_.file("calls") +
           "'\n"
           "if [ \"$1\" = rm ] || [ \"$1\" = ps ]; then exit 0; fi\n"
           "if [ \"$1\" = image ]; then case \"$5\" in runtime:*) echo sha256:1; exit 0 ;; esac; "
           "echo \"Error: No such image: $5\" >&2; exit 1; fi\n"
           "if [ \"$1\" = pull ]; then echo 'Error: no registry here' >&2; exit 1; fi\n"
           // Running, with no address on a network: readiness uses the published port.
           "if [ \"$1\" = container ] && [ \"$2\" = inspect ]; then echo 'true '; exit 0; fi\n"
           "[ \"$1\" = run ] || { echo 'fake docker: expected run' >&2; exit 64; }; shift\n"
           "[ \"$1 $2 $3\" = '--rm --pull never' ] || { echo 'fake docker: expected --rm --pull "
           "never' >&2; exit 65; }; shift 3\n"
           "[ \"$1\" = --name ] || { echo 'fake docker: expected --name' >&2; exit 66; }; shift 2\n"
           "[ \"$1\" = --label ] || { echo 'fake docker: expected --label' >&2; exit 69; }; shift "
           "2\n"
           "[ \"$1\" = -p ] || { echo 'fake docker: expected -p' >&2; exit 67; }\n"
           "port=$(echo \"$2\" | sed -n 's/^127\\.0\\.0\\.1:\\([0-9]*\\):8080$/\\1/p'); shift 2\n"
           "[ -n \"$port\" ] || { echo 'fake docker: bad -p' >&2; exit 68; }\n"
           "while [ \"$1\" = -e ]; do echo \"env $2\" >&2; shift 2; done\n"
           "case \"$1\" in\n"
           "  runtime:ok) ;;\n"
           "  runtime:stubborn) trap '' TERM ;;\n"
           "  *) echo \"fake docker: unknown image $1\" >&2; exit 125 ;;\n"
           "esac\n"
           "exec '" HOSTILE_RUNTIME_BIN "' --port \"$port\" --mode ok\n";
  }

  std::string Calls() const { return ReadFile(scratch_.file("calls")); }

  ScratchDir scratch_;
  std::string old_path_;
};

TEST_F(ImageTargetTest, RunsTheImageWithPortAndEnvironment) {
  ImageTarget target("runtime:ok");
  EXPECT_EQ(target.describe(), "--image runtime:ok");
  EXPECT_TRUE(target.fresh_instances());
  StartOptions options;
  options.env["__OW_API_HOST"] = "http://api:1";
  options.ready_timeout = milliseconds(10000);
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(options, &instance);
  ASSERT_TRUE(s.ok()) << s.message();

  const std::string calls = Calls();
  const std::string port = instance->base_url().substr(instance->base_url().rfind(':') + 1);
  EXPECT_EQ(calls.rfind("run --rm --pull never --name owconf-", 0), 0u) << calls;
  EXPECT_NE(calls.find("--label org.openwhisk.conformance.owner="), std::string::npos) << calls;
  EXPECT_NE(calls.find("-p 127.0.0.1:" + port + ":8080 -e __OW_API_HOST=http://api:1 runtime:ok"),
            std::string::npos)
      << calls;
  EXPECT_TRUE(
      tcp_accepts("127.0.0.1", static_cast<unsigned short>(std::stoi(port)), milliseconds(1000)));
  // The docker client's output is the runtime's log stream.
  bool saw_env_line = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!saw_env_line && std::chrono::steady_clock::now() < deadline) {
    for (const auto& line : instance->logs()->lines_since({})) {
      saw_env_line = saw_env_line || (line.stream == Stream::kStderr &&
                                      line.text == "env __OW_API_HOST=http://api:1");
    }
    instance->logs()->wait_quiet(milliseconds(5),
                                 std::chrono::steady_clock::now() + milliseconds(20));
  }
  EXPECT_TRUE(saw_env_line);
  instance->stop();
  EXPECT_TRUE(instance->exited());
  EXPECT_EQ(Calls().find("rm -f "), std::string::npos);  // SIGTERM was enough
}

TEST_F(ImageTargetTest, KillsTheContainerWhenTheClientIgnoresSigterm) {
  ImageTarget target("runtime:stubborn");
  StartOptions options;
  options.stop_grace = milliseconds(100);
  std::unique_ptr<RuntimeInstance> instance;
  ASSERT_TRUE(target.start(options, &instance).ok());
  instance->stop();
  EXPECT_NE(instance->exit_description().find("signal 9"), std::string::npos);
  const std::string calls = Calls();
  const auto name_at = calls.find("--name ") + 7;
  const std::string name = calls.substr(name_at, calls.find(' ', name_at) - name_at);
  EXPECT_NE(calls.find("rm -f " + name), std::string::npos) << calls;
}

TEST_F(ImageTargetTest, ReportsADockerRunFailure) {
  ImageTarget target("no-such-image");
  std::unique_ptr<RuntimeInstance> instance;
  const ow::Status s = target.start(StartOptions{}, &instance);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("exited with status 125 at start"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("unknown image no-such-image"), std::string::npos) << s.message();
}

TEST_F(ImageTargetTest, PrepareInspectsAPresentImageAndNeverPullsIt) {
  ImageTarget target("runtime:ok");
  const ow::Status s = target.prepare();
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_NE(Calls().find("image inspect --format {{.Id}} runtime:ok"), std::string::npos);
  EXPECT_EQ(Calls().find("pull"), std::string::npos) << Calls();
}

TEST_F(ImageTargetTest, PrepareRefusesAMissingImageUnderPullNever) {
  ImageOptions options;
  options.pull = PullPolicy::kNever;
  ImageTarget target("absent:1", options);
  const ow::Status s = target.prepare();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("image absent:1 is not available locally (--pull never)"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(Calls().find("pull"), std::string::npos) << Calls();
}

TEST_F(ImageTargetTest, PrepareTriesToPullAMissingImageOnceAndSaysWhyItFailed) {
  ImageTarget target("absent:1");  // --pull missing
  const ow::Status s = target.prepare();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot pull image absent:1"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("no registry here"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace conformance
