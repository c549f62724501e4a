#include "reference_runtime/base64.h"

#include <array>
#include <cstdint>

namespace rr {
namespace {

constexpr std::array<int8_t, 256> MakeTable() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kTable = MakeTable();

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

bool DecodeBase64(std::string_view text, std::string* out, std::string* error) {
  out->clear();
  out->reserve(text.size() / 4 * 3);
  uint32_t quantum = 0;
  int filled = 0;   // sextets in the current quantum
  int padding = 0;  // '=' seen so far (only at the very end)
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsSpace(c)) continue;
    if (c == '=') {
      // Padding only completes a quantum holding 2 or 3 sextets.
      if (filled + padding < 2) {
        *error = "invalid base64: misplaced '=' at offset " + std::to_string(i);
        return false;
      }
      ++padding;
      if (filled + padding > 4) {
        *error = "invalid base64: too much padding";
        return false;
      }
      continue;
    }
    const int8_t value = kTable[static_cast<uint8_t>(c)];
    if (value < 0) {
      *error = "invalid base64: unexpected character at offset " + std::to_string(i);
      return false;
    }
    if (padding > 0) {
      *error = "invalid base64: data after '=' padding";
      return false;
    }
    quantum = (quantum << 6) | static_cast<uint32_t>(value);
    if (++filled == 4) {
      out->push_back(static_cast<char>((quantum >> 16) & 0xff));
      out->push_back(static_cast<char>((quantum >> 8) & 0xff));
      out->push_back(static_cast<char>(quantum & 0xff));
      quantum = 0;
      filled = 0;
    }
  }
  if (padding > 0 && filled + padding != 4) {
    *error = "invalid base64: incomplete padding";
    return false;
  }
  // Unpadded input is tolerated when the tail is a valid partial quantum.
  if (filled == 1) {
    *error = "invalid base64: truncated input";
    return false;
  }
  if (filled == 2) {
    out->push_back(static_cast<char>((quantum >> 4) & 0xff));
  } else if (filled == 3) {
    out->push_back(static_cast<char>((quantum >> 10) & 0xff));
    out->push_back(static_cast<char>((quantum >> 2) & 0xff));
  }
  return true;
}

}  // namespace rr
