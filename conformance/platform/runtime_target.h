// RuntimeTarget: where the runtime under test comes from. Three kinds:
//   --launch CMD   a fresh process per scenario (placeholders {port}, {dir})
//   --image IMAGE  a fresh `docker run` per scenario
//   --url URL      one runtime that is already running (no fresh instances)
// A RuntimeInstance is one running runtime; destroying it stops it (SIGTERM,
// then SIGKILL of its process group after a grace period).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "common/status.h"
#include "conformance/platform/log_capture.h"

namespace conformance {

struct StartOptions {
  std::map<std::string, std::string> env;  // --env K=V: the runtime's own environment
  std::chrono::milliseconds ready_timeout{30000};
  std::chrono::milliseconds stop_grace{2000};
};

class RuntimeInstance {
 public:
  virtual ~RuntimeInstance() = default;
  virtual const std::string& base_url() const = 0;  // "http://127.0.0.1:PORT"
  // The runtime's log streams, or nullptr when they cannot be read (--url
  // without --logs-from): log checks are then skipped.
  virtual LogCapture* logs() = 0;
  // True once the runtime's process has exited (always false for --url).
  virtual bool exited() const = 0;
  // e.g. "exited with status 1", "killed by signal 9"; empty while running.
  virtual std::string exit_description() const = 0;
  // Stops the runtime; idempotent.
  virtual void stop() = 0;
  // What the runtime wrote outside its action dir ({dir}), as far as the
  // target can see: for --launch, files beside {dir} in its private parent
  // and the state of a canary file there. Empty when nothing (or unknown).
  virtual std::string outside_writes() { return ""; }
  // True when requests pass through a port proxy that accepts connections
  // before the runtime listens (docker's published ports): a reset with no
  // reply then means "not listening yet", as a refusal would (C4.1).
  virtual bool behind_port_proxy() const { return false; }
};

class RuntimeTarget {
 public:
  virtual ~RuntimeTarget() = default;
  virtual std::string describe() const = 0;  // for reports
  // False for --url: one shared instance, scenarios needing a fresh one skip.
  virtual bool fresh_instances() const = 0;
  // Once before any start(), outside every ready timeout: e.g. inspect or
  // pull an image. A failure is a configuration error (exit 2).
  virtual ow::Status prepare() { return ow::Status::Ok(); }
  // Starts (or, for --url, connects to) a runtime and waits until it accepts
  // connections, polling with a deadline. On failure the Status says why
  // (command not found, exited at start with its stderr tail, never ready).
  virtual ow::Status start(const StartOptions& options,
                           std::unique_ptr<RuntimeInstance>* instance) = 0;
};

}  // namespace conformance
