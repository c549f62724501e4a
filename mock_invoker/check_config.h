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
#include "mock_invoker/options.h"
#include "mock_invoker/shared_options.h"

namespace mock_invoker {

enum class ColorMode { kAuto, kAlways, kNever };

struct CheckConfig {
  TargetChoice target;
  Selection selection;
  std::size_t jobs = 1;
  std::optional<std::chrono::milliseconds> step_timeout;  // --timeout
  bool strict = false;
  std::string json_path, junit_path, expected_failures_path;
  ColorMode color = ColorMode::kAuto;
  bool verbose = false;
};

// Parses and validates; on a usage error returns it (exit 2). Sets *help_shown
// when --help was asked for (the help is written to `out`).
ow::Status parse_check_options(const std::vector<std::string>& args, std::ostream& out,
                               bool* help_shown, CheckConfig* config);

// Runs the check; returns the exit code (verdict.h). Configuration problems
// found while loading (unknown profile, bad scenario file, bad baseline) are
// reported on `err` and give kExitUsage.
int run_check(const CheckConfig& config, std::ostream& out, std::ostream& err);

}  // namespace mock_invoker
