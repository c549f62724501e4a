// Options that invoke and bench share, defined and validated once: the action
// to send and the activation settings (the runtime target's options are in
// target_kinds.h). Validation returns ow::Status (a usage error: exit 2).
#pragma once

#include "common/status.h"
#include "conformance/invoke/activation_runner.h"
#include "mock_invoker/cli_parse.h"
#include "mock_invoker/target_kinds.h"

namespace mock_invoker {

// ACTION (positional), --main, --param, --params-file, --init-param, --timeout:
// what /init and /run send, as the platform would.
void add_action_options(cxxopts::Options& options);
ow::Status action_from(const cxxopts::ParseResult& r, conformance::InvokeSettings* settings);

// Both halves for invoke and bench: the target, and the settings of the
// activations sent to it (the target's env and ready timeout included).
ow::Status invocation_from(const cxxopts::ParseResult& r, TargetChoice* target,
                           conformance::InvokeSettings* settings);

}  // namespace mock_invoker
