// The short docker commands the harness runs besides `docker run` (image
// inspect and pull, rm -f, ps), each bounded in time, through the client
// chosen with --docker (default: `docker` on PATH).
//
// Containers carry labels naming their owner (host, pid and the pid's start
// time), so a run can find and remove the containers of an earlier run that
// was killed before it could stop them (a SIGKILLed mock_invoker cannot).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace conformance {

enum class PullPolicy { kMissing, kAlways, kNever };
// "missing" | "always" | "never"; false for anything else.
bool parse_pull_policy(const std::string& text, PullPolicy* policy);

// Runs `cli args...` to completion within `timeout` (then kills it). On exit
// status 0, *out holds its stdout; otherwise the Status says what failed,
// with the last lines of its stderr.
ow::Status run_docker(const std::string& cli, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout, std::string* out = nullptr);

// Makes sure `image` is there per policy: inspected once, pulled when missing
// (kMissing) or always (kAlways); kNever fails if it is not local.
ow::Status ensure_image(const std::string& cli, const std::string& image, PullPolicy policy);

// `docker rm -f` of the given containers (best effort, bounded).
void remove_containers(const std::string& cli, const std::vector<std::string>& names);

// The label keys and this process's `--label K=V` arguments for docker run.
extern const char kOwnerLabel[];  // "org.openwhisk.conformance.owner": host/pid/start
std::vector<std::string> owner_label_args();

// Removes the containers labelled with an owner on this host whose process no
// longer runs (a killed run's). Returns how many it removed.
int remove_orphaned_containers(const std::string& cli);

}  // namespace conformance
