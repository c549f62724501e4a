// Short docker commands and container ownership labels: see docker_cli.h.
#include "conformance/platform/docker_cli.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "conformance/platform/process_launcher.h"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kShortCommand{30};
constexpr std::chrono::minutes kPull{10};

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// Field 22 of /proc/PID/stat: the start time, which tells a pid reused by
// another process from the one that labelled the container.
std::string start_time_of(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  // Not an istreambuf_iterator: a read error (the process just reaped:
  // ESRCH) would throw from it; inserting the rdbuf only sets failbit.
  std::ostringstream content;
  content << in.rdbuf();
  const std::string stat = content.str();
  const auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return "";
  std::istringstream rest(stat.substr(close_paren + 2));
  std::string field;
  for (int i = 3; i <= 22 && rest >> field; ++i) {
    if (i == 22) return field;
  }
  return "";
}

std::string tail_lines(const LogCapture& logs, Stream stream, std::size_t n) {
  std::vector<std::string> picked;
  const auto lines = logs.lines_since(LogMark{});
  for (auto it = lines.rbegin(); it != lines.rend() && picked.size() < n; ++it)
    if (it->stream == stream) picked.push_back(it->text);
  std::string out;
  for (auto it = picked.rbegin(); it != picked.rend(); ++it) out += (out.empty() ? "" : "\n") + *it;
  return out;
}

}  // namespace

const char kOwnerLabel[] = "org.openwhisk.conformance.owner";

bool parse_pull_policy(const std::string& text, PullPolicy* policy) {
  if (text == "missing")
    *policy = PullPolicy::kMissing;
  else if (text == "always")
    *policy = PullPolicy::kAlways;
  else if (text == "never")
    *policy = PullPolicy::kNever;
  else
    return false;
  return true;
}

ow::Status run_docker(const std::string& cli, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout, std::string* out) {
  ProcessSpec spec;
  spec.argv = {cli};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  LogCapture logs(1u << 20);
  std::unique_ptr<ChildProcess> child;
  ow::Status s = real_process_launcher().launch(spec, &logs, &child);
  if (!s.ok()) return s;
  const bool done = child->wait_until(Clock::now() + timeout);
  child->terminate(std::chrono::milliseconds(0));  // reaps; drains the pipes
  const std::string what = "`" + describe_argv(spec.argv) + "`";
  if (!done)
    return ow::Status::Error(what + " did not finish within " +
                             std::to_string(timeout.count() / 1000) + " s");
  logs.wait_for_sentinels(LogMark{}, 1, Clock::now() + std::chrono::milliseconds(200));
  const std::string status = child->exit_description();
  if (status != "exited with status 0") {
    std::string err = tail_lines(logs, Stream::kStderr, 5);
    return ow::Status::Error(what + " " + status + (err.empty() ? "" : ": " + err));
  }
  if (out) {
    out->clear();
    for (const auto& line : logs.lines_since(LogMark{}))
      if (line.stream == Stream::kStdout) *out += line.text + "\n";
  }
  return ow::Status::Ok();
}

ow::Status ensure_image(const std::string& cli, const std::string& image, PullPolicy policy) {
  if (policy != PullPolicy::kAlways) {
    ow::Status inspected =
        run_docker(cli, {"image", "inspect", "--format", "{{.Id}}", image}, kShortCommand);
    if (inspected.ok()) return inspected;
    if (policy == PullPolicy::kNever) {
      return ow::Status::Error("image " + image +
                               " is not available locally (--pull never): " + inspected.message());
    }
  }
  ow::Status pulled = run_docker(cli, {"pull", "--quiet", image}, kPull);
  if (!pulled.ok())
    return ow::Status::Error("cannot pull image " + image + ": " + pulled.message());
  return pulled;
}

void remove_containers(const std::string& cli, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::vector<std::string> args = {"rm", "-f"};
  args.insert(args.end(), names.begin(), names.end());
  run_docker(cli, args, kShortCommand);  // best effort: some may be gone already
}

std::vector<std::string> owner_label_args() {
  const std::string pid = std::to_string(::getpid());
  return {"--label",
          std::string(kOwnerLabel) + "=" + host_name() + "/" + pid + "/" + start_time_of(pid)};
}

int remove_orphaned_containers(const std::string& cli) {
  std::string listing;
  const std::string format = std::string("{{.ID}} {{.Label \"") + kOwnerLabel + "\"}}";
  if (!run_docker(cli,
                  {"ps", "-a", "--filter", std::string("label=") + kOwnerLabel, "--format", format},
                  kShortCommand, &listing)
           .ok())
    return 0;
  const std::string host = host_name();
  std::vector<std::string> orphans;
  std::istringstream lines(listing);
  std::string id, owner;
  while (lines >> id >> owner) {
    // owner = host/pid/start; only this host's processes can be checked.
    const auto a = owner.find('/'), b = owner.rfind('/');
    if (a == std::string::npos || b == a || owner.substr(0, a) != host) continue;
    const std::string pid = owner.substr(a + 1, b - a - 1);
    if (start_time_of(pid) != owner.substr(b + 1)) orphans.push_back(id);
  }
  remove_containers(cli, orphans);
  return static_cast<int>(orphans.size());
}

}  // namespace conformance
