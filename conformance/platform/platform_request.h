// The /init and /run bodies exactly as the platform builds them (C2, C3), for
// `mock_invoker invoke` and `bench`: every top-level /run key a JSON string,
// `deadline` in epoch milliseconds from the phase timeout, and the activation
// context (C3.3) also exported in the /init `env`, next to the init
// parameters (stringified, C2.5).
//
// Pure functions (apart from load_action_code reading files and the random
// ids); thread-safe; failures come back as ow::Status.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace conformance {

// An action as the platform stores it: text code or archive bytes.
struct ActionCode {
  std::string name;  // the action's name (file name without extension)
  bool binary = false;
  std::string bytes;  // script text, or the zip archive (base64-encoded on the wire)
};

// ACTION is a script (text code), a `.zip` file (binary) or a directory
// (zipped on the fly, file modes kept). Missing or unreadable paths, empty
// directories and special files are errors.
ow::Status load_action_code(const std::string& path, ActionCode* code);

// The context of one activation (C3 top-level keys other than `value`).
struct ActivationContext {
  std::string namespace_name = "guest";
  std::string action_name;  // "/guest/NAME"
  std::string action_version = "0.0.1";
  std::string activation_id;     // 32 hex digits
  std::string transaction_id;    // 32 hex digits
  std::int64_t deadline_ms = 0;  // epoch milliseconds
  std::string api_key;           // empty: not sent
};

// `digits` random lower-case hex digits (activation and transaction ids).
std::string random_hex(std::size_t digits);
// A made-up key shaped like a platform's ("<uuid>:<64 alphanumerics>"), so
// runtimes and redaction see a realistic value; never a real secret.
std::string fake_api_key();

// A fresh context: new ids, deadline = now + timeout.
ActivationContext make_activation_context(const std::string& action_name,
                                          std::chrono::milliseconds timeout);

// {"namespace": ..., "deadline": "...", ...}: every value a string.
nlohmann::json context_fields(const ActivationContext& context);
// {"__OW_NAMESPACE": ..., "__OW_DEADLINE": ..., ...} (C3.3 naming).
std::map<std::string, std::string> context_env(const ActivationContext& context);

// A parameter value as given on the command line: its JSON value when the
// text parses as JSON, else the text as a string.
nlohmann::json parse_param_value(const std::string& text);
// A file holding a JSON object of parameters (--params-file).
ow::Status load_params_file(const std::string& path, nlohmann::json* params);
// A JSON value as an env string: strings as they are, others as JSON text.
std::string env_string(const nlohmann::json& value);

// {"value": {"name", "main", "binary", "code", "env"}}; env holds the init
// parameters (as strings) and the context's __OW_* variables.
std::string build_init_body(const ActionCode& code, const std::string& main_name,
                            const std::map<std::string, std::string>& init_params,
                            const ActivationContext& context);

// {"value": <value>, <context fields>}. `value` must be an object or array.
std::string build_run_body(const nlohmann::json& value, const ActivationContext& context);

}  // namespace conformance
