// Base64 (RFC 4648, standard alphabet, padded) encoding of archive bytes for
// the /init `code` field (C2.3). The harness never decodes. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace conformance {

std::string base64_encode(std::string_view bytes);

}  // namespace conformance
