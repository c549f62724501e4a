// ImageTarget: see image_target.h.
#include "conformance/platform/image_target.h"

#include <random>

#include "conformance/platform/free_port.h"
#include "conformance/platform/launch_target.h"

namespace conformance {
namespace {

std::string random_container_name() {
  static const char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  std::string name = "owconf-";
  for (int i = 0; i < 12; ++i) name += kHex[gen() % 16];
  return name;
}

// Best effort: the container of a killed client may still run.
void docker_kill(ProcessLauncher& launcher, const std::string& name) {
  LogCapture ignored(64 * 1024);
  std::unique_ptr<ChildProcess> child;
  if (!launcher.launch(ProcessSpec{{"docker", "kill", name}, {}, ""}, &ignored, &child).ok())
    return;
  child->wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(10));
  child->terminate(std::chrono::milliseconds(0));
}

}  // namespace

ImageTarget::ImageTarget(std::string image, ProcessLauncher& launcher)
    : image_(std::move(image)), launcher_(launcher) {}

ow::Status ImageTarget::start(const StartOptions& options,
                              std::unique_ptr<RuntimeInstance>* instance) {
  if (image_.empty()) return ow::Status::Error("--image needs an image name");
  unsigned short port = 0;
  ow::Status s = pick_free_port(&port);
  if (!s.ok()) return s;
  const std::string name = random_container_name();
  ProcessLauncher& launcher = launcher_;
  auto after_stop = [&launcher, name](const ChildProcess& child) {
    if (child.exit_description().find("signal 9") != std::string::npos) docker_kill(launcher, name);
  };
  auto launched = std::make_unique<LaunchedInstance>("http://127.0.0.1:" + std::to_string(port), "",
                                                     options.stop_grace, after_stop);
  ProcessSpec spec;
  spec.argv = {
      "docker", "run", "--rm", "--name", name, "-p", "127.0.0.1:" + std::to_string(port) + ":8080"};
  for (const auto& [k, v] : options.env) {
    spec.argv.push_back("-e");
    spec.argv.push_back(k + "=" + v);
  }
  spec.argv.push_back(image_);
  s = launched->launch(launcher_, spec);
  if (!s.ok()) return s;
  s = launched->wait_ready(port, options.ready_timeout, "image " + image_ + " (docker run)",
                           std::chrono::milliseconds(100));
  if (!s.ok()) {
    launched->stop();
    return s;
  }
  *instance = std::move(launched);
  return ow::Status::Ok();
}

}  // namespace conformance
