// Finding the (large) `code` string of an /init body without parsing it
// into a JSON document: the fast path for big archives.
#pragma once

#include <cstddef>
#include <string_view>

namespace rr {

// Where the characters of `value.code` lie in an /init body: [begin, end),
// without the quotes.
struct CodeSpan {
  size_t begin = 0;
  size_t end = 0;
};

// True when `body` holds exactly one top-level "value" key whose value is an
// object with exactly one "code" key whose value is a plain string: ASCII
// from 0x20 up, with no escape (as base64 is). Then the string's characters are its
// bytes, and with that span replaced by nothing the rest of the body still
// tells, when parsed, whether the whole is valid JSON. False in every other
// case (escaped keys, other shapes, malformed text): callers then parse the
// whole body. Reads only; the structure is not validated here.
bool FindPlainInitCode(std::string_view body, CodeSpan* span);

}  // namespace rr
