#include "conformance/scenario/scenario_spec.h"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <fstream>
#include <regex>
#include <set>

#include "conformance/scenario/expectations.h"
#include "conformance/scenario/placeholders.h"

namespace conformance {
namespace {

namespace fs = boost::filesystem;
using nlohmann::json;

const std::set<std::string> kScenarioKeys = {"id",          "title", "section",   "requirement",
                                             "level",       "needs", "needs_not", "fresh",
                                             "runtime_env", "steps", "uses",      "$comment"};
const std::set<std::string> kStepKeys = {"init",       "run",  "concurrent", "expect",
                                         "timeout_ms", "name", "$comment"};
const std::set<std::string> kInitKeys = {
    "action",          "name",           "main", "env",     "code", "binary", "archive_damage",
    "archive_entries", "archive_format", "body", "raw_body"};
const std::set<std::string> kRunKeys = {"value", "context", "omit", "body", "raw_body"};
const std::set<std::string> kConcurrentKeys = {"count", "value", "context", "omit"};
const std::set<std::string> kContextKeys = {"namespace",     "action_name",    "action_version",
                                            "activation_id", "transaction_id", "deadline",
                                            "api_key"};

ow::Status error(const std::string& origin, const std::string& message) {
  return ow::Status::Error(origin + ": " + message);
}

ow::Status check_keys(const json& object, const std::set<std::string>& allowed,
                      const std::string& where) {
  for (const auto& item : object.items()) {
    if (!allowed.count(item.key())) {
      return ow::Status::Error(where + ": unknown key '" + item.key() + "'");
    }
  }
  return ow::Status::Ok();
}

ow::Status string_list(const json& value, const std::string& where, std::vector<std::string>* out) {
  if (!value.is_array()) return ow::Status::Error(where + " must be a list of strings");
  for (const json& item : value) {
    if (!item.is_string()) return ow::Status::Error(where + " must be a list of strings");
    out->push_back(item.get<std::string>());
  }
  return ow::Status::Ok();
}

ow::Status check_string_map(const json& value, const std::string& where) {
  if (!value.is_object()) return ow::Status::Error(where + " must be an object of strings");
  for (const auto& item : value.items()) {
    if (!item.value().is_string()) {
      return ow::Status::Error(where + "." + item.key() + " must be a string");
    }
  }
  return ow::Status::Ok();
}

ow::Status check_request(StepKind kind, const json& request, const std::string& where) {
  if (!request.is_object()) return ow::Status::Error(where + " must be an object");
  const std::set<std::string>& allowed = kind == StepKind::kInit  ? kInitKeys
                                         : kind == StepKind::kRun ? kRunKeys
                                                                  : kConcurrentKeys;
  ow::Status status = check_keys(request, allowed, where);
  if (!status.ok()) return status;
  if (request.contains("raw_body") && !request["raw_body"].is_string()) {
    return ow::Status::Error(where + ".raw_body must be a string");
  }
  if (request.contains("body") && request.contains("raw_body")) {
    return ow::Status::Error(where + ": body and raw_body exclude each other");
  }
  const bool literal = request.contains("body") || request.contains("raw_body");
  if (kind == StepKind::kInit) {
    if (!literal && !request.contains("action")) {
      return ow::Status::Error(where + ": needs an action role (or a literal body/raw_body)");
    }
    for (const char* key : {"action", "name", "main"}) {
      if (request.contains(key) && !request[key].is_string()) {
        return ow::Status::Error(where + "." + key + " must be a string");
      }
    }
    if (request.contains("env") && !request["env"].is_null()) {
      status = check_string_map(request["env"], where + ".env");
      if (!status.ok()) return status;
    }
    if (request.contains("code") && !request["code"].is_null() && !request["code"].is_string()) {
      return ow::Status::Error(where + ".code must be a string or null (absent)");
    }
    if (request.contains("binary") && !request["binary"].is_boolean()) {
      return ow::Status::Error(where + ".binary must be a boolean");
    }
    if (request.contains("archive_entries")) {
      const json& extra = request["archive_entries"];
      bool ok = extra.is_object() && !extra.empty();
      for (const auto& [name, text] : extra.items()) ok = ok && !name.empty() && text.is_string();
      if (!ok) {
        return ow::Status::Error(where +
                                 ".archive_entries must map entry names to their text content");
      }
    }
    if (request.contains("archive_format")) {
      const json& format = request["archive_format"];
      if (!format.is_string() || (format != "zip" && format != "tar.gz")) {
        return ow::Status::Error(where + ".archive_format must be \"zip\" or \"tar.gz\"");
      }
    }
    if (request.contains("archive_damage")) {
      const json& damage = request["archive_damage"];
      if (!damage.is_string() || (damage != "corrupt" && damage != "truncated")) {
        return ow::Status::Error(where + ".archive_damage must be \"corrupt\" or \"truncated\"");
      }
    }
    return ow::Status::Ok();
  }
  if (kind == StepKind::kConcurrentRuns) {
    if (!request.contains("count") || !request["count"].is_number_integer() ||
        request["count"].get<long long>() < 0 || request["count"].get<std::size_t>() < 2 ||
        request["count"].get<std::size_t>() > 64) {
      return ow::Status::Error(where + ".count must be an integer from 2 to 64");
    }
  }
  if (request.contains("context")) {
    if (!request["context"].is_object())
      return ow::Status::Error(where + ".context must be an object");
  }
  if (request.contains("omit")) {
    std::vector<std::string> omit;
    status = string_list(request["omit"], where + ".omit", &omit);
    if (!status.ok()) return status;
    for (const std::string& key : omit) {
      if (key != "value" && !kContextKeys.count(key)) {
        return ow::Status::Error(where + ".omit: '" + key + "' is not value or a context key");
      }
    }
  }
  // Generators must be well-formed even before a profile is known.
  json ignored;
  PlaceholderContext dry;
  dry.dry_run = true;
  status = resolve_placeholders(request, dry, &ignored);
  if (!status.ok()) return ow::Status::Error(where + status.message());
  return ow::Status::Ok();
}

ow::Status check_expect(StepKind kind, const json& expect, const std::string& where) {
  if (!expect.is_object()) return ow::Status::Error(where + " must be an object");
  ow::Status status = check_keys(
      expect, {"status", "platform_outcome", "body", "headers", "logs", "concurrency", "$comment"},
      where);
  if (!status.ok()) return status;
  if (expect.contains("concurrency") && kind != StepKind::kConcurrentRuns) {
    return ow::Status::Error(where + ".concurrency is only for concurrent steps");
  }
  json resolved;
  PlaceholderContext dry;
  dry.dry_run = true;
  status = resolve_placeholders(expect, dry, &resolved);
  if (!status.ok()) return ow::Status::Error(where + ": " + status.message());
  ResponseExpectation response;
  status = parse_response_expectation(resolved, &response);
  if (!status.ok()) return ow::Status::Error(where + ": " + status.message());
  if (resolved.contains("logs")) {
    LogExpectation logs;
    status = parse_log_expectation(resolved["logs"], &logs);
    if (!status.ok()) return ow::Status::Error(where + ": " + status.message());
  }
  if (resolved.contains("concurrency")) {
    json concurrency = resolved["concurrency"];
    // "capability" is resolved against the profile later; any valid name checks the rest.
    if (concurrency.is_object() && concurrency.value("overlap", "") == "capability") {
      concurrency["overlap"] = "either";
    }
    ConcurrencyExpectation parsed;
    status = parse_concurrency_expectation(concurrency, &parsed);
    if (!status.ok()) return ow::Status::Error(where + ": " + status.message());
  }
  return ow::Status::Ok();
}

ow::Status parse_step(const json& doc, std::size_t index, const std::string& origin,
                      std::map<std::string, int>* counts, StepSpec* step) {
  const std::string where = origin + ": steps[" + std::to_string(index) + "]";
  if (!doc.is_object()) return ow::Status::Error(where + " must be an object");
  ow::Status status = check_keys(doc, kStepKeys, where);
  if (!status.ok()) return status;
  int kinds = 0;
  const char* label = "";
  for (const char* key : {"init", "run", "concurrent"}) {
    if (doc.contains(key)) {
      ++kinds;
      label = key;
    }
  }
  if (kinds != 1) return ow::Status::Error(where + " needs exactly one of init, run, concurrent");
  const std::string kind_name = label;
  step->kind = kind_name == "init"  ? StepKind::kInit
               : kind_name == "run" ? StepKind::kRun
                                    : StepKind::kConcurrentRuns;
  step->request = doc[kind_name];
  status = check_request(step->kind, step->request, where + "." + kind_name);
  if (!status.ok()) return status;
  if (step->kind == StepKind::kConcurrentRuns) {
    step->concurrency = step->request["count"].get<std::size_t>();
  }
  const int n = ++(*counts)[kind_name];
  step->name = n == 1 ? kind_name : kind_name + "#" + std::to_string(n);
  if (doc.contains("name")) {
    if (!doc["name"].is_string() || doc["name"].get<std::string>().empty()) {
      return ow::Status::Error(where + ".name must be a non-empty string");
    }
    step->name = doc["name"].get<std::string>();
  }
  const int default_ms = step->kind == StepKind::kConcurrentRuns ? 15000 : 10000;
  step->timeout = std::chrono::milliseconds(default_ms);
  if (doc.contains("timeout_ms")) {
    if (!doc["timeout_ms"].is_number_integer() || doc["timeout_ms"].get<long long>() < 100 ||
        doc["timeout_ms"].get<long long>() > 300000) {
      return ow::Status::Error(where + ".timeout_ms must be an integer from 100 to 300000");
    }
    step->timeout = std::chrono::milliseconds(doc["timeout_ms"].get<long long>());
    step->timeout_set = true;
  }
  step->expect = doc.contains("expect") ? doc["expect"] : json::object();
  return check_expect(step->kind, step->expect, where + ".expect");
}

bool first_step_is_successful_init(const ScenarioSpec& spec) {
  if (spec.steps.empty() || spec.steps[0].kind != StepKind::kInit) return false;
  const json& expect = spec.steps[0].expect;
  return expect.contains("status") && expect["status"] == 200;
}

}  // namespace

ow::Status parse_scenario(const json& doc, const std::string& origin, ScenarioSpec* spec) {
  if (!doc.is_object()) return error(origin, "a scenario must be a JSON object");
  ScenarioSpec result;
  result.file = origin;
  std::string where = origin;
  if (doc.contains("id") && doc["id"].is_string())
    where += " (" + doc["id"].get<std::string>() + ")";
  ow::Status status = check_keys(doc, kScenarioKeys, where);
  if (!status.ok()) return status;
  for (const char* key : {"id", "title", "section", "requirement", "level"}) {
    if (!doc.contains(key) || !doc[key].is_string() || doc[key].get<std::string>().empty()) {
      return error(where, std::string(key) + " is required (a non-empty string)");
    }
  }
  result.id = doc["id"].get<std::string>();
  result.title = doc["title"].get<std::string>();
  result.section = doc["section"].get<std::string>();
  result.requirement = doc["requirement"].get<std::string>();
  static const std::regex kId("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)+");
  if (!std::regex_match(result.id, kId)) {
    return error(
        where, "id '" + result.id + "' must be dotted lower-case words (e.g. init.second-refused)");
  }
  static const std::regex kSection("C[1-5](\\.[0-9]+)?(, C[1-5](\\.[0-9]+)?)*");
  if (!std::regex_match(result.section, kSection)) {
    return error(where, "section '" + result.section +
                            "' must cite the contract, e.g. \"C2.6\" or \"C2.3, C3.8\"");
  }
  const std::string level = doc["level"].get<std::string>();
  if (level == "must") {
    result.level = Level::kMust;
  } else if (level == "should") {
    result.level = Level::kShould;
  } else {
    return error(where, "level '" + level + "' must be \"must\" or \"should\"");
  }
  if (doc.contains("needs")) {
    status = string_list(doc["needs"], "needs", &result.needs);
    if (!status.ok()) return error(where, status.message());
  }
  if (doc.contains("needs_not")) {
    status = string_list(doc["needs_not"], "needs_not", &result.needs_not);
    if (!status.ok()) return error(where, status.message());
  }
  if (doc.contains("uses")) {
    status = string_list(doc["uses"], "uses", &result.uses);
    if (!status.ok()) return error(where, status.message());
  }
  if (doc.contains("fresh")) {
    if (!doc["fresh"].is_boolean()) return error(where, "fresh must be a boolean");
    result.fresh = doc["fresh"].get<bool>();
  }
  if (doc.contains("runtime_env")) {
    status = check_string_map(doc["runtime_env"], "runtime_env");
    if (!status.ok()) return error(where, status.message());
    result.runtime_env = doc["runtime_env"].get<std::map<std::string, std::string>>();
  }
  if (!doc.contains("steps") || !doc["steps"].is_array() || doc["steps"].empty()) {
    return error(where, "steps must be a non-empty list");
  }
  std::map<std::string, int> counts;
  std::set<std::string> names;
  for (std::size_t i = 0; i < doc["steps"].size(); ++i) {
    StepSpec step;
    status = parse_step(doc["steps"][i], i, where, &counts, &step);
    if (!status.ok()) return status;
    if (!names.insert(step.name).second) return error(where, "duplicate step name " + step.name);
    result.steps.push_back(std::move(step));
  }
  if (!result.fresh && !first_step_is_successful_init(result)) {
    return error(where, "fresh: false needs a first step that is an init expecting status 200");
  }
  *spec = std::move(result);
  return ow::Status::Ok();
}

ow::Status load_scenario_file(const std::string& path, std::vector<ScenarioSpec>* scenarios) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ow::Status::Error("cannot read " + path);
  const std::string origin = fs::path(path).filename().string();
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return error(origin, "not valid JSON");
  if (doc.is_object()) doc = json::array({doc});
  if (!doc.is_array()) return error(origin, "must hold a scenario object or a list of them");
  for (const json& item : doc) {
    ScenarioSpec spec;
    ow::Status status = parse_scenario(item, origin, &spec);
    if (!status.ok()) return status;
    scenarios->push_back(std::move(spec));
  }
  return ow::Status::Ok();
}

std::vector<std::string> roles_used(const ScenarioSpec& spec) {
  std::vector<std::string> roles;
  for (const StepSpec& step : spec.steps) {
    if (step.kind == StepKind::kInit && step.request.contains("action")) {
      const std::string role = step.request["action"].get<std::string>();
      if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
    }
  }
  return roles;
}

ow::Status load_catalogue(const std::string& dir, std::vector<ScenarioSpec>* scenarios) {
  boost::system::error_code ec;
  if (!fs::is_directory(dir, ec))
    return ow::Status::Error("scenario directory " + dir + " not found");
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json" && fs::is_regular_file(it->path(), ec)) {
      files.push_back(it->path().string());
    }
  }
  if (ec) return ow::Status::Error("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<ScenarioSpec> loaded;
  for (const std::string& file : files) {
    ow::Status status = load_scenario_file(file, &loaded);
    if (!status.ok()) return status;
  }
  std::map<std::string, std::string> seen;  // id -> file
  for (const ScenarioSpec& spec : loaded) {
    auto [it, inserted] = seen.emplace(spec.id, spec.file);
    if (!inserted) {
      return ow::Status::Error(spec.file + ": duplicate scenario id " + spec.id + " (also in " +
                               it->second + ")");
    }
  }
  std::sort(loaded.begin(), loaded.end(),
            [](const ScenarioSpec& a, const ScenarioSpec& b) { return a.id < b.id; });
  *scenarios = std::move(loaded);
  return ow::Status::Ok();
}

}  // namespace conformance
