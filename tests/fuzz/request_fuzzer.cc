// Fuzzes the whole request path: raw bytes as a client would send them on one
// connection, read with Beast under the session's limits, answered by the
// real RequestHandler (real action store on disk, real result interpreter,
// an executor that runs nothing), encoded by the real wire encoder. Checks
// every answer is a well-formed HTTP response with a JSON body, and that the
// handler keeps its promises (fuzz_parts.h). Mirrors HttpSession::OnHeader /
// OnBody: body over the limit 413, header over the limit 431, other malformed
// HTTP 400 (then the connection closes), keep-alive for pipelined requests.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reference_runtime/request_handler.h"
#include "reference_runtime/wire_encoder.h"
#include "tests/fuzz/fuzz_parts.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kMaxBody = 1u << 20;
constexpr size_t kMaxHeader = 64u << 10;
constexpr int kMaxRequests = 8;

// A SyncReadStream over the fuzz input: hands out at most `chunk` bytes per
// read (the network splits requests anywhere), then end-of-stream.
class InputStream {
 public:
  using executor_type = asio::system_executor;
  InputStream(std::string_view bytes, size_t chunk) : rest_(bytes), chunk_(chunk) {}

  template <typename Buffers>
  size_t read_some(const Buffers& buffers, beast::error_code& error) {
    if (rest_.empty()) {
      error = asio::error::eof;
      return 0;
    }
    error = {};
    const size_t size =
        asio::buffer_copy(buffers, asio::buffer(rest_.data(), std::min(chunk_, rest_.size())));
    rest_.remove_prefix(size);
    return size;
  }
  template <typename Buffers>
  size_t read_some(const Buffers& buffers) {
    beast::error_code error;
    const size_t size = read_some(buffers, error);
    if (error) throw beast::system_error(error);
    return size;
  }

 private:
  std::string_view rest_;
  size_t chunk_;
};

// The runtime's parts, built once: the action dir is real and reused.
struct Parts {
  Parts() : store(fuzz::make_temp_dir("fuzz-request-") + "/action", 1u << 20) {
    fuzz::require(store.Prepare().ok(), "cannot prepare the action dir");
  }
  rr::DirActionStore store;
  fuzz::EchoExecutor executor;
  fuzz::CheckingLogWriter logs;
  rr::LastLineInterpreter interpreter;
  rr::ContentLengthEncoder encoder;
};

// The session's answer to a read error, or nothing when it just closes.
std::optional<rr::Response> AnswerToReadError(const beast::error_code& error) {
  if (error == http::error::body_limit) return rr::JsonError(413, "Request body too large.");
  if (error == http::error::header_limit) return rr::JsonError(431, "Request header too large.");
  if (error == http::error::end_of_stream || error == http::error::partial_message ||
      error == asio::error::eof) {
    return std::nullopt;
  }
  return rr::JsonError(400, "Malformed HTTP request: " + error.message() + ".");
}

// Checks the bytes on the wire parse back into the answer that was encoded.
void CheckWire(const std::string& wire, const rr::Response& response) {
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(wire.size());
  beast::error_code error;
  const size_t used = parser.put(asio::buffer(wire), error);
  fuzz::require(!error && parser.is_done() && used == wire.size(), "an answer that is not HTTP");
  fuzz::require(parser.get().result_int() == static_cast<unsigned>(response.status),
                "the wire status differs");
  fuzz::require(parser.get().body() == response.body, "the wire body differs");
}

void Answer(Parts& parts, const rr::Response& response, bool keep_alive) {
  fuzz::check_response(response);
  CheckWire(parts.encoder.Encode(response, keep_alive), response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Parts* parts = new Parts();
  if (size == 0) return 0;
  // The first byte picks how the input is split into reads.
  InputStream stream(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1),
                     1 + data[0] % 64 * 17);
  rr::RequestHandler handler({&parts->store, &parts->executor, &parts->logs, &parts->interpreter},
                             {"PATH=/usr/bin:/bin", "HOME=/root"}, 2);
  beast::flat_buffer buffer;
  for (int i = 0; i < kMaxRequests; ++i) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    parser.header_limit(kMaxHeader);
    beast::error_code error;
    http::read(stream, buffer, parser, error);
    if (error) {
      if (auto answer = AnswerToReadError(error)) Answer(*parts, *answer, false);
      return 0;
    }
    auto message = parser.release();
    rr::Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.body = std::move(message.body());
    const rr::Response response = fuzz::handle_once(handler, std::move(request));
    const bool keep_alive = message.keep_alive() && !response.close_connection;
    Answer(*parts, response, keep_alive);
    if (!keep_alive) return 0;
  }
  return 0;
}
