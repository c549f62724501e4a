// Making outside text safe to log as one line of the runtime's own output.
#pragma once

#include <string>
#include <string_view>

namespace rr {

// `text` with every control character (bytes below 0x20, and 0x7f) written
// as an escape (\n, \r, \t, \xNN) and every backslash doubled, so that a
// logged reason is exactly one line and can never forge a sentinel or
// another log line. Other bytes (UTF-8 or not) are kept as they are.
std::string EscapeForLog(std::string_view text);

}  // namespace rr
