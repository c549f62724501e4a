// ImageTarget: see image_target.h.
#include "conformance/platform/image_target.h"

#include <unistd.h>

#include <random>
#include <sstream>
#include <thread>

#include "conformance/platform/free_port.h"
#include "conformance/platform/launch_target.h"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

std::string random_container_name() {
  static const char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  std::string name = "owconf-" + std::to_string(::getpid()) + "-";
  for (int i = 0; i < 12; ++i) name += kHex[gen() % 16];
  return name;
}

std::chrono::milliseconds left_until(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(1),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

// Waits until the container runs; returns its address ("" if it has none).
ow::Status container_address(const std::string& cli, const std::string& name,
                             LaunchedInstance& launched, Clock::time_point deadline,
                             std::string* address) {
  const std::string format =
      "{{.State.Running}} {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}";
  for (;;) {
    if (launched.exited()) return ow::Status::Ok();  // wait_ready reports the exit
    std::string out;
    const auto bound = std::min(left_until(deadline), std::chrono::milliseconds(10000));
    if (run_docker(cli, {"container", "inspect", "--format", format, name}, bound, &out).ok()) {
      std::istringstream words(out);
      std::string running;
      words >> running;
      if (running == "true") {
        words >> *address;
        return ow::Status::Ok();
      }
    }
    if (Clock::now() >= deadline) return ow::Status::Ok();  // wait_ready reports the timeout
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

ImageTarget::ImageTarget(std::string image, ImageOptions options, ProcessLauncher& launcher)
    : image_(std::move(image)), options_(std::move(options)), launcher_(launcher) {}

ow::Status ImageTarget::prepare() {
  if (image_.empty()) return ow::Status::Error("--image needs an image name");
  remove_orphaned_containers(options_.cli);
  return ensure_image(options_.cli, image_, options_.pull);
}

std::vector<std::string> ImageTarget::run_argv(const StartOptions& options, const std::string& name,
                                               unsigned short port) const {
  std::vector<std::string> argv = {options_.cli, "run", "--rm", "--pull", "never", "--name", name};
  for (auto& label : owner_label_args()) argv.push_back(label);
  argv.push_back("-p");
  argv.push_back("127.0.0.1:" + std::to_string(port) + ":" +
                 std::to_string(options_.container_port));
  for (const auto& [k, v] : options.env) {
    argv.push_back("-e");
    argv.push_back(k + "=" + v);
  }
  for (const auto& a : options_.docker_args) argv.push_back(a);
  argv.push_back(image_);
  return argv;
}

ow::Status ImageTarget::start(const StartOptions& options,
                              std::unique_ptr<RuntimeInstance>* instance) {
  if (image_.empty()) return ow::Status::Error("--image needs an image name");
  unsigned short port = 0;
  ow::Status s = pick_free_port(&port);
  if (!s.ok()) return s;
  const std::string name = random_container_name();
  const std::string cli = options_.cli;
  auto after_stop = [cli, name](const ChildProcess& child) {
    if (child.exit_description().find("signal 9") != std::string::npos)
      remove_containers(cli, {name});
  };
  auto launched = std::make_unique<LaunchedInstance>("http://127.0.0.1:" + std::to_string(port), "",
                                                     options.stop_grace, after_stop);
  launched->set_container(cli, name);
  ProcessSpec spec;
  spec.argv = run_argv(options, name, port);
  s = launched->launch(launcher_, spec);
  if (!s.ok()) return s;

  const auto deadline = Clock::now() + options.ready_timeout;
  const std::string what = "image " + image_ + " (docker run)";
  std::string address;
  s = container_address(cli, name, *launched, deadline, &address);
  if (s.ok() && !address.empty()) {
    // Direct to the container: refused until the runtime listens.
    s = launched->wait_ready(address, options_.container_port, left_until(deadline), what,
                             std::chrono::milliseconds(0));
  }
  if (s.ok() && address.empty()) {
    s = launched->wait_ready("127.0.0.1", port, left_until(deadline), what,
                             std::chrono::milliseconds(100));
  }
  if (!s.ok()) {
    launched->stop();
    return s;
  }
  if (address.empty()) {
    launched->set_behind_port_proxy(true);
  } else {
    // Requests go to the container directly, as the invoker talks to its
    // containers: no userland port proxy between, whose stalls under load
    // would be charged to the runtime.
    launched->set_base_url("http://" + address + ":" + std::to_string(options_.container_port));
  }
  *instance = std::move(launched);
  return ow::Status::Ok();
}

}  // namespace conformance
