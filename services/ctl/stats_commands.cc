// agentgatectl stats and price: tokens and cost from the stats service, model prices from the
// router.
#include <cmath>
#include <cstdio>
#include <ctime>

#include "services/common/clock.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/local_time.h"
#include "services/common/strings.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"

namespace agentgate::ctl {
namespace {

constexpr char kStatsUsage[] =
    "usage: agentgatectl stats [--since WHEN] [--until WHEN] [--by provider|model|client]\n"
    "                          [--bucket hour|day] [--json]\n"
    "       agentgatectl stats prune [--older-than WHEN] [--max-mb N] [--json]\n"
    "  Requests, tokens and cost: the range (default: all time), today and all time.\n"
    "  WHEN is a duration back from now (90m, 24h, 7d), 'today', or a date YYYY-MM-DD.\n"
    "  prune deletes request records now: by the stats service's retention policy (default 90\n"
    "  days, agentgate-stats --retention-days / --max-db-mb), or older than WHEN, or the oldest\n"
    "  until stats.db holds N MiB. The policy also runs by itself every hour.\n";

constexpr char kPriceUsage[] =
    "usage: agentgatectl price list [--json]\n"
    "       agentgatectl price show MODEL\n"
    "       agentgatectl price set MODEL --input USD --output USD [--cache-read USD]\n"
    "                              [--cache-write USD] [--alias ID]... [--vendor NAME]\n"
    "       agentgatectl price reset MODEL | --all\n"
    "  Prices are US dollars per million tokens: the built-in table with yours on top. A model\n"
    "  without a price has no cost (shown as unknown), never a guess.\n";

// "7d", "24h", "90m", "today", "2026-11-01" -> Unix ms.
std::optional<int64_t> ParseWhen(const std::string& text) {
  if (text == "today") return LocalMidnightMs();
  if (auto d = ParseDuration(text); d && text != "0") return NowMs() - d->count();
  std::tm tm{};
  if (text.size() == 10 && strptime(text.c_str(), "%Y-%m-%d", &tm) != nullptr) {
    tm.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&tm)) * 1000;
  }
  return std::nullopt;
}

std::string Money(double usd) { return FormatUsd(usd); }

// "$1.23", "$1.23 (+4 unknown)", "$0.00 (+3 on plan, $0.42 at API prices)", or "unknown" when
// nothing had a price.
std::string CostText(const admin::v1::StatsTotals& t) {
  int64_t priced = t.requests() - t.unpriced_requests();
  if (t.unpriced_requests() > 0 && t.cost_usd() == 0 && priced == 0) return "unknown";
  std::string s = Money(t.cost_usd());
  if (t.unpriced_requests() > 0) s += " (+" + std::to_string(t.unpriced_requests()) + " unknown)";
  // Requests an official ChatGPT account served cost no dollars: what they were worth at API
  // prices is told beside.
  if (t.plan_requests() > 0) {
    s += " (+" + std::to_string(t.plan_requests()) + " on plan, " + Money(t.plan_list_price_usd()) +
         " at API prices)";
  }
  return s;
}

// 1234567 -> "1.23M".
std::string Count(int64_t n) {
  char buf[32];
  if (n >= 1'000'000'000) {
    std::snprintf(buf, sizeof buf, "%.2fB", static_cast<double>(n) / 1e9);
  } else if (n >= 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.2fM", static_cast<double>(n) / 1e6);
  } else if (n >= 10'000) {
    std::snprintf(buf, sizeof buf, "%.1fk", static_cast<double>(n) / 1e3);
  } else {
    return std::to_string(n);
  }
  return buf;
}

std::vector<std::string> TotalsRow(const std::string& label, const admin::v1::StatsTotals& t) {
  return {label,
          std::to_string(t.requests()),
          std::to_string(t.errors()),
          Count(t.input_tokens()),
          Count(t.cached_tokens()),
          Count(t.output_tokens()),
          CostText(t),
          t.requests() - t.unpriced_requests() > 0 ? Money(t.avg_cost_usd()) : "-"};
}

std::string PriceText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool ParsePrice(const Flags& f, const char* name, double* out) {
  std::string v = f.Get(name);
  char* end = nullptr;
  *out = std::strtod(v.c_str(), &end);
  return !v.empty() && *end == '\0';
}

}  // namespace

namespace {

int CmdStatsPrune(const std::string& home, const std::vector<std::string>& args) {
  Flags f({{"older-than", "WHEN", "delete records that started before then (7d, a date, ...)"},
           {"max-mb", "N", "delete the oldest until stats.db holds at most N MiB"},
           {"json", "", "JSON output"},
           {"help", "", "this help"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  if (f.Has("help")) return Usage(kStatsUsage);
  admin::v1::PruneStatsRequest req;
  if (f.Has("older-than")) {
    auto when = ParseWhen(f.Get("older-than"));
    if (!when) {
      return Fail("--older-than takes 90m, 24h, 7d, today or a date YYYY-MM-DD, not '" +
                  f.Get("older-than") + "'");
    }
    req.set_older_than_ms(*when);
  }
  if (f.Has("max-mb")) {
    char* end = nullptr;
    long long mb = std::strtoll(f.Get("max-mb").c_str(), &end, 10);
    if (f.Get("max-mb").empty() || *end != '\0' || mb <= 0) {
      return Fail("--max-mb takes a positive number of MiB, not '" + f.Get("max-mb") + "'");
    }
    req.set_max_bytes(static_cast<int64_t>(mb) * 1024 * 1024);
  }
  AdminClient client(home);
  admin::v1::PruneStatsResponse resp;
  if (!Call(client, &Stub::PruneStats, req, &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  std::printf("deleted %lld records; %lld left", static_cast<long long>(resp.deleted()),
              static_cast<long long>(resp.records()));
  if (resp.oldest_ms() > 0) {
    std::printf(", the oldest from %s", FormatTime(resp.oldest_ms()).c_str());
  }
  std::printf("; stats.db holds %.1f MB\n", static_cast<double>(resp.db_bytes()) / 1e6);
  std::printf("policy: %s%s\n",
              resp.retention_days() > 0
                  ? ("records are kept " + std::to_string(resp.retention_days()) + " days").c_str()
                  : "records are kept forever",
              resp.max_bytes() > 0 ? (", stats.db at most " +
                                      std::to_string(resp.max_bytes() / (1024 * 1024)) + " MiB")
                                         .c_str()
                                   : "");
  return 0;
}

}  // namespace

int CmdStats(const std::string& home, const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "prune") {
    return CmdStatsPrune(home, std::vector<std::string>(args.begin() + 1, args.end()));
  }
  Flags f({{"since", "WHEN", "from then (90m, 24h, 7d, today, YYYY-MM-DD)"},
           {"until", "WHEN", "until then"},
           {"by", "WHAT", "provider, model or client"},
           {"bucket", "SIZE", "hour or day"},
           {"json", "", "JSON output"},
           {"help", "", "this help"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  if (f.Has("help")) return Usage(kStatsUsage);
  admin::v1::GetStatsRequest req;
  for (auto [flag, set] : {std::pair{"since", &admin::v1::GetStatsRequest::set_since_ms},
                           std::pair{"until", &admin::v1::GetStatsRequest::set_until_ms}}) {
    if (!f.Has(flag)) continue;
    auto when = ParseWhen(f.Get(flag));
    if (!when) {
      return Fail(std::string("--") + flag +
                  " takes 90m, 24h, 7d, today or a date YYYY-MM-DD, not '" + f.Get(flag) + "'");
    }
    (req.*set)(*when);
  }
  req.set_by(f.Get("by"));
  req.set_bucket(f.Get("bucket"));
  req.set_utc_offset_minutes(LocalUtcOffsetMinutes());
  AdminClient client(home);
  admin::v1::StatsSummary resp;
  if (!Call(client, &Stub::GetStats, req, &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  const std::vector<std::string> header = {"",       "REQUESTS", "ERRORS", "INPUT",
                                           "CACHED", "OUTPUT",   "COST",   "AVG/REQ"};
  std::vector<std::vector<std::string>> rows = {header};
  if (f.Has("since") || f.Has("until")) rows.push_back(TotalsRow("range", resp.range()));
  rows.push_back(TotalsRow("today", resp.today()));
  rows.push_back(TotalsRow("total", resp.all_time()));
  PrintTable(rows);
  if (!resp.groups().empty()) {
    std::printf("\n");
    std::vector<std::vector<std::string>> g = {header};
    g[0][0] = f.Get("by") == "provider" ? "PROVIDER" : f.Get("by") == "model" ? "MODEL" : "CLIENT";
    for (const auto& group : resp.groups()) {
      g.push_back(TotalsRow(group.key().empty() ? "-" : group.key(), group.totals()));
    }
    PrintTable(g);
  }
  if (!resp.buckets().empty()) {
    std::printf("\n");
    std::vector<std::vector<std::string>> b = {header};
    b[0][0] = f.Get("bucket") == "hour" ? "HOUR" : "DAY";
    for (const auto& bucket : resp.buckets()) {
      std::string when = FormatTime(bucket.start_ms());
      when.resize(f.Get("bucket") == "hour" ? 16 : 10);
      b.push_back(TotalsRow(when, bucket.totals()));
    }
    PrintTable(b);
  }
  if (resp.all_time().unpriced_requests() > 0) {
    std::printf(
        "\nunknown: requests to models without a price; give them one with agentgatectl price "
        "set MODEL --input USD --output USD\n");
  }
  return 0;
}

int CmdPrice(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kPriceUsage);
  std::string sub = args[0];
  Flags f({{"input", "USD", "per million uncached input tokens"},
           {"output", "USD", "per million output tokens"},
           {"cache-read", "USD", "per million cache-read tokens"},
           {"cache-write", "USD", "per million cache-write tokens"},
           {"alias", "ID", "another id of the model (repeatable)"},
           {"vendor", "NAME", "who serves it"},
           {"all", "", "reset: every price of yours"},
           {"json", "", "JSON output"}});
  if (auto st = f.Parse(std::vector<std::string>(args.begin() + 1, args.end())); !st.ok()) {
    return Fail(Message(st));
  }
  AdminClient client(home);
  if (sub == "list" || sub == "show") {
    admin::v1::ListPricesRequest req;
    if (sub == "show") {
      if (f.positional().empty()) return Fail("price show needs a MODEL");
      req.set_model(f.positional()[0]);
    }
    admin::v1::ListPricesResponse resp;
    if (!Call(client, &Stub::ListPrices, req, &resp)) return 1;
    if (sub == "show") {
      if (resp.prices().empty()) {
        return Fail("no price for '" + req.model() +
                    "': its cost is unknown (set one with "
                    "agentgatectl price set)");
      }
      std::printf("%s\n", ToJson(resp.prices(0)).c_str());
      return 0;
    }
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
      return 0;
    }
    std::vector<std::vector<std::string>> rows = {
        {"MODEL", "VENDOR", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "TAKEN", "SET BY"}};
    for (const auto& p : resp.prices()) {
      rows.push_back({p.model(), p.vendor(), PriceText(p.input()), PriceText(p.output()),
                      p.has_cache_read() ? PriceText(p.cache_read()) : "-",
                      p.has_cache_write() ? PriceText(p.cache_write()) : "-", p.taken(),
                      p.user_set() ? (p.builtin() ? "you (over built-in)" : "you") : "built-in"});
      if (p.long_above_tokens() > 0) {
        rows.push_back({"  over " + Count(p.long_above_tokens()) + " prompt tokens", "",
                        PriceText(p.long_input()), PriceText(p.long_output()),
                        p.has_long_cache_read() ? PriceText(p.long_cache_read()) : "-",
                        p.has_long_cache_write() ? PriceText(p.long_cache_write()) : "-", "", ""});
      }
    }
    PrintTable(rows);
    std::printf("USD per million tokens; '-': billed at the input price\n");
    return 0;
  }
  if (sub == "set") {
    if (f.positional().empty()) return Fail("price set needs a MODEL");
    admin::v1::ModelPrice p;
    p.set_model(f.positional()[0]);
    double v = 0;
    if (!f.Has("input") || !ParsePrice(f, "input", &v)) {
      return Fail("price set needs --input USD (per million input tokens)");
    }
    p.set_input(v);
    if (!f.Has("output") || !ParsePrice(f, "output", &v)) {
      return Fail("price set needs --output USD (per million output tokens)");
    }
    p.set_output(v);
    if (f.Has("cache-read")) {
      if (!ParsePrice(f, "cache-read", &v)) return Fail("--cache-read needs a number");
      p.set_cache_read(v);
    }
    if (f.Has("cache-write")) {
      if (!ParsePrice(f, "cache-write", &v)) return Fail("--cache-write needs a number");
      p.set_cache_write(v);
    }
    for (const auto& a : f.GetAll("alias")) p.add_aliases(a);
    p.set_vendor(f.Get("vendor"));
    admin::v1::ModelPrice resp;
    if (!Call(client, &Stub::SetPrice, p, &resp)) return 1;
    std::printf("price of %s set: input $%s, output $%s per million tokens\n", resp.model().c_str(),
                PriceText(resp.input()).c_str(), PriceText(resp.output()).c_str());
    return 0;
  }
  if (sub == "reset") {
    admin::v1::ResetPriceRequest req;
    req.set_all(f.Has("all"));
    if (!req.all()) {
      if (f.positional().empty()) return Fail("price reset needs a MODEL (or --all)");
      req.set_model(f.positional()[0]);
    }
    admin::v1::ResetPriceResponse resp;
    if (!Call(client, &Stub::ResetPrice, req, &resp)) return 1;
    std::printf("removed %d price%s of yours\n", resp.removed(), resp.removed() == 1 ? "" : "s");
    return 0;
  }
  return Usage(kPriceUsage);
}

int CmdBudget(const std::string& home, const std::vector<std::string>& args) {
  constexpr char kBudgetUsage[] =
      "usage: agentgatectl budget [--json]\n"
      "       agentgatectl budget set USD [--mode notify|block|cheapest]\n"
      "       agentgatectl budget off\n"
      "  A daily limit for the cost of priced requests (from local midnight). When it is spent:\n"
      "  notify only says so; block refuses requests until midnight (402, in the client's own\n"
      "  protocol); cheapest sends each request to its cheapest healthy provider first.\n";
  Flags f({{"mode", "MODE", "notify, block or cheapest"},
           {"json", "", "JSON output"},
           {"help", "", "this help"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  if (f.Has("help")) return Usage(kBudgetUsage);
  AdminClient client(home);
  const auto& pos = f.positional();
  admin::v1::Budget resp;
  if (pos.empty()) {
    if (!Call(client, &Stub::GetBudget, admin::v1::GetBudgetRequest(), &resp)) return 1;
  } else if (pos[0] == "set" || pos[0] == "off") {
    admin::v1::Budget b;
    if (pos[0] == "set") {
      double usd = 0;
      char* end = nullptr;
      if (pos.size() < 2) return Fail("budget set needs an amount in US dollars");
      std::string amount = pos[1];
      if (!amount.empty() && amount[0] == '$') amount.erase(0, 1);
      usd = std::strtod(amount.c_str(), &end);
      if (amount.empty() || *end != '\0' || usd <= 0) {
        return Fail("budget set needs a positive amount in US dollars, not '" + pos[1] + "'");
      }
      b.set_daily_limit_usd(usd);
      std::string mode = f.Get("mode", nullptr, "notify");
      if (mode == "notify") {
        b.set_mode(admin::v1::BUDGET_MODE_NOTIFY);
      } else if (mode == "block") {
        b.set_mode(admin::v1::BUDGET_MODE_BLOCK);
      } else if (mode == "cheapest") {
        b.set_mode(admin::v1::BUDGET_MODE_CHEAPEST);
      } else {
        return Fail("--mode is notify, block or cheapest, not '" + mode + "'");
      }
    }
    if (!Call(client, &Stub::SetBudget, b, &resp)) return 1;
  } else {
    return Usage(kBudgetUsage);
  }
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  if (resp.daily_limit_usd() <= 0) {
    std::printf("no daily budget (set one with agentgatectl budget set USD)\n");
    return 0;
  }
  std::string mode = resp.mode() == admin::v1::BUDGET_MODE_BLOCK      ? "block"
                     : resp.mode() == admin::v1::BUDGET_MODE_CHEAPEST ? "cheapest"
                                                                      : "notify";
  std::printf("daily budget %s (%s), spent today %s%s\n", Money(resp.daily_limit_usd()).c_str(),
              mode.c_str(), Money(resp.spent_today_usd()).c_str(),
              resp.exceeded() ? " - SPENT" : "");
  if (!resp.detail().empty()) std::printf("note: %s\n", resp.detail().c_str());
  return 0;
}

}  // namespace agentgate::ctl
