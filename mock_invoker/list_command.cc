// `mock_invoker list`: the selected scenarios as a table (ID, level, section, title).
#include <algorithm>
#include <iomanip>

#include "conformance/report/verdict.h"
#include "mock_invoker/cli_parse.h"
#include "mock_invoker/commands.h"

namespace mock_invoker {

int list_command(const std::vector<std::string>& args, CommandIo io) {
  cxxopts::Options options("mock_invoker list", "List the conformance scenarios.");
  add_selection_options(options);
  options.add_options()("version", "show mock_invoker's version")("h,help", "show this help");
  Selection selection;
  const std::optional<int> done = parse_command("list", options, {"selection", ""}, args, io,
                                                [&](const cxxopts::ParseResult& r) {
                                                  selection = selection_from(r);
                                                  return ow::Status::Ok();
                                                });
  if (done) return *done;

  conformance::Profile profile;
  std::vector<conformance::ScenarioSpec> scenarios;
  ow::Status s = load_selection(selection, &profile, &scenarios, nullptr);
  if (!s.ok()) {
    io.err << "mock_invoker list: " << s.message() << "\n";
    return conformance::kExitUsage;
  }
  std::size_t id_width = 2, section_width = 7;
  for (const auto& spec : scenarios) {
    id_width = std::max(id_width, spec.id.size());
    section_width = std::max(section_width, spec.section.size());
  }
  auto row = [&](const std::string& id, const std::string& level, const std::string& section,
                 const std::string& title) {
    io.out << std::left << std::setw(static_cast<int>(id_width) + 2) << id << std::setw(8) << level
           << std::setw(static_cast<int>(section_width) + 2) << section << title << "\n";
  };
  row("ID", "LEVEL", "SECTION", "TITLE");
  for (const auto& spec : scenarios)
    row(spec.id, conformance::to_string(spec.level), spec.section, spec.title);
  io.out << scenarios.size() << " scenarios\n";
  return conformance::kExitConformant;
}

}  // namespace mock_invoker
