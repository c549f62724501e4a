// LaunchTarget and LaunchedInstance: see launch_target.h.
#include "conformance/platform/launch_target.h"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

#include "conformance/platform/command_template.h"
#include "conformance/platform/free_port.h"
#include "conformance/platform/interruption.h"

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

void LaunchedInstance::set_container(std::string docker_cli, std::string name) {
  docker_cli_ = std::move(docker_cli);
  container_ = std::move(name);
}

ow::Status LaunchedInstance::launch(ProcessLauncher& launcher, const ProcessSpec& spec) {
  ow::Status s = launcher.launch(spec, &logs_, &child_);
  LiveResources live;
  live.process_group = s.ok() && child_ ? child_->pid() : 0;
  live.container = container_;
  live.docker_cli = docker_cli_;
  live.temp_dir = temp_dir_;
  std::lock_guard<std::mutex> lock(stop_mu_);
  live_token_ = Interruption::instance().register_live(live);
  return s;
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

ow::Status LaunchedInstance::wait_ready(const std::string& host, unsigned short port,
                                        std::chrono::milliseconds ready_timeout,
                                        const std::string& what, std::chrono::milliseconds hold) {
  auto gave_up = [this, &what]() -> std::string {
    if (!exited()) return "";
    return what + " " + exit_description() + " at start; " + output_tail(10);
  };
  ow::Status s = wait_until_accepting(host, port, ready_timeout, gave_up, hold);
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
  if (live_token_ != 0) Interruption::instance().forget(live_token_);
}

void LaunchedInstance::watch_outside(std::string action_dir, std::string canary,
                                     std::string canary_text) {
  action_dir_ = std::move(action_dir);
  canary_ = std::move(canary);
  canary_text_ = std::move(canary_text);
}

std::string LaunchedInstance::outside_writes() {
  if (action_dir_.empty() || temp_dir_.empty()) return "";
  namespace fs = std::filesystem;
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(temp_dir_, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path path = it->path();
    if (path == fs::path(action_dir_)) {
      it.disable_recursion_pending();  // inside {dir} anything goes
      continue;
    }
    if (path == fs::path(canary_) || it->is_directory(ec)) continue;
    found.push_back(fs::relative(path, fs::path(action_dir_), ec).string());
  }
  std::string out;
  std::ifstream in(canary_, std::ios::binary);
  // A runtime may have put a directory there: a read error must not throw
  // (an istreambuf_iterator would), only leave the text short.
  std::ostringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  if (!in.is_open() || text != canary_text_) out = "the canary beside {dir} was changed or removed";
  if (!found.empty()) {
    if (!out.empty()) out += "; ";
    out += "files written beside {dir}:";
    for (std::size_t i = 0; i < found.size() && i < 5; ++i) out += " " + found[i];
    if (found.size() > 5) out += " (+" + std::to_string(found.size() - 5) + " more)";
  }
  return out;
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
  // {dir} sits five levels down a private temp dir, beside a canary file,
  // so an archive entry climbing out of it ("../x", up to four levels, also
  // from a subfolder of {dir} a runtime extracts into) lands where the
  // harness looks (outside_writes) and nowhere else.
  std::string sandbox;
  s = make_temp_dir("owconf-", &sandbox);
  if (!s.ok()) return s;
  const std::string parent = sandbox + "/w/x/y/z";
  const std::string dir = parent + "/action";
  const std::string canary = parent + "/canary.txt";
  const std::string canary_text = "conformance canary: the runtime must not write beside {dir}\n";
  std::error_code made;
  std::filesystem::create_directories(dir, made);
  std::ofstream(canary, std::ios::binary) << canary_text;
  if (made) return ow::Status::Error("cannot create " + dir + ": " + made.message());
  auto launched = std::make_unique<LaunchedInstance>("http://127.0.0.1:" + std::to_string(port),
                                                     sandbox, options.stop_grace);
  launched->watch_outside(dir, canary, canary_text);

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
