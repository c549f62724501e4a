// Extraction and the action store: bytes and modes kept, hostile archives
// refused with nothing written outside, failures leave the action unchanged.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include "reference_runtime/action_archive.h"
#include "reference_runtime/action_store.h"
#include "tests/runtime/test_files.h"
#include "tests/runtime/zip_builder.h"

namespace {

using rr_test::BuildZip;
using rr_test::ReadFile;
using rr_test::ZipEntry;

std::string AllBytes() {
  std::string bytes;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  }
  return bytes;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    action_dir_ = dir_.path() + "/action";
    outside_ = dir_.path() + "/outside";
    store_ = std::make_unique<rr::DirActionStore>(action_dir_, 1 << 20);
    ASSERT_TRUE(store_->Prepare().ok());
  }
  // Nothing but the action dir may appear in the temp dir.
  void ExpectNothingOutside() {
    EXPECT_FALSE(boost::filesystem::exists(outside_));
    size_t count = 0;
    for (boost::filesystem::directory_iterator it(dir_.path()), end; it != end; ++it) ++count;
    EXPECT_EQ(count, 1u);
  }
  void ExpectStubKept() {
    EXPECT_EQ(ReadFile(action_dir_ + "/exec"), rr::kStubScript);
    size_t count = 0;
    for (boost::filesystem::directory_iterator it(action_dir_), end; it != end; ++it) ++count;
    EXPECT_EQ(count, 1u) << "staging leftovers in the action dir";
  }

  rr_test::TempDir dir_;
  std::string action_dir_;
  std::string outside_;
  std::unique_ptr<rr::DirActionStore> store_;
};

TEST_F(ArchiveTest, PrepareInstallsTheStubOnlyOnce) {
  EXPECT_EQ(ReadFile(action_dir_ + "/exec"), rr::kStubScript);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/exec"), 0755);
  rr_test::WriteFile(action_dir_ + "/exec", "#!/bin/sh\necho custom\n", 0755);
  ASSERT_TRUE(store_->Prepare().ok());
  EXPECT_EQ(ReadFile(action_dir_ + "/exec"), "#!/bin/sh\necho custom\n");
}

TEST_F(ArchiveTest, TextCodeBecomesExecutable) {
  ASSERT_TRUE(store_->InstallText("#!/bin/sh\necho hi\n").ok());
  EXPECT_EQ(ReadFile(action_dir_ + "/exec"), "#!/bin/sh\necho hi\n");
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/exec"), 0755);
}

TEST_F(ArchiveTest, ExtractionKeepsBytesAndNormalisesModes) {
  const std::string data = AllBytes();
  const std::string zip = BuildZip({
      {"exec", "#!/bin/sh\necho '{}'\n", 0100700},
      {"lib/", "", 040755},
      {"lib/data.bin", data, 0100640},
      {"lib/tool", "binary", 0100751},
      {"deep/er/file.txt", "text", 0100604},
      {"link", "lib/data.bin", 0120777},
  });
  ASSERT_FALSE(zip.empty());
  ow::Status status = store_->InstallArchive(zip);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(ReadFile(action_dir_ + "/lib/data.bin"), data);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/lib/data.bin"), 0644);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/lib/tool"), 0755);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/deep/er/file.txt"), 0644);
  EXPECT_EQ(ReadFile(action_dir_ + "/exec"), "#!/bin/sh\necho '{}'\n");
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/exec") & 0111, 0111);  // made executable
  EXPECT_EQ(ReadFile(action_dir_ + "/link"), data);                  // link inside is fine
  ExpectNothingOutside();
}

// World-writable or set-id modes from an archive never land as they are.
TEST_F(ArchiveTest, HostileModesAreNormalised) {
  const std::string zip = BuildZip({
      {"exec", "#!/bin/sh\n", 0100777},
      {"shared.txt", "x", 0100666},
      {"setuid", "x", 0104755},
      {"sticky", "x", 0101777},
      {"none", "x", 0100000},
  });
  ow::Status status = store_->InstallArchive(zip);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/exec"), 0755);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/shared.txt"), 0644);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/setuid"), 0755);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/sticky"), 0755);
  EXPECT_EQ(rr_test::FileMode(action_dir_ + "/none"), 0644);
}

TEST_F(ArchiveTest, ArchiveWithoutExecIsRefusedAndStubKept) {
  ow::Status status = store_->InstallArchive(BuildZip({{"main.py", "print(1)"}}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(),
            "The action failed to generate or locate a binary. See logs for details.");
  ExpectStubKept();
}

TEST_F(ArchiveTest, DotDotNamesAreRefused) {
  ASSERT_FALSE(
      store_->InstallArchive(BuildZip({{"exec", "x", 0100755}, {"../outside", "evil"}})).ok());
  ASSERT_FALSE(
      store_->InstallArchive(BuildZip({{"exec", "x", 0100755}, {"a/../../outside", "evil"}})).ok());
  ExpectStubKept();
  ExpectNothingOutside();
}

TEST_F(ArchiveTest, AbsoluteNamesAreRefused) {
  const std::string target = outside_ + "/abs";
  ow::Status status = store_->InstallArchive(BuildZip({{"exec", "x", 0100755}, {target, "evil"}}));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("absolute"), std::string::npos) << status.message();
  ExpectStubKept();
  ExpectNothingOutside();
}

TEST_F(ArchiveTest, OutwardSymlinksAreRefused) {
  for (const std::string& target :
       {outside_, std::string("../outside"), std::string("a/../../x")}) {
    ow::Status status =
        store_->InstallArchive(BuildZip({{"exec", "x", 0100755}, {"escape", target, 0120777}}));
    ASSERT_FALSE(status.ok()) << target;
    EXPECT_NE(status.message().find("symlink"), std::string::npos) << status.message();
  }
  // A file written "through" a link entry of the same archive is no escape
  // either: links are created last, so the name clashes.
  ow::Status status = store_->InstallArchive(
      BuildZip({{"exec", "x", 0100755}, {"dir", "sub", 0120777}, {"dir/file", "evil"}}));
  EXPECT_FALSE(status.ok());
  ExpectStubKept();
  ExpectNothingOutside();
}

TEST_F(ArchiveTest, ZipBombOverTheLimitIsRefused) {
  // 2 MiB of zeros compresses to a few KiB; the store allows 1 MiB.
  const std::string zip = BuildZip({{"exec", "x", 0100755}, {"zeros", std::string(2 << 20, '\0')}});
  ASSERT_LT(zip.size(), 100000u);
  ow::Status status = store_->InstallArchive(zip);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("limit"), std::string::npos) << status.message();
  ExpectStubKept();
}

TEST_F(ArchiveTest, CorruptAndTruncatedArchivesAreRefused) {
  std::string data = AllBytes();
  for (int i = 0; i < 10; ++i) data += AllBytes();
  const std::string zip = BuildZip({{"exec", data, 0100755}});
  std::string corrupt = zip;
  for (size_t i = 100; i < 200; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  EXPECT_FALSE(store_->InstallArchive(corrupt).ok());
  EXPECT_FALSE(store_->InstallArchive(zip.substr(0, zip.size() / 2)).ok());
  EXPECT_FALSE(store_->InstallArchive("not a zip at all").ok());
  EXPECT_FALSE(store_->InstallArchive("").ok());
  ExpectStubKept();
}

TEST_F(ArchiveTest, FailedInstallThenSuccess) {
  EXPECT_FALSE(store_->InstallArchive(BuildZip({{"../x", "evil"}})).ok());
  ASSERT_TRUE(store_->InstallArchive(BuildZip({{"exec", "ok", 0100755}, {"f", "g"}})).ok());
  EXPECT_EQ(ReadFile(action_dir_ + "/exec"), "ok");
  EXPECT_EQ(ReadFile(action_dir_ + "/f"), "g");
}

TEST(ExtractZipArchiveTest, LimitCountsDecompressedBytes) {
  rr_test::TempDir dir;
  const std::string zip = BuildZip({{"a", std::string(1000, 'a')}, {"b", std::string(1000, 'b')}});
  EXPECT_TRUE(rr::ExtractZipArchive(zip, dir.path(), 2000).ok());
  rr_test::TempDir other;
  EXPECT_FALSE(rr::ExtractZipArchive(zip, other.path(), 1999).ok());
}

}  // namespace
