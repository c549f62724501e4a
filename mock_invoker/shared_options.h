// Options that several subcommands share, defined and validated once:
// the runtime target (check, invoke, bench) and the action to send (invoke,
// bench). Validation returns ow::Status (a usage error: exit 2).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "conformance/invoke/activation_runner.h"
#include "conformance/platform/runtime_target.h"
#include "mock_invoker/cli_parse.h"
#include "mock_invoker/commands.h"

namespace mock_invoker {

// The front half of a subcommand: parses `args`, prints the help of
// `help_groups` when asked (exit 0), and runs `validate` (a value of the wrong
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

// --launch / --image / --url (exactly one), --logs-from (with --url),
// --env K=V, --ready-timeout.
struct TargetChoice {
  std::string launch, image, url, logs_from;
  std::map<std::string, std::string> env;  // the runtime's own environment
  std::chrono::milliseconds ready_timeout{30000};
};
// `fresh_per` says when a fresh runtime starts ("per scenario", "per instance").
void add_target_options(cxxopts::Options& options, const std::string& fresh_per);
ow::Status target_from(const cxxopts::ParseResult& r, TargetChoice* choice);
std::unique_ptr<conformance::RuntimeTarget> make_target(const TargetChoice& choice);

// ACTION (positional), --main, --param, --params-file, --init-param, --timeout:
// what /init and /run send, as the platform would.
void add_action_options(cxxopts::Options& options);
ow::Status action_from(const cxxopts::ParseResult& r, conformance::InvokeSettings* settings);

// Both halves for invoke and bench: the target, and the settings of the
// activations sent to it (the target's env and ready timeout included).
ow::Status invocation_from(const cxxopts::ParseResult& r, TargetChoice* target,
                           conformance::InvokeSettings* settings);

}  // namespace mock_invoker
