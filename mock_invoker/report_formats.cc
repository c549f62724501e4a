#include "mock_invoker/report_formats.h"

#include "conformance/report/html_reporter.h"
#include "conformance/report/json_reporter.h"
#include "conformance/report/junit_reporter.h"
#include "conformance/report/markdown_reporter.h"
#include "conformance/report/report_file.h"

namespace mock_invoker {

const std::vector<ReportFormat>& report_formats() {
  static const std::vector<ReportFormat> table = {
      {"json", "write a JSON report (docs/report.schema.json)", conformance::make_json_reporter},
      {"junit", "write a JUnit XML report (valid against Jenkins' junit-10.xsd)",
       conformance::make_junit_reporter},
      {"html", "write a self-contained HTML report", conformance::make_html_reporter},
      {"markdown", "write a Markdown summary (e.g. to $GITHUB_STEP_SUMMARY)",
       conformance::make_markdown_reporter},
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

ow::Status check_report_paths(const std::vector<ReportFile>& files) {
  for (const ReportFile& file : files) {
    const ow::Status s = conformance::probe_report_path(file.path);
    if (!s.ok())
      return ow::Status::Error(std::string("--") + file.format->name + ": " + s.message());
  }
  return ow::Status::Ok();
}

}  // namespace mock_invoker
