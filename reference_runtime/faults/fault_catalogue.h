// The catalogue of injectable faults of reference_runtime (`--fault NAME`):
// each breaks exactly one rule of docs/contract.md by decorating one seam of
// the runtime (runtime_assembly.h). Used by the sensitivity matrix
// (tests/faults/) to prove each rule is checked by some scenario.
//
// Nothing of the normal runtime depends on this module; main.cc alone wires
// it in. Pure data and functions; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "reference_runtime/runtime_assembly.h"

namespace rr::faults {

struct FaultInfo {
  std::string name;         // kebab-case, e.g. "no-stdout-sentinel"
  std::string section;      // the contract rule it breaks, e.g. "C3.7"
  std::string description;  // one line
};

// Every fault, in catalogue order.
std::vector<FaultInfo> AllFaults();

// One line per fault: "name  [section] description".
std::string ListFaultsText();

// The known name closest to `name`, or "" when none is close.
std::string ClosestFaultName(const std::string& name);

// Adds the decorators of `names` (applied in the order given; the same seam
// may be decorated several times) to `decorators`, composing with what is
// already there. An unknown name is an error naming it, with a
// "did you mean" suggestion when one is close; nothing is added then.
ow::Status AddFaults(const std::vector<std::string>& names, Decorators* decorators);

// What main.cc takes out of argv before the normal option parser sees it.
struct FaultArgs {
  std::vector<std::string> names;  // --fault NAME / --fault=NAME, in order
  bool list = false;               // --list-faults
  bool help = false;               // -h / --help (the fault options get described too)
};

// Removes --fault/--list-faults from argv (argv[0] kept) into `args`; the
// other arguments are left in `rest` in order (pointers into argv). Error: a
// --fault without a value.
ow::Status ExtractFaultArgs(int argc, char** argv, FaultArgs* args, std::vector<char*>* rest);

// Help text for the two options, appended to --help.
std::string FaultOptionsHelp();

}  // namespace rr::faults
