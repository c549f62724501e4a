// The front door of every subcommand (parse_command) and the cxxopts glue.
// Every mock_invoker file that uses cxxopts includes it through this header,
// so they agree on CXXOPTS_VECTOR_DELIMITER:
// repeated options (--env K=V) are kept whole, commas included (lists such as
// --filter a,b are split by the command itself).
#pragma once

// clang-format off
#define CXXOPTS_VECTOR_DELIMITER '\0'
#include <cxxopts.hpp>
// clang-format on

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "mock_invoker/commands.h"
#include "mock_invoker/options.h"

namespace mock_invoker {

// The front half of every subcommand: parses `args`, prints the help of
// `help_groups` or the version when asked (exit 0), and runs `validate` (a value of the wrong
// type is a usage error too). Returns the exit code when the command is done
// (help, or a usage error written to io.err: exit 2); nullopt to go on.
std::optional<int> parse_command(
    const std::string& name, cxxopts::Options& options, const std::vector<std::string>& help_groups,
    const std::vector<std::string>& args, CommandIo io,
    const std::function<ow::Status(const cxxopts::ParseResult&)>& validate);

// The string value of an option, or "" when it is absent.
std::string option_string(const cxxopts::ParseResult& r, const char* name);

// A repeatable K=V option, in the order given.
ow::Status read_assignments(const cxxopts::ParseResult& r, const char* name,
                            std::vector<std::pair<std::string, std::string>>* out);

// Parses `args` (no program name); cxxopts' exceptions become a Status (an
// unknown option with "did you mean" the closest known one), and stray
// positional arguments are an error.
ow::Status parse_args(cxxopts::Options& options, const std::vector<std::string>& args,
                      cxxopts::ParseResult* result);

// --profile, --scenarios, --filter, --capability (shared by list and check).
void add_selection_options(cxxopts::Options& options);
Selection selection_from(const cxxopts::ParseResult& result);

}  // namespace mock_invoker
