#include "reference_runtime/request_bodies.h"

#include <utility>

#include "contract/contract_text.h"
#include "reference_runtime/activation_env.h"
#include "reference_runtime/base64.h"
#include "reference_runtime/init_code_scan.h"
#include "reference_runtime/json_depth.h"

namespace rr {

using nlohmann::json;

bool ParseBody(const std::string& body, json* out, std::string* error) {
  if (JsonNestingDepth(body, kMaxJsonDepth) > kMaxJsonDepth) {
    *error = "Malformed request: JSON nested too deeply.";
    return false;
  }
  *out = json::parse(body, nullptr, false);
  if (out->is_discarded()) {
    *error = "Malformed request: the body is not valid JSON.";
    return false;
  }
  if (!out->is_object()) {
    *error = "Malformed request: the body must be a JSON object.";
    return false;
  }
  return true;
}

namespace {

// Everything of a parsed /init body but the code's bytes; false (with
// `malformed` set) when the body breaks a rule.
bool ReadInitFields(const json& body, InitInput* input, std::string* code) {
  const json* value = nullptr;
  const json empty = json::object();
  auto found = body.find("value");
  value = found != body.end() ? &*found : &empty;
  if (!value->is_object()) {
    input->malformed = "Malformed init: value must be an object.";
    return false;
  }
  auto code_item = value->find("code");
  auto env_item = value->find("env");
  const bool code_ok = code_item == value->end() || code_item->is_null() || code_item->is_string();
  const bool env_ok = env_item == value->end() || env_item->is_null() || env_item->is_object();
  if (!code_ok || !env_ok) {
    input->malformed = "Malformed init: code must be a string and env an object.";
    return false;
  }
  if (env_item != value->end() && env_item->is_object()) {
    for (const auto& [key, item] : env_item->items()) {
      std::string text = EnvText(item);
      const std::string problem = EnvEntryProblem(key, text);
      if (!problem.empty()) {
        input->malformed = "Malformed init: " + problem + ".";
        return false;
      }
      input->env[key] = std::move(text);
    }
  }
  auto main = value->find("main");
  if (main != value->end() && main->is_string()) input->main = main->get<std::string>();
  auto binary = value->find("binary");
  input->binary = binary != value->end() && *binary == json(true);
  if (code != nullptr && code_item != value->end() && code_item->is_string()) {
    *code = code_item->get<std::string>();
  }
  return true;
}

// The fast path: `span` is a plain string (its characters are its bytes).
InitInput ReadInitWithPlainCode(std::string body, const CodeSpan& span) {
  InitInput input;
  std::string rest;
  rest.reserve(body.size() - (span.end - span.begin));
  rest.append(body, 0, span.begin).append(body, span.end, std::string::npos);
  json parsed;
  if (!ParseBody(rest, &parsed, &input.malformed) || !ReadInitFields(parsed, &input, nullptr)) {
    return input;
  }
  size_t size = span.end - span.begin;
  if (input.binary && size > 0) {
    if (!DecodeBase64Into(body.data() + span.begin, size, body.data(), &size, &input.undecodable)) {
      return input;
    }
  } else {
    body.erase(0, span.begin);
  }
  body.resize(size);
  input.code = std::move(body);
  return input;
}

}  // namespace

InitInput ReadInitBody(std::string body) {
  CodeSpan span;
  if (FindPlainInitCode(body, &span)) return ReadInitWithPlainCode(std::move(body), span);
  InitInput input;
  json parsed;
  if (!ParseBody(body, &parsed, &input.malformed)) return input;
  body = std::string();  // the document holds it all now
  std::string code;
  if (!ReadInitFields(parsed, &input, &code)) return input;
  if (input.binary && !code.empty()) {
    if (!DecodeBase64(code, &input.code, &input.undecodable)) input.code.clear();
  } else {
    input.code = std::move(code);
  }
  return input;
}

RunInput ReadRunBody(std::string body) {
  RunInput input;
  json parsed;
  if (!ParseBody(body, &parsed, &input.error)) {
    input.status = 400;
    return input;
  }
  body = std::string();
  auto value = parsed.find("value");
  if (value != parsed.end() && !value->is_object() && !value->is_array()) {
    input.status = 404;
    input.error = std::string(contract::kNotDictionaryArgument);
    return input;
  }
  input.stdin_bytes = value != parsed.end()
                          ? value->dump(-1, ' ', false, json::error_handler_t::replace)
                          : std::string("{}");
  if (value != parsed.end()) parsed.erase(value);
  input.context = std::move(parsed);
  return input;
}

}  // namespace rr
