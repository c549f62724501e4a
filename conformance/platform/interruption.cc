// Interruption: see interruption.h.
#include "conformance/platform/interruption.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "conformance/platform/docker_cli.h"
#include "conformance/report/verdict.h"

namespace conformance {
namespace {

std::mutex g_mu;
std::map<int, LiveResources> g_live;  // guarded by g_mu
int g_next_token = 1;                 // guarded by g_mu
std::atomic<bool> g_installed{false};
std::atomic<bool> g_requested{false};
std::atomic<int> g_signo{0};

sigset_t interrupting_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaddset(&set, s);
  return set;
}

std::string name_of(int signo) {
  switch (signo) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    case SIGPIPE:
      return "SIGPIPE";
    default:
      return "signal " + std::to_string(signo);
  }
}

// Group kills first (fast, and the docker clients with them), then one
// `docker rm -f` per client for all containers, then the directories.
void release_all(const std::vector<LiveResources>& all) {
  std::map<std::string, std::vector<std::string>> containers;
  for (const auto& r : all) {
    if (r.process_group > 0) ::kill(-r.process_group, SIGKILL);
    if (!r.container.empty()) containers[r.docker_cli].push_back(r.container);
  }
  for (const auto& [cli, names] : containers) remove_containers(cli, names);
  for (const auto& r : all) {
    if (r.temp_dir.empty()) continue;
    std::error_code ignored;
    std::filesystem::remove_all(r.temp_dir, ignored);
  }
}

void wait_for_signals() {
  const sigset_t set = interrupting_signals();
  int signo = 0;
  while (sigwait(&set, &signo) != 0) {
  }
  // Said before the run is marked interrupted: once it is, the main thread may
  // finish its reports and exit before this thread writes another byte.
  std::cerr << "mock_invoker: interrupted by " << name_of(signo)
            << ": stopping runtimes, writing partial reports\n";
  Interruption::instance().simulate(signo);
  // The main thread now finishes its reports; a second signal, or a main
  // thread stuck past the grace period, ends the process here.
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(Interruption::kGracePeriod);
  timespec grace{static_cast<time_t>(secs.count()), 0};
  siginfo_t info;
  while (sigtimedwait(&set, &info, &grace) < 0 && errno == EINTR) {
  }
  release_all([] {
    std::lock_guard<std::mutex> lock(g_mu);
    std::vector<LiveResources> v;
    for (const auto& [token, r] : g_live) v.push_back(r);
    return v;
  }());
  ::_exit(kExitInterrupted);
}

}  // namespace

Interruption& Interruption::instance() {
  static Interruption interruption;
  return interruption;
}

void Interruption::install() {
  if (g_installed.exchange(true)) return;
  const sigset_t set = interrupting_signals();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(wait_for_signals).detach();
}

bool Interruption::installed() const { return g_installed.load(); }

bool Interruption::requested() const { return g_requested.load(); }

std::string Interruption::signal_name() const {
  const int s = g_signo.load();
  return s == 0 ? "" : name_of(s);
}

int Interruption::register_live(const LiveResources& resources) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (!g_requested.load()) {
      g_live[g_next_token] = resources;
      return g_next_token++;
    }
  }
  release_all({resources});  // started while the run was being interrupted
  return 0;
}

void Interruption::forget(int token) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_live.erase(token);
}

void Interruption::simulate(int signo) {
  std::vector<LiveResources> all;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_requested.exchange(true)) return;
    g_signo.store(signo);
    for (const auto& [token, r] : g_live) all.push_back(r);
  }
  release_all(all);
}

void release_live(const LiveResources& resources) { release_all({resources}); }

}  // namespace conformance
