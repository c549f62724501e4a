// Request bodies as the platform builds them: see platform_request.h.
#include "conformance/platform/platform_request.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "conformance/platform/base64.h"
#include "conformance/platform/zip_builder.h"

namespace conformance {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

ow::Status read_whole_file(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ow::Status::Error("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return ow::Status::Error("error while reading " + path);
  *bytes = buffer.str();
  return ow::Status::Ok();
}

std::string action_name_of(const fs::path& path) {
  fs::path p = path;
  if (p.filename().empty()) p = p.parent_path();  // "dir/"
  std::string name = p.stem().string();
  return name.empty() ? "action" : name;
}

}  // namespace

ow::Status load_action_code(const std::string& path, ActionCode* code) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return ow::Status::Error("action not found: " + path);
  ActionCode out;
  out.name = action_name_of(path);
  if (fs::is_directory(st)) {
    std::vector<ZipEntry> entries;
    ow::Status s = collect_directory(path, &entries);
    if (!s.ok()) return s;
    if (entries.empty()) return ow::Status::Error("action directory is empty: " + path);
    s = build_zip(entries, &out.bytes);
    if (!s.ok()) return ow::Status::Error("cannot zip " + path + ": " + s.message());
    out.binary = true;
  } else if (fs::is_regular_file(st)) {
    ow::Status s = read_whole_file(path, &out.bytes);
    if (!s.ok()) return s;
    out.binary = ends_with(path, ".zip");
  } else {
    return ow::Status::Error("action is neither a file nor a directory: " + path);
  }
  *code = std::move(out);
  return ow::Status::Ok();
}

std::string random_hex(std::size_t digits) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < digits; ++i) out += kHex[engine() & 15];
  return out;
}

std::string fake_api_key() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  static const char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string uuid = random_hex(32);
  uuid.insert(20, "-").insert(16, "-").insert(12, "-").insert(8, "-");
  std::string key;
  for (int i = 0; i < 64; ++i) key += kAlnum[engine() % 62];
  return uuid + ":" + key;
}

ActivationContext make_activation_context(const std::string& action_name,
                                          std::chrono::milliseconds timeout) {
  ActivationContext c;
  c.action_name = "/" + c.namespace_name + "/" + action_name;
  c.activation_id = random_hex(32);
  c.transaction_id = random_hex(32);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  c.deadline_ms = (now + timeout).count();
  return c;
}

json context_fields(const ActivationContext& c) {
  json fields = {{"namespace", c.namespace_name},      {"action_name", c.action_name},
                 {"action_version", c.action_version}, {"activation_id", c.activation_id},
                 {"transaction_id", c.transaction_id}, {"deadline", std::to_string(c.deadline_ms)}};
  if (!c.api_key.empty()) fields["api_key"] = c.api_key;
  return fields;
}

std::map<std::string, std::string> context_env(const ActivationContext& c) {
  std::map<std::string, std::string> env;
  const json fields = context_fields(c);
  for (const auto& [key, value] : fields.items()) {
    std::string upper = key;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    env["__OW_" + upper] = value.get<std::string>();
  }
  return env;
}

json parse_param_value(const std::string& text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return json(text);
  return value;
}

ow::Status load_params_file(const std::string& path, json* params) {
  std::string text;
  ow::Status s = read_whole_file(path, &text);
  if (!s.ok()) return s;
  *params = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (params->is_discarded()) return ow::Status::Error(path + " is not JSON");
  if (!params->is_object()) return ow::Status::Error(path + " must hold a JSON object");
  return ow::Status::Ok();
}

std::string env_string(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string build_init_body(const ActionCode& code, const std::string& main_name,
                            const std::map<std::string, std::string>& init_params,
                            const ActivationContext& context) {
  json env = json::object();
  for (const auto& [key, value] : init_params) env[key] = value;
  for (const auto& [key, value] : context_env(context)) env[key] = value;
  json value = {{"name", code.name},
                {"main", main_name},
                {"binary", code.binary},
                {"code", code.binary ? base64_encode(code.bytes) : code.bytes},
                {"env", env}};
  // Invalid UTF-8 in a text action must not throw: replace it, as a JSON
  // encoder on the platform would refuse it anyway.
  return json{{"value", value}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string build_run_body(const json& value, const ActivationContext& context) {
  json body = context_fields(context);
  body["value"] = value;
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace conformance
