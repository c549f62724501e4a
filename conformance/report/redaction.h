// Secrets out of text shown to people (every report, the console, invoke).
#pragma once

#include <string>

namespace conformance {

// Replaces secrets in text shown to people with "***": the value of any key
// ending in api_key, password, passwd, secret or token (JSON, env and log
// styles: "api_key":"v", __OW_API_KEY=v, DB_PASSWORD: v), and the password
// of a URL (http://user:***@host). Every report, the console and the
// --write-expected-failures header pass their texts through it.
std::string redact_secrets(const std::string& text);

}  // namespace conformance
