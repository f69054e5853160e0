#include "services/stats/stats_store.h"

#include <algorithm>

#include "services/common/client_name.h"

namespace agentgate::stats {
namespace {

const std::vector<std::string>& Migrations() {
  static const auto* kMigrations = new std::vector<std::string>{
      R"sql(
CREATE TABLE requests (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  client_protocol INTEGER NOT NULL,
  path TEXT NOT NULL,
  provider TEXT NOT NULL,
  model_requested TEXT NOT NULL,
  model_sent TEXT NOT NULL,
  status INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  ttfb_ms INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  bytes_in INTEGER NOT NULL,
  bytes_out INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  edge_id TEXT NOT NULL
);
CREATE UNIQUE INDEX requests_request_id ON requests(request_id);
CREATE INDEX requests_started ON requests(started_at_ms);
CREATE INDEX requests_provider ON requests(provider, id);
)sql",
      // 2: what protocol conversions dropped, joined with "; ".
      "ALTER TABLE requests ADD COLUMN conversion_losses TEXT NOT NULL DEFAULT '';",
      // 3: cache writes and cost (NULL: the model had no price).
      R"sql(
ALTER TABLE requests ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN cost_usd REAL;
)sql",
      // 4: the failover path, every upstream attempt in order: the protobuf encoding of
      // RequestLog.tried (NULL: none recorded, as for every row before this).
      "ALTER TABLE requests ADD COLUMN tried BLOB;",
      // 5: served by a subscription (its cost_usd is 0) and what it would have cost at API
      // prices (NULL: unknown).
      R"sql(
ALTER TABLE requests ADD COLUMN on_plan INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN list_price_usd REAL;
)sql",
  };
  return *kMigrations;
}

constexpr char kColumns[] =
    "request_id, started_at_ms, client_protocol, path, provider, model_requested, model_sent, "
    "status, latency_ms, ttfb_ms, input_tokens, output_tokens, cached_tokens, reasoning_tokens, "
    "bytes_in, bytes_out, stream, error, attempts, edge_id, conversion_losses, "
    "cache_write_tokens, cost_usd, tried, on_plan, list_price_usd";

// The totals of a set of rows, read by ReadTotals from column `first` on.
constexpr char kTotals[] =
    "COUNT(*), COALESCE(SUM(status >= 400), 0), COALESCE(SUM(input_tokens), 0), "
    "COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cached_tokens), 0), "
    "COALESCE(SUM(cache_write_tokens), 0), COALESCE(SUM(reasoning_tokens), 0), "
    "COALESCE(SUM(cost_usd), 0), "
    "COALESCE(SUM(cost_usd IS NULL AND (input_tokens > 0 OR output_tokens > 0)), 0), "
    "COALESCE(SUM(cost_usd IS NOT NULL AND on_plan = 0), 0), COALESCE(AVG(latency_ms), 0), "
    "COALESCE(SUM(on_plan), 0), COALESCE(SUM(CASE WHEN on_plan THEN list_price_usd END), 0)";

admin::v1::StatsTotals ReadTotals(const store::Statement& s, int first) {
  admin::v1::StatsTotals t;
  t.set_requests(s.ColumnInt(first));
  t.set_errors(s.ColumnInt(first + 1));
  t.set_input_tokens(s.ColumnInt(first + 2));
  t.set_output_tokens(s.ColumnInt(first + 3));
  t.set_cached_tokens(s.ColumnInt(first + 4));
  t.set_cache_write_tokens(s.ColumnInt(first + 5));
  t.set_reasoning_tokens(s.ColumnInt(first + 6));
  t.set_cost_usd(s.ColumnDouble(first + 7));
  t.set_unpriced_requests(s.ColumnInt(first + 8));
  int64_t priced = s.ColumnInt(first + 9);
  t.set_avg_cost_usd(priced > 0 ? t.cost_usd() / static_cast<double>(priced) : 0);
  t.set_avg_latency_ms(static_cast<int64_t>(s.ColumnDouble(first + 10) + 0.5));
  t.set_plan_requests(s.ColumnInt(first + 11));
  t.set_plan_list_price_usd(s.ColumnDouble(first + 12));
  return t;
}

std::string ClientName(int64_t protocol) {
  return std::string(ClientShortName(static_cast<admin::v1::ClientProtocol>(protocol)));
}

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 86'400'000;
// A range longer than this many buckets is cut to its newest ones.
constexpr int64_t kMaxBuckets = 5000;

std::string JoinLosses(const admin::v1::RequestLog& r) {
  std::string out;
  for (const auto& l : r.conversion_losses()) out += (out.empty() ? "" : "; ") + l;
  return out;
}

// RequestLog.tried as stored: the wire encoding of a RequestLog holding only that field (a few
// dozen bytes an attempt, and fields added to AttemptSummary later read back as they are).
std::string EncodeTried(const admin::v1::RequestLog& r) {
  admin::v1::RequestLog only;
  *only.mutable_tried() = r.tried();
  return only.SerializeAsString();
}

void DecodeTried(const std::string& blob, admin::v1::RequestLog* r) {
  admin::v1::RequestLog only;
  if (blob.empty() || !only.ParseFromString(blob)) return;  // a damaged blob: no path shown
  r->mutable_tried()->Swap(only.mutable_tried());
}

}  // namespace

absl::StatusOr<std::unique_ptr<StatsStore>> StatsStore::Open(const std::string& path) {
  auto db = store::Database::Open(path);
  if (!db.ok()) return db.status();
  if (auto st = (*db)->Migrate(Migrations()); !st.ok()) return st;
  return std::unique_ptr<StatsStore>(new StatsStore(*std::move(db)));
}

absl::StatusOr<int64_t> StatsStore::Insert(
    const google::protobuf::RepeatedPtrField<admin::v1::RequestLog>& records) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t stored = 0;
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    auto stmt = db_->Prepare(std::string("INSERT OR IGNORE INTO requests (") + kColumns +
                             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                             "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)");
    if (!stmt.ok()) return stmt.status();
    for (const auto& r : records) {
      stmt->Reset();
      stmt->Bind(1, r.request_id())
          .Bind(2, r.started_at_ms())
          .Bind(3, static_cast<int64_t>(r.client_protocol()))
          .Bind(4, r.path())
          .Bind(5, r.provider())
          .Bind(6, r.model_requested())
          .Bind(7, r.model_sent())
          .Bind(8, static_cast<int64_t>(r.status()))
          .Bind(9, r.latency_ms())
          .Bind(10, r.ttfb_ms())
          .Bind(11, r.input_tokens())
          .Bind(12, r.output_tokens())
          .Bind(13, r.cached_tokens())
          .Bind(14, r.reasoning_tokens())
          .Bind(15, r.bytes_in())
          .Bind(16, r.bytes_out())
          .Bind(17, static_cast<int64_t>(r.stream() ? 1 : 0))
          .Bind(18, r.error())
          .Bind(19, static_cast<int64_t>(r.attempts()))
          .Bind(20, r.edge_id())
          .Bind(21, JoinLosses(r))
          .Bind(22, r.cache_write_tokens());
      if (r.has_cost_usd()) {
        stmt->BindDouble(23, r.cost_usd());
      } else {
        stmt->BindNull(23);
      }
      if (r.tried_size() > 0) {
        stmt->BindBlob(24, EncodeTried(r));
      } else {
        stmt->BindNull(24);
      }
      stmt->Bind(25, static_cast<int64_t>(r.on_plan() ? 1 : 0));
      if (r.has_list_price_usd()) {
        stmt->BindDouble(26, r.list_price_usd());
      } else {
        stmt->BindNull(26);
      }
      if (auto s = stmt->Run(); !s.ok()) return s;
      stored += db_->Changes();
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return stored;
}

absl::StatusOr<std::vector<admin::v1::RequestLog>> StatsStore::Query(
    const admin::v1::ListRequestLogsRequest& req) {
  int64_t limit = req.limit() <= 0 ? 50 : std::min(req.limit(), 1000);
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(std::string("SELECT id, ") + kColumns +
                           " FROM requests WHERE (?1 = '' OR provider = ?1) AND "
                           "(?2 = 0 OR status = ?2) AND (?3 = 0 OR status >= 400) "
                           "ORDER BY id DESC LIMIT ?4");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, req.provider())
      .Bind(2, static_cast<int64_t>(req.status()))
      .Bind(3, static_cast<int64_t>(req.errors_only() ? 1 : 0))
      .Bind(4, limit);
  std::vector<admin::v1::RequestLog> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    admin::v1::RequestLog r;
    r.set_id(stmt->ColumnInt(0));
    r.set_request_id(stmt->ColumnText(1));
    r.set_started_at_ms(stmt->ColumnInt(2));
    r.set_client_protocol(static_cast<admin::v1::ClientProtocol>(stmt->ColumnInt(3)));
    r.set_path(stmt->ColumnText(4));
    r.set_provider(stmt->ColumnText(5));
    r.set_model_requested(stmt->ColumnText(6));
    r.set_model_sent(stmt->ColumnText(7));
    r.set_status(static_cast<int32_t>(stmt->ColumnInt(8)));
    r.set_latency_ms(stmt->ColumnInt(9));
    r.set_ttfb_ms(stmt->ColumnInt(10));
    r.set_input_tokens(stmt->ColumnInt(11));
    r.set_output_tokens(stmt->ColumnInt(12));
    r.set_cached_tokens(stmt->ColumnInt(13));
    r.set_reasoning_tokens(stmt->ColumnInt(14));
    r.set_bytes_in(stmt->ColumnInt(15));
    r.set_bytes_out(stmt->ColumnInt(16));
    r.set_stream(stmt->ColumnInt(17) != 0);
    r.set_error(stmt->ColumnText(18));
    r.set_attempts(static_cast<int32_t>(stmt->ColumnInt(19)));
    r.set_edge_id(stmt->ColumnText(20));
    std::string losses = stmt->ColumnText(21);
    size_t start = 0;
    while (start < losses.size()) {
      size_t sep = losses.find("; ", start);
      r.add_conversion_losses(losses.substr(start, sep - start));
      if (sep == std::string::npos) break;
      start = sep + 2;
    }
    r.set_cache_write_tokens(stmt->ColumnInt(22));
    if (!stmt->ColumnIsNull(23)) r.set_cost_usd(stmt->ColumnDouble(23));
    if (!stmt->ColumnIsNull(24)) DecodeTried(stmt->ColumnBlob(24), &r);
    r.set_on_plan(stmt->ColumnInt(25) != 0);
    if (!stmt->ColumnIsNull(26)) r.set_list_price_usd(stmt->ColumnDouble(26));
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<admin::v1::StatsSummary> StatsStore::Summarize(const admin::v1::GetStatsRequest& req,
                                                              int64_t now_ms) {
  if (!req.by().empty() && req.by() != "provider" && req.by() != "model" && req.by() != "client") {
    return absl::InvalidArgumentError("stats can be grouped by provider, model or client, not '" +
                                      req.by() + "'");
  }
  if (!req.bucket().empty() && req.bucket() != "hour" && req.bucket() != "day") {
    return absl::InvalidArgumentError("stats buckets are hour or day, not '" + req.bucket() + "'");
  }
  const int64_t offset = static_cast<int64_t>(req.utc_offset_minutes()) * 60'000;
  const int64_t since = req.since_ms();
  const int64_t until = req.until_ms() > 0 ? req.until_ms() : now_ms + 1;
  // Local midnight: days are counted in the caller's time.
  const int64_t today = (now_ms + offset) / kDayMs * kDayMs - offset;

  std::lock_guard<std::mutex> lock(mu_);
  admin::v1::StatsSummary out;
  auto totals = [&](int64_t from, int64_t to, admin::v1::StatsTotals* into) -> absl::Status {
    auto stmt = db_->Prepare(std::string("SELECT ") + kTotals +
                             " FROM requests WHERE started_at_ms >= ?1 AND started_at_ms < ?2");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, from).Bind(2, to);
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    *into = ReadTotals(*stmt, 0);
    return absl::OkStatus();
  };
  if (auto st = totals(today, now_ms + 1, out.mutable_today()); !st.ok()) return st;
  if (req.only_today()) return out;
  if (auto st = totals(since, until, out.mutable_range()); !st.ok()) return st;
  if (auto st = totals(0, now_ms + 1, out.mutable_all_time()); !st.ok()) return st;

  if (!req.by().empty()) {
    std::string key = req.by() == "provider" ? "provider"
                      : req.by() == "model"  ? "COALESCE(NULLIF(model_sent, ''), model_requested)"
                                             : "client_protocol";
    auto stmt = db_->Prepare("SELECT " + key + ", " + kTotals +
                             " FROM requests WHERE started_at_ms >= ?1 AND started_at_ms < ?2 "
                             "GROUP BY 1 ORDER BY SUM(cost_usd) DESC, COUNT(*) DESC, 1");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, since).Bind(2, until);
    for (;;) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      admin::v1::StatsGroup* g = out.add_groups();
      g->set_key(req.by() == "client" ? ClientName(stmt->ColumnInt(0)) : stmt->ColumnText(0));
      *g->mutable_totals() = ReadTotals(*stmt, 1);
    }
  }

  if (!req.bucket().empty()) {
    const int64_t size = req.bucket() == "hour" ? kHourMs : kDayMs;
    auto stmt = db_->Prepare(std::string("SELECT (started_at_ms + ?3) / ?4, ") + kTotals +
                             " FROM requests WHERE started_at_ms >= ?1 AND started_at_ms < ?2 "
                             "GROUP BY 1 ORDER BY 1");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, since).Bind(2, until).Bind(3, offset).Bind(4, size);
    std::vector<std::pair<int64_t, admin::v1::StatsTotals>> filled;
    for (;;) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      filled.emplace_back(stmt->ColumnInt(0), ReadTotals(*stmt, 1));
    }
    // Every bucket from the first (the range's start, or the first record) to the last, empty
    // ones included, so a chart has no gaps.
    int64_t first = since > 0 ? (since + offset) / size
                              : (filled.empty() ? (now_ms + offset) / size : filled.front().first);
    int64_t last = (std::min(until, now_ms + 1) - 1 + offset) / size;
    if (last - first + 1 > kMaxBuckets) first = last - kMaxBuckets + 1;
    size_t next = 0;
    for (int64_t b = first; b <= last; ++b) {
      admin::v1::StatsBucket* bucket = out.add_buckets();
      bucket->set_start_ms(b * size - offset);
      while (next < filled.size() && filled[next].first < b) ++next;
      if (next < filled.size() && filled[next].first == b) {
        *bucket->mutable_totals() = filled[next].second;
      }
    }
  }
  return out;
}

absl::StatusOr<int64_t> StatsStore::Count() {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("SELECT COUNT(*) FROM requests");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->ColumnInt(0);
}

namespace {
constexpr int64_t kPruneChunk = 5000;  // rows per transaction
}  // namespace

absl::StatusOr<int64_t> StatsStore::DeleteChunk(std::string_view where, int64_t arg,
                                                int64_t limit) {
  auto stmt = db_->Prepare("DELETE FROM requests WHERE id IN (SELECT id FROM requests WHERE " +
                           std::string(where) + " ORDER BY started_at_ms LIMIT " +
                           std::to_string(limit) + ")");
  if (!stmt.ok()) return stmt.status();
  if (!where.empty() && where.find('?') != std::string_view::npos) stmt->Bind(1, arg);
  if (auto st = stmt->Run(); !st.ok()) return st;
  return db_->Changes();
}

absl::StatusOr<admin::v1::PruneStatsResponse> StatsStore::UsageLocked() {
  admin::v1::PruneStatsResponse r;
  auto stmt = db_->Prepare("SELECT COUNT(*), COALESCE(MIN(started_at_ms), 0) FROM requests");
  if (!stmt.ok()) return stmt.status();
  if (auto row = stmt->Step(); !row.ok()) return row.status();
  r.set_records(stmt->ColumnInt(0));
  r.set_oldest_ms(stmt->ColumnInt(1));
  int64_t pages = 0, free_pages = 0, page_size = 0;
  for (auto [pragma, out] :
       {std::pair{"PRAGMA page_count", &pages}, std::pair{"PRAGMA freelist_count", &free_pages},
        std::pair{"PRAGMA page_size", &page_size}}) {
    auto p = db_->Prepare(pragma);
    if (!p.ok()) return p.status();
    if (auto row = p->Step(); !row.ok()) return row.status();
    *out = p->ColumnInt(0);
  }
  r.set_db_bytes((pages - free_pages) * page_size);
  return r;
}

absl::StatusOr<admin::v1::PruneStatsResponse> StatsStore::Usage() {
  std::lock_guard<std::mutex> lock(mu_);
  return UsageLocked();
}

absl::StatusOr<admin::v1::PruneStatsResponse> StatsStore::Prune(int64_t older_than_ms,
                                                                int64_t max_bytes) {
  int64_t deleted = 0;
  // By age, a chunk per transaction (the lock is let go between chunks for ingest).
  while (older_than_ms > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t n = 0;
    absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
      auto d = DeleteChunk("started_at_ms < ?1", older_than_ms, kPruneChunk);
      if (!d.ok()) return d.status();
      n = *d;
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    deleted += n;
    if (n < kPruneChunk) break;
  }
  // By size: the oldest go until the pages in use fit.
  while (max_bytes > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    auto usage = UsageLocked();
    if (!usage.ok()) return usage.status();
    if (usage->db_bytes() <= max_bytes || usage->records() == 0) break;
    // About the share of rows that is over the cap (and a few more), at most a chunk.
    const double over =
        static_cast<double>(usage->db_bytes() - max_bytes) / static_cast<double>(usage->db_bytes());
    const int64_t limit = std::clamp<int64_t>(
        static_cast<int64_t>(over * static_cast<double>(usage->records())) + 50, 1, kPruneChunk);
    int64_t n = 0;
    absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
      auto d = DeleteChunk("1", 0, limit);
      if (!d.ok()) return d.status();
      n = *d;
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    deleted += n;
    if (n == 0) break;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (deleted > 0) (void)db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  auto usage = UsageLocked();
  if (!usage.ok()) return usage.status();
  usage->set_deleted(deleted);
  return usage;
}

absl::StatusOr<std::string> StatsStore::IntegrityCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->IntegrityCheck();
}

absl::Status StatsStore::BackupTo(const std::string& dest) {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->BackupTo(dest);
}

std::string StatsStore::path() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->path();
}

}  // namespace agentgate::stats
