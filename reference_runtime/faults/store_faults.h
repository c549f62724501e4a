// Faults on seam (d), the action store: the stub and archive extraction.
#pragma once

#include <memory>
#include <string>

#include "reference_runtime/action_store.h"

namespace rr::faults {

enum class StoreFault {
  kNoStub,              // C2.7: the stub is removed right after Prepare
  kOnlyExec,            // C2.3: an archive's files other than `exec` are deleted
  kExecBitLost,         // C2.3: extracted files lose their execute bits (exec too)
  kTraversalExtracted,  // C2.3: entries named ../x or /x are written outside the action dir
  kTarGzRefused,        // actionloop /init: a tar.gz archive is refused (zip only)
};

// kTraversalExtracted: writes the archive's (zip or tar.gz) entries whose
// names climb out ("../x", "/x") at dir + "/" + name. Errors are ignored (it
// is a fault).
void ExtractClimbingEntries(const std::string& zip_bytes, const std::string& dir);

// Wraps an ActionStore (owned) and damages the action directory after the
// inner store did its work. Errors of the damage itself are ignored (it is
// a fault). Not thread-safe, like the inner store.
class FaultyActionStore : public ActionStore {
 public:
  FaultyActionStore(std::unique_ptr<ActionStore> inner, StoreFault fault);

  ow::Status Prepare() override;
  ow::Status InstallText(const std::string& code) override { return inner_->InstallText(code); }
  ow::Status InstallArchive(const std::string& zip_bytes) override;
  std::string directory() const override { return inner_->directory(); }
  std::string executable() const override { return inner_->executable(); }

 private:
  std::unique_ptr<ActionStore> inner_;
  StoreFault fault_;
};

}  // namespace rr::faults
