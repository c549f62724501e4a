// Private helpers shared by the reporters (printable_text.cc): making text
// from runtimes and scenarios safe to show. Pure functions, thread-safe,
// never throw on any input (any bytes, invalid UTF-8, control characters).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace conformance {
namespace printable_text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the UTF-8 sequence starting at text[pos] (pos < text.size()).
// Sets *code_point and returns the bytes consumed (>= 1). A byte that does not
// start a valid, shortest-form sequence of a Unicode scalar value yields
// kReplacementChar and consumes one byte, so decoding always moves forward.
std::size_t decode_utf8(const std::string& text, std::size_t pos, char32_t* code_point);

// Appends the UTF-8 encoding of a Unicode scalar value.
void append_utf8(char32_t code_point, std::string* out);

// Replaces every invalid UTF-8 sequence with U+FFFD.
std::string to_valid_utf8(const std::string& text);

// For terminals: valid UTF-8, and control characters other than '\t' and '\n'
// (ESC, '\r', NUL, DEL, ...) shown as "\xHH" so runtime output cannot
// move the cursor, recolour or clear the screen.
std::string printable(const std::string& text);

// "12 ms" style durations, rounded to whole milliseconds.
inline std::string format_ms(double ms) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.0f ms", ms > 0 ? ms : 0.0);
  return buf;
}

// Milliseconds as seconds with three decimals ("1.234"), for JUnit's time="".
inline std::string format_seconds(double ms) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f", ms > 0 ? ms / 1000.0 : 0.0);
  return buf;
}

// "C2" for "C2.6"; the whole section when it has no '.'.
inline std::string section_group(const std::string& section) {
  return section.substr(0, section.find('.'));
}

}  // namespace printable_text
}  // namespace conformance
