// UrlTarget (--url URL [--logs-from 'CMD']): a runtime that already runs.
//
// fresh_instances() is false. start() polls until the URL's host:port
// accepts TCP connections (ready_timeout) and returns an instance whose
// stop() leaves the runtime alone and whose exited() is always false.
// StartOptions.env cannot reach a running runtime and is ignored.
//
// logs(): nullptr, unless a logs-from command was given (e.g.
// `docker logs -f NAME`): it is started once, on the first start(), split
// like a --launch command (no shell), and its stdout and stderr lines are the
// runtime's stdout and stderr. Every instance shares that one LogCapture; the
// target owns it and stops the command when destroyed, so instances must not
// outlive their target.
//
// Only http:// URLs; the base URL is the given one without a trailing '/'.
// Thread safety: start() may run from several threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "conformance/platform/process_launcher.h"
#include "conformance/platform/runtime_target.h"

namespace conformance {

class UrlTarget : public RuntimeTarget {
 public:
  UrlTarget(std::string url, std::string logs_from_cmd,
            ProcessLauncher& launcher = real_process_launcher());
  ~UrlTarget() override;
  std::string describe() const override;
  bool fresh_instances() const override { return false; }
  ow::Status start(const StartOptions& options,
                   std::unique_ptr<RuntimeInstance>* instance) override;

 private:
  ow::Status start_logs_locked();
  const std::string url_;
  const std::string logs_from_cmd_;
  ProcessLauncher& launcher_;
  std::mutex mu_;
  std::unique_ptr<LogCapture> logs_;  // outlives logs_process_
  std::unique_ptr<ChildProcess> logs_process_;
};

// Splits "http://host[:port][/path]"; fails on anything else.
ow::Status parse_http_url(const std::string& url, std::string* host, unsigned short* port,
                          std::string* base_url);

}  // namespace conformance
