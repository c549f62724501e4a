// ActionLoopStore: a fresh numbered <N>/src per install, text and archives
// (zip and tar.gz) placed there, and a failed install still names its own
// directory (the caller removes it), never an earlier one.
#include "reference_runtime/actionloop_store.h"

#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <cstdlib>

#include "tests/runtime/test_files.h"
#include "tests/runtime/zip_builder.h"

namespace {

namespace fs = boost::filesystem;
using rr_test::ReadFile;

class ActionLoopStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { base_ = dir_.path() + "/actions"; }

  rr_test::TempDir dir_;
  std::string base_;
};

TEST_F(ActionLoopStoreTest, EachInstallGetsTheNextNumberedSrc) {
  rr::ActionLoopStore store(base_, 1 << 20);
  ASSERT_TRUE(store.Prepare().ok());
  EXPECT_EQ(store.directory(), base_);
  fs::create_directories(base_ + "/7");
  fs::create_directories(base_ + "/notanumber");
  ASSERT_TRUE(store.InstallText("#!/bin/sh\necho '{}'\n").ok());
  EXPECT_EQ(store.directory(), base_ + "/8/src");
  EXPECT_EQ(ReadFile(store.executable()), "#!/bin/sh\necho '{}'\n");
  EXPECT_EQ(rr_test::FileMode(store.executable()), 0755);
  const std::string zip =
      rr_test::BuildZip({{"exec", "#!/bin/sh\n", 0100755}, {"lib/data.txt", "data", 0100600}});
  ASSERT_TRUE(store.InstallArchive(zip).ok());
  EXPECT_EQ(store.directory(), base_ + "/9/src");
  EXPECT_EQ(ReadFile(base_ + "/9/src/lib/data.txt"), "data");
  EXPECT_EQ(rr_test::FileMode(base_ + "/9/src/lib/data.txt"), 0644);
}

TEST_F(ActionLoopStoreTest, TarGzIsExtractedAndNoExecIsRequired) {
  rr::ActionLoopStore store(base_, 1 << 20);
  ASSERT_TRUE(store.Prepare().ok());
  rr_test::WriteFile(dir_.path() + "/main.go", "package main\n");
  const std::string archive = dir_.path() + "/code.tar.gz";
  ASSERT_EQ(std::system(("tar -czf " + archive + " -C " + dir_.path() + " main.go").c_str()), 0);
  ASSERT_TRUE(store.InstallArchive(ReadFile(archive)).ok());
  EXPECT_EQ(ReadFile(store.directory() + "/main.go"), "package main\n");
}

TEST_F(ActionLoopStoreTest, AFailedInstallNamesItsOwnDirectory) {
  rr::ActionLoopStore store(base_, 1 << 20);
  ASSERT_TRUE(store.Prepare().ok());
  ASSERT_TRUE(store.InstallText("#!/bin/sh\n").ok());
  const std::string hostile = rr_test::BuildZip({{"../escape.txt", "x", 0100644}});
  EXPECT_FALSE(store.InstallArchive(hostile).ok());
  EXPECT_EQ(store.directory(), base_ + "/2/src");
  EXPECT_FALSE(fs::exists(base_ + "/escape.txt"));
  EXPECT_FALSE(fs::exists(base_ + "/2/escape.txt"));
  EXPECT_FALSE(store.InstallArchive(std::string("\x1f\x8b\x08\x00garbage", 11)).ok());
  EXPECT_EQ(store.directory(), base_ + "/3/src");
}

}  // namespace
