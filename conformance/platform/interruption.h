// Interruption: SIGINT, SIGTERM, SIGHUP and SIGPIPE stop a run cleanly.
//
// Everything a run starts that must not outlive it registers here while it
// lives: a runtime's process group, its container (with the docker client
// that can kill it) and its temp directory. install() blocks the four signals
// in the calling thread (call it from main before any other thread starts, so
// every thread inherits the mask) and starts one thread that waits for them.
// On the first signal that thread:
//   1. marks the run interrupted (requested() turns true, signal_name() says
//      which), so runners start no new scenario and discard those in flight;
//   2. SIGKILLs every registered process group, removes every
//      registered container (`docker rm -f`, bounded) and removes every
//      registered temp directory;
//   3. gives the main thread kGracePeriod to write partial reports and exit;
//      past it, or on a second signal, it exits the process with
//      kExitInterrupted (130, verdict.h) itself.
// Launched children also die if mock_invoker is SIGKILLed (PR_SET_PDEATHSIG,
// process_launcher.cc); the containers of such a run are removed by the next
// run (container_labels.h).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace conformance {

struct LiveResources {
  pid_t process_group = 0;  // 0: none
  std::string container;    // empty: none
  std::string docker_cli;   // the client that started the container
  std::string temp_dir;     // empty: none
};

class Interruption {
 public:
  static constexpr std::chrono::seconds kGracePeriod{20};

  static Interruption& instance();

  // Blocks SIGINT, SIGTERM, SIGHUP and SIGPIPE in the calling thread and starts
  // the waiting thread. Idempotent.
  void install();
  bool installed() const;

  bool requested() const;
  std::string signal_name() const;  // "SIGTERM", or "" while not interrupted

  // Registers resources to release on interruption; returns a token for
  // forget(). After an interruption, register_live() releases at once.
  int register_live(const LiveResources& resources);
  void forget(int token);

  // For tests: behave as if `signo` had arrived (without exiting).
  void simulate(int signo);

 private:
  Interruption() = default;
};

// Releases one set of resources now (kill group, remove container and dir).
void release_live(const LiveResources& resources);

}  // namespace conformance
