// End to end, the real mock_invoker: what it says before, during and after a
// run. Errors before the run (exit 2, no scenario run), "did you mean" for
// options, --version on every subcommand, NO_COLOR and the progress line on a
// real pseudo-terminal, a runtime that is never ready said once, writing a
// baseline, and invoke --repeat as JSON Lines.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/e2e_support.h"

namespace {

using namespace std::chrono_literals;

const std::string kLaunch =
    std::string(REFERENCE_RUNTIME_BIN) + " --host 127.0.0.1 --port {port} --action-dir {dir}";

e2e::ProcessResult mock_invoker(std::vector<std::string> args,
                                std::chrono::seconds deadline = 120s) {
  args.insert(args.begin(), MOCK_INVOKER_BIN);
  return e2e::run_process(args, deadline);
}

std::string describe(const e2e::ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") +
         "\n--- stdout\n" + r.out + "\n--- stderr\n" + r.err;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Runs mock_invoker on a pseudo-terminal (stdout and stderr are the TTY), with
// `env` set ("NAME=VALUE") or unset ("NAME" alone). Returns what the terminal got.
std::string run_on_tty(const std::vector<std::string>& args, const std::vector<std::string>& env,
                       int* exit_code) {
  std::vector<std::string> argv = {MOCK_INVOKER_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  int master = -1;
  winsize size{};
  size.ws_col = 120;
  size.ws_row = 40;
  const pid_t pid = forkpty(&master, nullptr, nullptr, &size);
  if (pid == 0) {
    for (const std::string& e : env) {
      const std::size_t eq = e.find('=');
      if (eq == std::string::npos) {
        unsetenv(e.c_str());
      } else {
        setenv(e.substr(0, eq).c_str(), e.substr(eq + 1).c_str(), 1);
      }
    }
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  std::string out;
  if (pid < 0) return out;
  const auto end = std::chrono::steady_clock::now() + 120s;
  while (std::chrono::steady_clock::now() < end) {
    pollfd fd{master, POLLIN, 0};
    if (poll(&fd, 1, 1000) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child has closed the terminal
    out.append(buf, static_cast<std::size_t>(n));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(master);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(CheckCliE2E, ErrorsBeforeTheRunAreUsageErrors) {
  e2e::TempDir tmp;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"check", "--url", "localhost:8080"}, "--url"},
      {{"check", "--url", "http://"}, "--url"},
      {{"check", "--url", "ftp://127.0.0.1:21"}, "--url"},
      {{"check", "--url", "http://127.0.0.1:99999"}, "--url"},
      {{"check", "--launch", "my-runtime --port 8080"}, "{port}"},
      {{"check", "--launch", "x {port}", "--json", "/nonexistent-dir/r.json"},
       "/nonexistent-dir/r.json"},
      {{"check", "--launch", "x {port}", "--junit", tmp.path()}, tmp.path()},
      {{"check", "--launch", "x {port}", "--html", "/nonexistent-dir/r.html"}, "r.html"},
      {{"check", "--launch", "x {port}", "--markdown", "/nonexistent-dir/s.md"}, "s.md"},
      {{"check", "--launch", "x {port}", "--write-expected-failures", "/nonexistent-dir/b.txt"},
       "b.txt"},
      {{"invoke", "a.sh", "--launch", "rt --port 1"}, "{port}"},
      {{"bench", "a.sh", "--url", "127.0.0.1"}, "--url"},
  };
  for (const auto& c : cases) {
    const auto started = std::chrono::steady_clock::now();
    auto r = mock_invoker(c.args, 30s);
    EXPECT_EQ(r.exit_code, 2) << c.args.back() << "\n" << describe(r);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.message << "\n" << describe(r);
    EXPECT_EQ(r.out.find("PASS"), std::string::npos) << describe(r);  // no scenario ran
    EXPECT_EQ(r.out.find("ERROR"), std::string::npos) << describe(r);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << describe(r);
  }
}

TEST(CheckCliE2E, UnknownOptionsGetASuggestion) {
  auto check = mock_invoker({"check", "--launch", "x {port}", "--jobz", "2"}, 30s);
  EXPECT_EQ(check.exit_code, 2) << describe(check);
  EXPECT_NE(check.err.find("did you mean '--jobs'?"), std::string::npos) << describe(check);
  auto invoke = mock_invoker({"invoke", "a.sh", "--launch", "x {port}", "--repaet", "2"}, 30s);
  EXPECT_EQ(invoke.exit_code, 2) << describe(invoke);
  EXPECT_NE(invoke.err.find("did you mean '--repeat'?"), std::string::npos) << describe(invoke);
  auto nothing_close = mock_invoker({"list", "--zzzzzzzz"}, 30s);
  EXPECT_EQ(nothing_close.exit_code, 2) << describe(nothing_close);
  EXPECT_NE(nothing_close.err.find("--zzzzzzzz"), std::string::npos) << describe(nothing_close);
  EXPECT_EQ(nothing_close.err.find("did you mean"), std::string::npos) << describe(nothing_close);
}

TEST(CheckCliE2E, VersionOnEverySubcommand) {
  const auto top = mock_invoker({"--version"}, 30s);
  ASSERT_EQ(top.exit_code, 0);
  for (const char* command : {"check", "list", "invoke", "bench"}) {
    auto r = mock_invoker({command, "--version"}, 30s);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << describe(r);
    EXPECT_EQ(r.out, top.out) << command;
  }
}

TEST(CheckCliE2E, NoColorAndTheProgressLineOnATerminal) {
  const std::vector<std::string> args = {"check", "--launch", kLaunch, "--filter",
                                         "init.text-code,run.echo-object"};
  int code = -1;
  const std::string coloured = run_on_tty(args, {"NO_COLOR"}, &code);
  EXPECT_EQ(code, 0) << coloured;
  EXPECT_NE(coloured.find("\033[32mPASS"), std::string::npos) << coloured;
  // The status line: "N/2 <scenario> S.s", drawn and erased in place.
  EXPECT_NE(coloured.find("\r\033[K0/2"), std::string::npos) << coloured;
  EXPECT_NE(coloured.find("\r\033[K1/2 "), std::string::npos) << coloured;
  EXPECT_NE(coloured.find(" s"), std::string::npos) << coloured;

  // no-color.org: an empty NO_COLOR is as if unset; any other value disables colour.
  const std::string empty = run_on_tty(args, {"NO_COLOR="}, &code);
  EXPECT_NE(empty.find("\033[32m"), std::string::npos) << empty;
  const std::string disabled = run_on_tty(args, {"NO_COLOR=0"}, &code);
  EXPECT_EQ(code, 0) << disabled;
  EXPECT_EQ(disabled.find("\033[3"), std::string::npos) << disabled;
  EXPECT_NE(disabled.find("PASS"), std::string::npos) << disabled;
  // --color always wins over NO_COLOR (an explicit flag).
  std::vector<std::string> always = args;
  always.push_back("--color=always");
  EXPECT_NE(run_on_tty(always, {"NO_COLOR=1"}, &code).find("\033[32m"), std::string::npos);

  // Not a terminal: no status line, no colour.
  auto piped = mock_invoker(args);
  EXPECT_EQ(piped.exit_code, 0) << describe(piped);
  EXPECT_EQ(piped.out.find('\r'), std::string::npos) << describe(piped);
  EXPECT_EQ(piped.out.find('\033'), std::string::npos) << describe(piped);
}

TEST(CheckCliE2E, RuntimeNeverReadyIsSaidOnceAndStopsTheRun) {
  e2e::TempDir tmp;
  const std::string dying = "sh -c 'echo dying >&2; exit 7' {port}";
  auto r = mock_invoker({"check", "--launch", dying, "--color", "never", "--ready-timeout", "5000",
                         "--json", tmp.file("r.json")});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_EQ(occurrences(r.out, "\nERROR  "), 1u) << describe(r);
  EXPECT_NE(r.out.find("not run"), std::string::npos) << describe(r);
  const auto report = nlohmann::json::parse(e2e::read_file(tmp.file("r.json")));
  std::size_t not_run = 0, errored = 0;
  for (const auto& s : report.at("scenarios")) {
    not_run += s.at("not_run").get<bool>();
    errored += s.at("outcome") == "error";
  }
  EXPECT_EQ(errored, 1u);
  EXPECT_GT(not_run, 10u);
  EXPECT_EQ(report.at("verdict"), "runtime-not-ready");

  // --keep-going tries every scenario (the old behaviour, for flaky starts).
  auto all = mock_invoker({"check", "--launch", dying, "--color", "never", "--ready-timeout",
                           "5000", "--filter", "init.*", "--keep-going"});
  EXPECT_EQ(all.exit_code, 3) << describe(all);
  EXPECT_GT(occurrences(all.out, "\nERROR  "), 2u) << describe(all);
}

TEST(CheckCliE2E, WriteExpectedFailuresMakesABaselineThatExcusesThem) {
  e2e::TempDir tmp;
  const std::string faulty = kLaunch + " --fault second-init-accepted";
  auto first = mock_invoker({"check", "--launch", faulty, "--filter", "init.*", "--jobs", "2",
                             "--write-expected-failures", tmp.file("baseline.txt")});
  EXPECT_EQ(first.exit_code, 1) << describe(first);
  const std::string baseline = e2e::read_file(tmp.file("baseline.txt"));
  EXPECT_NE(baseline.find("\ninit.second-refused\n"), std::string::npos) << baseline;
  EXPECT_EQ(baseline.find("init.text-code"), std::string::npos) << baseline;
  EXPECT_EQ(baseline.rfind("# ", 0), 0u) << baseline;  // says where it came from

  auto second = mock_invoker({"check", "--launch", faulty, "--filter", "init.*", "--jobs", "2",
                              "--expected-failures", tmp.file("baseline.txt")});
  EXPECT_EQ(second.exit_code, 0) << describe(second);
}

TEST(CheckCliE2E, InvokeRepeatPrintsJsonLines) {
  e2e::TempDir tmp;
  e2e::write_file(tmp.file("hello.sh"), "#!/bin/sh\necho '{\"hello\": \"world\"}'\n");
  auto r = mock_invoker({"invoke", tmp.file("hello.sh"), "--launch", kLaunch, "--repeat", "3"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  std::istringstream lines(r.out);
  std::string line;
  std::size_t records = 0;
  while (std::getline(lines, line)) {
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(record.is_object()) << "not one JSON object per line: " << line;
    ++records;
  }
  EXPECT_EQ(records, 3u) << describe(r);
}

}  // namespace
