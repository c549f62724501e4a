// A guard against pathologically nested JSON before it reaches the
// (recursive) serializer.
#pragma once

#include <cstddef>
#include <string_view>

namespace rr {

// Deepest nesting of arrays/objects in `text`, ignoring brackets inside
// strings. Stops counting once `limit` is passed (returns a value > limit).
// Works on any bytes, valid JSON or not.
size_t JsonNestingDepth(std::string_view text, size_t limit);

// Nesting accepted in request bodies and results.
inline constexpr size_t kMaxJsonDepth = 1000;

}  // namespace rr
