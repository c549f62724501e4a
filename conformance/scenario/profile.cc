#include "conformance/scenario/profile.h"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "conformance/platform/zip_builder.h"

namespace conformance {
namespace {

namespace fs = boost::filesystem;
using nlohmann::json;

ow::Status capability_text(const std::string& name, const json& value, std::string* text) {
  if (value.is_boolean()) {
    *text = value.get<bool>() ? "true" : "false";
  } else if (value.is_string()) {
    *text = value.get<std::string>();
  } else if (value.is_number_integer()) {
    *text = std::to_string(value.get<long long>());
  } else if (value.is_array()) {
    text->clear();
    for (const json& item : value) {
      if (!item.is_string()) {
        return ow::Status::Error("capability " + name + ": list items must be strings");
      }
      if (!text->empty()) *text += ",";
      *text += item.get<std::string>();
    }
  } else {
    return ow::Status::Error("capability " + name +
                             ": must be a boolean, string, integer or list of strings");
  }
  return ow::Status::Ok();
}

std::string under(const std::string& dir, const std::string& relative) {
  return (fs::path(dir) / relative).lexically_normal().string();
}

ow::Status parse_role(const std::string& dir, const std::string& name, const json& value,
                      RoleSource* role) {
  if (value.is_string()) {
    role->kind = RoleSource::Kind::kText;
    role->path = under(dir, value.get<std::string>());
    return ow::Status::Ok();
  }
  if (!value.is_object() || value.size() != 1) {
    return ow::Status::Error("role " + name +
                             ": must be a path or one of {\"text\": ..}, {\"zip\": ..}, "
                             "{\"zip_files\": {..}}");
  }
  const std::string key = value.begin().key();
  const json& arg = value.begin().value();
  if (key == "text" || key == "zip") {
    if (!arg.is_string()) return ow::Status::Error("role " + name + ": " + key + " needs a path");
    role->kind = key == "text" ? RoleSource::Kind::kText : RoleSource::Kind::kDirectory;
    role->path = under(dir, arg.get<std::string>());
    return ow::Status::Ok();
  }
  if (key == "zip_files") {
    if (!arg.is_object() || arg.empty()) {
      return ow::Status::Error("role " + name + ": zip_files needs {\"name in zip\": \"path\"}");
    }
    role->kind = RoleSource::Kind::kFiles;
    for (const auto& [archive_name, path] : arg.items()) {
      if (!path.is_string()) {
        return ow::Status::Error("role " + name + ": zip_files." + archive_name +
                                 " must be a path");
      }
      role->files.emplace_back(archive_name, under(dir, path.get<std::string>()));
    }
    return ow::Status::Ok();
  }
  return ow::Status::Error("role " + name + ": unknown source kind '" + key + "'");
}

bool truthy(const std::string& value) {
  return !(value.empty() || value == "false" || value == "no" || value == "none" || value == "0");
}

bool list_contains(const std::string& list, const std::string& item) {
  std::stringstream in(list);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (part == item) return true;
  }
  return false;
}

std::string missing_hint(const std::string& path) {
  return path +
         " does not exist (build outputs exist only in the build tree's copy of the "
         "profile: <build>/fixtures/profiles/<name>/)";
}

// "inexpressible": {"role" or "role.mode": "why the family cannot express it"}.
ow::Status parse_inexpressible(const json& value, std::map<std::string, std::string>* out) {
  if (!value.is_object()) return ow::Status::Error("inexpressible must be an object");
  for (const auto& [name, reason] : value.items()) {
    if (name == "$comment") continue;
    if (!reason.is_string() || reason.get<std::string>().empty()) {
      return ow::Status::Error("inexpressible '" + name +
                               "' needs the reason as a non-empty string");
    }
    (*out)[name] = reason.get<std::string>();
  }
  return ow::Status::Ok();
}

}  // namespace

ow::Status load_profile(const std::string& dir, Profile* profile) {
  const std::string file = (fs::path(dir) / "profile.json").string();
  std::ifstream in(file, std::ios::binary);
  if (!in) return ow::Status::Error("cannot read " + file);
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return ow::Status::Error(file + ": not valid JSON");
  if (!doc.is_object()) return ow::Status::Error(file + ": must be a JSON object");
  Profile result;
  boost::system::error_code ec;
  result.dir = fs::absolute(dir, fs::current_path(ec)).lexically_normal().string();
  for (const auto& [key, value] : doc.items()) {
    if (key == "name" || key == "language" || key == "description") {
      if (!value.is_string()) return ow::Status::Error(file + ": " + key + " must be a string");
      (key == "name"       ? result.name
       : key == "language" ? result.language
                           : result.description) = value.get<std::string>();
    } else if (key == "capabilities") {
      if (!value.is_object()) return ow::Status::Error(file + ": capabilities must be an object");
      for (const auto& [name, cap] : value.items()) {
        if (name == "$comment") continue;  // the reasons for the declarations
        std::string text;
        ow::Status status = capability_text(name, cap, &text);
        if (!status.ok()) return ow::Status::Error(file + ": " + status.message());
        result.capabilities[name] = text;
      }
    } else if (key == "inexpressible") {
      ow::Status status = parse_inexpressible(value, &result.inexpressible);
      if (!status.ok()) return ow::Status::Error(file + ": " + status.message());
    } else if (key == "roles") {
      if (!value.is_object()) return ow::Status::Error(file + ": roles must be an object");
      for (const auto& [name, role_value] : value.items()) {
        RoleSource role;
        ow::Status status = parse_role(result.dir, name, role_value, &role);
        if (!status.ok()) return ow::Status::Error(file + ": " + status.message());
        result.roles[name] = std::move(role);
      }
    } else if (key == "$comment" || key == "comment") {
      continue;
    } else {
      return ow::Status::Error(file + ": unknown key '" + key + "'");
    }
  }
  if (result.name.empty()) return ow::Status::Error(file + ": name is required");
  *profile = std::move(result);
  return ow::Status::Ok();
}

bool role_expressible(const Profile& profile, const std::string& use, std::string* why) {
  // "bad_output.empty" is covered by "bad_output.empty" and by "bad_output".
  for (std::string key = use;;) {
    auto it = profile.inexpressible.find(key);
    if (it != profile.inexpressible.end()) {
      *why = "profile " + profile.name + " cannot express " + use + ": " + it->second;
      return false;
    }
    const std::size_t dot = key.rfind('.');
    if (dot == std::string::npos) return true;
    key.resize(dot);
  }
}

ow::Status set_capability(const std::string& assignment, Profile* profile) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    return ow::Status::Error("capability override '" + assignment + "' must be name=value");
  }
  profile->capabilities[assignment.substr(0, eq)] = assignment.substr(eq + 1);
  return ow::Status::Ok();
}

bool capability_satisfied(const Profile& profile, const std::string& need, bool negated,
                          std::string* why) {
  const std::size_t eq = need.find('=');
  const std::string name = need.substr(0, eq);
  auto it = profile.capabilities.find(name);
  const std::string declared = it == profile.capabilities.end() ? "" : it->second;
  bool holds;
  if (eq == std::string::npos) {
    holds = truthy(declared);
  } else {
    const std::string wanted = need.substr(eq + 1);
    holds = declared == wanted || list_contains(declared, wanted);
  }
  if (holds != negated) return true;
  if (why) {
    *why = std::string(negated ? "needs no " : "needs ") + need + "; profile " + profile.name +
           " declares " + name + "=" + (declared.empty() ? "(nothing)" : declared);
  }
  return false;
}

ow::Status build_role_code(const Profile& profile, const std::string& role, RoleCode* code) {
  auto it = profile.roles.find(role);
  if (it == profile.roles.end()) {
    return ow::Status::Error("profile " + profile.name + " has no action role '" + role + "'");
  }
  const RoleSource& source = it->second;
  boost::system::error_code ec;
  std::vector<ZipEntry> entries;
  switch (source.kind) {
    case RoleSource::Kind::kText: {
      if (!fs::exists(source.path, ec)) return ow::Status::Error(missing_hint(source.path));
      ZipEntry entry;
      ow::Status status = read_file_entry(source.path, "exec", &entry);
      if (!status.ok()) return status;
      code->binary = false;
      code->bytes = std::move(entry.data);
      return ow::Status::Ok();
    }
    case RoleSource::Kind::kDirectory: {
      if (!fs::exists(source.path, ec)) return ow::Status::Error(missing_hint(source.path));
      ow::Status status = collect_directory(source.path, &entries);
      if (!status.ok()) return status;
      break;
    }
    case RoleSource::Kind::kFiles:
      for (const auto& [name, path] : source.files) {
        if (!fs::exists(path, ec)) return ow::Status::Error(missing_hint(path));
        ZipEntry entry;
        ow::Status status = read_file_entry(path, name, &entry);
        if (!status.ok()) return status;
        entries.push_back(std::move(entry));
      }
      break;
  }
  code->binary = true;
  return build_zip(entries, &code->bytes);
}

ow::Status read_role_file(const Profile& profile, const std::string& role, const std::string& name,
                          std::string* bytes) {
  auto it = profile.roles.find(role);
  if (it == profile.roles.end()) {
    return ow::Status::Error("profile " + profile.name + " has no action role '" + role + "'");
  }
  const RoleSource& source = it->second;
  std::string path;
  if (source.kind == RoleSource::Kind::kText) {
    path = source.path;
  } else if (source.kind == RoleSource::Kind::kDirectory) {
    path = under(source.path, name);
  } else {
    auto file = std::find_if(source.files.begin(), source.files.end(),
                             [&](const auto& f) { return f.first == name; });
    if (file == source.files.end()) {
      return ow::Status::Error("role " + role + " has no file '" + name + "'");
    }
    path = file->second;
  }
  boost::system::error_code ec;
  if (!fs::exists(path, ec)) return ow::Status::Error(missing_hint(path));
  ZipEntry entry;
  ow::Status status = read_file_entry(path, name, &entry);
  if (!status.ok()) return status;
  *bytes = std::move(entry.data);
  return ow::Status::Ok();
}

}  // namespace conformance
