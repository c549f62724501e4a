// The report files `mock_invoker check` can write, as a table (name, help,
// factory), the way google/benchmark picks a reporter by name: each row is
// the option --NAME FILE. The console report is always on and not listed.
//
// To add a report format: write its reporter (conformance/report/) and add
// one row to the table in report_formats.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "conformance/report/reporter.h"
#include "mock_invoker/cli_parse.h"

namespace mock_invoker {

struct ReportFormat {
  const char* name;  // "json": the option --json FILE
  const char* help;  // one line, for `check --help`
  // A reporter that writes the whole report to `path` when the run finishes.
  std::unique_ptr<conformance::Reporter> (*make)(std::string path);
};

const std::vector<ReportFormat>& report_formats();

// One report file asked for on the command line.
struct ReportFile {
  const ReportFormat* format = nullptr;
  std::string path;
};

// Adds --NAME FILE for every format to the options' "report" group.
void add_report_options(cxxopts::Options& options);
// The report files asked for, in table order (empty paths are ignored).
std::vector<ReportFile> reports_from(const cxxopts::ParseResult& r);
// Whether every file can be written, found before the run (not after minutes
// of scenarios, with the report silently missing): a usage error naming the
// option and the reason.
ow::Status check_report_paths(const std::vector<ReportFile>& files);

}  // namespace mock_invoker
