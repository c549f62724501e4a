// Options that several subcommands share, defined and validated once:
// the runtime target (check, invoke, bench) and the action to send (invoke,
// bench). Validation returns ow::Status (a usage error: exit 2).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "conformance/activation_runner.h"
#include "conformance/runtime_target.h"
#include "mock_invoker/cli_parse.h"

namespace mock_invoker {

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
