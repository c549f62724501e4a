// UrlTarget: see url_target.h.
#include "conformance/platform/url_target.h"

#include <cstdlib>

#include "conformance/platform/command_template.h"
#include "conformance/platform/free_port.h"

namespace conformance {
namespace {

class UrlInstance : public RuntimeInstance {
 public:
  UrlInstance(std::string base_url, LogCapture* logs)
      : base_url_(std::move(base_url)), logs_(logs) {}
  const std::string& base_url() const override { return base_url_; }
  LogCapture* logs() override { return logs_; }
  bool exited() const override { return false; }
  std::string exit_description() const override { return ""; }
  void stop() override {}  // not ours to stop

 private:
  const std::string base_url_;
  LogCapture* logs_;
};

}  // namespace

ow::Status parse_http_url(const std::string& url, std::string* host, unsigned short* port,
                          std::string* base_url) {
  const std::string scheme = "http://";
  auto bad = [&url](const std::string& why) {
    return ow::Status::Error("bad --url '" + url + "': " + why);
  };
  if (url.rfind(scheme, 0) != 0) return bad("only http://host:port URLs are supported");
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  if (authority.empty()) return bad("no host");
  std::string port_text;
  if (authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return bad("unterminated [IPv6] host");
    *host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("junk after the host");
      port_text = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.find(':');
    *host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (host->empty()) return bad("no host");
  *port = 80;
  if (!port_text.empty()) {
    char* end = nullptr;
    const long p = std::strtol(port_text.c_str(), &end, 10);
    if (*end != '\0' || p < 1 || p > 65535) return bad("port must be 1..65535");
    *port = static_cast<unsigned short>(p);
  }
  *base_url = url;
  while (base_url->size() > scheme.size() && base_url->back() == '/') base_url->pop_back();
  return ow::Status::Ok();
}

UrlTarget::UrlTarget(std::string url, std::string logs_from_cmd, ProcessLauncher& launcher)
    : url_(std::move(url)), logs_from_cmd_(std::move(logs_from_cmd)), launcher_(launcher) {}

UrlTarget::~UrlTarget() {
  if (logs_process_) logs_process_->terminate(std::chrono::milliseconds(500));
  logs_process_.reset();
}

std::string UrlTarget::describe() const {
  return "--url " + url_ + (logs_from_cmd_.empty() ? "" : " --logs-from " + logs_from_cmd_);
}

ow::Status UrlTarget::start_logs_locked() {
  if (logs_from_cmd_.empty() || logs_) return ow::Status::Ok();
  ProcessSpec spec;
  ow::Status s = split_command_line(logs_from_cmd_, &spec.argv);
  if (!s.ok()) return ow::Status::Error("bad --logs-from command: " + s.message());
  auto logs = std::make_unique<LogCapture>();
  s = launcher_.launch(spec, logs.get(), &logs_process_);
  if (!s.ok()) return ow::Status::Error("--logs-from: " + s.message());
  logs_ = std::move(logs);
  return ow::Status::Ok();
}

ow::Status UrlTarget::start(const StartOptions& options,
                            std::unique_ptr<RuntimeInstance>* instance) {
  std::string host, base_url;
  unsigned short port = 0;
  ow::Status s = parse_http_url(url_, &host, &port, &base_url);
  if (!s.ok()) return s;
  LogCapture* logs = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s = start_logs_locked();
    if (!s.ok()) return s;
    logs = logs_.get();
  }
  s = wait_until_accepting(host, port, options.ready_timeout, nullptr);
  if (!s.ok()) return ow::Status::Error("runtime at " + url_ + " " + s.message());
  *instance = std::make_unique<UrlInstance>(base_url, logs);
  return ow::Status::Ok();
}

}  // namespace conformance
