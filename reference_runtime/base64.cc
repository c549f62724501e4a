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

int32_t Sextet(const char* at) { return kTable[static_cast<uint8_t>(*at)]; }

// The decoder's state between characters: whole quanta go straight out;
// whitespace, padding and errors take the careful path one character at a
// time.
class Decoder {
 public:
  Decoder(const char* in, size_t size, char* out) : in_(in), size_(size), out_(out) {}

  bool Run(size_t* decoded, std::string* error) {
    while (at_ < size_) {
      if (filled_ == 0 && padding_ == 0) DecodeWholeQuanta();
      if (at_ == size_) break;
      if (!Step(error)) return false;
    }
    if (!Finish(error)) return false;
    *decoded = written_;
    return true;
  }

 private:
  // Four alphabet characters at a time, while there are such.
  void DecodeWholeQuanta() {
    while (at_ + 4 <= size_) {
      const int32_t a = Sextet(in_ + at_), b = Sextet(in_ + at_ + 1), c = Sextet(in_ + at_ + 2),
                    d = Sextet(in_ + at_ + 3);
      if ((a | b | c | d) < 0) return;
      const uint32_t quantum = (static_cast<uint32_t>(a) << 18) | (static_cast<uint32_t>(b) << 12) |
                               (static_cast<uint32_t>(c) << 6) | static_cast<uint32_t>(d);
      at_ += 4;
      out_[written_] = static_cast<char>(quantum >> 16);
      out_[written_ + 1] = static_cast<char>(quantum >> 8);
      out_[written_ + 2] = static_cast<char>(quantum);
      written_ += 3;
    }
  }

  bool Step(std::string* error) {
    const size_t offset = at_++;
    const char c = in_[offset];
    if (IsSpace(c)) return true;
    if (c == '=') {
      // Padding only completes a quantum holding 2 or 3 sextets.
      if (filled_ + padding_ < 2) {
        *error = "invalid base64: misplaced '=' at offset " + std::to_string(offset);
        return false;
      }
      if (++padding_ + filled_ > 4) {
        *error = "invalid base64: too much padding";
        return false;
      }
      return true;
    }
    const int32_t value = Sextet(in_ + offset);
    if (value < 0) {
      *error = "invalid base64: unexpected character at offset " + std::to_string(offset);
      return false;
    }
    if (padding_ > 0) {
      *error = "invalid base64: data after '=' padding";
      return false;
    }
    quantum_ = (quantum_ << 6) | static_cast<uint32_t>(value);
    if (++filled_ == 4) {
      out_[written_++] = static_cast<char>(quantum_ >> 16);
      out_[written_++] = static_cast<char>(quantum_ >> 8);
      out_[written_++] = static_cast<char>(quantum_);
      quantum_ = 0;
      filled_ = 0;
    }
    return true;
  }

  bool Finish(std::string* error) {
    if (padding_ > 0 && filled_ + padding_ != 4) {
      *error = "invalid base64: incomplete padding";
      return false;
    }
    // Unpadded input is tolerated when the tail is a valid partial quantum.
    if (filled_ == 1) {
      *error = "invalid base64: truncated input";
      return false;
    }
    if (filled_ == 2) {
      out_[written_++] = static_cast<char>(quantum_ >> 4);
    } else if (filled_ == 3) {
      out_[written_++] = static_cast<char>(quantum_ >> 10);
      out_[written_++] = static_cast<char>(quantum_ >> 2);
    }
    return true;
  }

  const char* in_;
  size_t size_;
  char* out_;
  size_t at_ = 0;
  size_t written_ = 0;
  uint32_t quantum_ = 0;
  int filled_ = 0;   // sextets in the current quantum
  int padding_ = 0;  // '=' seen so far (only at the very end)
};

}  // namespace

bool DecodeBase64Into(const char* in, size_t size, char* out, size_t* decoded, std::string* error) {
  return Decoder(in, size, out).Run(decoded, error);
}

bool DecodeBase64(std::string_view text, std::string* out, std::string* error) {
  out->assign(text.size() / 4 * 3 + 3, '\0');
  size_t decoded = 0;
  if (!DecodeBase64Into(text.data(), text.size(), out->data(), &decoded, error)) {
    out->clear();
    return false;
  }
  out->resize(decoded);
  return true;
}

}  // namespace rr
