// redact_secrets (redaction.h): the value of every "api_key" / __OW_API_KEY
// in text shown to people.
#include "conformance/report/redaction.h"

#include <string>

namespace conformance {
namespace {

constexpr char kMask[] = "***";
constexpr char kKey[] = "api_key";  // also matches the tail of __OW_API_KEY
constexpr std::size_t kKeyLength = sizeof kKey - 1;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Case-insensitive search for kKey from `from`.
std::size_t find_key(const std::string& text, std::size_t from) {
  for (std::size_t i = from; i + kKeyLength <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < kKeyLength && lower(text[i + k]) == kKey[k]) ++k;
    if (k == kKeyLength) return i;
  }
  return std::string::npos;
}

std::size_t skip(const std::string& text, std::size_t k, const char* chars) {
  while (k < text.size() && std::char_traits<char>::find(
                                chars, std::char_traits<char>::length(chars), text[k]) != nullptr) {
    ++k;
  }
  return k;
}

bool at(const std::string& text, std::size_t k, const std::string& token) {
  return k <= text.size() && text.compare(k, token.size(), token) == 0;
}

struct Span {
  std::size_t begin = 0, end = 0;
};

// A quoted key (`"api_key"`, `'api_key'` or, inside a JSON string,
// `\"api_key\"`): the value is the quoted string after the ':'. The value
// ends at its closing quote, or at the end of the line when a report elided
// the text mid-value (better to hide too much than to show half a key).
bool quoted_value(const std::string& text, std::size_t after_key, const std::string& quote,
                  Span* span) {
  std::size_t k = skip(text, after_key + quote.size(), " \t\r\n");
  if (k >= text.size() || text[k] != ':') return false;
  k = skip(text, k + 1, " \t\r\n");
  if (!at(text, k, quote)) return false;
  span->begin = k + quote.size();
  k = span->begin;
  while (k < text.size() && text[k] != '\n' && !at(text, k, quote)) {
    if (quote.size() == 1) {
      k += text[k] == '\\' ? 2 : 1;  // a backslash escapes the next character
    } else {
      k += at(text, k, "\\\\") ? 2 : 1;  // `\"` closes; only `\\` is an escape
    }
  }
  span->end = k < text.size() ? k : text.size();
  return span->end > span->begin;
}

// Env or log style: `__OW_API_KEY=value`, `api_key: value`, `api_key = 'v'`.
bool bare_value(const std::string& text, std::size_t after_key, Span* span) {
  std::size_t k = skip(text, after_key, " \t");
  if (k >= text.size() || (text[k] != ':' && text[k] != '=')) return false;
  k = skip(text, k + 1, " \t");
  if (k < text.size() && (text[k] == '"' || text[k] == '\'')) {
    const char quote = text[k];
    span->begin = k + 1;
    std::size_t end = span->begin;
    while (end < text.size() && text[end] != quote && text[end] != '\n') ++end;
    span->end = end;
    return span->end > span->begin;
  }
  static const std::string kValueEnd = " \t\r\n,;&}])\"'";
  span->begin = k;
  std::size_t end = k;
  while (end < text.size() && kValueEnd.find(text[end]) == std::string::npos) ++end;
  span->end = end;
  return span->end > span->begin;
}

bool secret_value(const std::string& text, std::size_t after_key, Span* span) {
  if (after_key < text.size() && (text[after_key] == '"' || text[after_key] == '\'')) {
    return quoted_value(text, after_key, std::string(1, text[after_key]), span);
  }
  if (at(text, after_key, "\\\"")) return quoted_value(text, after_key, "\\\"", span);
  return bare_value(text, after_key, span);
}

}  // namespace

std::string redact_secrets(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  std::size_t pos = find_key(text, 0);
  while (pos != std::string::npos) {
    const std::size_t after_key = pos + kKeyLength;
    Span span;
    // "api_keys", "api_key_id": other words, not the key.
    if ((after_key >= text.size() || !is_identifier_char(text[after_key])) &&
        secret_value(text, after_key, &span)) {
      out.append(text, copied, span.begin - copied);
      out += kMask;
      copied = span.end;
      pos = find_key(text, span.end);
    } else {
      pos = find_key(text, after_key);
    }
  }
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace conformance
