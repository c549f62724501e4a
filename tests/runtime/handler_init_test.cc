// /init rules (C2) through RequestHandler, no sockets.
#include <nlohmann/json.hpp>

#include "tests/runtime/handler_test_base.h"
#include "tests/runtime/zip_builder.h"

namespace rr_test {
namespace {

using nlohmann::json;

constexpr char kInitTwiceBody[] = R"({"error":"Cannot initialize the action more than once."})";
constexpr char kNoBinaryBody[] =
    R"({"error":"The action failed to generate or locate a binary. See logs for details."})";

TEST_F(HandlerTest, TextInitSucceedsWithoutLogs) {
  rr::Response response = Post("/init", {{"value",
                                          {{"name", "a"},
                                           {"main", "custom"},
                                           {"binary", false},
                                           {"code", "#!/bin/sh\necho '{}'\n"}}}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(Exec(), "#!/bin/sh\necho '{}'\n");
  EXPECT_EQ(FileMode(dir_.path() + "/action/exec"), 0755);
  EXPECT_TRUE(logs_.events.empty()) << "no sentinel after a good init";
}

TEST_F(HandlerTest, SecondInitIsRefusedWithMessageOnStderrAndNoSentinel) {
  ASSERT_EQ(Post("/init", {{"value", {{"code", "#!/bin/sh\n"}}}}).status, 200);
  rr::Response response = Post("/init", {{"value", {{"code", "#!/bin/sh\necho other\n"}}}});
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.body, kInitTwiceBody);
  EXPECT_EQ(Events(0),
            (std::vector<std::string>{"err:Cannot initialize the action more than once.", "end"}));
  EXPECT_EQ(Exec(), "#!/bin/sh\n");
}

// A big /init is read off the loop; another /init meanwhile is refused, and
// the first one still lands.
TEST_F(HandlerTest, InitWhileABigInitIsReadIsRefused) {
  Build(16, true);
  const std::string padding(rr::kBackgroundBodyBytes, 'p');
  const json big = {{"value", {{"code", "#!/bin/sh\n#" + padding + "\necho '{}'\n"}}}};
  ASSERT_FALSE(Send("POST", "/init", big.dump()).has_value()) << "the big body waits";
  ASSERT_EQ(background_.held.size(), 1u);
  rr::Response second = Post("/init", {{"value", {{"code", "#!/bin/sh\necho other\n"}}}});
  EXPECT_EQ(second.status, 403);
  EXPECT_EQ(second.body, R"({"error":"Cannot initialize the action while another /init runs."})");
  EXPECT_EQ(Events(0), (std::vector<std::string>{
                           "err:Cannot initialize the action while another /init runs.", "end"}));
  background_.ReleaseOne();
  ASSERT_TRUE(last_async_.has_value());
  EXPECT_EQ(last_async_->status, 200);
  EXPECT_NE(Exec().find(padding), std::string::npos) << "the first /init installed its code";
}

TEST_F(HandlerTest, ZipInitExtractsTheArchive) {
  const std::string zip =
      BuildZip({{"exec", "#!/bin/sh\necho '{}'\n", 0100755}, {"data/x.txt", "x", 0100600}});
  rr::Response response = Post("/init", {{"value", {{"binary", true}, {"code", Base64(zip)}}}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(ReadFile(dir_.path() + "/action/data/x.txt"), "x");
  EXPECT_EQ(FileMode(dir_.path() + "/action/data/x.txt"), 0644);  // normalised
}

TEST_F(HandlerTest, FailedInitLogsReasonWithSentinelsAndAllowsRetry) {
  rr::Response bad = Post("/init", {{"value", {{"binary", true}, {"code", "%%%not base64%%%"}}}});
  EXPECT_EQ(bad.status, 502);
  EXPECT_EQ(bad.body, kNoBinaryBody);
  auto events = Events(0);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].rfind("err:Init failed: invalid base64", 0), 0u) << events[0];
  EXPECT_EQ(events[1], "end+sentinels");
  EXPECT_EQ(Exec(), rr::kStubScript);
  EXPECT_FALSE(handler_->initialized());

  rr::Response good = Post("/init", {{"value", {{"code", "#!/bin/sh\necho '[]'\n"}}}});
  EXPECT_EQ(good.status, 200);
  EXPECT_TRUE(handler_->initialized());
}

TEST_F(HandlerTest, HostileArchivesFailInit) {
  const std::vector<std::vector<ZipEntry>> hostile = {
      {{"exec", "x", 0100755}, {"../evil", "x"}},
      {{"exec", "x", 0100755}, {"/tmp/evil-abs", "x"}},
      {{"exec", "x", 0100755}, {"link", "/etc", 0120777}},
      {{"exec", "x", 0100755}, {"big", std::string(2 << 20, 'z')}},
      {{"no-exec-here", "x"}},
  };
  for (const auto& entries : hostile) {
    rr::Response response =
        Post("/init", {{"value", {{"binary", true}, {"code", Base64(BuildZip(entries))}}}});
    EXPECT_EQ(response.status, 502) << entries.back().name;
    EXPECT_EQ(response.body, kNoBinaryBody);
  }
  const std::string zip = BuildZip({{"exec", std::string(5000, 'e'), 0100755}});
  EXPECT_EQ(Post("/init",
                 {{"value", {{"binary", true}, {"code", Base64(zip.substr(0, zip.size() - 30))}}}})
                .status,
            502);
  EXPECT_EQ(Exec(), rr::kStubScript);
  EXPECT_FALSE(handler_->initialized());
}

TEST_F(HandlerTest, InitWithoutCodeKeepsTheStub) {
  for (const std::string& body :
       {std::string("{}"), std::string(R"({"value":{}})"), std::string(R"({"value":{"code":""}})"),
        std::string(R"({"value":{"code":null,"binary":true}})")}) {
    Build(16);
    std::optional<rr::Response> response = Send("POST", "/init", body);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200) << body;
    EXPECT_EQ(Exec(), rr::kStubScript);
    // It counts as the one init.
    EXPECT_EQ(Send("POST", "/init", body)->status, 403);
  }
}

TEST_F(HandlerTest, MalformedInitBodyIs400WithError) {
  for (const std::string& body :
       {std::string("{nope"), std::string("[1]"), std::string(R"({"value":5})"),
        std::string(R"({"value":{"code":5}})"), std::string(2000, '[')}) {
    std::optional<rr::Response> response = Send("POST", "/init", body);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 400) << body;
    EXPECT_TRUE(json::parse(response->body).contains("error"));
  }
  EXPECT_FALSE(handler_->initialized());
}

TEST_F(HandlerTest, InitEnvIsExportedAsStrings) {
  ASSERT_EQ(
      Post("/init", {{"value",
                      {{"code", "#!/bin/sh\n"},
                       {"env", {{"S", "text"}, {"N", 5}, {"O", {{"a", 1}}}, {"X", "init"}}}}}})
          .status,
      200);
  StartRun({{"value", json::object()}});
  const auto& env = executor_.specs.at(0).env;
  EXPECT_EQ(EnvValue(env, "S"), "text");
  EXPECT_EQ(EnvValue(env, "N"), "5");
  EXPECT_EQ(EnvValue(env, "O"), R"({"a":1})");
  EXPECT_EQ(EnvValue(env, "X"), "init");                      // init env overrides the server's
  EXPECT_EQ(EnvValue(env, "__OW_API_HOST"), "https://host");  // C1.5
}

TEST_F(HandlerTest, RoutesAndMethods) {
  auto unknown = Send("POST", "/nope", "{}");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_TRUE(json::parse(unknown->body).contains("error"));
  auto wrong_method = Send("GET", "/init", "");
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_TRUE(json::parse(wrong_method->body).contains("error"));
  EXPECT_EQ(Send("POST", "/init?x=1", "{}")->status, 200);
}

}  // namespace
}  // namespace rr_test
