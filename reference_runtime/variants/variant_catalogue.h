// The catalogue of tolerance variants of reference_runtime (`--variant NAME`):
// the converse of the faults. Each changes one thing the real platform
// accepts and at least one real runtime does (docs/validation.md), so the
// conformance suite must still find the runtime conformant (no must-level
// failure). The tolerance matrix (tests/faults/tolerance_matrix_test.cc)
// runs the real `mock_invoker check` against each.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "reference_runtime/runtime_assembly.h"

namespace rr::variants {

struct VariantInfo {
  std::string name;         // kebab-case, e.g. "result-trailing-newline"
  std::string seen_in;      // the real runtime that behaves so, with its source
  std::string description;  // one line
};

std::vector<VariantInfo> AllVariants();
// One line per variant: "name  description (seen_in)".
std::string ListVariantsText();
// Adds the decorators of `names` on top of what `decorators` holds. An
// unknown name is an error naming it; nothing is added then.
ow::Status AddVariants(const std::vector<std::string>& names, Decorators* decorators);

struct VariantArgs {
  std::vector<std::string> names;  // --variant NAME / --variant=NAME, in order
  bool list = false;               // --list-variants
};
// Removes --variant/--list-variants from `args` (args[0] kept), in place.
ow::Status ExtractVariantArgs(std::vector<char*>* args, VariantArgs* out);
std::string VariantOptionsHelp();

}  // namespace rr::variants
