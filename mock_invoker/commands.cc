#include "mock_invoker/commands.h"

#include <algorithm>

#include "common/edit_distance.h"
#include "conformance/report/verdict.h"

#ifndef OW_VERSION
#define OW_VERSION "0.0.0"
#endif

namespace mock_invoker {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"check", "run the conformance scenarios against a runtime and report", check_command},
      {"list", "list the scenarios (ID, level, section, title)", list_command},
      {"invoke", "invoke an action as the platform does and print the activation record",
       invoke_command},
      {"bench", "measure warm /run throughput and latency, and cold starts, of a runtime",
       bench_command},
  };
  return table;
}

namespace {

void print_usage(std::ostream& out) {
  out << "usage: mock_invoker COMMAND [options]\n\n"
         "A mock OpenWhisk invoker: checks that an action runtime honours the\n"
         "action-runtime contract (POST /init, POST /run, logs and sentinels).\n\n"
         "commands:\n";
  for (const auto& c : command_table()) {
    std::string name = c.name;
    name.resize(std::max<std::size_t>(name.size(), 10), ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "\n  mock_invoker help COMMAND   (or COMMAND --help) for a command's options\n"
         "  mock_invoker --version\n\n"
         "exit codes: 0 conformant, 1 not conformant, 2 usage or configuration error,\n"
         "3 runtime never became ready\n";
}

const Command* find_command(const std::string& name) {
  for (const auto& c : command_table())
    if (name == c.name) return &c;
  return nullptr;
}

int unknown_command(const std::string& name, std::ostream& err) {
  std::vector<std::string> names;
  for (const auto& c : command_table()) names.push_back(c.name);
  err << "mock_invoker: unknown command '" << name << "'";
  const std::string guess = closest_name(name, names);
  if (!guess.empty()) err << ", did you mean '" << guess << "'?";
  err << "\n(run `mock_invoker --help` for the list of commands)\n";
  return conformance::kExitUsage;
}

}  // namespace

std::string version_line() { return std::string("mock_invoker ") + OW_VERSION + "\n"; }

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = ow::EditDistance(name, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  if (args.empty()) {
    print_usage(err);
    return conformance::kExitUsage;
  }
  const std::string first = args.front();
  if (first == "--help" || first == "-h") {
    print_usage(out);
    return conformance::kExitConformant;
  }
  if (first == "--version") {
    out << version_line();
    return conformance::kExitConformant;
  }
  if (first == "help") {
    if (args.size() < 2) {
      print_usage(out);
      return conformance::kExitConformant;
    }
    const Command* c = find_command(args[1]);
    if (!c) return unknown_command(args[1], err);
    return c->run({"--help"}, CommandIo{out, err});
  }
  const Command* c = find_command(first);
  if (!c) return unknown_command(first, err);
  return c->run(std::vector<std::string>(args.begin() + 1, args.end()), CommandIo{out, err});
}

}  // namespace mock_invoker
