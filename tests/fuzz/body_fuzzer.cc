// Fuzzes body decoding: the base64 decoder on its own (checked against an
// independent encoder) and the JSON bodies of /init and /run through the real
// RequestHandler with an in-memory store, no HTTP in the way. The first byte
// picks the mode:
//   0  base64 text
//   1  an /init body
//   2  a /run body (before any /init)
//   3  an /init body, then a /run body (split at the first NUL)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "reference_runtime/base64.h"
#include "reference_runtime/request_handler.h"
#include "reference_runtime/result_interpreter.h"
#include "tests/fuzz/fuzz_parts.h"

namespace {

std::string Encode(const std::string& bytes) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t quantum = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) quantum |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) quantum |= static_cast<uint8_t>(bytes[i + 2]);
    out += alphabet[(quantum >> 18) & 63];
    out += alphabet[(quantum >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(quantum >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[quantum & 63] : '=';
  }
  return out;
}

// Whatever decodes re-encodes to the same (padded) length and decodes back to itself;
// a refusal says why.
void CheckBase64(std::string_view text) {
  std::string decoded, error;
  if (!rr::DecodeBase64(text, &decoded, &error)) {
    fuzz::require(!error.empty(), "a base64 refusal without a reason");
    return;
  }
  size_t significant = 0;
  for (char c : text) significant += !(c == ' ' || c == '\t' || c == '\r' || c == '\n');
  // An unpadded tail (2 or 3 sextets) is accepted as if padded.
  const std::string encoded = Encode(decoded);
  fuzz::require(encoded.size() == (significant + 3) / 4 * 4, "base64 decoded to the wrong length");
  std::string again;
  fuzz::require(rr::DecodeBase64(encoded, &again, &error) && again == decoded,
                "base64 does not round-trip");
}

struct Parts {
  fuzz::MemoryStore store;
  fuzz::EchoExecutor executor;
  fuzz::CheckingLogWriter logs;
  rr::LastLineInterpreter interpreter;
};

void Post(rr::RequestHandler& handler, const char* path, std::string_view body) {
  rr::Request request;
  request.method = "POST";
  request.target = path;
  request.body = std::string(body);
  fuzz::check_response(fuzz::handle_once(handler, std::move(request)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int mode = data[0] % 4;
  if (mode == 0) {
    CheckBase64(rest);
    return 0;
  }
  static Parts* parts = new Parts();
  rr::RequestHandler handler({&parts->store, &parts->executor, &parts->logs, &parts->interpreter},
                             {"PATH=/usr/bin:/bin"}, 2);
  if (mode == 1) {
    Post(handler, "/init", rest);
  } else if (mode == 2) {
    Post(handler, "/run", rest);
  } else {
    const size_t split = rest.find('\0');
    Post(handler, "/init", rest.substr(0, split));
    Post(handler, "/run", split == std::string_view::npos ? "{}" : rest.substr(split + 1));
  }
  return 0;
}
