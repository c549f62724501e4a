// The validated options of `mock_invoker check`, and the two halves of the
// command: parsing/validating (check_command.cc) and running (check_run.cc).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/run/scenario_runner.h"
#include "mock_invoker/commands.h"
#include "mock_invoker/options.h"
#include "mock_invoker/report_formats.h"
#include "mock_invoker/target_kinds.h"

namespace mock_invoker {

enum class ColorMode { kAuto, kAlways, kNever };

struct CheckConfig {
  TargetChoice target;
  Selection selection;
  std::size_t jobs = 1;
  std::optional<std::chrono::milliseconds> step_timeout;  // --timeout
  bool strict = false;
  bool fail_on_skip = false;        // --fail-on-skip
  std::vector<ReportFile> reports;  // --json, --junit, --html, --markdown
  std::string expected_failures_path;
  std::string write_expected_failures_path;  // --write-expected-failures
  conformance::StopPolicy stop = conformance::StopPolicy::kWhenNeverReady;
  ColorMode color = ColorMode::kAuto;
  bool verbose = false;
};

// The front half of check (parse_command): parses and validates `args` into
// `config`. Returns the exit code when the command is done (--help: 0, a usage
// error written to io.err: 2); nullopt when the check should run.
std::optional<int> parse_check(const std::vector<std::string>& args, CommandIo io,
                               CheckConfig* config);

// Runs the check; returns the exit code (verdict.h). Configuration problems
// found while loading (unknown profile, bad scenario file, bad baseline) are
// reported on `err` and give kExitUsage.
int run_check(const CheckConfig& config, std::ostream& out, std::ostream& err);

}  // namespace mock_invoker
