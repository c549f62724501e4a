// Command templates for --launch and --logs-from.
//
// The command is split into words WITHOUT a shell, with the quoting rules of
// a POSIX shell and nothing else: blanks separate words; '...' keeps text
// literally; "..." keeps text except that \" \\ \$ \` are escapes; outside
// quotes a backslash keeps the next character literally. There are no
// variables, globs, pipes or redirections: wrap the command in
// `sh -c '...'` explicitly if you want those.
//
// Placeholders `{port}` and `{dir}` are replaced AFTER splitting, inside
// every word (quoted or not), so a value with spaces stays one word. Other
// braces (e.g. JSON arguments) are left alone.
//
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace conformance {

// Fails (with the reason) on an unterminated quote, a trailing backslash or
// an empty command.
ow::Status split_command_line(const std::string& line, std::vector<std::string>* words);

// Replaces every `{name}` whose name is a key of `values`.
std::string substitute_placeholders(const std::string& word,
                                    const std::map<std::string, std::string>& values);

// split_command_line, then substitute_placeholders on each word.
ow::Status expand_command_template(const std::string& command_template,
                                   const std::map<std::string, std::string>& values,
                                   std::vector<std::string>* argv);

}  // namespace conformance
