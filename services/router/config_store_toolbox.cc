// ConfigStore: MCP servers and Skills (see config_store.h).
#include "services/common/clock.h"
#include "services/router/config_store.h"
#include "services/toolbox/rules.h"

namespace agentgate::router {
namespace {

// Sealed with the server's name as associated data: a row cannot be moved to another name.
std::string ServerPurpose(const std::string& name) { return "mcp-server:" + name; }

constexpr size_t kMaxServers = 256;
constexpr size_t kMaxSkills = 256;
// All skills together: a sync reads every skill with its files in one ListSkills answer, and
// gRPC takes at most 4 MiB in one message.
constexpr int64_t kMaxAllSkillsBytes = 3 * 1024 * 1024;

// Inserts or replaces `blob` under `name` in `table`; AlreadyExists with create_only, and a
// table that is full refuses a new name.
absl::Status PutRow(store::Database& db, const std::string& table, const std::string& column,
                    const std::string& name, const std::string& blob, bool create_only,
                    size_t max_rows, const char* what) {
  auto exists = db.Prepare("SELECT COUNT(*), SUM(name = ?1) FROM " + table);
  if (!exists.ok()) return exists.status();
  exists->Bind(1, name);
  if (auto row = exists->Step(); !row.ok()) return row.status();
  const bool taken = exists->ColumnInt(1) > 0;
  if (taken && create_only) {
    return absl::AlreadyExistsError(std::string(what) + " " + name + " exists already");
  }
  if (!taken && static_cast<size_t>(exists->ColumnInt(0)) >= max_rows) {
    return absl::ResourceExhaustedError("at most " + std::to_string(max_rows) + " " + what + "s");
  }
  auto put =
      db.Prepare("INSERT INTO " + table + " VALUES (?1, ?2, ?3) ON CONFLICT(name) DO UPDATE SET " +
                 column + " = excluded." + column + ", updated_at_ms = excluded.updated_at_ms");
  if (!put.ok()) return put.status();
  put->Bind(1, name).BindBlob(2, blob).Bind(3, NowMs());
  return put->Run();
}

absl::Status DeleteRow(store::Database& db, const char* table, const std::string& name,
                       const char* what) {
  auto del = db.Prepare(std::string("DELETE FROM ") + table + " WHERE name = ?1");
  if (!del.ok()) return del.status();
  del->Bind(1, name);
  if (auto st = del->Run(); !st.ok()) return st;
  if (db.Changes() == 0) return absl::NotFoundError(std::string("no ") + what + " " + name);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<admin::v1::McpServer>> ConfigStore::ListMcpServers() {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("SELECT name, server FROM mcp_servers ORDER BY name");
  if (!stmt.ok()) return stmt.status();
  std::vector<admin::v1::McpServer> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string name = stmt->ColumnText(0);
    auto opened = box_.Open(stmt->ColumnBlob(1), ServerPurpose(name));
    if (!opened.ok()) {
      return absl::FailedPreconditionError(
          "cannot decrypt MCP server " + name +
          ": master.key does not match the one config.db was written with");
    }
    admin::v1::McpServer s;
    if (!s.ParseFromString(*opened))
      return absl::DataLossError("MCP server " + name + " unreadable");
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<admin::v1::McpServer> ConfigStore::PutMcpServer(admin::v1::McpServer s,
                                                               bool create_only) {
  if (auto st = toolbox::NormalizeMcpServer(s); !st.ok()) return st;
  s.set_updated_ms(NowMs());
  if (s.origin().empty()) s.set_origin("added");
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    return PutRow(*db_, "mcp_servers", "server", s.name(),
                  box_.Seal(s.SerializeAsString(), ServerPurpose(s.name())), create_only,
                  kMaxServers, "MCP server");
  });
  if (!st.ok()) return st;
  return s;
}

absl::Status ConfigStore::RemoveMcpServer(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return DeleteRow(*db_, "mcp_servers", name, "MCP server");
}

absl::StatusOr<std::vector<admin::v1::Skill>> ConfigStore::ListSkills(bool with_files) {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("SELECT name, skill FROM skills ORDER BY name");
  if (!stmt.ok()) return stmt.status();
  std::vector<admin::v1::Skill> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    admin::v1::Skill s;
    if (!s.ParseFromString(stmt->ColumnBlob(1))) {
      return absl::DataLossError("skill " + stmt->ColumnText(0) + " unreadable");
    }
    if (!with_files) s.clear_files();
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<admin::v1::Skill> ConfigStore::PutSkill(admin::v1::Skill s, bool create_only) {
  if (auto st = toolbox::NormalizeSkill(s); !st.ok()) return st;
  s.set_updated_ms(NowMs());
  if (s.origin().empty()) s.set_origin("added");
  std::lock_guard<std::mutex> lock(mu_);
  const std::string blob = s.SerializeAsString();
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    auto others =
        db_->Prepare("SELECT COALESCE(SUM(LENGTH(skill)), 0) FROM skills WHERE name != ?1");
    if (!others.ok()) return others.status();
    others->Bind(1, s.name());
    if (auto row = others->Step(); !row.ok()) return row.status();
    if (others->ColumnInt(0) + static_cast<int64_t>(blob.size()) > kMaxAllSkillsBytes) {
      return absl::ResourceExhaustedError(
          "the skills kept would pass 3 MiB together (a sync reads them in one answer): remove "
          "one first");
    }
    return PutRow(*db_, "skills", "skill", s.name(), blob, create_only, kMaxSkills, "skill");
  });
  if (!st.ok()) return st;
  return s;
}

absl::Status ConfigStore::RemoveSkill(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return DeleteRow(*db_, "skills", name, "skill");
}

}  // namespace agentgate::router
