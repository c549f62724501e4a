// Command templates: see command_template.h for the rules.
#include "conformance/platform/command_template.h"

namespace conformance {

ow::Status split_command_line(const std::string& line, std::vector<std::string>* words) {
  words->clear();
  std::string word;
  bool in_word = false;
  enum { kPlain, kSingle, kDouble } mode = kPlain;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    switch (mode) {
      case kPlain:
        if (c == ' ' || c == '\t' || c == '\n') {
          if (in_word) words->push_back(word);
          word.clear();
          in_word = false;
        } else if (c == '\'') {
          mode = kSingle;
          in_word = true;
        } else if (c == '"') {
          mode = kDouble;
          in_word = true;
        } else if (c == '\\') {
          if (i + 1 == line.size()) {
            return ow::Status::Error("command ends with a lone backslash: " + line);
          }
          word += line[++i];
          in_word = true;
        } else {
          word += c;
          in_word = true;
        }
        break;
      case kSingle:
        if (c == '\'') {
          mode = kPlain;
        } else {
          word += c;
        }
        break;
      case kDouble:
        if (c == '"') {
          mode = kPlain;
        } else if (c == '\\' && i + 1 < line.size() &&
                   std::string("\"\\$`").find(line[i + 1]) != std::string::npos) {
          word += line[++i];
        } else {
          word += c;
        }
        break;
    }
  }
  if (mode != kPlain) {
    return ow::Status::Error(std::string("unterminated ") +
                             (mode == kSingle ? "single" : "double") +
                             " quote in command: " + line);
  }
  if (in_word) words->push_back(word);
  if (words->empty()) return ow::Status::Error("empty command");
  return ow::Status::Ok();
}

std::string substitute_placeholders(const std::string& word,
                                    const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t i = 0;
  while (i < word.size()) {
    if (word[i] == '{') {
      const auto close = word.find('}', i + 1);
      if (close != std::string::npos) {
        const auto it = values.find(word.substr(i + 1, close - i - 1));
        if (it != values.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += word[i++];
  }
  return out;
}

ow::Status expand_command_template(const std::string& command_template,
                                   const std::map<std::string, std::string>& values,
                                   std::vector<std::string>* argv) {
  std::vector<std::string> words;
  ow::Status s = split_command_line(command_template, &words);
  if (!s.ok()) return s;
  argv->clear();
  for (const auto& w : words) argv->push_back(substitute_placeholders(w, values));
  return ow::Status::Ok();
}

}  // namespace conformance
