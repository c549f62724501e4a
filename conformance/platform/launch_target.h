// LaunchTarget (--launch 'CMD') and LaunchedInstance, the runtime process
// that LaunchTarget and ImageTarget start.
//
// LaunchTarget: each start() picks a free 127.0.0.1 port and a fresh empty
// temp directory, expands `{port}` and `{dir}` in the command template (split
// into argv WITHOUT a shell: see command_template.h), starts it with
// StartOptions.env added to the harness's environment, captures its stdout
// and stderr into the instance's LogCapture and polls until 127.0.0.1:port
// accepts TCP connections. Failure says why: the command cannot be started,
// it "exited with status N at start" (with the last lines of its stderr), or
// it "never became ready within N ms". A runtime that exits complaining that
// its address is in use is retried on another port (3 attempts in all).
//
// LaunchedInstance owns the child, its LogCapture and its temp directory.
// stop() (also run by the destructor) sends SIGTERM to the process group,
// waits up to stop_grace, sends SIGKILL to the group, reaps the child and
// removes the temp directory; it is idempotent.
//
// Thread safety: a target's start() may run from several threads at once;
// one instance's methods may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "conformance/platform/process_launcher.h"
#include "conformance/platform/runtime_target.h"

namespace conformance {

class LaunchedInstance : public RuntimeInstance {
 public:
  // Runs after the child was terminated, with it (e.g. `docker kill`).
  using AfterStop = std::function<void(const ChildProcess&)>;

  LaunchedInstance(std::string base_url, std::string temp_dir, std::chrono::milliseconds grace,
                   AfterStop after_stop = nullptr);
  ~LaunchedInstance() override;

  // Before launch(): the process runs this container (stopped with it, and
  // removed on interruption).
  void set_container(std::string docker_cli, std::string name);
  // Starts the process; its output goes to logs(). Its process group, temp
  // dir and container are registered with Interruption until stop().
  ow::Status launch(ProcessLauncher& launcher, const ProcessSpec& spec);
  // Polls until the runtime accepts connections on host:port; on failure the
  // Status names the command, the exit and the stderr tail.
  ow::Status wait_ready(const std::string& host, unsigned short port,
                        std::chrono::milliseconds ready_timeout, const std::string& what,
                        std::chrono::milliseconds hold);
  ow::Status wait_ready(unsigned short port, std::chrono::milliseconds ready_timeout,
                        const std::string& what, std::chrono::milliseconds hold) {
    return wait_ready("127.0.0.1", port, ready_timeout, what, hold);
  }
  void set_behind_port_proxy(bool proxied) { behind_port_proxy_ = proxied; }
  // Before the instance is handed out: where requests go from now on.
  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }
  // The last `n` lines of stderr (stdout if stderr is empty), newline-joined.
  std::string output_tail(std::size_t n);

  const std::string& base_url() const override { return base_url_; }
  LogCapture* logs() override { return &logs_; }
  bool exited() const override;
  bool behind_port_proxy() const override { return behind_port_proxy_; }
  std::string exit_description() const override;
  void stop() override;
  std::string outside_writes() override;

  // Watches the tree under the temp dir for files outside `action_dir`
  // (other than `canary`, whose content must stay `canary_text`).
  void watch_outside(std::string action_dir, std::string canary, std::string canary_text);

 private:
  std::string base_url_;
  const std::string temp_dir_;
  const std::chrono::milliseconds grace_;
  AfterStop after_stop_;
  LogCapture logs_;  // outlives child_ (declared first)
  std::unique_ptr<ChildProcess> child_;
  std::string docker_cli_, container_;
  bool behind_port_proxy_ = false;
  int live_token_ = 0;  // Interruption registration
  std::mutex stop_mu_;
  bool stopped_ = false;
  std::string action_dir_, canary_, canary_text_;  // watch_outside
};

class LaunchTarget : public RuntimeTarget {
 public:
  explicit LaunchTarget(std::string command_template,
                        ProcessLauncher& launcher = real_process_launcher());
  std::string describe() const override;
  bool fresh_instances() const override { return true; }
  ow::Status start(const StartOptions& options,
                   std::unique_ptr<RuntimeInstance>* instance) override;

 private:
  ow::Status start_once(const StartOptions& options, std::unique_ptr<RuntimeInstance>* instance,
                        bool* port_taken);
  const std::string command_template_;
  ProcessLauncher& launcher_;
};

// A fresh empty directory under $TMPDIR (or /tmp) named `prefix`XXXXXX.
ow::Status make_temp_dir(const std::string& prefix, std::string* path);

}  // namespace conformance
