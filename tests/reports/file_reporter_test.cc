// The JSON and JUnit file reporters: write the rendered report at the end,
// and fail loudly (stderr) but without crashing when they cannot.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "conformance/report/json_reporter.h"
#include "conformance/report/junit_reporter.h"
#include "tests/reports/sample_report.h"

namespace conformance_test {
namespace {

class FileReporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir();
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::size_t files_in_dir() const {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      (void)entry;
      ++n;
    }
    return n;
  }

  std::string dir_;
};

TEST_F(FileReporterTest, JsonReporterWritesTheRenderedReport) {
  const std::string path = dir_ + "/report.json";
  conformance::make_json_reporter(path)->on_finish(sample_report());
  EXPECT_EQ(read_file(path), conformance::render_json(sample_report()));
  EXPECT_EQ(files_in_dir(), 1u);  // no temporary left behind
}

TEST_F(FileReporterTest, JunitReporterReplacesAnOldReport) {
  const std::string path = dir_ + "/junit.xml";
  conformance::make_junit_reporter(path)->on_finish(conformance::RunReport{});
  conformance::make_junit_reporter(path)->on_finish(sample_report());
  EXPECT_EQ(read_file(path), conformance::render_junit(sample_report()));
  EXPECT_EQ(files_in_dir(), 1u);
}

TEST_F(FileReporterTest, UnwritablePathIsReportedOnStderr) {
  const std::string path = dir_ + "/no/such/dir/report.json";
  ::testing::internal::CaptureStderr();
  conformance::make_json_reporter(path)->on_finish(sample_report());
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("cannot write report '" + path + "'"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace conformance_test
