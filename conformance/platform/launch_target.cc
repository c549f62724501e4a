// LaunchTarget and LaunchedInstance: see launch_target.h.
#include "conformance/platform/launch_target.h"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>

#include "conformance/platform/command_template.h"
#include "conformance/platform/free_port.h"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

bool mentions_port_in_use(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text.find("address already in use") != std::string::npos ||
         text.find("address in use") != std::string::npos ||
         text.find("eaddrinuse") != std::string::npos;
}

}  // namespace

ow::Status make_temp_dir(const std::string& prefix, std::string* path) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return ow::Status::Error("cannot create a temp directory " + pattern + ": " +
                             std::strerror(errno));
  }
  *path = pattern;
  return ow::Status::Ok();
}

LaunchedInstance::LaunchedInstance(std::string base_url, std::string temp_dir,
                                   std::chrono::milliseconds grace, AfterStop after_stop)
    : base_url_(std::move(base_url)),
      temp_dir_(std::move(temp_dir)),
      grace_(grace),
      after_stop_(std::move(after_stop)) {}

LaunchedInstance::~LaunchedInstance() { stop(); }

ow::Status LaunchedInstance::launch(ProcessLauncher& launcher, const ProcessSpec& spec) {
  return launcher.launch(spec, &logs_, &child_);
}

std::string LaunchedInstance::output_tail(std::size_t n) {
  // After an exit the pipes reach EOF at once; give the reader a moment.
  if (exited()) {
    logs_.wait_for_sentinels(LogMark{}, std::numeric_limits<std::size_t>::max(),
                             Clock::now() + std::chrono::milliseconds(300));
  }
  const auto lines = logs_.lines_since(LogMark{});
  for (Stream s : {Stream::kStderr, Stream::kStdout}) {
    std::vector<std::string> picked;
    for (auto it = lines.rbegin(); it != lines.rend() && picked.size() < n; ++it) {
      if (it->stream == s) picked.push_back(it->text);
    }
    if (picked.empty()) continue;
    std::string out = std::string("last lines of its ") + to_string(s) + ":";
    for (auto it = picked.rbegin(); it != picked.rend(); ++it) out += "\n  " + *it;
    return out;
  }
  return "it wrote nothing to stdout or stderr";
}

ow::Status LaunchedInstance::wait_ready(unsigned short port,
                                        std::chrono::milliseconds ready_timeout,
                                        const std::string& what, std::chrono::milliseconds hold) {
  auto gave_up = [this, &what]() -> std::string {
    if (!exited()) return "";
    return what + " " + exit_description() + " at start; " + output_tail(10);
  };
  ow::Status s = wait_until_accepting("127.0.0.1", port, ready_timeout, gave_up, hold);
  if (s.ok()) return s;
  if (exited()) return s;  // the message already holds the exit and output
  return ow::Status::Error(what + " " + s.message() + "; " + output_tail(10));
}

bool LaunchedInstance::exited() const { return child_ && child_->exited(); }

std::string LaunchedInstance::exit_description() const {
  return child_ ? child_->exit_description() : "";
}

void LaunchedInstance::stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  if (child_) {
    child_->terminate(grace_);
    if (after_stop_) after_stop_(*child_);
  }
  if (!temp_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp_dir_, ignored);
  }
}

LaunchTarget::LaunchTarget(std::string command_template, ProcessLauncher& launcher)
    : command_template_(std::move(command_template)), launcher_(launcher) {}

std::string LaunchTarget::describe() const { return "--launch " + command_template_; }

ow::Status LaunchTarget::start(const StartOptions& options,
                               std::unique_ptr<RuntimeInstance>* instance) {
  ow::Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    bool port_taken = false;
    last = start_once(options, instance, &port_taken);
    if (last.ok() || !port_taken) return last;
  }
  return last;
}

ow::Status LaunchTarget::start_once(const StartOptions& options,
                                    std::unique_ptr<RuntimeInstance>* instance, bool* port_taken) {
  unsigned short port = 0;
  ow::Status s = pick_free_port(&port);
  if (!s.ok()) return s;
  std::string dir;
  s = make_temp_dir("owconf-", &dir);
  if (!s.ok()) return s;
  auto launched = std::make_unique<LaunchedInstance>("http://127.0.0.1:" + std::to_string(port),
                                                     dir, options.stop_grace);

  ProcessSpec spec;
  spec.env = options.env;
  s = expand_command_template(command_template_, {{"port", std::to_string(port)}, {"dir", dir}},
                              &spec.argv);
  if (!s.ok()) return ow::Status::Error("bad --launch command: " + s.message());
  s = launched->launch(launcher_, spec);
  if (!s.ok()) return s;
  s = launched->wait_ready(port, options.ready_timeout,
                           "runtime `" + describe_argv(spec.argv) + "`",
                           std::chrono::milliseconds(0));
  if (!s.ok()) {
    *port_taken = launched->exited() && mentions_port_in_use(s.message());
    launched->stop();
    return s;
  }
  *instance = std::move(launched);
  return ow::Status::Ok();
}

}  // namespace conformance
