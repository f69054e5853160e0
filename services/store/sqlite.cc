#include "services/store/sqlite.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace agentgate::store {
namespace {

// A status for SQLite result code `rc`, with the connection's message.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string msg = absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(msg);
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(msg);
    case SQLITE_RANGE:
    case SQLITE_MISUSE:
      return absl::InvalidArgumentError(msg);
    default:
      return absl::InternalError(msg);
  }
}

bool IsFilePath(const std::string& path) {
  return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::exchange(other.bind_error_, absl::OkStatus())) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::exchange(other.bind_error_, absl::OkStatus());
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

namespace {
// Records the first failed bind in `error`.
void NoteBind(absl::Status& error, sqlite3* db, int rc, int index) {
  if (rc != SQLITE_OK && error.ok()) {
    error = SqliteError(db, rc, absl::StrCat("cannot bind parameter ", index));
  }
}
}  // namespace

Statement& Statement::Bind(int index, int64_t value) {
  if (stmt_ == nullptr) return *this;
  NoteBind(bind_error_, db_, sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (stmt_ == nullptr) return *this;
  // A null data pointer would bind NULL; an empty string must stay an empty string.
  const char* data = text.data() != nullptr ? text.data() : "";
  NoteBind(bind_error_, db_,
           sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
           index);
  return *this;
}

Statement& Statement::BindDouble(int index, double value) {
  if (stmt_ == nullptr) return *this;
  NoteBind(bind_error_, db_, sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  if (stmt_ == nullptr) return *this;
  int rc = bytes.empty()
               ? sqlite3_bind_zeroblob(stmt_, index, 0)
               : sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  NoteBind(bind_error_, db_, rc, index);
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (stmt_ == nullptr) return *this;
  NoteBind(bind_error_, db_, sqlite3_bind_null(stmt_, index), index);
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  if (stmt_ == nullptr) return absl::FailedPreconditionError("statement is empty (moved from)");
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "cannot execute statement");
}

absl::Status Statement::Run() {
  for (;;) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void Statement::Reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = absl::OkStatus();
}

double Statement::ColumnDouble(int col) const {
  if (stmt_ == nullptr) return 0;
  return sqlite3_column_double(stmt_, col);
}

int64_t Statement::ColumnInt(int col) const {
  if (stmt_ == nullptr) return 0;
  return sqlite3_column_int64(stmt_, col);
}

std::string Statement::ColumnText(int col) const {
  if (stmt_ == nullptr) return "";
  // Per the SQLite docs: fetch the pointer first, then the size.
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (text == nullptr || n <= 0) return "";
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(n));
}

std::string Statement::ColumnBlob(int col) const {
  if (stmt_ == nullptr) return "";
  const void* blob = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (blob == nullptr || n <= 0) return "";
  return std::string(static_cast<const char*>(blob), static_cast<size_t>(n));
}

bool Statement::ColumnIsNull(int col) const {
  if (stmt_ == nullptr) return true;
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

// ---------------------------------------------------------------------------------------------
// Database

int DatabaseOpenedBy(const std::string& path) {
  const int fd = ::open((path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct flock lk {};
  lk.l_type = F_WRLCK;
  lk.l_whence = SEEK_SET;
  lk.l_start = 128;  // UNIX_SHM_DMS
  lk.l_len = 1;
  const int rc = ::fcntl(fd, F_GETLK, &lk);
  ::close(fd);
  return rc == 0 && lk.l_type != F_UNLCK ? static_cast<int>(lk.l_pid) : 0;
}

absl::Status Database::BackupTo(const std::string& dest) {
  ::unlink(dest.c_str());
  int fd = ::open(dest.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("cannot create ", dest, ": ", std::strerror(errno)));
  }
  ::close(fd);
  sqlite3* out = nullptr;
  int rc = sqlite3_open_v2(dest.c_str(), &out, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteError(out, rc, absl::StrCat("cannot open ", dest));
    sqlite3_close_v2(out);
    return s;
  }
  absl::Status result;
  sqlite3_backup* b = sqlite3_backup_init(out, "main", db_, "main");
  if (b == nullptr) {
    result = SqliteError(out, sqlite3_errcode(out), "cannot start the backup");
  } else {
    // Copies everything in one step; a writer holding the lock makes it wait and try again.
    for (int tries = 0;; ++tries) {
      rc = sqlite3_backup_step(b, -1);
      if (rc == SQLITE_DONE) break;
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 500) {
        sqlite3_sleep(10);
        continue;
      }
      break;
    }
    const int finish = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      result = SqliteError(out, rc, absl::StrCat("cannot back ", path_, " up"));
    } else if (finish != SQLITE_OK) {
      result = SqliteError(out, finish, absl::StrCat("cannot back ", path_, " up"));
    }
  }
  // A self-contained file: no -wal beside it.
  if (result.ok()) sqlite3_exec(out, "PRAGMA journal_mode=DELETE;", nullptr, nullptr, nullptr);
  sqlite3_close_v2(out);
  if (!result.ok()) ::unlink(dest.c_str());
  return result;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  if (IsFilePath(path)) {
    // Create the file ourselves so it never exists, even briefly, with wider permissions. SQLite
    // gives its -wal and -shm files the same mode as the database file.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::InternalError(
          absl::StrCat("cannot open database ", path, ": ", std::strerror(errno)));
    }
    ::close(fd);
  }

  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteError(raw, rc, absl::StrCat("cannot open database ", path));
    sqlite3_close_v2(raw);  // a handle is usually allocated even on failure
    return s;
  }
  std::unique_ptr<Database> db(new Database(raw, path));

  if (IsFilePath(path) && ::chmod(path.c_str(), 0600) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot set mode 0600 on ", path, ": ", std::strerror(errno)));
  }
  sqlite3_extended_result_codes(raw, 1);
  // The busy timeout comes first so that switching to WAL waits for other connections.
  rc = sqlite3_busy_timeout(raw, 5000);
  if (rc != SQLITE_OK) return SqliteError(raw, rc, absl::StrCat("cannot configure ", path));
  if (auto s = db->Exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
                        "PRAGMA synchronous = NORMAL;");
      !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("cannot configure ", path, ": ", s.message()));
  }
  return db;
}

Database::~Database() {
  // close_v2 defers the close until any statements still alive are finalized.
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

absl::Status Database::Exec(std::string_view sql) {
  std::string owned(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status s = SqliteError(db_, rc, "cannot execute SQL");
  if (err != nullptr) {
    s = absl::Status(s.code(), absl::StrCat("cannot execute SQL: ", err));
    sqlite3_free(err);
  }
  return s;
}

absl::StatusOr<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(db_, rc, "cannot prepare statement");
  }
  if (stmt == nullptr) return absl::InvalidArgumentError("cannot prepare an empty statement");
  return Statement(db_, stmt);
}

absl::Status Database::Begin() { return Exec("BEGIN IMMEDIATE"); }

absl::Status Database::Commit() { return Exec("COMMIT"); }

absl::Status Database::Rollback() {
  if (sqlite3_get_autocommit(db_) != 0) return absl::OkStatus();  // no transaction is active
  return Exec("ROLLBACK");
}

absl::Status Database::Migrate(const std::vector<std::string>& migrations) {
  const int known = static_cast<int>(migrations.size());
  for (;;) {
    // The version is read inside the write transaction, so concurrent migrators do not both
    // apply the same step.
    if (auto s = Begin(); !s.ok()) return s;
    absl::StatusOr<int> version = UserVersion();
    if (!version.ok()) {
      (void)Rollback();
      return version.status();
    }
    if (*version > known) {
      (void)Rollback();
      return absl::FailedPreconditionError(absl::StrCat("database ", path_, " is schema version ",
                                                        *version, ", newer than this build (",
                                                        known, ")"));
    }
    if (*version == known) return Rollback();
    const int next = *version + 1;
    absl::Status s = Exec(migrations[static_cast<size_t>(*version)]);
    if (s.ok()) s = Exec(absl::StrCat("PRAGMA user_version = ", next));
    if (s.ok()) s = Commit();
    if (!s.ok()) {
      (void)Rollback();
      return absl::Status(s.code(), absl::StrCat("migration to schema version ", next, " of ",
                                                 path_, " failed: ", s.message()));
    }
  }
}

absl::StatusOr<int> Database::UserVersion() {
  absl::StatusOr<Statement> stmt = Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("PRAGMA user_version returned no row");
  return static_cast<int>(stmt->ColumnInt(0));
}

absl::StatusOr<std::string> Database::IntegrityCheck() {
  absl::StatusOr<Statement> stmt = Prepare("PRAGMA integrity_check");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("PRAGMA integrity_check returned no row");
  return stmt->ColumnText(0);
}

int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

int Database::Changes() const { return sqlite3_changes(db_); }

}  // namespace agentgate::store
