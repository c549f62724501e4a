// Profiles: loading, capability checks and overrides, role code.
#include "conformance/scenario/profile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "conformance/platform/zip_builder.h"
#include "tests/suite/temp_dir.h"

namespace conformance {
namespace {

const char* kProfile = R"({
  "name": "demo",
  "language": "sh",
  "capabilities": {"stub": false, "init_env": true, "concurrency": "refuse", "archive": ["zip", "tar.gz"], "max": 3},
  "roles": {
    "echo": "echo.sh",
    "also_text": {"text": "echo.sh"},
    "dir": {"zip": "dir"},
    "files": {"zip_files": {"exec": "echo.sh", "data/blob.bin": "blob.bin"}},
    "missing": "missing.sh"
  }
})";

class ProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("profile.json", kProfile);
    const std::string echo = dir_.write("echo.sh", "#!/bin/sh\ncat\n");
    chmod(echo.c_str(), 0755);
    const std::string exec = dir_.write("dir/exec", "#!/bin/sh\n");
    chmod(exec.c_str(), 0755);
    dir_.write("dir/sibling.txt", "beside\n");
    dir_.write("blob.bin", std::string("\x00\x01\xff", 3));
    ow::Status status = load_profile(dir_.path(), &profile_);
    ASSERT_TRUE(status.ok()) << status.message();
  }
  suite_test::TempDir dir_;
  Profile profile_;
};

TEST_F(ProfileTest, LoadsNameCapabilitiesAndRoles) {
  EXPECT_EQ(profile_.name, "demo");
  EXPECT_EQ(profile_.language, "sh");
  EXPECT_EQ(profile_.capabilities.at("stub"), "false");
  EXPECT_EQ(profile_.capabilities.at("archive"), "zip,tar.gz");
  EXPECT_EQ(profile_.capabilities.at("max"), "3");
  EXPECT_EQ(profile_.roles.at("echo").kind, RoleSource::Kind::kText);
  EXPECT_EQ(profile_.roles.at("dir").kind, RoleSource::Kind::kDirectory);
  EXPECT_EQ(profile_.roles.at("files").kind, RoleSource::Kind::kFiles);
}

TEST_F(ProfileTest, CapabilityNeeds) {
  std::string why;
  EXPECT_TRUE(capability_satisfied(profile_, "init_env", false, &why));
  EXPECT_FALSE(capability_satisfied(profile_, "stub", false, &why));
  EXPECT_NE(why.find("stub=false"), std::string::npos) << why;
  EXPECT_TRUE(capability_satisfied(profile_, "stub", true, &why));
  EXPECT_FALSE(capability_satisfied(profile_, "init_env", true, &why));
  EXPECT_TRUE(capability_satisfied(profile_, "archive=tar.gz", false, &why));
  EXPECT_FALSE(capability_satisfied(profile_, "archive=jar", false, &why));
  EXPECT_TRUE(capability_satisfied(profile_, "concurrency=refuse", false, &why));
  EXPECT_FALSE(capability_satisfied(profile_, "undeclared", false, &why));
  EXPECT_TRUE(capability_satisfied(profile_, "undeclared", true, &why));
}

TEST_F(ProfileTest, CapabilityOverrides) {
  ASSERT_TRUE(set_capability("stub=true", &profile_).ok());
  ASSERT_TRUE(set_capability("init_env=false", &profile_).ok());
  std::string why;
  EXPECT_TRUE(capability_satisfied(profile_, "stub", false, &why));
  EXPECT_FALSE(capability_satisfied(profile_, "init_env", false, &why));
  EXPECT_FALSE(set_capability("no_equals_sign", &profile_).ok());
  EXPECT_FALSE(set_capability("=x", &profile_).ok());
}

TEST_F(ProfileTest, RoleCodeTextDirectoryAndFiles) {
  RoleCode text;
  ASSERT_TRUE(build_role_code(profile_, "echo", &text).ok());
  EXPECT_FALSE(text.binary);
  EXPECT_EQ(text.bytes, "#!/bin/sh\ncat\n");

  RoleCode dir;
  ASSERT_TRUE(build_role_code(profile_, "dir", &dir).ok());
  EXPECT_TRUE(dir.binary);
  std::vector<ZipEntry> entries;
  ASSERT_TRUE(read_zip(dir.bytes, &entries).ok());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "exec");
  EXPECT_EQ(entries[0].mode, 0755u);
  EXPECT_EQ(entries[1].name, "sibling.txt");

  RoleCode files;
  ASSERT_TRUE(build_role_code(profile_, "files", &files).ok());
  ASSERT_TRUE(read_zip(files.bytes, &entries).ok());
  ASSERT_EQ(entries.size(), 2u);  // in name order: profile.json objects are sorted
  EXPECT_EQ(entries[0].name, "data/blob.bin");
  EXPECT_EQ(entries[0].data, std::string("\x00\x01\xff", 3));
  EXPECT_EQ(entries[1].name, "exec");

  std::string bytes;
  ASSERT_TRUE(read_role_file(profile_, "files", "data/blob.bin", &bytes).ok());
  EXPECT_EQ(bytes.size(), 3u);
  ASSERT_TRUE(read_role_file(profile_, "dir", "sibling.txt", &bytes).ok());
  EXPECT_EQ(bytes, "beside\n");
  EXPECT_FALSE(read_role_file(profile_, "files", "nope", &bytes).ok());
}

TEST_F(ProfileTest, MissingRoleOrFileIsAClearError) {
  RoleCode code;
  ow::Status status = build_role_code(profile_, "nope", &code);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no action role 'nope'"), std::string::npos);
  status = build_role_code(profile_, "missing", &code);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("does not exist"), std::string::npos);
}

TEST(ProfileLoading, BadFilesAreErrors) {
  Profile profile;
  EXPECT_FALSE(load_profile("/nonexistent/profile/dir", &profile).ok());
  const char* bad[] = {
      "not json",
      "[]",
      R"({"roles": {}})",
      R"({"name": "x", "colour": "red"})",
      R"({"name": "x", "capabilities": {"stub": {"deep": 1}}})",
      R"({"name": "x", "capabilities": {"archive": [1]}})",
      R"({"name": "x", "roles": {"echo": 5}})",
      R"({"name": "x", "roles": {"echo": {"tar": "x"}}})",
      R"({"name": "x", "roles": {"echo": {"zip_files": {}}}})",
      R"({"name": "x", "inexpressible": {"argv_stdin": ""}})",
      R"({"name": "x", "inexpressible": ["argv_stdin"]})",
  };
  for (const char* text : bad) {
    suite_test::TempDir dir;
    dir.write("profile.json", text);
    ow::Status status = load_profile(dir.path(), &profile);
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_NE(status.message().find("profile.json"), std::string::npos) << status.message();
  }
}

TEST(ProfileLoading, InexpressibleRolesAndModesWithReasons) {
  suite_test::TempDir dir;
  dir.write("profile.json", R"({"name": "fn",
    "capabilities": {"$comment": "reasons", "argv": false},
    "inexpressible": {"argv_stdin": "no command line", "bad_output.empty": "nothing becomes {}"}})");
  Profile profile;
  ow::Status status = load_profile(dir.path(), &profile);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(profile.capabilities.count("$comment"), 0u);
  std::string why;
  EXPECT_TRUE(role_expressible(profile, "echo", &why));
  EXPECT_TRUE(role_expressible(profile, "bad_output.scalar", &why));
  EXPECT_FALSE(role_expressible(profile, "bad_output.empty", &why));
  EXPECT_EQ(why, "profile fn cannot express bad_output.empty: nothing becomes {}");
  EXPECT_FALSE(role_expressible(profile, "argv_stdin.any_mode", &why));  // the whole role
  EXPECT_NE(why.find("no command line"), std::string::npos) << why;
}

}  // namespace
}  // namespace conformance
