#include "mock_invoker/cli_parse.h"

#include <algorithm>
#include <exception>

#include "conformance/report/verdict.h"

namespace mock_invoker {
namespace {

// "unknown option '--jbos', did you mean '--jobs'?" for the first long option
// of `args` that `options` does not know; cxxopts' own message otherwise.
std::string unknown_option_message(const cxxopts::Options& options,
                                   const std::vector<std::string>& args,
                                   const std::string& fallback) {
  std::vector<std::string> known;
  for (const std::string& group : options.groups()) {
    for (const auto& option : options.group_help(group).options) {
      for (const std::string& name : option.l) known.push_back(name);
    }
  }
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg.rfind("--", 0) != 0) continue;
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? equals : equals - 2);
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = "unknown option '--" + name + "'";
    const std::string guess = closest_name(name, known);
    if (!guess.empty()) message += ", did you mean '--" + guess + "'?";
    return message;
  }
  return fallback;
}

}  // namespace

ow::Status parse_args(cxxopts::Options& options, const std::vector<std::string>& args,
                      cxxopts::ParseResult* result) {
  std::vector<const char*> argv = {options.program().c_str()};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    *result = options.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cxxopts::exceptions::no_such_option& e) {
    return ow::Status::Error(unknown_option_message(options, args, e.what()));
  } catch (const std::exception& e) {
    return ow::Status::Error(e.what());
  }
  if (!result->unmatched().empty()) {
    return ow::Status::Error("unexpected argument '" + result->unmatched().front() + "'");
  }
  return ow::Status::Ok();
}

void add_selection_options(cxxopts::Options& options) {
  // clang-format off
  options.add_options("selection")
      ("profile", "runtime profile: a name under fixtures/profiles or a directory",
       cxxopts::value<std::string>()->default_value("skeleton"), "NAME|DIR")
      ("scenarios", "scenario catalogue directory (default: fixtures/scenarios)",
       cxxopts::value<std::string>(), "DIR")
      ("filter", "only scenarios whose ID matches one of these globs", cxxopts::value<std::string>(),
       "GLOB[,GLOB]")
      ("capability", "override a profile capability (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "K=V");
  // clang-format on
}

Selection selection_from(const cxxopts::ParseResult& result) {
  Selection s;
  s.profile = result["profile"].as<std::string>();
  if (result.count("scenarios")) s.scenarios_dir = result["scenarios"].as<std::string>();
  if (result.count("filter")) s.filters = split_commas(result["filter"].as<std::string>());
  if (result.count("capability"))
    s.capabilities = result["capability"].as<std::vector<std::string>>();
  return s;
}

std::optional<int> parse_command(
    const std::string& name, cxxopts::Options& options, const std::vector<std::string>& help_groups,
    const std::vector<std::string>& args, CommandIo io,
    const std::function<ow::Status(const cxxopts::ParseResult&)>& validate) {
  cxxopts::ParseResult parsed;
  ow::Status s = parse_args(options, args, &parsed);
  if (s.ok() && parsed.count("help")) {
    io.out << options.help(help_groups);
    return conformance::kExitConformant;
  }
  if (s.ok() && parsed.count("version")) {
    io.out << version_line();
    return conformance::kExitConformant;
  }
  if (s.ok()) {
    try {
      s = validate(parsed);
    } catch (const std::exception& e) {  // a value of the wrong type
      s = ow::Status::Error(e.what());
    }
  }
  if (s.ok()) return std::nullopt;
  io.err << "mock_invoker " << name << ": " << s.message() << "\n"
         << "(run `mock_invoker " << name << " --help` for the options)\n";
  return conformance::kExitUsage;
}

std::string option_string(const cxxopts::ParseResult& r, const char* name) {
  return r.count(name) ? r[name].as<std::string>() : std::string();
}

ow::Status read_assignments(const cxxopts::ParseResult& r, const char* name,
                            std::vector<std::pair<std::string, std::string>>* out) {
  if (!r.count(name)) return ow::Status::Ok();
  for (const auto& kv : r[name].as<std::vector<std::string>>()) {
    std::string k, v;
    ow::Status s = split_assignment(kv, std::string("--") + name, &k, &v);
    if (!s.ok()) return s;
    out->emplace_back(std::move(k), std::move(v));
  }
  return ow::Status::Ok();
}

}  // namespace mock_invoker
