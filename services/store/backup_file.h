// A backup of the stack's data as one sealed file, written and read as a stream (a stats.db of
// gigabytes never sits in memory).
//
// Format: "AGBK" | u32 header length | header JSON (in clear: when, how sealed, the scrypt salt,
// what is inside) | chunks. Each chunk: u32 sealed length | 12-byte nonce | AES-256-GCM
// ciphertext of at most 1 MiB | 16-byte tag, with the header, the chunk's index and whether it
// is the last as associated data: a chunk cannot be moved, dropped, reordered or cut off, and
// the header cannot be changed, without the file failing to open. The plaintext is a sequence
// of entries (u16 name length | name | u64 size | bytes), ended by an empty name.
//
// The key is derived from the stack's master key (seal "master-key": restorable where that key
// is) or from a passphrase with scrypt (seal "passphrase": restorable anywhere).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace agentgate::store {

inline constexpr std::string_view kBackupSealMasterKey = "master-key";
inline constexpr std::string_view kBackupSealPassphrase = "passphrase";
// What a backup may hold; any other name in a file is refused.
inline constexpr std::string_view kBackupEntries[] = {"config.db", "stats.db", "token",
                                                      "master.key"};

struct BackupHeader {
  int64_t created_at_ms = 0;
  std::string seal;  // kBackupSeal*
  std::string salt;  // passphrase: the scrypt salt (raw bytes)
  std::string host;  // where it was made
  std::vector<std::string> contents;
  bool scheduled = false;
};

// A 32-byte key from a passphrase (scrypt N=2^15, r=8, p=1) and the header's salt.
absl::StatusOr<std::string> BackupKeyFromPassphrase(std::string_view passphrase,
                                                    std::string_view salt);
// A 32-byte key for backups from the master key (HMAC-SHA-256 under it: never the master key).
std::string BackupKeyFromMasterKey(std::string_view master_key);

class BackupWriter {
 public:
  // Writes to `path`.part, renamed to `path` by Finish (mode 0600). REQUIRES: key is 32 bytes.
  static absl::StatusOr<std::unique_ptr<BackupWriter>> Create(const std::string& path,
                                                              const BackupHeader& header,
                                                              std::string key);
  ~BackupWriter();  // without Finish: the .part file is removed

  // An entry of `size` bytes, then exactly that many through Write.
  absl::Status BeginEntry(std::string_view name, uint64_t size);
  absl::Status Write(std::string_view bytes);
  // A whole file as an entry.
  absl::Status AddFile(std::string_view name, const std::string& source);
  absl::Status Finish();

 private:
  BackupWriter() = default;
  absl::Status Put(std::string_view bytes);  // into the plaintext stream
  absl::Status SealChunk(bool last);

  std::string path_, part_;
  std::string key_, aad_header_;
  std::FILE* f_ = nullptr;
  std::string pending_;  // plaintext not yet sealed
  uint64_t index_ = 0;
  uint64_t entry_left_ = 0;
  bool in_entry_ = false;
  bool finished_ = false;
};

// The header, read without the key. InvalidArgument when the file is not a backup.
absl::StatusOr<BackupHeader> ReadBackupHeader(const std::string& path);

// Opens the whole file with `key` and writes its entries into `dest_dir` (files 0600, named as
// in kBackupEntries). Nothing is trusted before it is authenticated: a wrong key, a changed,
// cut or extended file, or an unknown name fail (PermissionDenied for the key, DataLoss for
// the rest) and the entries written so far are removed.
absl::StatusOr<std::vector<std::string>> ExtractBackup(const std::string& path,
                                                       std::string_view key,
                                                       const std::string& dest_dir);

}  // namespace agentgate::store
