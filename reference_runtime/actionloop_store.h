// Seam (d) in --actionloop mode: where /init puts the code, as the Go
// proxy's ExtractAction (openwhisk/extractor.go) does. The same store
// decorators (fault injection) wrap it as wrap the normal mode's store.
#pragma once

#include <cstdint>
#include <string>

#include "reference_runtime/action_store.h"

namespace rr {

// Each install gets a fresh numbered directory <base>/<N> (N one above the
// highest there) and writes the code to <N>/src: text as src/exec (0755), a
// zip or a tar.gz (filetype.go IsZip / IsGz) extracted under the rules of
// action_archive.h. No top-level `exec` is required here: a compiler may
// make one later (actionloop_install.h). directory() is the src directory
// of the latest install (set before anything is written, so a failed install
// names its own directory for removal), or <base> before the first. There
// is no stub. Not thread-safe: used from the event loop only.
class ActionLoopStore : public ActionStore {
 public:
  ActionLoopStore(std::string base_dir, uint64_t max_archive_bytes);

  ow::Status Prepare() override;  // creates <base>
  ow::Status InstallText(const std::string& code) override;
  ow::Status InstallArchive(const std::string& archive_bytes) override;
  std::string directory() const override { return current_; }
  std::string executable() const override { return current_ + "/exec"; }

 private:
  ow::Status NextDirectory();

  std::string base_dir_;
  uint64_t max_archive_bytes_;
  std::string current_;
};

}  // namespace rr
