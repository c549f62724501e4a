// The action directory: where the action's executable and its files live.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"

namespace rr {

// C2.7: the exact stub script installed before any /init.
extern const std::string kStubScript;

// Seam (d): what /init does to the action directory. The normal implementation
// is DirActionStore; decorators (fault injection) may wrap it. Failures return
// an error status and leave the previously installed action in place.
// Not thread-safe: used from the event loop only.
class ActionStore {
 public:
  virtual ~ActionStore() = default;
  // Creates the directory if needed and installs the stub unless an `exec`
  // already exists there.
  virtual ow::Status Prepare() = 0;
  // C2.2: text code becomes <dir>/exec, mode 0755.
  virtual ow::Status InstallText(const std::string& code) = 0;
  // C2.3: a decoded zip archive replaces the directory's contents; its
  // top-level `exec` becomes the executable. Errors: hostile or corrupt
  // archive, or no top-level `exec` (message contract::kNoBinary).
  virtual ow::Status InstallArchive(const std::string& zip_bytes) = 0;
  virtual std::string directory() const = 0;
  virtual std::string executable() const = 0;
};

// Keeps the action in a directory on disk. Archives are extracted into a
// staging directory inside it and then renamed into place, so a failed
// extraction changes nothing the action can see.
class DirActionStore : public ActionStore {
 public:
  DirActionStore(std::string directory, uint64_t max_archive_bytes);

  ow::Status Prepare() override;
  ow::Status InstallText(const std::string& code) override;
  ow::Status InstallArchive(const std::string& zip_bytes) override;
  std::string directory() const override { return directory_; }
  std::string executable() const override { return directory_ + "/exec"; }

 private:
  std::string directory_;
  uint64_t max_archive_bytes_;
};

}  // namespace rr
