#include "mock_invoker/cli_parse.h"

#include <exception>

namespace mock_invoker {

ow::Status parse_args(cxxopts::Options& options, const std::vector<std::string>& args,
                      cxxopts::ParseResult* result) {
  std::vector<const char*> argv = {options.program().c_str()};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    *result = options.parse(static_cast<int>(argv.size()), argv.data());
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

}  // namespace mock_invoker
