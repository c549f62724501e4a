// Reading /init and /run bodies into what the handler needs. Pure functions
// of the body (no state, no I/O): big bodies are read off the event loop.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace rr {

// Parses a request body; false with a reason for malformed or absurdly
// nested JSON (the serializer recurses), or a body that is not an object.
bool ParseBody(const std::string& body, nlohmann::json* out, std::string* error);

// An /init body, read. At most one of `malformed` (a 400 with that text) and
// `undecodable` (base64 that is not: the init fails) is set.
struct InitInput {
  std::string malformed;
  std::string undecodable;
  std::map<std::string, std::string> env;
  bool binary = false;
  std::string main;  // value.main when a string (the actionloop compiler's argument)
  // Text code, or the decoded archive bytes when `binary`; empty: no code.
  std::string code;
};

// Reads an /init body (C2): `value` an object, its `code` a string, `env` an
// object of exportable entries, `binary` true for a base64 zip. A large
// plain base64 `code` is neither parsed into a JSON document nor copied: it
// is decoded in place, into the front of `body`, which becomes `code`.
InitInput ReadInitBody(std::string body);

// A /run body, read: its `value` serialised for the action's stdin, the
// rest (the activation's context) kept as JSON.
struct RunInput {
  int status = 0;  // 0, or the status of a failure answer
  std::string error;
  std::string stdin_bytes;
  nlohmann::json context;  // the body without `value`
};

// Reads a /run body (C3): malformed JSON is a 400, a `value` that is neither
// object nor array a 404 (contract::kNotDictionaryArgument).
RunInput ReadRunBody(std::string body);

}  // namespace rr
