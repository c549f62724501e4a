// Profile: what the harness knows about a runtime under test (docs/profiles.md).
// A profile directory holds profile.json plus the action sources it names, in
// the runtime's language. It declares capabilities (stub, init_env,
// concurrency, archive kinds, ...) and maps action roles used by scenarios
// ("echo", "env", ...) to sources: a text file sent as code, a directory
// zipped at run time, or a list of files (possibly build outputs) zipped
// together.
//
// Values are plain data; loading reads files and never throws. Thread-safe
// for concurrent readers.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace conformance {

struct RoleSource {
  enum class Kind {
    kText,       // `path` is a file sent as text code (binary false)
    kDirectory,  // `path` is a directory, zipped (binary true)
    kFiles,      // `files` (archive name -> file path) zipped (binary true)
  };
  Kind kind = Kind::kText;
  std::string path;                                        // absolute
  std::vector<std::pair<std::string, std::string>> files;  // archive name -> absolute path
};

struct Profile {
  std::string name;         // from profile.json, e.g. "skeleton"
  std::string dir;          // absolute directory the profile was loaded from
  std::string language;     // informative, e.g. "sh"
  std::string description;  // informative
  // Capability name -> value as text. Booleans are "true"/"false"; lists are
  // comma-joined ("zip,tar.gz"); anything else as written ("parallel").
  std::map<std::string, std::string> capabilities;
  std::map<std::string, RoleSource> roles;
  // Role (or "role.mode") -> why this runtime family cannot express it, e.g.
  // "argv_stdin" for a function runtime. Scenarios using one are skipped.
  std::map<std::string, std::string> inexpressible;
};

// Loads <dir>/profile.json. Unknown keys, bad role forms, bad capability
// types are errors naming the file. Paths in the file are relative to `dir`;
// a role's files are read only when it is used (build_role_code), so a source
// tree profile whose build outputs are missing still loads.
ow::Status load_profile(const std::string& dir, Profile* profile);

// Applies "name=value" (e.g. from --capability init_env=false).
ow::Status set_capability(const std::string& assignment, Profile* profile);

// Whether a scenario `needs` entry holds: "name" (value truthy: not empty,
// "false", "no", "none" or "0"), or "name=value" (equal, or a member of a
// comma-joined list). `negated` for `needs_not` entries. On false, `why` says
// what was required and what the profile declares.
bool capability_satisfied(const Profile& profile, const std::string& need, bool negated,
                          std::string* why);

// Whether the profile can express `use`, a role ("exit_nonzero") or a role's
// mode ("bad_output.empty"): false when it or its role is declared
// inexpressible; `why` then names the profile, the use and the reason.
bool role_expressible(const Profile& profile, const std::string& use, std::string* why);

// The code an /init sends for a role: text (binary false) or zip bytes.
struct RoleCode {
  bool binary = false;
  std::string bytes;  // script text, or the zip archive (not yet base64)
};
ow::Status build_role_code(const Profile& profile, const std::string& role, RoleCode* code);

// Reads one file of a role's sources by its archive name (for directory and
// file-list roles) or the text file itself (name empty), to compute expected
// checksums/sizes/texts.
ow::Status read_role_file(const Profile& profile, const std::string& role, const std::string& name,
                          std::string* bytes);

}  // namespace conformance
