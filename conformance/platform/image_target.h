// ImageTarget (--image IMAGE): a fresh container per start(), through
//   docker run --rm --name owconf-<random> -p 127.0.0.1:<port>:8080 [-e K=V]... IMAGE
// with StartOptions.env passed as -e. `docker` is looked up on the
// harness's PATH (tests put a fake one first on PATH). The runtime's logs are
// the attached docker client's stdout and stderr.
//
// Readiness: docker's port proxy accepts connections before the container
// listens, then closes them; so a connection counts only if it stays open
// for a short hold (100 ms).
//
// stop(): SIGTERM to the docker client's process group (docker forwards it
// to the container), up to stop_grace, then SIGKILL; if the client had to be
// killed, `docker kill <name>` (bounded to 10 s) so no container is left.
//
// Thread safety: as LaunchTarget.
#pragma once

#include <string>

#include "conformance/platform/process_launcher.h"
#include "conformance/platform/runtime_target.h"

namespace conformance {

class ImageTarget : public RuntimeTarget {
 public:
  explicit ImageTarget(std::string image, ProcessLauncher& launcher = real_process_launcher());
  std::string describe() const override { return "--image " + image_; }
  bool fresh_instances() const override { return true; }
  ow::Status start(const StartOptions& options,
                   std::unique_ptr<RuntimeInstance>* instance) override;

 private:
  const std::string image_;
  ProcessLauncher& launcher_;
};

}  // namespace conformance
