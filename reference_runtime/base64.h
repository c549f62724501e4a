// Strict base64 decoding (RFC 4648 standard alphabet) for /init archives.
#pragma once

#include <string>
#include <string_view>

namespace rr {

// Decodes `text` into `out`. ASCII whitespace (space, tab, CR, LF) anywhere is
// skipped; any other character outside the alphabet, misplaced or excess '='
// padding, or a length that is not a whole number of quanta is an error
// (returns false and sets `error`). Never throws.
bool DecodeBase64(std::string_view text, std::string* out, std::string* error);

}  // namespace rr
