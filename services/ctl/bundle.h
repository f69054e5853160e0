// The pieces of `agentgatectl doctor --bundle`: a tar archive written in memory, gzip, and the
// redaction every file goes through. Pure: no files, no clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace agentgate::ctl {

// A ustar archive of regular files (mode 0600, owner 0), built in memory.
class TarWriter {
 public:
  // `path` up to 100 bytes (a longer one is cut). `mtime` in Unix seconds.
  void Add(std::string_view path, std::string_view content, int64_t mtime);
  // The archive with its two closing zero blocks.
  std::string Finish();

 private:
  std::string out_;
};

// gzip (RFC 1952) of `data`.
absl::StatusOr<std::string> Gzip(std::string_view data);
// The data inside a gzip stream (for tests and for reading a bundle back).
absl::StatusOr<std::string> Gunzip(std::string_view gz);

// The files of a ustar archive, as (path, content), in order.
std::vector<std::pair<std::string, std::string>> ReadTar(std::string_view tar);

// `text` with every one of `secrets` (4 bytes or longer) and everything shaped like a key or a
// bearer credential (sk-…, sk-ant-…, AIza…, xai-…, "Bearer …", long hex or base64 runs)
// replaced by "[redacted]".
std::string Redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace agentgate::ctl
