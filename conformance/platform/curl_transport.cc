// CurlTransport: see curl_transport.h for the contract.
#include "conformance/platform/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string_view>

namespace conformance {
namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_ALL); });
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool has_header(const Headers& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return to_lower(h.first) == lower_name; });
}

// Per-call state the libcurl callbacks write into.
struct Exchange {
  HttpResponse* response;
  std::size_t max_body_bytes;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  std::string& body = ex->response->body;
  const std::size_t room = ex->max_body_bytes - std::min(ex->max_body_bytes, body.size());
  if (n > room) {
    body.append(data, room);
    ex->response->body_truncated = true;
    return 0;  // aborts the transfer: CURLE_WRITE_ERROR, mapped to success
  }
  body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  HttpResponse& r = *ex->response;
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 100 Continue, say): start over.
    r.headers.clear();
    r.content_length.reset();
    r.chunked = false;
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;  // the blank line ending the headers
  std::string name = to_lower(trim(line.substr(0, colon)));
  std::string value(trim(line.substr(colon + 1)));
  if (name == "content-length") {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(value.c_str(), &end, 10);
    if (end != value.c_str() && *end == '\0') r.content_length = v;
  } else if (name == "transfer-encoding" && to_lower(value).find("chunked") != std::string::npos) {
    r.chunked = true;
  }
  r.headers.emplace_back(std::move(name), std::move(value));
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

TransportError classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return TransportError::kRefused;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::kTimeout;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return TransportError::kConnectionLost;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_CONTENT_ENCODING:
      return TransportError::kMalformed;
    default:
      return TransportError::kOther;
  }
}

std::string describe(TransportError kind, const std::string& url, long timeout_ms,
                     const char* curl_text) {
  std::string what;
  switch (kind) {
    case TransportError::kRefused:
      what = "connection refused: nothing accepts connections at " + url;
      break;
    case TransportError::kTimeout:
      what = "no complete response from " + url + " within " + std::to_string(timeout_ms) + " ms";
      break;
    case TransportError::kConnectionLost:
      what =
          "the runtime dropped the connection (closed or reset it before a complete response) (" +
          url + ")";
      break;
    case TransportError::kMalformed:
      what = "the runtime answered with bytes that are not an HTTP/1.1 response (" + url + ")";
      break;
    default:
      what = "HTTP exchange with " + url + " failed";
      break;
  }
  return what + " [curl: " + curl_text + "]";
}

}  // namespace

CurlTransport::CurlTransport() { init_curl_once(); }

HttpResult CurlTransport::send(const std::string& base_url, const HttpRequest& request) {
  init_curl_once();
  HttpResult result;
  const auto started = std::chrono::steady_clock::now();
  const std::string url = base_url + request.path;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    result.error = TransportError::kOther;
    result.error_message = "could not create a libcurl handle";
    return result;
  }

  Headers headers = request.headers;
  if (!has_header(headers, "content-type"))
    headers.emplace_back("Content-Type", "application/json");
  if (!has_header(headers, "accept")) headers.emplace_back("Accept", "application/json");
  std::unique_ptr<curl_slist, SlistDeleter> list;
  auto add_line = [&list](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next) {
      list.release();
      list.reset(next);
    }
  };
  for (const auto& [name, value] : headers) add_line(name + ": " + value);
  add_line("Expect:");  // no 100-continue round trip for large bodies

  Exchange exchange{&result.response, request.max_body_bytes};
  const long timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(h, CURLOPT_HTTP09_ALLOWED, 0L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST")
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  }
  char error_text[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);

  const CURLcode code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  result.response.status = static_cast<int>(status);
  result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);

  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && result.response.body_truncated)) {
    return result;
  }
  result.error = classify(code);
  const char* text = error_text[0] ? error_text : curl_easy_strerror(code);
  result.error_message = describe(result.error, url, timeout_ms, text);
  return result;
}

}  // namespace conformance
