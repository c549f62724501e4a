#include "mock_invoker/options.h"

#include <fnmatch.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "conformance/scenario/catalogue_digest.h"
#include "conformance/scenario/scenario.h"
#include "conformance/scenario/scenario_spec.h"

#ifndef OW_SOURCE_DIR
#define OW_SOURCE_DIR ""
#endif

namespace mock_invoker {
namespace fs = std::filesystem;

ow::Status split_assignment(const std::string& text, const std::string& option, std::string* key,
                            std::string* value) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return ow::Status::Error(option + " expects KEY=VALUE, got '" + text + "'");
  }
  *key = text.substr(0, eq);
  *value = text.substr(eq + 1);
  return ow::Status::Ok();
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

bool matches_any_glob(const std::vector<std::string>& globs, const std::string& id) {
  if (globs.empty()) return true;
  for (const auto& g : globs)
    if (fnmatch(g.c_str(), id.c_str(), 0) == 0) return true;
  return false;
}

std::string executable_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  buf[n] = '\0';
  return fs::path(buf).parent_path().string();
}

static bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::vector<std::string> data_roots() {
  std::vector<std::string> roots;
  if (const char* env = std::getenv("OW_CONFORMANCE_DATA"); env && *env) roots.push_back(env);
  const std::string exe = executable_dir();
  if (!exe.empty()) {
    roots.push_back((fs::path(exe) / ".." / "share" / "openwhisk-runtime-conformance").string());
    roots.push_back((fs::path(exe) / ".." / "fixtures").string());
  }
  if (std::string(OW_SOURCE_DIR).size() > 0)
    roots.push_back((fs::path(OW_SOURCE_DIR) / "fixtures").string());
  return roots;
}

std::string find_fixture_dir(const std::string& kind, const std::string& name_or_dir,
                             std::string* looked) {
  std::vector<fs::path> candidates = {fs::path(name_or_dir)};
  // A bare name is also looked up among the fixtures; a path is taken as given.
  if (name_or_dir.find('/') == std::string::npos && !name_or_dir.empty()) {
    for (const auto& root : data_roots()) candidates.push_back(fs::path(root) / kind / name_or_dir);
  }
  std::string tried;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const fs::path& c = candidates[i];
    // Under fixtures/, a profile counts once its profile.json is there (the
    // build tree copy may be half made before the build finished).
    std::error_code ec;
    const bool complete = i == 0 || kind != "profiles" || fs::exists(c / "profile.json", ec);
    if (is_dir(c) && complete) return fs::weakly_canonical(c).string();
    tried += (tried.empty() ? "" : ", ") + c.lexically_normal().string();
  }
  if (looked) *looked = tried;
  return "";
}

ow::Status find_scenarios_dir(const std::string& dir, std::string* found) {
  if (!dir.empty()) {
    if (!is_dir(dir)) return ow::Status::Error("--scenarios: no such directory '" + dir + "'");
    *found = dir;
    return ow::Status::Ok();
  }
  for (const auto& root : data_roots()) {
    const fs::path c = fs::path(root) / "scenarios";
    if (is_dir(c)) {
      *found = fs::weakly_canonical(c).string();
      return ow::Status::Ok();
    }
  }
  return ow::Status::Error(
      "cannot find the scenario catalogue (scenarios/ under $OW_CONFORMANCE_DATA, "
      "<bin>/../share/openwhisk-runtime-conformance or fixtures/); use --scenarios DIR");
}

ow::Status load_selection(const Selection& selection, conformance::Profile* profile,
                          std::vector<conformance::ScenarioSpec>* selected,
                          std::vector<std::string>* all_ids, std::string* catalogue_version) {
  std::string looked;
  const std::string profile_dir = find_fixture_dir("profiles", selection.profile, &looked);
  if (profile_dir.empty()) {
    return ow::Status::Error("unknown profile '" + selection.profile + "' (looked in: " + looked +
                             ")");
  }
  ow::Status s = conformance::load_profile(profile_dir, profile);
  if (!s.ok()) return ow::Status::Error("profile: " + s.message());
  for (const auto& c : selection.capabilities) {
    s = conformance::set_capability(c, profile);
    if (!s.ok()) return ow::Status::Error("--capability: " + s.message());
  }

  std::string scenarios_dir;
  s = find_scenarios_dir(selection.scenarios_dir, &scenarios_dir);
  if (!s.ok()) return s;
  std::vector<conformance::ScenarioSpec> catalogue;
  s = conformance::load_catalogue(scenarios_dir, &catalogue);
  if (!s.ok()) return ow::Status::Error("scenarios: " + s.message());
  if (catalogue_version) {
    s = conformance::catalogue_digest(scenarios_dir, catalogue_version);
    if (!s.ok()) return ow::Status::Error("scenarios: " + s.message());
  }

  selected->clear();
  for (auto& spec : catalogue) {
    if (all_ids) all_ids->push_back(spec.id);
    if (matches_any_glob(selection.filters, spec.id)) selected->push_back(std::move(spec));
  }
  if (selected->empty() && !selection.filters.empty()) {
    std::string joined;
    for (const auto& f : selection.filters) joined += (joined.empty() ? "" : ",") + f;
    return ow::Status::Error("--filter '" + joined +
                             "' selects no scenario (try `mock_invoker list`)");
  }
  return ow::Status::Ok();
}

}  // namespace mock_invoker
