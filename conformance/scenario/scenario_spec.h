// ScenarioSpec: one scenario file as written (docs/scenarios.md), validated
// but not yet applied to a profile. Requests and expectations stay JSON here
// (they may hold placeholders such as {"$sent": "value"}); prepare_scenario()
// resolves them. Values are plain data; thread-safe for concurrent readers.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/report/run_report.h"
#include "conformance/scenario/scenario.h"

namespace conformance {

struct StepSpec {
  std::string name;  // "init", "run", "run#2", "concurrent", or as given
  StepKind kind = StepKind::kRun;
  // The request as written: for init {"action", "main", "env", "code",
  // "binary", "archive_damage", "body", "raw_body", "name"}; for run
  // {"value", "context", "omit", "body", "raw_body"}; for concurrent the run
  // keys plus {"action"...} are not allowed. Validated by the loader.
  nlohmann::json request = nlohmann::json::object();
  std::size_t concurrency = 1;  // kConcurrentRuns only
  std::chrono::milliseconds timeout{10000};
  bool timeout_set = false;  // the file chose it (then --timeout does not replace it)
  nlohmann::json expect = nlohmann::json::object();  // see expectations.h
};

struct ScenarioSpec {
  std::string id, title, section, requirement;
  Level level = Level::kMust;
  std::vector<std::string> needs;      // capabilities required ("stub", "concurrency=parallel")
  std::vector<std::string> needs_not;  // capabilities that must be absent/false
  // Role modes the scenario relies on ("bad_output.empty"), besides the roles
  // of its init steps: skipped when the profile declares one inexpressible.
  std::vector<std::string> uses;
  bool fresh = true;  // false: may run on an instance already initialised like its first init
  std::map<std::string, std::string> runtime_env;  // the runtime's own environment
  std::vector<StepSpec> steps;
  std::string file;  // where it was loaded from (for messages)
};

// Parses one scenario object. `origin` names it in errors ("file.json").
ow::Status parse_scenario(const nlohmann::json& doc, const std::string& origin, ScenarioSpec* spec);

// Parses one file: an object (one scenario) or an array of scenario objects.
ow::Status load_scenario_file(const std::string& path, std::vector<ScenarioSpec>* scenarios);

// Roles (profile action names) a scenario's init steps use.
std::vector<std::string> roles_used(const ScenarioSpec& spec);

// Loads every *.json scenario file under `dir` (sorted by id). Duplicate ids,
// unknown keys, bad sections or levels are errors naming the file.
ow::Status load_catalogue(const std::string& dir, std::vector<ScenarioSpec>* scenarios);

}  // namespace conformance
