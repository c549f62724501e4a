// tar.gz extraction (ExtractTarGzArchive): real archives made at test time by
// GNU tar and by Python's tarfile (which can also write the hostile ones tar
// refuses to make), extracted under the zip contract of action_archive.h.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "reference_runtime/action_archive.h"
#include "tests/runtime/test_files.h"

namespace {

namespace fs = boost::filesystem;
using rr_test::ReadFile;

// Writes tar.gz files with Python's tarfile, one per argument after the
// format (one interpreter for several archives: it is slow to start). Each
// is a Python list of (name, type, data, mode, link) with type one of file,
// dir, symlink, hardlink, chr, fifo; `format` a tarfile format constant.
const char kTarScript[] = R"PY(
import ast, sys, tarfile, io
out, fmt = sys.argv[1], sys.argv[2]
types = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
         "hardlink": tarfile.LNKTYPE, "chr": tarfile.CHRTYPE, "fifo": tarfile.FIFOTYPE}
for index, spec in enumerate(sys.argv[3:]):
  with tarfile.open("%s-%d" % (out, index), "w:gz", format=getattr(tarfile, fmt)) as tar:
    for name, kind, data, mode, link in ast.literal_eval(spec):
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.linkname = types[kind], mode, link
        if isinstance(data, int):
            data = bytes(data)
        info.size = len(data) if kind == "file" else 0
        tar.addfile(info, io.BytesIO(data) if kind == "file" else None)
)PY";

class TarArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dest_ = dir_.path() + "/dest";
    fs::create_directories(dest_);
  }

  std::vector<std::string> PythonTars(const std::vector<std::string>& entry_lists,
                                      const std::string& format = "PAX_FORMAT") {
    const std::string script = dir_.path() + "/make_tar.py";
    const std::string out = dir_.path() + "/made.tar.gz";
    rr_test::WriteFile(script, kTarScript);
    std::string command = "python3 " + script + " " + out + " " + format;
    for (const auto& entries : entry_lists) command += " \"" + entries + "\"";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::vector<std::string> archives;
    for (size_t i = 0; i < entry_lists.size(); ++i) {
      archives.push_back(ReadFile(out + "-" + std::to_string(i)));
    }
    return archives;
  }
  std::string PythonTar(const std::string& entries, const std::string& format = "PAX_FORMAT") {
    return PythonTars({entries}, format).front();
  }

  ow::Status Extract(const std::string& bytes, uint64_t limit = 1 << 20) {
    return rr::ExtractTarGzArchive(bytes, dest_, limit);
  }

  // Only dest_ (and the files the test made itself) in the temp dir.
  void ExpectNothingOutside() {
    for (fs::directory_iterator it(dir_.path()), end; it != end; ++it) {
      const std::string name = it->path().filename().string();
      EXPECT_TRUE(name == "dest" || name == "make_tar.py" || name.rfind("made.tar.gz-", 0) == 0 ||
                  name == "tree" || name == "tree.tar.gz")
          << "written outside: " << name;
    }
  }

  rr_test::TempDir dir_;
  std::string dest_;
};

TEST_F(TarArchiveTest, GnuTarOutputExtractsWithLongNamesAndLinks) {
  const std::string tree = dir_.path() + "/tree";
  const std::string deep = "tree/" + std::string(120, 'd') + "/" + std::string(60, 'e');
  fs::create_directories(dir_.path() + "/" + deep);
  rr_test::WriteFile(tree + "/exec", "#!/bin/sh\necho '{}'\n", 0700);
  rr_test::WriteFile(tree + "/data.bin", std::string("\0\x01\xff\x7f", 4), 0640);
  rr_test::WriteFile(dir_.path() + "/" + deep + "/far.txt", "far", 0666);
  fs::create_symlink("data.bin", tree + "/link");
  for (const char* format : {"gnu", "pax", "ustar"}) {
    fs::remove_all(dest_);
    fs::create_directories(dest_);
    const std::string archive = dir_.path() + "/tree.tar.gz";
    const std::string command = std::string("tar --format=") + format + " -czf " + archive +
                                " -C " + tree + " . 2>/dev/null";
    const int made = std::system(command.c_str());
    if (std::string(format) == "ustar" && made != 0) continue;  // names over 155+100 bytes
    ASSERT_EQ(made, 0) << command;
    ASSERT_TRUE(Extract(ReadFile(archive)).ok())
        << format << ": " << Extract(ReadFile(archive)).message();
    EXPECT_EQ(ReadFile(dest_ + "/exec"), "#!/bin/sh\necho '{}'\n");
    EXPECT_EQ(rr_test::FileMode(dest_ + "/exec"), 0755);
    EXPECT_EQ(ReadFile(dest_ + "/data.bin"), std::string("\0\x01\xff\x7f", 4));
    EXPECT_EQ(rr_test::FileMode(dest_ + "/data.bin"), 0644);
    const std::string far = dest_ + deep.substr(4) + "/far.txt";
    EXPECT_EQ(ReadFile(far), "far") << format;
    EXPECT_EQ(rr_test::FileMode(far), 0644);
    EXPECT_EQ(fs::read_symlink(dest_ + "/link").string(), "data.bin");
  }
  ExpectNothingOutside();
}

TEST_F(TarArchiveTest, PaxPathAndLinkpathOverUstarLimits) {
  const std::string dir = std::string(150, 'p');
  const std::string target = dir + "/" + std::string(110, 't');
  const std::string bytes = PythonTar("[('" + dir + "', 'dir', b'', 0o755, ''), ('" + target +
                                      "', 'file', b'pax', 0o4777, ''), ('l', 'symlink', b'', "
                                      "0o777, '" +
                                      target + "')]");
  ASSERT_TRUE(Extract(bytes).ok()) << Extract(bytes).message();
  EXPECT_EQ(ReadFile(dest_ + "/" + target), "pax");
  EXPECT_EQ(rr_test::FileMode(dest_ + "/" + target), 0755);  // set-id and world-write dropped
  EXPECT_EQ(fs::read_symlink(dest_ + "/l").string(), target);
}

TEST_F(TarArchiveTest, GnuLongNamesFromTarfile) {
  const std::string name = std::string(200, 'g');
  const std::string bytes =
      PythonTar("[('" + name + "', 'file', b'gnu', 0o666, '')]", "GNU_FORMAT");
  ASSERT_TRUE(Extract(bytes).ok()) << Extract(bytes).message();
  EXPECT_EQ(ReadFile(dest_ + "/" + name), "gnu");
  EXPECT_EQ(rr_test::FileMode(dest_ + "/" + name), 0644);
}

TEST_F(TarArchiveTest, ClimbingAndAbsoluteNamesAreRefused) {
  const std::vector<std::string> names = {"../escape.txt", "a/../../escape.txt",
                                          "/tmp/owtar-abs.txt", "./../escape.txt"};
  std::vector<std::string> specs;
  for (const auto& name : names) specs.push_back("[('" + name + "', 'file', b'x', 0o644, '')]");
  const std::vector<std::string> archives = PythonTars(specs);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const ow::Status status = Extract(archives[i]);
    EXPECT_FALSE(status.ok()) << name;
    EXPECT_TRUE(status.message().find("escapes") != std::string::npos ||
                status.message().find("absolute") != std::string::npos)
        << status.message();
    ExpectNothingOutside();
  }
  EXPECT_FALSE(fs::exists("/tmp/owtar-abs.txt"));
}

TEST_F(TarArchiveTest, OutwardSymlinksAreRefused) {
  const std::vector<std::string> targets = {"../outside", "/etc/passwd", "a/../../x"};
  std::vector<std::string> specs;
  for (const auto& target : targets) {
    specs.push_back("[('link', 'symlink', b'', 0o777, '" + target +
                    "'), ('data', 'file', b'x', 0o644, '')]");
  }
  const std::vector<std::string> archives = PythonTars(specs);
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string& target = targets[i];
    const ow::Status status = Extract(archives[i]);
    EXPECT_NE(status.message().find("points outside"), std::string::npos) << target;
    EXPECT_FALSE(fs::exists(fs::symlink_status(dest_ + "/link"))) << target;
  }
  ExpectNothingOutside();
}

// The Go proxy's UnTar extracts only directories and regular files: the
// rest is skipped, never created, wherever it points.
TEST_F(TarArchiveTest, HardLinksDevicesAndFifosAreSkipped) {
  const std::string bytes = PythonTar(
      "[('exec', 'file', b'#!/bin/sh', 0o755, ''), ('hard', 'hardlink', b'', 0o644, "
      "'/etc/passwd'), ('hard2', 'hardlink', b'', 0o644, 'exec'), ('null', 'chr', b'', 0o666, ''), "
      "('pipe', 'fifo', b'', 0o644, ''), ('after', 'file', b'ok', 0o644, '')]");
  ASSERT_TRUE(Extract(bytes).ok()) << Extract(bytes).message();
  EXPECT_EQ(ReadFile(dest_ + "/after"), "ok");
  for (const char* skipped : {"hard", "hard2", "null", "pipe"}) {
    EXPECT_FALSE(fs::exists(fs::symlink_status(dest_ + "/" + skipped))) << skipped;
  }
  ExpectNothingOutside();
}

TEST_F(TarArchiveTest, SizeBombOverTheLimitIsRefused) {
  const std::string bytes =
      PythonTar("[('zeros', 'file', " + std::to_string(4 << 20) + ", 0o644, '')]");
  ASSERT_LT(bytes.size(), 64u << 10) << "the bomb should compress well";
  const ow::Status status = Extract(bytes, 1 << 20);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("limit"), std::string::npos) << status.message();
  EXPECT_LE(fs::file_size(dest_ + "/zeros"), 1u << 20);
  EXPECT_TRUE(Extract(bytes, 4 << 20).ok());
}

TEST_F(TarArchiveTest, TruncatedCorruptAndForeignInputIsRefused) {
  const std::string good = PythonTar("[('exec', 'file', 40000, 0o755, '')]");
  ASSERT_TRUE(Extract(good).ok());
  const std::string half = good.substr(0, good.size() / 2);
  EXPECT_FALSE(Extract(half).ok()) << "cut in half";
  const std::string no_trailer = good.substr(0, good.size() - 4);
  EXPECT_FALSE(Extract(no_trailer).ok()) << "gzip trailer cut";
  std::string bad_crc = good;
  bad_crc[bad_crc.size() - 6] ^= 0x55;
  EXPECT_FALSE(Extract(bad_crc).ok()) << "gzip CRC damaged";
  EXPECT_FALSE(Extract(good + "garbage").ok()) << "trailing garbage";
  EXPECT_TRUE(Extract(good + good).ok()) << "two gzip members are one stream";
  EXPECT_FALSE(Extract("not gzip at all").ok());
  EXPECT_FALSE(Extract("").ok());
  // gzip, but no tar inside.
  const std::string script = dir_.path() + "/make_tar.py";
  rr_test::WriteFile(script,
                     "import gzip,sys\nsys.stdout.buffer.write(gzip.compress(b'hello'*99))\n");
  const std::string out = dir_.path() + "/made.tar.gz-text";
  ASSERT_EQ(std::system(("python3 " + script + " > " + out).c_str()), 0);
  EXPECT_FALSE(Extract(ReadFile(out)).ok()) << "gzip of plain text";
  ExpectNothingOutside();
}

}  // namespace
