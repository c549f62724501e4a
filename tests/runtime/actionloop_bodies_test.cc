// End-to-end: how `reference_runtime --actionloop` reads /init and /run
// bodies: big ones off the event loop (same answers as small ones), a second
// /init while one is under way, and outside bytes in logged reasons.
#include <future>
#include <random>
#include <string>

#include "tests/runtime/actionloop_fixture.h"
#include "tests/runtime/test_files.h"
#include "tests/runtime/zip_builder.h"

namespace rr_test {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

TEST_F(ActionLoopTest, InitWhileAnotherInitStartsIsRefused) {
  setenv("OW_WAIT_FOR_ACK", "1", 1);
  StartLoop();
  // Acks only once the marker is gone, so the first /init is still starting.
  const std::string slow_start = std::string(
                                     "#!/bin/bash\n"
                                     "echo started > ../../started\n"
                                     "while test -e ../../started; do sleep 0.01; done\n") +
                                 (kLoop + std::string(kLoop).find('\n') + 1);
  auto first = std::async(std::launch::async, [&] { return InitCode(slow_start); });
  ASSERT_EQ(WaitForFile("started"), "started\n");
  HttpResult second = InitCode(kLoop);
  EXPECT_EQ(second.status, 403);
  EXPECT_EQ(second.body, R"({"error":"Cannot initialize the action while another /init runs."})");
  std::remove((runtime_->action_dir() + "/started").c_str());
  EXPECT_EQ(first.get().status, 200);
  const json answer = Answer(Run({{"value", {{"x", 1}}}}));
  EXPECT_EQ(answer["n"], 1) << answer.dump();
}

TEST_F(ActionLoopTest, BigBodiesGetTheSameAnswersAsSmallOnes) {
  StartLoop();
  // A zip of more than 64 KiB: read and decoded off the loop.
  std::mt19937 random(7);
  std::string data(300 << 10, '\0');
  for (char& byte : data) byte = static_cast<char>(random());
  const std::string zip = BuildZip({{"exec", kLoop, 0100755}, {"data.bin", data, 0100644}});
  json init = {{"value", {{"binary", true}, {"code", Base64(zip)}}}};
  ASSERT_GT(init.dump().size(), 64u << 10);
  ASSERT_EQ(Post(runtime_->port(), "/init", init.dump()).status, 200);
  EXPECT_EQ(ReadFile(runtime_->action_dir() + "/1/bin/data.bin"), data);

  const std::string big(200 << 10, 'v');
  const json answer = Answer(Run({{"value", {{"big", big}}}, {"activation_id", "a1"}}));
  EXPECT_EQ(answer["input"]["value"]["big"], big);
  EXPECT_EQ(answer["input"]["activation_id"], "a1");

  HttpResult malformed = Post(runtime_->port(), "/run", "{\"value\":\"" + big);
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  HttpResult scalar = Run({{"value", big}});
  EXPECT_EQ(scalar.status, 404) << scalar.body;
  ASSERT_TRUE(runtime_->WaitForSentinels(3));
  EXPECT_EQ(Answer(Run({{"value", json::object()}}))["n"], 2) << "the process still serves";
}

// An env key holding '=', a newline and the sentinel text: a 400 naming the
// problem, and its reason logged on one line (one sentinel, not two).
TEST_F(ActionLoopTest, OutsideBytesInAReasonForgeNoLogLine) {
  StartLoop();
  const std::string key = "A=\n" + kSentinel.substr(0, kSentinel.size() - 1);
  HttpResult init = InitCode(kLoop, {{key, "x"}});
  EXPECT_EQ(init.status, 400) << init.body;
  EXPECT_NE(init.body.find("env"), std::string::npos) << init.body;
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(Count(runtime_->Stderr(), kSentinel), 1u) << runtime_->Stderr();
  EXPECT_NE(runtime_->Stderr().find("A=\\n" + kSentinel.substr(0, 10)), std::string::npos)
      << runtime_->Stderr();
  EXPECT_EQ(InitCode(kLoop).status, 200) << "a refused init leaves the runtime uninitialised";
}

}  // namespace
}  // namespace rr_test
