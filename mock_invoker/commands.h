// The subcommand table of mock_invoker (name, one-line help, handler), in the
// style of ninja's tools: `mock_invoker NAME [options]`. To add a subcommand,
// write its handler and add one row to the table in commands.cc.
//
// Handlers get their arguments without the program and command names, write
// to the given streams and return the process exit code (verdict.h); they
// never throw. `NAME --help` prints the command's help and `NAME --version`
// the version; both return 0.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mock_invoker {

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
};

using CommandHandler = int (*)(const std::vector<std::string>& args, CommandIo io);

struct Command {
  const char* name;
  const char* summary;  // one line, for `mock_invoker --help`
  CommandHandler run;
};

const std::vector<Command>& command_table();

// "mock_invoker <version>\n": what --version prints, on every subcommand too.
std::string version_line();

// The closest name within a small edit distance, or "" if none is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

// The whole CLI: dispatches argv[1] to its command; handles --help,
// --version and `help CMD`. Unknown commands get "did you mean ...?" (exit 2).
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// Handlers (one file each).
int check_command(const std::vector<std::string>& args, CommandIo io);
int list_command(const std::vector<std::string>& args, CommandIo io);
int invoke_command(const std::vector<std::string>& args, CommandIo io);
int bench_command(const std::vector<std::string>& args, CommandIo io);

}  // namespace mock_invoker
