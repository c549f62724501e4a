// prepare_scenario: request bodies built like the platform builds them
// (C2 /init, C3 /run), placeholders resolved, expectations parsed.
#include "conformance/scenario/placeholders.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>

#include "conformance/platform/base64.h"
#include "conformance/scenario/expectations.h"
#include "conformance/scenario/scenario_spec.h"

namespace conformance {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxGenerated = 64u << 20;  // a typo must not ask for terabytes

bool is_placeholder(const json& v) {
  if (!v.is_object()) return false;
  for (const char* key : {"$gen", "$sent", "$file", "$literal"}) {
    if (v.contains(key)) return true;
  }
  return false;
}

ow::Status size_arg(const json& v, const std::string& where, std::size_t* bytes) {
  if (!v.contains("bytes") || !v["bytes"].is_number_integer() || v["bytes"].get<long long>() < 0 ||
      v["bytes"].get<std::size_t>() > kMaxGenerated) {
    return ow::Status::Error(where + ": bytes must be a count up to " +
                             std::to_string(kMaxGenerated));
  }
  *bytes = v["bytes"].get<std::size_t>();
  return ow::Status::Ok();
}

ow::Status only(const json& v, std::initializer_list<const char*> keys, const std::string& where) {
  for (const auto& item : v.items()) {
    bool known = false;
    for (const char* k : keys) known = known || item.key() == k;
    if (!known)
      return ow::Status::Error(where + ": unknown key '" + item.key() + "' in placeholder");
  }
  return ow::Status::Ok();
}

// {"$gen": "index" | "string" | "object_of_size", ...}
ow::Status resolve_gen(const json& v, const PlaceholderContext& ctx, const std::string& where,
                       json* out) {
  const std::string kind = v["$gen"].is_string() ? v["$gen"].get<std::string>() : "";
  if (kind == "index") {
    ow::Status status = only(v, {"$gen"}, where);
    if (status.ok()) *out = ctx.index;
    return status;
  }
  std::size_t bytes = 0;
  ow::Status status = size_arg(v, where, &bytes);
  if (!status.ok()) return status;
  if (kind == "string") {
    status = only(v, {"$gen", "bytes", "fill"}, where);
    if (!status.ok()) return status;
    std::string fill =
        v.contains("fill") && v["fill"].is_string() ? v["fill"].get<std::string>() : "a";
    if (fill.size() != 1 || static_cast<unsigned char>(fill[0]) < 0x20 || fill[0] == '"' ||
        fill[0] == '\\' || static_cast<unsigned char>(fill[0]) > 0x7e) {
      return ow::Status::Error(where +
                               ": fill must be one printable ASCII character other than \" and \\");
    }
    *out = ctx.dry_run ? json() : json(std::string(bytes, fill[0]));
    return ow::Status::Ok();
  }
  if (kind == "object_of_size") {
    status = only(v, {"$gen", "bytes"}, where);
    if (!status.ok()) return status;
    constexpr std::size_t kOverhead = 8;  // {"s":""}
    if (bytes < kOverhead) return ow::Status::Error(where + ": object_of_size needs bytes >= 8");
    *out = ctx.dry_run ? json() : json{{"s", std::string(bytes - kOverhead, 'a')}};
    return ow::Status::Ok();
  }
  return ow::Status::Error(where + ": $gen must be \"string\", \"object_of_size\" or \"index\"");
}

// {"$sent": "<key of the run body this request sent>"}
ow::Status resolve_sent(const json& v, const PlaceholderContext& ctx, const std::string& where,
                        json* out) {
  ow::Status status = only(v, {"$sent"}, where);
  if (!status.ok()) return status;
  if (!v["$sent"].is_string()) return ow::Status::Error(where + ": $sent names a body key");
  if (ctx.dry_run) {
    *out = nullptr;
    return ow::Status::Ok();
  }
  const std::string key = v["$sent"].get<std::string>();
  if (!ctx.sent || !ctx.sent->is_object() || !ctx.sent->contains(key)) {
    return ow::Status::Error(where + ": $sent " + key + ": this request sent no such key");
  }
  *out = (*ctx.sent)[key];
  return ow::Status::Ok();
}

// {"$file": "<name>", "role": "<role>", "get": "fnv1a64" | "size" | "text" | "first_line"}
ow::Status resolve_file(const json& v, const PlaceholderContext& ctx, const std::string& where,
                        json* out) {
  ow::Status status = only(v, {"$file", "role", "get"}, where);
  if (!status.ok()) return status;
  if (!v["$file"].is_string() || !v.contains("role") || !v["role"].is_string() ||
      !v.contains("get") || !v["get"].is_string()) {
    return ow::Status::Error(where + ": $file needs \"$file\": name, \"role\" and \"get\"");
  }
  const std::string get = v["get"].get<std::string>();
  if (get != "fnv1a64" && get != "size" && get != "text" && get != "first_line") {
    return ow::Status::Error(where + ": get must be fnv1a64, size, text or first_line");
  }
  if (ctx.dry_run) {
    *out = nullptr;
    return ow::Status::Ok();
  }
  if (!ctx.profile) return ow::Status::Error(where + ": $file needs a profile");
  std::string bytes;
  status = read_role_file(*ctx.profile, v["role"].get<std::string>(), v["$file"].get<std::string>(),
                          &bytes);
  if (!status.ok()) return ow::Status::Error(where + ": " + status.message());
  if (get == "fnv1a64") {
    *out = fnv1a64_hex(bytes);
  } else if (get == "size") {
    *out = bytes.size();
  } else if (get == "text") {
    *out = bytes;
  } else {
    *out = bytes.substr(0, bytes.find('\n'));
  }
  return ow::Status::Ok();
}

ow::Status resolve_one(const json& v, const PlaceholderContext& ctx, const std::string& where,
                       json* out) {
  if (v.contains("$literal")) {
    ow::Status status = only(v, {"$literal"}, where);
    if (status.ok()) *out = v["$literal"];
    return status;
  }
  if (v.contains("$gen")) return resolve_gen(v, ctx, where, out);
  if (v.contains("$sent")) return resolve_sent(v, ctx, where, out);
  return resolve_file(v, ctx, where, out);
}

ow::Status resolve_at(const json& in, const PlaceholderContext& ctx, const std::string& where,
                      json* out) {
  if (is_placeholder(in)) return resolve_one(in, ctx, where.empty() ? "/" : where, out);
  if (in.is_object()) {
    *out = json::object();
    for (const auto& [key, value] : in.items()) {
      json resolved;
      ow::Status status = resolve_at(value, ctx, where + "/" + key, &resolved);
      if (!status.ok()) return status;
      (*out)[key] = std::move(resolved);
    }
    return ow::Status::Ok();
  }
  if (in.is_array()) {
    *out = json::array();
    for (std::size_t i = 0; i < in.size(); ++i) {
      json resolved;
      ow::Status status = resolve_at(in[i], ctx, where + "/" + std::to_string(i), &resolved);
      if (!status.ok()) return status;
      out->push_back(std::move(resolved));
    }
    return ow::Status::Ok();
  }
  *out = in;
  return ow::Status::Ok();
}

}  // namespace

ow::Status resolve_placeholders(const json& in, const PlaceholderContext& context, json* out) {
  return resolve_at(in, context, "", out);
}

std::string fnv1a64_hex(const std::string& bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace conformance
