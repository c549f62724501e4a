// Parsing of a step's resolved `expect` (docs/scenarios.md). Judging lives in
// judge_step.cc and judge_logs.cc.
#include "conformance/scenario/expectations.h"

#include <regex>

namespace conformance {
namespace {

using nlohmann::json;

ow::Status check_regex(const std::string& pattern, const std::string& where) {
  try {
    std::regex compiled(pattern);
  } catch (const std::regex_error& e) {
    return ow::Status::Error(where + ": bad regex '" + pattern + "': " + e.what());
  }
  return ow::Status::Ok();
}

ow::Status only_keys(const json& object, std::initializer_list<const char*> allowed,
                     const std::string& where) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const char* key : allowed) known = known || item.key() == key;
    if (!known) return ow::Status::Error(where + ": unknown key '" + item.key() + "'");
  }
  return ow::Status::Ok();
}

ow::Status int_set(const json& value, const std::string& where, std::set<int>* out) {
  const json list = value.is_array() ? value : json::array({value});
  for (const json& item : list) {
    if (!item.is_number_integer() || item.get<int>() < 100 || item.get<int>() > 599) {
      return ow::Status::Error(where + ": status codes must be integers from 100 to 599");
    }
    out->insert(item.get<int>());
  }
  if (out->empty()) return ow::Status::Error(where + ": empty status list");
  return ow::Status::Ok();
}

ow::Status parse_status(const json& value, StatusExpectation* out) {
  out->specified = true;
  if (value.is_object()) {
    ow::Status status = only_keys(value, {"not", "any_of"}, "status");
    if (!status.ok()) return status;
    if (value.contains("not")) {
      status = int_set(value["not"], "status.not", &out->none_of);
      if (!status.ok()) return status;
    }
    if (value.contains("any_of")) {
      status = int_set(value["any_of"], "status.any_of", &out->any_of);
      if (!status.ok()) return status;
    }
    if (value.empty()) return ow::Status::Error("status: {} says nothing");
    return ow::Status::Ok();
  }
  return int_set(value, "status", &out->any_of);
}

ow::Status parse_value_check(const json& value, const std::string& where, ValueCheck* check) {
  static const char* kForms[] = {"equals", "one_of", "regex", "absent", "present", "type"};
  if (value.is_object() && value.size() == 1) {
    const std::string key = value.begin().key();
    const json& arg = value.begin().value();
    for (const char* form : kForms) {
      if (key != form) continue;
      if (key == "equals") {
        check->kind = ValueCheck::Kind::kEquals;
        check->value = arg;
      } else if (key == "one_of") {
        if (!arg.is_array() || arg.empty()) {
          return ow::Status::Error(where + ": one_of needs a non-empty list");
        }
        check->kind = ValueCheck::Kind::kOneOf;
        check->value = arg;
      } else if (key == "regex") {
        if (!arg.is_string()) return ow::Status::Error(where + ": regex must be a string");
        check->kind = ValueCheck::Kind::kRegex;
        check->pattern = arg.get<std::string>();
        return check_regex(check->pattern, where);
      } else if (key == "absent" || key == "present") {
        if (arg != true) return ow::Status::Error(where + ": " + key + " must be true");
        check->kind = key == "absent" ? ValueCheck::Kind::kAbsent : ValueCheck::Kind::kPresent;
      } else {
        static const std::set<std::string> kTypes = {"object", "array",   "string",
                                                     "number", "boolean", "null"};
        if (!arg.is_string() || !kTypes.count(arg.get<std::string>())) {
          return ow::Status::Error(where +
                                   ": type must be one of object, array, string, number, "
                                   "boolean, null");
        }
        check->kind = ValueCheck::Kind::kType;
        check->value = arg;
      }
      return ow::Status::Ok();
    }
  }
  check->kind = ValueCheck::Kind::kEquals;
  check->value = value;
  return ow::Status::Ok();
}

ow::Status parse_body(const json& value, BodyExpectation* out) {
  if (!value.is_object()) return ow::Status::Error("body must be an object");
  ow::Status status =
      only_keys(value, {"equals", "subset", "pointers", "regex", "is", "max_bytes"}, "body");
  if (!status.ok()) return status;
  if (value.contains("equals")) out->equals = value["equals"];
  if (value.contains("subset")) out->subset = value["subset"];
  if (value.contains("regex")) {
    if (!value["regex"].is_string()) return ow::Status::Error("body.regex must be a string");
    out->regex = value["regex"].get<std::string>();
    status = check_regex(*out->regex, "body.regex");
    if (!status.ok()) return status;
  }
  if (value.contains("max_bytes")) {
    const json& max = value["max_bytes"];
    if (!max.is_number_integer() || max.get<long long>() < 0) {
      return ow::Status::Error("body.max_bytes must be a byte count");
    }
    out->max_bytes = max.get<std::size_t>();
  }
  if (value.contains("is")) {
    const json& is = value["is"];
    if (!is.is_string() || (is != "json" && is != "object" && is != "array")) {
      return ow::Status::Error("body.is must be \"json\", \"object\" or \"array\"");
    }
    out->is = is.get<std::string>();
  }
  if (value.contains("pointers")) {
    if (!value["pointers"].is_object()) {
      return ow::Status::Error("body.pointers must be an object of pointer -> check");
    }
    for (const auto& [pointer, check_value] : value["pointers"].items()) {
      const std::string where = "body.pointers[" + pointer + "]";
      try {
        json::json_pointer parsed(pointer);
        (void)parsed;
      } catch (const json::exception& e) {
        return ow::Status::Error(where + ": bad JSON pointer: " + e.what());
      }
      ValueCheck check;
      status = parse_value_check(check_value, where, &check);
      if (!status.ok()) return status;
      out->pointers.emplace_back(pointer, std::move(check));
    }
  }
  return ow::Status::Ok();
}

ow::Status strings(const json& value, const std::string& where, std::vector<std::string>* out,
                   bool regexes) {
  if (!value.is_array()) return ow::Status::Error(where + " must be a list of strings");
  for (const json& item : value) {
    if (!item.is_string()) return ow::Status::Error(where + " must be a list of strings");
    out->push_back(item.get<std::string>());
    if (regexes) {
      ow::Status status = check_regex(out->back(), where);
      if (!status.ok()) return status;
    }
  }
  return ow::Status::Ok();
}

ow::Status parse_stream(const json& value, const std::string& where, StreamLogExpectation* out) {
  if (!value.is_object()) return ow::Status::Error(where + " must be an object");
  ow::Status status = only_keys(value,
                                {"contains", "mentions", "contains_regex", "absent", "absent_regex",
                                 "in_order", "empty", "sentinels", "before_sentinel"},
                                where);
  if (!status.ok()) return status;
  struct {
    const char* key;
    std::vector<std::string>* list;
    bool regex;
  } lists[] = {{"contains", &out->contains, false},
               {"mentions", &out->mentions, false},
               {"contains_regex", &out->contains_regex, true},
               {"absent", &out->absent, false},
               {"absent_regex", &out->absent_regex, true},
               {"in_order", &out->in_order, false}};
  for (const auto& l : lists) {
    if (!value.contains(l.key)) continue;
    status = strings(value[l.key], where + "." + l.key, l.list, l.regex);
    if (!status.ok()) return status;
  }
  for (const char* key : {"empty", "before_sentinel"}) {
    if (!value.contains(key)) continue;
    if (!value[key].is_boolean())
      return ow::Status::Error(where + "." + key + " must be a boolean");
    (std::string(key) == "empty" ? out->empty : out->before_sentinel) = value[key].get<bool>();
  }
  if (value.contains("sentinels")) {
    if (!value["sentinels"].is_number_integer() || value["sentinels"].get<long long>() < 0) {
      return ow::Status::Error(where + ".sentinels must be a count");
    }
    out->sentinels = value["sentinels"].get<std::size_t>();
  }
  return ow::Status::Ok();
}

}  // namespace

bool StreamLogExpectation::any() const {
  return !contains.empty() || !mentions.empty() || !contains_regex.empty() || !absent.empty() ||
         !absent_regex.empty() || !in_order.empty() || empty || sentinels.has_value() ||
         before_sentinel;
}

bool platform_outcome_from_name(const std::string& name, std::optional<ActivationStatus>* out) {
  if (name == "success") {
    *out = ActivationStatus::kSuccess;
  } else if (name == "application_error") {
    *out = ActivationStatus::kApplicationError;
  } else if (name == "developer_error") {
    *out = ActivationStatus::kDeveloperError;
  } else {
    return false;
  }
  return true;
}

Overlap overlap_from_name(const std::string& name, bool* ok) {
  *ok = true;
  if (name == "parallel") return Overlap::kParallel;
  if (name == "refuse") return Overlap::kRefuse;
  if (name == "either") return Overlap::kEither;
  *ok = false;
  return Overlap::kEither;
}

ow::Status parse_response_expectation(const json& expect, ResponseExpectation* out) {
  if (!expect.is_object()) return ow::Status::Error("expect must be an object");
  ow::Status status = only_keys(
      expect, {"status", "platform_outcome", "body", "headers", "logs", "concurrency", "$comment"},
      "expect");
  if (!status.ok()) return status;
  ResponseExpectation result;
  if (expect.contains("platform_outcome")) {
    const json& outcome = expect["platform_outcome"];
    if (!outcome.is_string() ||
        !platform_outcome_from_name(outcome.get<std::string>(), &result.platform_outcome)) {
      return ow::Status::Error(
          "platform_outcome must be \"success\", \"application_error\" or \"developer_error\"");
    }
  }
  if (expect.contains("status")) {
    status = parse_status(expect["status"], &result.status);
    if (!status.ok()) return status;
  }
  if (expect.contains("body")) {
    status = parse_body(expect["body"], &result.body);
    if (!status.ok()) return status;
  }
  if (expect.contains("headers")) {
    const json& headers = expect["headers"];
    if (!headers.is_object()) return ow::Status::Error("headers must be an object");
    status = only_keys(headers, {"json_content_type"}, "headers");
    if (!status.ok()) return status;
    if (headers.contains("json_content_type")) {
      if (!headers["json_content_type"].is_boolean()) {
        return ow::Status::Error("headers.json_content_type must be a boolean");
      }
      result.json_content_type = headers["json_content_type"].get<bool>();
    }
  }
  *out = std::move(result);
  return ow::Status::Ok();
}

ow::Status parse_log_expectation(const json& logs, LogExpectation* out) {
  if (!logs.is_object()) return ow::Status::Error("logs must be an object");
  ow::Status status = only_keys(logs, {"stdout", "stderr"}, "logs");
  if (!status.ok()) return status;
  LogExpectation result;
  if (logs.contains("stdout")) {
    status = parse_stream(logs["stdout"], "logs.stdout", &result.out);
    if (!status.ok()) return status;
  }
  if (logs.contains("stderr")) {
    status = parse_stream(logs["stderr"], "logs.stderr", &result.err);
    if (!status.ok()) return status;
  }
  *out = std::move(result);
  return ow::Status::Ok();
}

ow::Status parse_concurrency_expectation(const json& concurrency, ConcurrencyExpectation* out) {
  if (!concurrency.is_object()) return ow::Status::Error("concurrency must be an object");
  ow::Status status = only_keys(concurrency, {"overlap", "log_marker"}, "concurrency");
  if (!status.ok()) return status;
  ConcurrencyExpectation result;
  if (concurrency.contains("overlap")) {
    bool ok = concurrency["overlap"].is_string();
    if (ok) result.overlap = overlap_from_name(concurrency["overlap"].get<std::string>(), &ok);
    if (!ok) {
      return ow::Status::Error(
          "concurrency.overlap must be \"parallel\", \"refuse\", \"either\" or \"capability\"");
    }
  }
  if (concurrency.contains("log_marker")) {
    if (!concurrency["log_marker"].is_string()) {
      return ow::Status::Error("concurrency.log_marker must be a string");
    }
    result.log_marker = concurrency["log_marker"].get<std::string>();
    if (result.log_marker.find("{i}") == std::string::npos) {
      return ow::Status::Error("concurrency.log_marker must contain {i} (the request index)");
    }
    std::string sample = result.log_marker;
    sample.replace(sample.find("{i}"), 3, "0");
    status = check_regex(sample, "concurrency.log_marker");
    if (!status.ok()) return status;
  }
  *out = std::move(result);
  return ow::Status::Ok();
}

}  // namespace conformance
