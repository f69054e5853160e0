// ConfigStore: official ChatGPT accounts (see config_store.h).
#include <algorithm>
#include <boost/json.hpp>

#include "services/common/clock.h"
#include "services/router/config_store.h"
#include "services/routing/presets.h"
#include "services/snapshot/quota_convert.h"

namespace agentgate::router {
namespace {

// Sealed with the account's id as associated data: a row's tokens cannot be moved to another.
std::string TokensPurpose(const std::string& id) { return "account-tokens:" + id; }

constexpr char kSelectAccount[] =
    "SELECT id, provider, position, email, plan, access_expires_at_ms, last_refresh, quota, "
    "cooling_until_ms, created_at_ms, updated_at_ms, tokens, refreshed_at_ms, relogin "
    "FROM accounts ";
constexpr size_t kMaxAccounts = 64;  // as many as a provider's keys

admin::v1::Account RowToAccount(const store::Statement& s) {
  admin::v1::Account a;
  a.set_id(s.ColumnText(0));
  a.set_provider(s.ColumnText(1));
  a.set_position(static_cast<int32_t>(s.ColumnInt(2)));
  a.set_email(s.ColumnText(3));
  a.set_plan(s.ColumnText(4));
  a.set_access_expires_at_ms(s.ColumnInt(5));
  a.set_last_refresh(s.ColumnText(6));
  if (!s.ColumnIsNull(7)) (void)a.mutable_quota()->ParseFromString(s.ColumnBlob(7));
  a.set_cooling_until_ms(s.ColumnInt(8));
  a.set_created_at_ms(s.ColumnInt(9));
  a.set_updated_at_ms(s.ColumnInt(10));
  a.set_relogin(s.ColumnText(13));
  return a;
}

// The tokens sealed in a row, as a JSON object (id_token, access_token, refresh_token).
absl::StatusOr<boost::json::object> OpenTokens(const store::SecretBox& box,
                                               const store::Statement& s, const std::string& id) {
  auto opened = box.Open(s.ColumnBlob(11), TokensPurpose(id));
  if (!opened.ok()) {
    return absl::FailedPreconditionError(
        "cannot decrypt the tokens of account " + id +
        ": master.key does not match the one config.db was written with");
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*opened, ec);
  if (ec || !v.is_object()) return absl::DataLossError("account " + id + ": tokens unreadable");
  return std::move(v.get_object());
}

// Until when the edges should prefer the pool's other accounts to this one: a window with less
// than `low` percent left, until it resets (5 minutes when its reset is not known). 0: not
// avoided. (A spent window rests the account through the edges' key health instead.)
int64_t AvoidUntil(const admin::v1::Account& a, int64_t now_ms, double low) {
  const accounts::Quota q = snapshot::QuotaFromProto(a.quota());
  if (accounts::Judge(q, 0, now_ms, low).state == "ready") return 0;
  int64_t until = 0;
  for (const auto* w : {&q.primary, &q.secondary}) {
    if (w->known() && 100 - w->used_percent < low) until = std::max(until, w->reset_at_ms);
  }
  return until > now_ms ? until : now_ms + 5 * 60 * 1000;
}

// The pool and place of an account. NotFound.
absl::StatusOr<std::pair<std::string, int64_t>> PlaceOf(store::Database& db,
                                                        const std::string& id) {
  auto find = db.Prepare("SELECT provider, position FROM accounts WHERE id = ?1");
  if (!find.ok()) return find.status();
  find->Bind(1, id);
  auto row = find->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("no account " + id);
  return std::make_pair(find->ColumnText(0), find->ColumnInt(1));
}

std::string TokenOf(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

absl::StatusOr<ConfigStore::ImportedAccount> ConfigStore::ImportAccount(
    const accounts::Account& a, const std::string& provider_name) {
  const std::string pool = provider_name.empty() ? "chatgpt" : provider_name;
  ImportedAccount out;
  auto existing = GetProvider(pool);
  if (existing.ok()) {
    const routing::ProviderPreset* preset = routing::FindPreset(existing->type());
    if (preset == nullptr || !preset->subscription) {
      return absl::InvalidArgumentError("provider '" + pool + "' is of type " + existing->type() +
                                        ", not a ChatGPT account pool (type chatgpt)");
    }
  } else if (absl::IsNotFound(existing.status())) {
    admin::v1::Provider p;
    p.set_name(pool);
    p.set_type("chatgpt");
    auto made = CreateProvider(p, "");
    if (!made.ok() && !absl::IsAlreadyExists(made.status())) return made.status();
    out.provider_created = made.ok();
  } else {
    return existing.status();
  }

  const boost::json::object tokens{{"id_token", a.id_token},
                                   {"access_token", a.access_token},
                                   {"refresh_token", a.refresh_token}};
  const std::string sealed = box_.Seal(boost::json::serialize(tokens), TokensPurpose(a.account_id));
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = NowMs();
  // When the sign-in was last refreshed, as the file says (else now).
  int64_t refreshed_at = accounts::ParseRfc3339Ms(a.last_refresh);
  if (refreshed_at <= 0 || refreshed_at > now) refreshed_at = now;
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    auto find = db_->Prepare("SELECT provider FROM accounts WHERE id = ?1");
    if (!find.ok()) return find.status();
    find->Bind(1, a.account_id);
    auto row = find->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      if (find->ColumnText(0) != pool) {
        return absl::AlreadyExistsError("account " + a.account_id + " is already in pool '" +
                                        find->ColumnText(0) + "'");
      }
      out.replaced = true;
      // New tokens: whatever was known of its quota and rest stays (same account).
      auto up = db_->Prepare(
          "UPDATE accounts SET email = ?2, plan = ?3, tokens = ?4, access_expires_at_ms = ?5, "
          "last_refresh = ?6, updated_at_ms = ?7, refreshed_at_ms = ?8, relogin = '' "
          "WHERE id = ?1");
      if (!up.ok()) return up.status();
      up->Bind(1, a.account_id).Bind(2, a.email).Bind(3, a.plan).BindBlob(4, sealed);
      up->Bind(5, a.access_expires_at_ms).Bind(6, a.last_refresh).Bind(7, now);
      up->Bind(8, refreshed_at);
      if (auto s = up->Run(); !s.ok()) return s;
      return BumpLocked();
    }
    auto count = db_->Prepare(
        "SELECT COUNT(*), COALESCE(MAX(position) + 1, 0) FROM accounts WHERE provider = ?1");
    if (!count.ok()) return count.status();
    count->Bind(1, pool);
    if (auto r = count->Step(); !r.ok()) return r.status();
    if (static_cast<size_t>(count->ColumnInt(0)) >= kMaxAccounts) {
      return absl::InvalidArgumentError("pool '" + pool + "' already has " +
                                        std::to_string(kMaxAccounts) + " accounts");
    }
    const int64_t position = count->ColumnInt(1);
    auto ins = db_->Prepare(
        "INSERT INTO accounts (id, provider, position, email, plan, tokens, "
        "access_expires_at_ms, last_refresh, created_at_ms, updated_at_ms, refreshed_at_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, a.account_id).Bind(2, pool).Bind(3, position).Bind(4, a.email).Bind(5, a.plan);
    ins->BindBlob(6, sealed).Bind(7, a.access_expires_at_ms).Bind(8, a.last_refresh);
    ins->Bind(9, now).Bind(10, refreshed_at);
    if (auto s = ins->Run(); !s.ok()) return s;
    return BumpLocked();
  });
  if (!st.ok()) return st;
  auto list = ListAccountsLocked(pool);
  if (!list.ok()) return list.status();
  for (auto& acc : *list) {
    if (acc.id() == a.account_id) out.account = std::move(acc);
  }
  return out;
}

absl::StatusOr<std::vector<admin::v1::Account>> ConfigStore::ListAccountsLocked(
    const std::string& provider) {
  auto stmt = db_->Prepare(
      std::string(kSelectAccount) +
      (provider.empty() ? "ORDER BY provider, position" : "WHERE provider = ?1 ORDER BY position"));
  if (!stmt.ok()) return stmt.status();
  if (!provider.empty()) stmt->Bind(1, provider);
  std::vector<admin::v1::Account> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(RowToAccount(*stmt));
  }
  return out;
}

absl::StatusOr<std::vector<admin::v1::Account>> ConfigStore::ListAccounts() {
  std::lock_guard<std::mutex> lock(mu_);
  return ListAccountsLocked("");
}

absl::Status ConfigStore::RemoveAccount(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  return store::InTransaction(*db_, [&]() -> absl::Status {
    auto place = PlaceOf(*db_, id);
    if (!place.ok()) return place.status();
    const auto& [pool, position] = *place;
    auto del = db_->Prepare("DELETE FROM accounts WHERE id = ?1");
    if (!del.ok()) return del.status();
    del->Bind(1, id);
    if (auto s = del->Run(); !s.ok()) return s;
    auto shift = db_->Prepare(
        "UPDATE accounts SET position = position - 1 WHERE provider = ?1 AND position > ?2");
    if (!shift.ok()) return shift.status();
    shift->Bind(1, pool).Bind(2, position);
    if (auto s = shift->Run(); !s.ok()) return s;
    return BumpLocked();
  });
}

absl::StatusOr<bool> ConfigStore::RecordAccountQuota(const std::string& id,
                                                     const admin::v1::AccountQuota& quota,
                                                     int64_t cooling_until_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = NowMs();
  auto standing = [&]() -> absl::StatusOr<std::string> {
    auto find = db_->Prepare(std::string(kSelectAccount) + "WHERE id = ?1");
    if (!find.ok()) return find.status();
    find->Bind(1, id);
    auto row = find->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::NotFoundError("no account " + id);
    const admin::v1::Account a = RowToAccount(*find);
    return accounts::Judge(snapshot::QuotaFromProto(a.quota()), a.cooling_until_ms(), now,
                           low_left_percent())
        .state;
  };
  auto before = standing();
  if (!before.ok()) return before.status();
  // An answer without quota headers (an error, say) leaves what was known.
  const bool known = quota.primary().known() || quota.secondary().known();
  auto stmt = db_->Prepare(
      "UPDATE accounts SET quota = CASE WHEN ?4 THEN ?2 ELSE quota END, "
      "cooling_until_ms = MAX(cooling_until_ms, ?3) WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id).BindBlob(2, quota.SerializeAsString()).Bind(3, cooling_until_ms);
  stmt->Bind(4, static_cast<int64_t>(known ? 1 : 0));
  if (auto s = stmt->Run(); !s.ok()) return s;
  if (db_->Changes() == 0) return absl::NotFoundError("no account " + id);
  auto after = standing();
  if (!after.ok()) return after.status();
  if (*after == *before) return false;
  if (auto s = BumpLocked(); !s.ok()) return s;
  return true;
}

absl::Status ConfigStore::AddAccountKeysLocked(control::v1::ProviderConfig& c) {
  auto stmt = db_->Prepare(std::string(kSelectAccount) + "WHERE provider = ?1 ORDER BY position");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, c.name());
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string id = stmt->ColumnText(0);
    auto tokens = OpenTokens(box_, *stmt, id);
    if (!tokens.ok()) return tokens.status();
    std::string access = TokenOf(*tokens, "access_token");
    if (access.empty()) continue;
    c.add_api_keys(std::move(access));
    c.add_key_accounts(id);
    c.add_key_avoid_until_ms(AvoidUntil(RowToAccount(*stmt), NowMs(), low_left_percent()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ConfigStore::AccountSecret>> ConfigStore::AccountSecrets() {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(std::string(kSelectAccount) + "ORDER BY provider, position");
  if (!stmt.ok()) return stmt.status();
  std::vector<AccountSecret> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AccountSecret s;
    s.id = stmt->ColumnText(0);
    auto tokens = OpenTokens(box_, *stmt, s.id);
    if (!tokens.ok()) return tokens.status();
    s.refresh_token = TokenOf(*tokens, "refresh_token");
    s.access_token = TokenOf(*tokens, "access_token");
    s.provider = stmt->ColumnText(1);
    if (!stmt->ColumnIsNull(7)) {
      admin::v1::AccountQuota q;
      if (q.ParseFromString(stmt->ColumnBlob(7))) s.quota_reported_at_ms = q.reported_at_ms();
    }
    s.access_expires_at_ms = stmt->ColumnInt(5);
    s.refreshed_at_ms = stmt->ColumnInt(12);
    s.relogin = stmt->ColumnText(13);
    out.push_back(std::move(s));
  }
  return out;
}

absl::Status ConfigStore::StoreRefreshedTokens(const std::string& id,
                                               const accounts::Account& fresh, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  return store::InTransaction(*db_, [&]() -> absl::Status {
    auto find = db_->Prepare(std::string(kSelectAccount) + "WHERE id = ?1");
    if (!find.ok()) return find.status();
    find->Bind(1, id);
    auto row = find->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::NotFoundError("no account " + id);
    auto tokens = OpenTokens(box_, *find, id);
    if (!tokens.ok()) return tokens.status();
    (*tokens)["access_token"] = fresh.access_token;
    if (!fresh.refresh_token.empty()) (*tokens)["refresh_token"] = fresh.refresh_token;
    if (!fresh.id_token.empty()) (*tokens)["id_token"] = fresh.id_token;
    auto up = db_->Prepare(
        "UPDATE accounts SET tokens = ?2, access_expires_at_ms = ?3, last_refresh = ?4, "
        "refreshed_at_ms = ?5, relogin = '', updated_at_ms = ?5 WHERE id = ?1");
    if (!up.ok()) return up.status();
    up->Bind(1, id).BindBlob(2, box_.Seal(boost::json::serialize(*tokens), TokensPurpose(id)));
    up->Bind(3, fresh.access_expires_at_ms).Bind(4, accounts::FormatRfc3339(now_ms));
    up->Bind(5, now_ms);
    if (auto s = up->Run(); !s.ok()) return s;
    return BumpLocked();
  });
}

absl::Status ConfigStore::UseAccount(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  return store::InTransaction(*db_, [&]() -> absl::Status {
    auto place = PlaceOf(*db_, id);
    if (!place.ok()) return place.status();
    const auto& [pool, position] = *place;
    if (position == 0) return absl::OkStatus();
    auto shift = db_->Prepare(
        "UPDATE accounts SET position = CASE WHEN id = ?2 THEN 0 ELSE position + 1 END "
        "WHERE provider = ?1 AND position <= ?3");
    if (!shift.ok()) return shift.status();
    shift->Bind(1, pool).Bind(2, id).Bind(3, position);
    if (auto s = shift->Run(); !s.ok()) return s;
    return BumpLocked();
  });
}

absl::StatusOr<accounts::Account> ConfigStore::AccountWithTokens(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(std::string(kSelectAccount) + "WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("no account " + id);
  auto tokens = OpenTokens(box_, *stmt, id);
  if (!tokens.ok()) return tokens.status();
  accounts::Account a;
  a.account_id = id;
  a.email = stmt->ColumnText(3);
  a.plan = stmt->ColumnText(4);
  a.access_expires_at_ms = stmt->ColumnInt(5);
  a.last_refresh = stmt->ColumnText(6);
  a.id_token = TokenOf(*tokens, "id_token");
  a.access_token = TokenOf(*tokens, "access_token");
  a.refresh_token = TokenOf(*tokens, "refresh_token");
  return a;
}

absl::Status ConfigStore::MarkRelogin(const std::string& id, const std::string& why) {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("UPDATE accounts SET relogin = ?2 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id).Bind(2, why);
  if (auto s = stmt->Run(); !s.ok()) return s;
  if (db_->Changes() == 0) return absl::NotFoundError("no account " + id);
  return absl::OkStatus();
}

}  // namespace agentgate::router
