// redact_secrets (redaction.h): secret values (api_key / __OW_API_KEY,
// passwords, secrets, tokens, URL passwords) out of text shown to people.
#include "conformance/report/redaction.h"

#include <cctype>
#include <string>

namespace conformance {
namespace {

constexpr char kMask[] = "***";
// Keys whose values are secrets, matched case-insensitively at the end of a
// key (so __OW_API_KEY, DB_PASSWORD, GITHUB_TOKEN, client_secret match; the
// key must end there: "api_keys", "tokens" or "secretary" do not).
constexpr const char* kKeys[] = {"api_key", "password", "passwd", "secret", "token"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

struct KeyMatch {
  std::size_t at = std::string::npos;  // where the key starts
  std::size_t length = 0;
};

bool matches_at(const std::string& text, std::size_t i, const char* key, std::size_t length) {
  if (i + length > text.size()) return false;
  for (std::size_t k = 0; k < length; ++k)
    if (lower(text[i + k]) != key[k]) return false;
  return true;
}

// The first secret key at or after `from` (case-insensitive).
KeyMatch find_key(const std::string& text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    const char first = lower(text[i]);  // every key starts with one of these
    if (first != 'a' && first != 'p' && first != 's' && first != 't') continue;
    for (const char* key : kKeys) {
      const std::size_t length = std::char_traits<char>::length(key);
      if (matches_at(text, i, key, length)) return KeyMatch{i, length};
    }
  }
  return KeyMatch{};
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

// scheme://user:password@host -> scheme://user:***@host (a --url or a
// target's command line may carry credentials).
std::string redact_url_passwords(const std::string& text) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t scheme = text.find("://"); scheme != std::string::npos;
       scheme = text.find("://", scheme + 3)) {
    const std::size_t begin = scheme + 3;
    std::size_t end = begin;
    while (end < text.size() && text[end] != '/' && text[end] != '@' &&
           !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '"')
      ++end;
    if (end >= text.size() || text[end] != '@') continue;
    const std::size_t colon = text.find(':', begin);
    if (colon == std::string::npos || colon >= end || colon + 1 == end) continue;
    out.append(text, copied, colon + 1 - copied);
    out += kMask;
    copied = end;
  }
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace

std::string redact_secrets(const std::string& input) {
  const std::string text = redact_url_passwords(input);
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  KeyMatch key = find_key(text, 0);
  while (key.at != std::string::npos) {
    const std::size_t after_key = key.at + key.length;
    Span span;
    // "api_keys", "api_key_id", "tokens": other words, not the key.
    if ((after_key >= text.size() || !is_identifier_char(text[after_key])) &&
        secret_value(text, after_key, &span)) {
      out.append(text, copied, span.begin - copied);
      out += kMask;
      copied = span.end;
      key = find_key(text, span.end);
    } else {
      key = find_key(text, after_key);
    }
  }
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace conformance
