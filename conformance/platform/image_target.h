// ImageTarget (--image IMAGE): a fresh container per start(), through
//   docker run --rm --pull never --name owconf-<pid>-<random>
//     --label org.openwhisk.conformance.owner=<host>/<pid>/<start>
//     -p 127.0.0.1:<port>:<container port> [-e K=V]... [--docker-arg...] IMAGE
// with StartOptions.env passed as -e. The docker client is ImageOptions.cli
// (--docker; default `docker` on PATH). The runtime's logs are the attached
// client's stdout and stderr.
//
// prepare(), once before the run and outside any ready timeout: removes the
// containers of earlier runs that were killed (owner label, docker_cli.h),
// then inspects the image and pulls it per --pull (missing|always|never).
// Every `docker run` then says --pull never.
//
// Readiness and requests: once the container runs, its address on its
// network is inspected; the container port is polled there, where a refusal
// is a refusal, and every request goes there, as the invoker talks to its
// containers (docker's userland port proxy stalls now and then under load,
// and accepts connections before the runtime listens, then resets them).
// Without an address (e.g. --docker-arg --network=host) requests use the
// published port, polled with a hold (a connection that stays open 100 ms),
// and the instance reports behind_port_proxy(), so /init is also retried on
// a reset with no reply (platform_exchange.h).
//
// stop(): SIGTERM to the client's process group (docker forwards it to the
// container), up to stop_grace, then SIGKILL; then `docker rm -f` if the
// client had to be killed. The container is registered with Interruption.
//
// Thread safety: as LaunchTarget.
#pragma once

#include <string>
#include <vector>

#include "conformance/platform/docker_cli.h"
#include "conformance/platform/process_launcher.h"
#include "conformance/platform/runtime_target.h"

namespace conformance {

struct ImageOptions {
  std::string cli = "docker";
  PullPolicy pull = PullPolicy::kMissing;
  std::vector<std::string> docker_args;  // --docker-arg, placed before the image
  unsigned short container_port = 8080;
};

class ImageTarget : public RuntimeTarget {
 public:
  explicit ImageTarget(std::string image, ImageOptions options = {},
                       ProcessLauncher& launcher = real_process_launcher());
  std::string describe() const override { return "--image " + image_; }
  bool fresh_instances() const override { return true; }
  ow::Status prepare() override;
  ow::Status start(const StartOptions& options,
                   std::unique_ptr<RuntimeInstance>* instance) override;

 private:
  std::vector<std::string> run_argv(const StartOptions& options, const std::string& name,
                                    unsigned short port) const;
  const std::string image_;
  const ImageOptions options_;
  ProcessLauncher& launcher_;
};

}  // namespace conformance
