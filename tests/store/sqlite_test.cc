#include "services/store/sqlite.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace agentgate::store {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agentgate_sqlite_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Path(const std::string& name = "test.db") const { return dir_ + "/" + name; }

  std::unique_ptr<Database> OpenDb(const std::string& name = "test.db") {
    auto db = Database::Open(Path(name));
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  static int64_t CountRows(Database& db, const std::string& table) {
    auto stmt = db.Prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(stmt.ok()) << stmt.status();
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnInt(0);
  }

  std::string dir_;
};

TEST_F(SqliteTest, OpenCreatesPrivateFileInWalMode) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->path(), Path());

  struct stat st;
  ASSERT_EQ(::stat(Path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok()) << mode.status();
  auto row = mode->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(mode->ColumnText(0), "wal");

  auto fk = db->Prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(fk.ok());
  ASSERT_TRUE(*fk->Step());
  EXPECT_EQ(fk->ColumnInt(0), 1);

  auto sync = db->Prepare("PRAGMA synchronous");
  ASSERT_TRUE(sync.ok());
  ASSERT_TRUE(*sync->Step());
  EXPECT_EQ(sync->ColumnInt(0), 1);  // NORMAL

  auto timeout = db->Prepare("PRAGMA busy_timeout");
  ASSERT_TRUE(timeout.ok());
  ASSERT_TRUE(*timeout->Step());
  EXPECT_EQ(timeout->ColumnInt(0), 5000);
}

TEST_F(SqliteTest, OpenTightensExistingFileMode) {
  {
    auto db = OpenDb();
    ASSERT_NE(db, nullptr);
  }
  ASSERT_EQ(::chmod(Path().c_str(), 0644), 0);
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  struct stat st;
  ASSERT_EQ(::stat(Path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SqliteTest, OpenFailsInMissingFolder) {
  auto db = Database::Open(dir_ + "/no/such/folder/test.db");
  EXPECT_FALSE(db.ok());
}

TEST_F(SqliteTest, BindStepAndColumns) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, b BLOB)").ok());

  const std::string blob("a\0b\0\xff", 5);
  {
    auto ins = db->Prepare("INSERT INTO t (n, s, b) VALUES (?, ?, ?)");
    ASSERT_TRUE(ins.ok()) << ins.status();
    ins->Bind(1, int64_t{1} << 40).Bind(2, std::string_view("héllo")).BindBlob(3, blob);
    ASSERT_TRUE(ins->Run().ok());
    EXPECT_EQ(db->LastInsertId(), 1);
    EXPECT_EQ(db->Changes(), 1);

    ins->Reset();
    ins->BindNull(1).BindNull(2).BindNull(3);
    ASSERT_TRUE(ins->Run().ok());
    EXPECT_EQ(db->LastInsertId(), 2);

    ins->Reset();
    ins->Bind(1, int64_t{-7}).Bind(2, std::string_view("")).BindBlob(3, "");
    ASSERT_TRUE(ins->Run().ok());
    EXPECT_EQ(db->LastInsertId(), 3);
  }

  auto sel = db->Prepare("SELECT id, n, s, b FROM t ORDER BY id");
  ASSERT_TRUE(sel.ok()) << sel.status();

  auto row = sel->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(sel->ColumnInt(0), 1);
  EXPECT_EQ(sel->ColumnInt(1), int64_t{1} << 40);
  EXPECT_EQ(sel->ColumnText(2), "héllo");
  EXPECT_EQ(sel->ColumnBlob(3), blob);
  EXPECT_EQ(sel->ColumnBlob(3).size(), 5u);
  EXPECT_FALSE(sel->ColumnIsNull(3));

  row = sel->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_TRUE(sel->ColumnIsNull(1));
  EXPECT_TRUE(sel->ColumnIsNull(2));
  EXPECT_TRUE(sel->ColumnIsNull(3));
  EXPECT_EQ(sel->ColumnInt(1), 0);
  EXPECT_EQ(sel->ColumnText(2), "");
  EXPECT_EQ(sel->ColumnBlob(3), "");

  row = sel->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(sel->ColumnInt(1), -7);
  EXPECT_FALSE(sel->ColumnIsNull(2));  // empty text is not NULL
  EXPECT_EQ(sel->ColumnText(2), "");
  EXPECT_FALSE(sel->ColumnIsNull(3));  // empty blob is not NULL
  EXPECT_EQ(sel->ColumnBlob(3), "");

  row = sel->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);

  // Reset lets the statement run again from the first row.
  sel->Reset();
  row = sel->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(sel->ColumnInt(0), 1);
}

TEST_F(SqliteTest, TextWithEmbeddedNulRoundTrips) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (s TEXT)").ok());
  const std::string text("x\0y", 3);
  auto ins = db->Prepare("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(ins->Bind(1, text).Run().ok());
  auto sel = db->Prepare("SELECT s FROM t");
  ASSERT_TRUE(sel.ok());
  ASSERT_TRUE(*sel->Step());
  EXPECT_EQ(sel->ColumnText(0), text);
}

TEST_F(SqliteTest, StatementMoveLeavesSourceEmpty) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  auto prepared = db->Prepare("SELECT 42");
  ASSERT_TRUE(prepared.ok());
  Statement a = std::move(*prepared);
  Statement b = std::move(a);
  auto row = a.Step();  // NOLINT(bugprone-use-after-move): moved-from must be safe and empty
  EXPECT_FALSE(row.ok());
  row = b.Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(b.ColumnInt(0), 42);

  auto other = db->Prepare("SELECT 7");
  ASSERT_TRUE(other.ok());
  b = std::move(*other);
  EXPECT_FALSE(other->Step().ok());  // NOLINT(bugprone-use-after-move)
  row = b.Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(b.ColumnInt(0), 7);
}

TEST_F(SqliteTest, ErrorsAreStatusesNotCrashes) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);

  auto bad = db->Prepare("SELEKT nonsense");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos) << bad.status();

  auto missing = db->Prepare("SELECT * FROM no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no such table"), std::string::npos);

  EXPECT_FALSE(db->Exec("DROP TABLE no_such_table").ok());
  EXPECT_FALSE(db->Prepare("").ok());

  // A statement that prepares but fails when run.
  ASSERT_TRUE(db->Exec("CREATE TABLE u (k TEXT PRIMARY KEY NOT NULL)").ok());
  auto ins = db->Prepare("INSERT INTO u VALUES (?)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(ins->Bind(1, std::string_view("a")).Run().ok());
  ins->Reset();
  absl::Status dup = ins->Bind(1, std::string_view("a")).Run();
  EXPECT_FALSE(dup.ok());
  EXPECT_NE(dup.message().find("UNIQUE"), std::string::npos) << dup;
  ins->Reset();
  EXPECT_FALSE(ins->BindNull(1).Run().ok());

  // A bind to an index out of range is reported by Run.
  ins->Reset();
  absl::Status range = ins->Bind(5, int64_t{1}).Run();
  EXPECT_FALSE(range.ok());
  ins->Reset();
  EXPECT_TRUE(ins->Bind(1, std::string_view("b")).Run().ok());
}

TEST_F(SqliteTest, ForeignKeysAreEnforced) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE p (id INTEGER PRIMARY KEY);"
                       "CREATE TABLE c (pid INTEGER NOT NULL REFERENCES p(id));")
                  .ok());
  EXPECT_FALSE(db->Exec("INSERT INTO c VALUES (99)").ok());
}

TEST_F(SqliteTest, InTransactionCommitsAndRollsBack) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (v INTEGER)").ok());

  absl::Status s = InTransaction(*db, [&] { return db->Exec("INSERT INTO t VALUES (1)"); });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(CountRows(*db, "t"), 1);

  s = InTransaction(*db, [&]() -> absl::Status {
    if (auto st = db->Exec("INSERT INTO t VALUES (2)"); !st.ok()) return st;
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(CountRows(*db, "t"), 1);

  // A failing statement inside the transaction also rolls everything back.
  s = InTransaction(*db, [&]() -> absl::Status {
    if (auto st = db->Exec("INSERT INTO t VALUES (3)"); !st.ok()) return st;
    return db->Exec("INSERT INTO nowhere VALUES (1)");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(CountRows(*db, "t"), 1);

  // Other connections see committed data only.
  auto other = OpenDb();
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(CountRows(*other, "t"), 1);

  // Rollback without a transaction is fine; Commit without one is an error.
  EXPECT_TRUE(db->Rollback().ok());
  EXPECT_FALSE(db->Commit().ok());
}

TEST_F(SqliteTest, MigrateAppliesMissingStepsOnly) {
  std::vector<std::string> migrations = {
      "CREATE TABLE a (x INTEGER)",
      "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1)",
  };
  {
    auto db = OpenDb();
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(*db->UserVersion(), 0);
    ASSERT_TRUE(db->Migrate(migrations).ok());
    EXPECT_EQ(*db->UserVersion(), 2);
    EXPECT_EQ(CountRows(*db, "a"), 1);

    // Re-running is a no-op (the INSERT is not repeated).
    ASSERT_TRUE(db->Migrate(migrations).ok());
    EXPECT_EQ(*db->UserVersion(), 2);
    EXPECT_EQ(CountRows(*db, "a"), 1);
  }
  {
    // A reopened file with one more migration gets only the new one.
    migrations.push_back("INSERT INTO a VALUES (2); INSERT INTO b VALUES (3)");
    auto db = OpenDb();
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(*db->UserVersion(), 2);
    absl::Status s = db->Migrate(migrations);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(*db->UserVersion(), 3);
    EXPECT_EQ(CountRows(*db, "a"), 2);
    EXPECT_EQ(CountRows(*db, "b"), 1);
  }
  {
    // An older build knows fewer migrations than the file has.
    auto db = OpenDb();
    ASSERT_NE(db, nullptr);
    migrations.resize(1);
    absl::Status s = db->Migrate(migrations);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(s.message(),
              "database " + Path() + " is schema version 3, newer than this build (1)");
    EXPECT_EQ(*db->UserVersion(), 3);
  }
}

TEST_F(SqliteTest, FailedMigrationLeavesVersionUnchanged) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  std::vector<std::string> migrations = {
      "CREATE TABLE a (x INTEGER)",
      "CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1)",
  };
  absl::Status s = db->Migrate(migrations);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no such table"), std::string::npos) << s;
  EXPECT_EQ(*db->UserVersion(), 1);
  // Table b was created in the failed transaction and rolled back with it.
  EXPECT_FALSE(db->Prepare("SELECT * FROM b").ok());

  migrations[1] = "CREATE TABLE b (y INTEGER)";
  ASSERT_TRUE(db->Migrate(migrations).ok());
  EXPECT_EQ(*db->UserVersion(), 2);
}

TEST_F(SqliteTest, IntegrityCheckIsOk) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (v TEXT); CREATE INDEX t_v ON t(v);"
                       "INSERT INTO t VALUES ('a'), ('b');")
                  .ok());
  auto result = db->IntegrityCheck();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, "ok");
}

// A backup taken while another connection writes is a whole, consistent database of its own.
TEST_F(SqliteTest, BackupToCopiesWhileOthersWrite) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);").ok());
  auto writer = OpenDb();  // the same file, another connection, mid-transaction
  ASSERT_TRUE(writer->Begin().ok());
  ASSERT_TRUE(writer->Exec("INSERT INTO t VALUES (3);").ok());
  ASSERT_TRUE(db->BackupTo(Path("copy.db")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  struct stat st {};
  ASSERT_EQ(::stat(Path("copy.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(Path("copy.db-wal")));
  auto copy = OpenDb("copy.db");
  EXPECT_EQ(CountRows(*copy, "t"), 2);  // the committed state when it was taken
  EXPECT_EQ(*copy->IntegrityCheck(), "ok");
  // Taken again over an older copy: replaced.
  ASSERT_TRUE(db->BackupTo(Path("copy.db")).ok());
}

// Another process with the database open is seen; none after it closes it.
TEST_F(SqliteTest, DatabaseOpenedByAnotherProcess) {
  { auto db = OpenDb(); }
  EXPECT_EQ(DatabaseOpenedBy(Path()), 0);
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    auto db = Database::Open(Path());
    char c = 1;
    (void)!::write(ready[1], &c, 1);
    (void)!::read(done[0], &c, 1);
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  EXPECT_EQ(DatabaseOpenedBy(Path()), child);
  ASSERT_EQ(::write(done[1], &c, 1), 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(DatabaseOpenedBy(Path()), 0);
}

}  // namespace
}  // namespace agentgate::store
