// Secrets out of text shown to people (every report, the console, invoke).
#pragma once

#include <string>

namespace conformance {

// Replaces secrets (the value of "api_key" / __OW_API_KEY) in text shown to people.
std::string redact_secrets(const std::string& text);

}  // namespace conformance
