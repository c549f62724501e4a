#include "mock_invoker/report_formats.h"

#include "conformance/report/reporters.h"

namespace mock_invoker {

const std::vector<ReportFormat>& report_formats() {
  static const std::vector<ReportFormat> table = {
      {"json", "write a JSON report", conformance::make_json_reporter},
      {"junit", "write a JUnit XML report", conformance::make_junit_reporter},
  };
  return table;
}

void add_report_options(cxxopts::Options& options) {
  auto adder = options.add_options("report");
  for (const ReportFormat& format : report_formats())
    adder(format.name, format.help, cxxopts::value<std::string>(), "FILE");
}

std::vector<ReportFile> reports_from(const cxxopts::ParseResult& r) {
  std::vector<ReportFile> files;
  for (const ReportFormat& format : report_formats()) {
    std::string path = option_string(r, format.name);
    if (!path.empty()) files.push_back(ReportFile{&format, std::move(path)});
  }
  return files;
}

}  // namespace mock_invoker
