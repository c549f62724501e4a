// Helpers for judging JSON values: recursive subset matching and short,
// readable renderings for failure messages. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace conformance {

// True when `expected` is contained in `actual`: objects recursively (every key
// of expected present in actual with a subset-matching value), everything
// else (arrays, scalars) by equality. On mismatch `where` gets a JSON pointer
// and the reason.
bool json_subset(const nlohmann::json& expected, const nlohmann::json& actual, std::string* where);

// Compact JSON text, elided in the middle past `max_chars` with a byte count.
std::string json_brief(const nlohmann::json& value, std::size_t max_chars = 300);
// The same for raw text.
std::string text_brief(const std::string& text, std::size_t max_chars = 300);

}  // namespace conformance
