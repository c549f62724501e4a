// The kinds of runtime target mock_invoker can drive, as a table (option,
// help, factory), in the style of ninja's tool table: --launch, --image and
// --url. The target options of check, invoke and bench, their validation and
// the target built from them all come from this table.
//
// To add a target kind: write its RuntimeTarget (conformance/platform/) and
// add one row to the table in target_kinds.cc.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "conformance/platform/image_target.h"
#include "conformance/platform/runtime_target.h"
#include "mock_invoker/cli_parse.h"

namespace mock_invoker {

struct TargetKind;

// --launch / --image / --url (exactly one), --logs-from (with --url),
// --env K=V, --ready-timeout.
struct TargetChoice {
  const TargetKind* kind = nullptr;        // the one target option given
  std::string value;                       // its value (command, image, URL)
  std::string logs_from;                   // --logs-from, for kinds that take it
  std::map<std::string, std::string> env;  // the runtime's own environment
  std::chrono::milliseconds ready_timeout{30000};
  // --docker, --pull, --docker-arg, --container-port (with --image).
  conformance::ImageOptions image_options;
};

struct TargetKind {
  const char* option;      // "launch": the option --launch
  const char* value_name;  // "CMD", in the help
  // One line of help; "{per}" becomes " per scenario" (or the command's own
  // words for when a fresh runtime starts), or nothing.
  const char* help;
  const char* value_noun;  // "command": "--launch: empty command"
  bool fresh_instances;    // what its targets' fresh_instances() say
  bool takes_logs_from;    // --logs-from goes with it
  std::unique_ptr<conformance::RuntimeTarget> (*make)(const TargetChoice& choice);
  // Refuses a value the target could never use (exit 2 before any scenario,
  // not the same start failure in every scenario); null: anything goes.
  ow::Status (*check)(const std::string& value);
};

const std::vector<TargetKind>& target_kinds();

// `fresh_per` says when a fresh runtime starts ("per scenario", "per instance").
void add_target_options(cxxopts::Options& options, const std::string& fresh_per);
ow::Status target_from(const cxxopts::ParseResult& r, TargetChoice* choice);
std::unique_ptr<conformance::RuntimeTarget> make_target(const TargetChoice& choice);
// make_target, then the target's prepare() (e.g. inspect or pull the image):
// once, before any runtime starts. A failure is a configuration error.
ow::Status make_prepared_target(const TargetChoice& choice,
                                std::unique_ptr<conformance::RuntimeTarget>* target);

// "--launch or --image": the options of the kinds whose fresh_instances is `fresh`.
std::string target_options_where_fresh(bool fresh);

}  // namespace mock_invoker
