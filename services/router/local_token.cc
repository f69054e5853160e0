#include "services/router/local_token.h"

#include <sys/stat.h>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/common/token.h"

namespace agentgate::router {

absl::StatusOr<std::unique_ptr<LocalToken>> LocalToken::LoadOrCreate(const std::string& path,
                                                                     std::string_view prefix) {
  auto content = ReadFile(path);
  if (content.ok()) {
    std::string token(StripSpace(*content));
    if (token.size() >= 16) {
      auto mode = FileMode(path);
      if (mode.ok() && (*mode & 077) != 0) {
        ::chmod(path.c_str(), 0600);
        LogWarn("token file was readable by others; set to 0600").Kv("path", path);
      }
      struct stat st;
      int64_t at = ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) * 1000 : 0;
      return std::unique_ptr<LocalToken>(new LocalToken(path, std::string(prefix), token, at));
    }
    LogWarn("token file is empty or too short; writing a new token").Kv("path", path);
  } else if (!absl::IsNotFound(content.status())) {
    return content.status();
  }
  std::string token = GenerateToken(prefix);
  if (auto st = WriteFileAtomic(path, token + "\n", 0600); !st.ok()) return st;
  LogInfo("created a credential").Kv("path", path);
  return std::unique_ptr<LocalToken>(new LocalToken(path, std::string(prefix), token, NowMs()));
}

std::string LocalToken::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return token_;
}

int64_t LocalToken::rotated_at_ms() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rotated_at_ms_;
}

absl::StatusOr<std::string> LocalToken::Rotate() {
  std::string token = GenerateToken(prefix_);
  std::lock_guard<std::mutex> lock(mu_);
  if (auto st = WriteFileAtomic(path_, token + "\n", 0600); !st.ok()) return st;
  token_ = token;
  rotated_at_ms_ = NowMs();
  return token;
}

}  // namespace agentgate::router
