// Turning a ScenarioSpec into a PreparedScenario for one profile
// (prepare_scenario in scenario.h): request bodies built the way the platform
// builds them (C2, C3), generated values and placeholders resolved, and the
// `expect` parsed. Pure apart from reading the profile's source files.
//
// Placeholders (objects with exactly one "$..." key; docs/scenarios.md):
//   in requests:      {"$gen": "string", "bytes": N, "fill": "x"}
//                     {"$gen": "object_of_size", "bytes": N}   (compact JSON text of N bytes)
//                     {"$gen": "index"}                        (request index in a concurrent step)
//   in expectations:  {"$sent": "value"} or {"$sent": "<context key>"}  (what this request sent)
//                     {"$file": "<name>", "role": "<role>", "get": "fnv1a64"|"size"|"text"}
//   anywhere:         {"$literal": <json>}  (taken as is)
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "conformance/scenario/profile.h"

namespace conformance {

// What placeholders can refer to while preparing one request.
struct PlaceholderContext {
  const Profile* profile = nullptr;      // for $file; null: $file is an error
  std::size_t index = 0;                 // for $gen index
  const nlohmann::json* sent = nullptr;  // the run body this request sent (for $sent)
  // Only check placeholder syntax and replace each by null (scenario loading,
  // before any profile is known).
  bool dry_run = false;
};

// Replaces every placeholder in `in`. Errors name the JSON pointer.
ow::Status resolve_placeholders(const nlohmann::json& in, const PlaceholderContext& context,
                                nlohmann::json* out);

// 64-bit FNV-1a of bytes, as 16 lower-case hex digits (what the skeleton's
// binary action reports; the harness computes its own).
std::string fnv1a64_hex(const std::string& bytes);

}  // namespace conformance
