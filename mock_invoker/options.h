// Helpers shared by mock_invoker's subcommands: option value parsing, where
// profiles and the scenario catalogue are found, and selecting scenarios.
// Everything returns ow::Status / bool + message; nothing throws.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/scenario/profile.h"
#include "conformance/scenario/scenario_spec.h"

namespace mock_invoker {

// "K=V" -> K, V. K must be non-empty; V may be empty or hold '='.
ow::Status split_assignment(const std::string& text, const std::string& option, std::string* key,
                            std::string* value);

// "a,b,,c" -> {"a","b","c"}.
std::vector<std::string> split_commas(const std::string& text);

// Shell-style glob (*, ?, [..]) over a whole scenario ID.
bool matches_any_glob(const std::vector<std::string>& globs, const std::string& id);

// The directory holding the running executable ("" if unknown).
std::string executable_dir();

// Where mock_invoker's data (scenarios/, profiles/) may be, in this order:
// $OW_CONFORMANCE_DATA; <exe dir>/../share/openwhisk-runtime-conformance (an
// installed tree, wherever it was moved); <exe dir>/../fixtures (the build
// tree); <source dir>/fixtures.
std::vector<std::string> data_roots();

// Where a fixture lives: `name_or_dir` itself if it is an existing directory;
// else <root>/<kind>/<name> for the first of data_roots() that has it.
// Returns "" when none exists and says where it looked in `looked`.
std::string find_fixture_dir(const std::string& kind, const std::string& name_or_dir,
                             std::string* looked);
// The scenario catalogue: `dir` if given, else fixtures/scenarios searched
// like find_fixture_dir.
ow::Status find_scenarios_dir(const std::string& dir, std::string* found);

// The options list and check have in common.
struct Selection {
  std::string profile = "skeleton";
  std::string scenarios_dir;              // "" = default search
  std::vector<std::string> filters;       // globs; empty = all
  std::vector<std::string> capabilities;  // "K=V" overrides
};

// Loads the profile (with capability overrides) and the catalogue, and keeps
// the scenarios the filters select (catalogue order). `all_ids` gets every ID
// of the catalogue; `catalogue_version` (optional) its catalogue_digest. A
// filter that selects nothing is an error.
ow::Status load_selection(const Selection& selection, conformance::Profile* profile,
                          std::vector<conformance::ScenarioSpec>* selected,
                          std::vector<std::string>* all_ids,
                          std::string* catalogue_version = nullptr);

}  // namespace mock_invoker
