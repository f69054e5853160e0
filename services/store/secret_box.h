// Encryption of provider secrets at rest: AES-256-GCM (OpenSSL EVP) under a 32-byte master key.
//
// Sealed format: "agv1" | 12-byte random nonce | ciphertext | 16-byte tag. The associated data
// binds a ciphertext to its purpose (e.g. "provider-key"), so a blob cannot be moved elsewhere.
// Thread-safe: the key is constant after construction.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace agentgate::store {

class SecretBox {
 public:
  // REQUIRES: key.size() == 32.
  explicit SecretBox(std::string key);

  // Loads the master key: from `env_value` when not empty (64 hex characters or base64 of 32
  // bytes), else from `path` (32 raw bytes); when neither exists, creates `path` with mode 0600
  // holding 32 bytes from RAND_bytes. Fails on a malformed key or a file of the wrong size.
  static absl::StatusOr<SecretBox> LoadOrCreate(const std::string& path,
                                                std::string_view env_value);

  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // Fails (without saying why in detail) on a wrong key, tampered data or a bad format.
  absl::StatusOr<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

  // The key of backups sealed with the master key (backup_file.h's BackupKeyFromMasterKey).
  std::string BackupKey() const;

 private:
  std::string key_;
};

}  // namespace agentgate::store
