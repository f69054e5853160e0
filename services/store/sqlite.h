// A thin RAII wrapper over SQLite 3: one Database per file, prepared Statements, transactions and
// `PRAGMA user_version` migrations.
//
// Thread-safety: a Database may be used from several threads only under the caller's own mutex
// (the connection is opened with SQLITE_OPEN_FULLMUTEX, but statements are not shared safely).
// Errors are returned as absl::Status with SQLite's message; nothing throws.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace agentgate::store {

class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  // Binds by 1-based index. Text and blobs are copied (SQLITE_TRANSIENT).
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindDouble(int index, double value);
  Statement& BindNull(int index);

  // Advances: true while a row is ready, false when done. An error is returned as a status.
  absl::StatusOr<bool> Step();
  // Steps to the end, for statements that return no rows.
  absl::Status Run();
  // Resets the statement and clears its bindings so it can run again.
  void Reset();

  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;     // 0 for NULL
  std::string ColumnText(int col) const;  // "" for NULL
  std::string ColumnBlob(int col) const;
  bool ColumnIsNull(int col) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  absl::Status bind_error_;  // the first failed Bind, returned by Step/Run
};

class Database {
 public:
  // Opens (creating if needed) the file with mode 0600, turns on WAL, foreign keys, a 5 s busy
  // timeout and synchronous=NORMAL.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();

  absl::Status Exec(std::string_view sql);  // one or more statements, no results
  absl::StatusOr<Statement> Prepare(std::string_view sql);

  absl::Status Begin();  // BEGIN IMMEDIATE
  absl::Status Commit();
  absl::Status Rollback();  // ignores "no transaction is active"

  // migrations[i] upgrades user_version i to i+1. Runs the missing ones, each in a transaction
  // together with the version bump. Fails if the file is newer than the code knows.
  absl::Status Migrate(const std::vector<std::string>& migrations);
  absl::StatusOr<int> UserVersion();

  // "ok" from PRAGMA integrity_check, or the first problem it reports.
  absl::StatusOr<std::string> IntegrityCheck();

  // A consistent copy of the database at `dest` (a new file, mode 0600; replaced if there),
  // made with SQLite's online backup while others keep writing. The caller's mutex is not
  // needed: the backup has its own connection's locking.
  absl::Status BackupTo(const std::string& dest);

  int64_t LastInsertId() const;
  int Changes() const;
  const std::string& path() const { return path_; }

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// The pid of another process that has the database at `path` open, or 0 when none does. A
// connection in WAL mode (every Database here) holds a shared lock on the -shm file's "DMS"
// byte (offset 128, SQLite's os_unix.c) while it is open; this asks the kernel who holds it.
// Locks of the calling process itself are not seen.
int DatabaseOpenedBy(const std::string& path);

// Runs `fn` inside BEGIN IMMEDIATE/COMMIT; rolls back and returns fn's error if it fails.
template <typename Fn>
absl::Status InTransaction(Database& db, Fn&& fn) {
  if (auto s = db.Begin(); !s.ok()) return s;
  absl::Status s = fn();
  if (!s.ok()) {
    (void)db.Rollback();
    return s;
  }
  return db.Commit();
}

}  // namespace agentgate::store
