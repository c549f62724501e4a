// Building an activation's environment and arguments from a /run body.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rr {

// JSON values exported to an action's environment: strings as themselves,
// anything else as its compact JSON text (C2.5, C3.3).
std::string EnvText(const nlohmann::json& value);

// A usable environment variable name: non-empty, no '=' and no NUL.
bool IsValidEnvName(const std::string& name);

// Why `name` = `value` cannot be passed to exec ("" when it can): an empty
// name, a name holding '=' or NUL, a value holding NUL.
std::string EnvEntryProblem(const std::string& name, const std::string& value);

// The complete environment of one activation, built from scratch: the
// server's own `base_env` ("K=V"), then `init_env`, then this run's context
// (`__OW_<KEY>` for each top-level key of `run_body` but `value`); later
// entries replace earlier ones with the same name. Keys that cannot be
// variable names are skipped.
std::vector<std::string> BuildActivationEnv(const std::vector<std::string>& base_env,
                                            const std::map<std::string, std::string>& init_env,
                                            const nlohmann::json& run_body);

}  // namespace rr
