// Strict base64 decoding (RFC 4648 standard alphabet) for /init archives.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rr {

// Decodes `text` into `out`. ASCII whitespace (space, tab, CR, LF) anywhere is
// skipped; any other character outside the alphabet, misplaced or excess '='
// padding, or a length that is not a whole number of quanta is an error
// (returns false and sets `error`). Never throws.
bool DecodeBase64(std::string_view text, std::string* out, std::string* error);

// The same rules, decoding `size` characters at `in` to `out`, which may be
// `in` itself or any address before it (the output never overtakes the
// input): no second buffer for a large archive. Sets `*decoded` to the
// number of bytes written; on error what was written is unspecified.
bool DecodeBase64Into(const char* in, size_t size, char* out, size_t* decoded, std::string* error);

}  // namespace rr
