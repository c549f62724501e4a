#include "conformance/platform/zip_builder.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/suite/temp_dir.h"

namespace conformance {
namespace {

TEST(ZipBuilder, RoundTripKeepsNamesBytesAndModes) {
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  const std::vector<ZipEntry> entries = {
      {"exec", "#!/bin/sh\necho '{}'\n", 0755},
      {"data.bin", binary, 0644},
      {"nested/dir/table.bin", std::string(70000, '\0'), 0600},
      {"empty", "", 0444},
  };
  std::string zip;
  ASSERT_TRUE(build_zip(entries, &zip).ok());
  ASSERT_EQ(zip.compare(0, 4, "PK\x03\x04"), 0);

  std::vector<ZipEntry> read;
  ow::Status status = read_zip(zip, &read);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(read.size(), entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(read[i].name, entries[i].name);
    EXPECT_EQ(read[i].data, entries[i].data) << entries[i].name;
    EXPECT_EQ(read[i].mode, entries[i].mode) << entries[i].name;
  }
}

TEST(ZipBuilder, RejectsDuplicateAndBadNames) {
  std::string zip;
  EXPECT_FALSE(build_zip({{"a", "1", 0644}, {"a", "2", 0644}}, &zip).ok());
  EXPECT_FALSE(build_zip({{"", "1", 0644}}, &zip).ok());
  EXPECT_FALSE(build_zip({{"/abs", "1", 0644}}, &zip).ok());
}

TEST(ZipBuilder, ReadZipRejectsGarbageAndTruncation) {
  std::vector<ZipEntry> read;
  EXPECT_FALSE(read_zip("not a zip at all", &read).ok());
  std::string zip;
  ASSERT_TRUE(build_zip({{"exec", std::string(5000, 'x'), 0755}}, &zip).ok());
  EXPECT_FALSE(read_zip(zip.substr(0, zip.size() / 2), &read).ok());
}

TEST(ZipBuilder, CollectDirectoryKeepsRelativeNamesAndModes) {
  suite_test::TempDir dir;
  const std::string exec = dir.write("exec", "#!/bin/sh\n");
  ASSERT_EQ(chmod(exec.c_str(), 0755), 0);
  dir.write("sub/file.txt", "hello");
  std::vector<ZipEntry> entries;
  ASSERT_TRUE(collect_directory(dir.path(), &entries).ok());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "exec");
  EXPECT_EQ(entries[0].mode, 0755u);
  EXPECT_EQ(entries[1].name, "sub/file.txt");
  EXPECT_EQ(entries[1].data, "hello");

  std::string zip;
  ASSERT_TRUE(build_zip(entries, &zip).ok());
  std::vector<ZipEntry> read;
  ASSERT_TRUE(read_zip(zip, &read).ok());
  EXPECT_EQ(read[0].mode, 0755u);
}

TEST(ZipBuilder, CollectDirectoryFailsOnMissingDirAndSymlinks) {
  std::vector<ZipEntry> entries;
  EXPECT_FALSE(collect_directory("/nonexistent/suite/dir", &entries).ok());
  suite_test::TempDir dir;
  dir.write("target", "x");
  ASSERT_EQ(symlink("target", (dir.path() + "/link").c_str()), 0);
  EXPECT_FALSE(collect_directory(dir.path(), &entries).ok());
}

}  // namespace
}  // namespace conformance
