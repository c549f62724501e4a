// hostile_runtime: a test-only HTTP "runtime" that misbehaves on purpose, so
// the harness's transport and launchers can be tested against each failure.
//
// Usage (keep stable; other test areas use it):
//   hostile_runtime --port N --mode MODE [--host 127.0.0.1] [--listen-after MS]
//
// It listens on host:port (after sleeping --listen-after ms, default 0) and
// answers every connection (one request per connection, then close) as MODE:
//   ok            200 {"ok":true} to everything; after a /run, writes
//                 "hostile_runtime: run" and then the sentinel to stdout and
//                 to stderr (a well-behaved runtime)
//   silent        reads the request, never answers (until the peer leaves)
//   stall-headers sends status line + headers (Content-Length: 100), stalls
//   endless-body  200 with a chunked body that never ends
//   short-body    declares Content-Length: 100, sends 10 bytes, closes
//   close-mid     sends half a header block, then resets the connection
//   empty-reply   closes without sending anything
//   not-http      answers garbage bytes that are not HTTP, closes
//   huge          declares and streams a 2 GiB body; stops when the peer goes
//   chunked       200 {"ok":true} with Transfer-Encoding: chunked (complete)
//   echo          200 {"method":..,"path":..,"content_type":..,"accept":..,
//                 "body_bytes":N} describing the request (header values
//                 lower-cased)
//   exit-at-start writes a reason to stderr and exits 1 before listening
//   log-flood     /init -> {"ok":true}; /run -> {} then 100 MiB of log lines
//                 on stdout, then the sentinels on stdout and stderr
//   empty-lines   /init -> {"ok":true}; /run -> {} then 2 million empty lines
//                 on each of stdout and stderr, then the sentinels
//   no-sentinel   /init -> {"ok":true}; /run -> {} and a log line, never a
//                 sentinel
// Exit status: 1 for exit-at-start, 2 for usage errors or when the port
// cannot be bound ("Address already in use" is printed then).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

namespace {

constexpr char kSentinel[] = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n";
std::mutex g_log_mu;  // keeps one activation's log lines together
std::string g_mode;

void write_all_fd(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    data += w;
    n -= static_cast<size_t>(w);
  }
}

bool send_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t w = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    off += static_cast<size_t>(w);
  }
  return true;
}

// What `echo` mode reports about a request.
struct RequestInfo {
  std::string method, path, lower_head;
  size_t body_bytes = 0;
};

// Reads one request; returns its path ("" if the peer left first).
std::string read_request(int fd, RequestInfo* info = nullptr) {
  std::string data;
  char buf[8192];
  size_t header_end = std::string::npos;
  while (header_end == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "";
    data.append(buf, static_cast<size_t>(n));
    header_end = data.find("\r\n\r\n");
  }
  size_t content_length = 0;
  std::string lower = data.substr(0, header_end);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto cl = lower.find("content-length:");
  if (cl != std::string::npos) content_length = std::strtoul(lower.c_str() + cl + 15, nullptr, 10);
  while (data.size() < header_end + 4 + content_length) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  const auto sp1 = data.find(' ');
  const auto sp2 = data.find(' ', sp1 + 1);
  if (sp1 == std::string::npos || sp2 == std::string::npos) return "/";
  if (info) {
    info->method = data.substr(0, sp1);
    info->path = data.substr(sp1 + 1, sp2 - sp1 - 1);
    info->lower_head = lower + "\r\n";
    info->body_bytes = data.size() - (header_end + 4);
  }
  return data.substr(sp1 + 1, sp2 - sp1 - 1);
}

// The value of a header in a lower-cased head, JSON-escaped enough for the
// plain values we expect.
std::string header_value(const std::string& lower_head, const std::string& name) {
  const auto at = lower_head.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 3;
  std::string value = lower_head.substr(start, lower_head.find("\r\n", start) - start);
  while (!value.empty() && value.front() == ' ') value.erase(0, 1);
  std::string out;
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out;
}

std::string echo_body(const RequestInfo& info) {
  return "{\"method\":\"" + info.method + "\",\"path\":\"" + info.path + "\",\"content_type\":\"" +
         header_value(info.lower_head, "content-type") + "\",\"accept\":\"" +
         header_value(info.lower_head, "accept") +
         "\",\"body_bytes\":" + std::to_string(info.body_bytes) + "}";
}

void wait_for_peer_to_leave(int fd) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
  }
}

std::string json_response(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void write_sentinels() {
  write_all_fd(1, kSentinel, sizeof kSentinel - 1);
  write_all_fd(2, kSentinel, sizeof kSentinel - 1);
}

void flood_logs() {
  std::string block;
  const std::string line = "hostile_runtime: flooding the log with a line of text............\n";
  while (block.size() + line.size() <= 64 * 1024) block += line;
  const size_t total = 100u << 20;
  for (size_t written = 0; written < total; written += block.size()) {
    write_all_fd(1, block.data(), block.size());
  }
}

void flood_empty_lines() {
  const std::string block(64 * 1024, '\n');
  const size_t total = 2'000'000;
  for (size_t written = 0; written < total; written += block.size()) {
    const size_t size = std::min(block.size(), total - written);
    write_all_fd(1, block.data(), size);
    write_all_fd(2, block.data(), size);
  }
}

void serve(int fd) {
  if (g_mode == "empty-reply") {
    read_request(fd);
  } else if (g_mode == "silent") {
    read_request(fd);
    wait_for_peer_to_leave(fd);
  } else if (g_mode == "stall-headers") {
    read_request(fd);
    send_all(fd,
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");
    wait_for_peer_to_leave(fd);
  } else if (g_mode == "endless-body") {
    read_request(fd);
    if (send_all(fd,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n")) {
      const std::string chunk = "4000\r\n" + std::string(0x4000, 'x') + "\r\n";
      while (send_all(fd, chunk)) {
      }
    }
  } else if (g_mode == "short-body") {
    read_request(fd);
    send_all(fd,
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
             "{\"ok\":true");
  } else if (g_mode == "close-mid") {
    read_request(fd);
    send_all(fd, "HTTP/1.1 200 OK\r\nContent-Ty");
    linger hard{1, 0};  // close with a reset
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  } else if (g_mode == "not-http") {
    read_request(fd);
    send_all(fd, std::string("\x01\x02garbage that is not HTTP at all\r\n\r\n\xff\xfe", 40));
  } else if (g_mode == "huge") {
    read_request(fd);
    if (send_all(fd,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Content-Length: 2147483648\r\n\r\n")) {
      const std::string block(64 * 1024, '0');
      for (size_t sent = 0; sent < (2ull << 30) && send_all(fd, block); sent += block.size()) {
      }
    }
  } else if (g_mode == "echo") {
    RequestInfo info;
    read_request(fd, &info);
    send_all(fd, json_response(echo_body(info)));
  } else if (g_mode == "chunked") {
    read_request(fd);
    send_all(fd,
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
             "b\r\n{\"ok\":true}\r\n0\r\n\r\n");
  } else {  // ok, log-flood, empty-lines, no-sentinel
    const std::string path = read_request(fd);
    const bool run = path == "/run";
    const std::string body = (g_mode != "ok" && run) ? "{}" : "{\"ok\":true}";
    send_all(fd, json_response(body));
    if (run) {
      std::lock_guard<std::mutex> lock(g_log_mu);
      if (g_mode == "ok") {
        const char line[] = "hostile_runtime: run\n";
        write_all_fd(1, line, sizeof line - 1);
        write_all_fd(2, line, sizeof line - 1);
        write_sentinels();
      } else if (g_mode == "log-flood") {
        flood_logs();
        write_sentinels();
      } else if (g_mode == "empty-lines") {
        flood_empty_lines();
        write_sentinels();
      } else {
        const char line[] = "hostile_runtime: no sentinel follows\n";
        write_all_fd(1, line, sizeof line - 1);
      }
    }
  }
  ::close(fd);
}

int usage(const char* why) {
  std::fprintf(stderr,
               "hostile_runtime: %s\nusage: hostile_runtime --port N --mode MODE "
               "[--host 127.0.0.1] [--listen-after MS]\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  int port = -1;
  long listen_after_ms = 0;
  std::string host = "127.0.0.1";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage(("missing value for " + arg).c_str());
    const char* value = argv[++i];
    if (arg == "--port") {
      port = std::atoi(value);
    } else if (arg == "--mode") {
      g_mode = value;
    } else if (arg == "--host") {
      host = value;
    } else if (arg == "--listen-after") {
      listen_after_ms = std::atol(value);
    } else {
      return usage(("unknown option " + arg).c_str());
    }
  }
  static const char* const kModes[] = {
      "ok",        "silent",        "stall-headers", "endless-body", "short-body",
      "close-mid", "empty-reply",   "not-http",      "huge",         "chunked",
      "echo",      "exit-at-start", "log-flood",     "no-sentinel",  "empty-lines"};
  bool known = false;
  for (const char* m : kModes) known = known || g_mode == m;
  if (!known) return usage(("unknown mode '" + g_mode + "'").c_str());
  if (port < 0 || port > 65535) return usage("--port N is required");
  if (g_mode == "exit-at-start") {
    std::fprintf(stderr, "hostile_runtime: exiting at start as asked (mode exit-at-start)\n");
    return 1;
  }
  if (listen_after_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(listen_after_ms));

  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return usage("bad --host");
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 64) != 0) {
    std::fprintf(stderr, "hostile_runtime: cannot listen on %s:%d: %s\n", host.c_str(), port,
                 std::strerror(errno));
    return 2;
  }
  std::fprintf(stderr, "hostile_runtime: listening on %s:%d, mode %s\n", host.c_str(), port,
               g_mode.c_str());
  for (;;) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE) continue;
      return 2;
    }
    std::thread(serve, fd).detach();
  }
}
