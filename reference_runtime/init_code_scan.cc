#include "reference_runtime/init_code_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstdint>

namespace rr {
namespace {

// Length of the run of plain string characters at `at` (printable ASCII but
// '"' and '\\'), 16 at a time where SSE2 is available.
size_t PlainRun(const char* at, const char* end) {
  const char* start = at;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - at >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    // Signed: bytes >= 0x80 are negative, so "less than 0x20" catches them too.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                     _mm_cmplt_epi8(chunk, space));
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return static_cast<size_t>(at - start) + __builtin_ctz(mask);
    at += 16;
  }
#endif
  while (at < end) {
    const auto c = static_cast<uint8_t>(*at);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
    ++at;
  }
  return static_cast<size_t>(at - start);
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool Run(CodeSpan* span) {
    if (!Expect('{')) return false;
    int values = 0;
    bool more = !Expect('}');
    while (more) {
      CodeSpan key;
      bool plain = false;
      if (!String(&key, &plain) || !plain || !Expect(':')) return false;
      if (Is(key, "value")) {
        ++values;
        Space();
        if (!Peek('{')) return false;  // not an object: nothing to find here
        if (!ValueObject(span)) return false;
      } else if (!SkipValue()) {
        return false;
      }
      if (Expect('}')) break;
      if (!Expect(',')) return false;
    }
    return values == 1 && codes_ == 1 && code_plain_;
  }

 private:
  bool ValueObject(CodeSpan* span) {
    ++at_;  // '{'
    if (Expect('}')) return true;
    while (true) {
      CodeSpan key;
      bool plain = false;
      if (!String(&key, &plain) || !plain || !Expect(':')) return false;
      Space();
      if (Is(key, "code")) {
        ++codes_;
        if (!Peek('"') || !String(span, &code_plain_)) return false;
      } else if (!SkipValue()) {
        return false;
      }
      if (Expect('}')) return true;
      if (!Expect(',')) return false;
    }
  }

  // At a '"' (after spaces): the string's content span; `plain` when it has
  // no escape and only printable ASCII.
  bool String(CodeSpan* span, bool* plain) {
    Space();
    if (!Peek('"')) return false;
    span->begin = ++at_;
    *plain = true;
    while (true) {
      at_ += PlainRun(text_.data() + at_, text_.data() + text_.size());
      if (at_ >= text_.size()) return false;
      const char c = text_[at_];
      if (c == '"') break;
      *plain = false;
      at_ += c == '\\' ? 2 : 1;
    }
    span->end = at_++;
    return true;
  }

  // Any value, nested ones by counting brackets outside strings.
  bool SkipValue() {
    Space();
    size_t depth = 0;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '"') {
        CodeSpan ignored;
        bool plain = false;
        if (!String(&ignored, &plain)) return false;
        if (depth == 0) return true;
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return true;  // the end of the enclosing object
        if (--depth == 0) {
          ++at_;
          return true;
        }
      } else if (depth == 0 && IsEnd(c)) {
        return true;
      }
      ++at_;
    }
    return false;
  }

  static bool IsEnd(char c) {
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
  void Space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t'))
      ++at_;
  }
  bool Peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
  bool Expect(char c) {
    Space();
    if (!Peek(c)) return false;
    ++at_;
    return true;
  }
  bool Is(const CodeSpan& span, std::string_view word) const {
    return text_.substr(span.begin, span.end - span.begin) == word;
  }

  std::string_view text_;
  size_t at_ = 0;
  int codes_ = 0;
  bool code_plain_ = false;
};

}  // namespace

bool FindPlainInitCode(std::string_view body, CodeSpan* span) {
  CodeSpan found;
  if (!Scanner(body).Run(&found)) return false;
  *span = found;
  return true;
}

}  // namespace rr
