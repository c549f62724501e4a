#include "reference_runtime/activation_env.h"

#include <cctype>

namespace rr {

std::string EnvText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool IsValidEnvName(const std::string& name) {
  return !name.empty() && name.find('=') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

std::string EnvEntryProblem(const std::string& name, const std::string& value) {
  if (name.empty()) return "an env variable name is empty";
  if (name.find('=') != std::string::npos) return "env variable name '" + name + "' holds '='";
  if (name.find('\0') != std::string::npos) return "env variable name '" + name + "' holds NUL";
  if (value.find('\0') != std::string::npos) return "env variable '" + name + "' holds NUL";
  return "";
}

std::vector<std::string> BuildActivationEnv(const std::vector<std::string>& base_env,
                                            const std::map<std::string, std::string>& init_env,
                                            const nlohmann::json& run_body) {
  std::map<std::string, std::string> merged;
  for (const auto& entry : base_env) {
    const size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) continue;
    merged[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  for (const auto& [name, value] : init_env) merged[name] = value;
  if (run_body.is_object()) {
    for (const auto& [key, value] : run_body.items()) {
      if (key == "value") continue;
      std::string name = "__OW_";
      for (char c : key)
        name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      if (!IsValidEnvName(name)) continue;
      std::string text = EnvText(value);
      if (text.find('\0') != std::string::npos) continue;  // cannot be passed
      merged[name] = std::move(text);
    }
  }
  std::vector<std::string> env;
  env.reserve(merged.size());
  for (auto& [name, value] : merged) env.push_back(name + "=" + value);
  return env;
}

}  // namespace rr
