// Making text safe to show: secrets redacted (redact_secrets), invalid UTF-8
// replaced and control characters made visible (printable_text helpers).
#include <cstdio>
#include <string>

#include "conformance/report/printable_text.h"
#include "conformance/report/reporters.h"

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

namespace printable_text {

std::size_t decode_utf8(const std::string& text, std::size_t pos, char32_t* code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  *code_point = kReplacementChar;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  std::size_t length;
  char32_t value, minimum;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 1;  // continuation byte, overlong C0/C1 or F5..FF
  }
  if (pos + length > text.size()) return 1;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char c = byte(pos + i);
    if ((c & 0xC0) != 0x80) return 1;
    value = (value << 6) | (c & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 1;
  *code_point = value;
  return length;
}

void append_utf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string to_valid_utf8(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const std::size_t length = decode_utf8(text, i, &cp);
    if (cp == kReplacementChar && length == 1) {
      append_utf8(cp, &out);
    } else {
      out.append(text, i, length);
    }
    i += length;
  }
  return out;
}

std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const std::size_t length = decode_utf8(text, i, &cp);
    i += length;
    char escaped[16];
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) {
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(cp));
      out += escaped;
    } else if (cp >= 0x80 && cp <= 0x9F) {  // C1 controls: terminals obey some (CSI)
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(cp));
      out += escaped;
    } else {
      append_utf8(cp, &out);
    }
  }
  return out;
}

}  // namespace printable_text
}  // namespace conformance
