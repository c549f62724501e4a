// /init and /run bodies as the platform builds them (C2, C3).
#include "conformance/platform/platform_request.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "conformance/platform/launch_target.h"
#include "conformance/platform/zip_builder.h"

namespace {

using nlohmann::json;

TEST(PlatformRequest, RunBodyHasEveryContextKeyAsAString) {
  auto ctx = conformance::make_activation_context("hello", std::chrono::milliseconds(5000));
  ctx.api_key = "uuid:key";
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  json body = json::parse(conformance::build_run_body(json{{"n", 5}}, ctx));
  EXPECT_EQ(body["value"], json({{"n", 5}}));
  for (const char* key : {"namespace", "action_name", "action_version", "activation_id",
                          "transaction_id", "deadline", "api_key"}) {
    ASSERT_TRUE(body.contains(key)) << key;
    EXPECT_TRUE(body[key].is_string()) << key;
  }
  EXPECT_EQ(body["action_name"], "/guest/hello");
  EXPECT_EQ(body["activation_id"].get<std::string>().size(), 32u);
  const long long deadline = std::stoll(body["deadline"].get<std::string>());
  EXPECT_GE(deadline, before + 4000);
  EXPECT_LE(deadline, before + 6000);
}

TEST(PlatformRequest, NoApiKeyUnlessGiven) {
  auto ctx = conformance::make_activation_context("a", std::chrono::milliseconds(100));
  EXPECT_FALSE(json::parse(conformance::build_run_body(json::array(), ctx)).contains("api_key"));
  EXPECT_FALSE(conformance::context_env(ctx).count("__OW_API_KEY"));
}

TEST(PlatformRequest, InitEnvHoldsInitParamsAndTheContext) {
  conformance::ActionCode code{"act", false, "#!/bin/sh\necho {}\n"};
  auto ctx = conformance::make_activation_context("act", std::chrono::milliseconds(100));
  json body = json::parse(conformance::build_init_body(code, "run_me", {{"K", "v"}}, ctx));
  const json& v = body["value"];
  EXPECT_EQ(v["name"], "act");
  EXPECT_EQ(v["main"], "run_me");
  EXPECT_EQ(v["binary"], false);
  EXPECT_EQ(v["code"], code.bytes);
  EXPECT_EQ(v["env"]["K"], "v");
  EXPECT_EQ(v["env"]["__OW_ACTIVATION_ID"], ctx.activation_id);
  EXPECT_EQ(v["env"]["__OW_NAMESPACE"], "guest");
  EXPECT_EQ(v["env"]["__OW_DEADLINE"], std::to_string(ctx.deadline_ms));
  for (const auto& [k, value] : v["env"].items()) EXPECT_TRUE(value.is_string()) << k;
}

TEST(PlatformRequest, ParamValuesAreJsonWhenTheyParse) {
  EXPECT_EQ(conformance::parse_param_value("5"), json(5));
  EXPECT_EQ(conformance::parse_param_value("true"), json(true));
  EXPECT_EQ(conformance::parse_param_value("{\"a\":[1]}"), json::parse("{\"a\":[1]}"));
  EXPECT_EQ(conformance::parse_param_value("\"quoted\""), json("quoted"));
  EXPECT_EQ(conformance::parse_param_value("hello"), json("hello"));
  EXPECT_EQ(conformance::parse_param_value(""), json(""));
  EXPECT_EQ(conformance::parse_param_value("{broken"), json("{broken"));
  EXPECT_EQ(conformance::env_string(json(5)), "5");
  EXPECT_EQ(conformance::env_string(json("s")), "s");
}

class ActionFiles : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(conformance::make_temp_dir("owinvoke-", &dir_).ok()); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text, int mode = 0644) {
    const std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string dir_;
};

TEST_F(ActionFiles, ScriptIsTextCodeNamedAfterTheFile) {
  conformance::ActionCode code;
  ASSERT_TRUE(conformance::load_action_code(write("hello.sh", "#!/bin/sh\n"), &code).ok());
  EXPECT_FALSE(code.binary);
  EXPECT_EQ(code.name, "hello");
  EXPECT_EQ(code.bytes, "#!/bin/sh\n");
}

TEST_F(ActionFiles, ZipFileIsBinary) {
  std::string zip;
  ASSERT_TRUE(conformance::build_zip({{"exec", "#!/bin/sh\n", 0755}}, &zip).ok());
  conformance::ActionCode code;
  ASSERT_TRUE(conformance::load_action_code(write("pkg.zip", zip), &code).ok());
  EXPECT_TRUE(code.binary);
  EXPECT_EQ(code.name, "pkg");
  EXPECT_EQ(code.bytes, zip);
}

TEST_F(ActionFiles, DirectoryIsZippedWithModes) {
  write("act/exec", "#!/bin/sh\necho {}\n", 0755);
  write("act/data/file.txt", "data");
  conformance::ActionCode code;
  ASSERT_TRUE(conformance::load_action_code(dir_ + "/act/", &code).ok());
  EXPECT_TRUE(code.binary);
  EXPECT_EQ(code.name, "act");
  std::vector<conformance::ZipEntry> entries;
  ASSERT_TRUE(conformance::read_zip(code.bytes, &entries).ok());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "data/file.txt");
  EXPECT_EQ(entries[1].name, "exec");
  EXPECT_EQ(entries[1].mode & 0777, 0755u);
}

TEST_F(ActionFiles, MissingAndEmptyAreErrors) {
  conformance::ActionCode code;
  ow::Status s = conformance::load_action_code(dir_ + "/nope.sh", &code);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not found"), std::string::npos);
  std::filesystem::create_directory(dir_ + "/empty");
  s = conformance::load_action_code(dir_ + "/empty", &code);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("empty"), std::string::npos);
}

}  // namespace
