#include "conformance/scenario/json_compare.h"

namespace conformance {
namespace {

std::string escape_pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool subset_at(const nlohmann::json& expected, const nlohmann::json& actual,
               const std::string& pointer, std::string* where) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      *where = (pointer.empty() ? "/" : pointer) + ": expected an object, got " +
               json_brief(actual, 120);
      return false;
    }
    for (const auto& [key, value] : expected.items()) {
      const std::string child = pointer + "/" + escape_pointer_token(key);
      auto it = actual.find(key);
      if (it == actual.end()) {
        *where = child + ": missing";
        return false;
      }
      if (!subset_at(value, *it, child, where)) return false;
    }
    return true;
  }
  if (expected != actual) {
    *where = (pointer.empty() ? "/" : pointer) + ": expected " + json_brief(expected, 120) +
             ", got " + json_brief(actual, 120);
    return false;
  }
  return true;
}

}  // namespace

bool json_subset(const nlohmann::json& expected, const nlohmann::json& actual, std::string* where) {
  std::string ignored;
  return subset_at(expected, actual, "", where ? where : &ignored);
}

std::string text_brief(const std::string& text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  const std::size_t half = max_chars / 2;
  return text.substr(0, half) + "...(" + std::to_string(text.size()) + " bytes)..." +
         text.substr(text.size() - half);
}

std::string json_brief(const nlohmann::json& value, std::size_t max_chars) {
  // Invalid UTF-8 in a string must not throw while rendering a message.
  return text_brief(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    max_chars);
}

}  // namespace conformance
