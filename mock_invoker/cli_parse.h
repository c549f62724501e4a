// cxxopts glue for the subcommands. Every mock_invoker file that uses cxxopts
// includes it through this header, so they agree on CXXOPTS_VECTOR_DELIMITER:
// repeated options (--env K=V) are kept whole, commas included (lists such as
// --filter a,b are split by the command itself).
#pragma once

// clang-format off
#define CXXOPTS_VECTOR_DELIMITER '\0'
#include <cxxopts.hpp>
// clang-format on

#include <string>
#include <vector>

#include "common/status.h"
#include "mock_invoker/options.h"

namespace mock_invoker {

// Parses `args` (no program name); cxxopts' exceptions become a Status, and
// stray positional arguments are an error.
ow::Status parse_args(cxxopts::Options& options, const std::vector<std::string>& args,
                      cxxopts::ParseResult* result);

// --profile, --scenarios, --filter, --capability (shared by list and check).
void add_selection_options(cxxopts::Options& options);
Selection selection_from(const cxxopts::ParseResult& result);

}  // namespace mock_invoker
