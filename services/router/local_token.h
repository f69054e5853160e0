// A credential in a file of the data folder (mode 0600): the local token `ag_local_…` in
// $AGENTGATE_HOME/token (the owner's client key), the admin credential `ag_admin_…` in
// admin.token. The router owns them: creates them on first start, rotates on request.
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"

namespace agentgate::router {

class LocalToken {
 public:
  // Reads the file, or creates it with a new token. A file with looser permissions is
  // tightened to 0600.
  static absl::StatusOr<std::unique_ptr<LocalToken>> LoadOrCreate(
      const std::string& path, std::string_view prefix = "ag_local_");

  std::string Get() const;
  // Writes a new token (atomically, 0600) and returns it. The old one stops working for the
  // admin API at once; edges follow with the next snapshot.
  absl::StatusOr<std::string> Rotate();
  int64_t rotated_at_ms() const;
  const std::string& path() const { return path_; }

 private:
  LocalToken(std::string path, std::string prefix, std::string token, int64_t at)
      : path_(std::move(path)),
        prefix_(std::move(prefix)),
        token_(std::move(token)),
        rotated_at_ms_(at) {}
  const std::string path_;
  const std::string prefix_;
  mutable std::mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  int64_t rotated_at_ms_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agentgate::router
