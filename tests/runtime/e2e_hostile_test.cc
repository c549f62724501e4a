// End-to-end: hostile requests against the real binary must neither crash
// it, nor lose an answer, nor leak server paths, nor forge log lines.
#include "tests/runtime/e2e_fixture.h"
#include "tests/runtime/zip_builder.h"

namespace rr_test {
namespace {

TEST_F(E2eTest, NonUtf8TargetIsA404AndTheServerLives) {
  Start();
  RawConnection connection(runtime_->port());
  ASSERT_TRUE(connection.Send("GET /\x80\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string response = connection.ReadResponse(10000);
  EXPECT_EQ(response.rfind("HTTP/1.1 404", 0), 0u) << response;
  EXPECT_EQ(Run({{"value", json::object()}}).status, 200) << "the runtime died";
}

// shutdown(SHUT_WR) after a complete request: the client still reads.
TEST_F(E2eTest, HalfClosedClientGetsItsAnswer) {
  Start();
  Init("#!/bin/sh\nsleep 0.3\necho '{\"done\":true}'\n");
  RawConnection connection(runtime_->port());
  ASSERT_TRUE(connection.Send(RawPost("/run", R"({"value":{}})")));
  connection.ShutdownWrite();
  bool closed = false;
  const std::string response = connection.ReadAll(20000, &closed);
  EXPECT_TRUE(closed);
  EXPECT_NE(response.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << response;
  EXPECT_EQ(response.substr(response.size() - 13), R"({"done":true})") << response;
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
}

TEST_F(E2eTest, EnvironmentTooLargeForExecIs502WithoutServerPaths) {
  Start();
  const json init = {
      {"value",
       {{"code", "#!/bin/sh\necho '{}'\n"}, {"env", {{"BIG", std::string(300000, 'b')}}}}}};
  ASSERT_EQ(Post(runtime_->port(), "/init", init.dump()).status, 200);
  HttpResult result = Run({{"value", json::object()}});
  EXPECT_EQ(result.status, 502);
  EXPECT_NE(result.body.find("E2BIG"), std::string::npos) << result.body;
  EXPECT_EQ(result.body.find(runtime_->action_dir()), std::string::npos) << result.body;
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  EXPECT_EQ(runtime_->Stderr().find(runtime_->action_dir()), std::string::npos);
}

TEST_F(E2eTest, ArchiveEntryNameCannotForgeASentinel) {
  Start();
  const std::string zip =
      BuildZip({{"exec", "x", 0100755}, {"../a\nXXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\nb", "x"}});
  const json init = {{"value", {{"binary", true}, {"code", Base64(zip)}}}};
  EXPECT_EQ(Post(runtime_->port(), "/init", init.dump()).status, 502);
  ASSERT_TRUE(runtime_->WaitForSentinels(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(CountOccurrences(runtime_->Stderr(), kSentinel), 1u) << runtime_->Stderr();
}

}  // namespace
}  // namespace rr_test
