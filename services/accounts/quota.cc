#include "services/accounts/quota.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

namespace agentgate::accounts {
namespace {

namespace json = boost::json;

constexpr int64_t kMaxEpochSeconds = int64_t{1} << 36;  // year 4147
constexpr int64_t kMaxWindowMinutes = 366 * 24 * 60;

std::optional<double> Number(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty() || s.size() > 32) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> Number(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double())) return v->get_double();
  if (v->is_string()) return Number(std::string_view(v->get_string()));
  return std::nullopt;
}

std::optional<bool> Bool(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string()) {
    if (v->get_string() == "true" || v->get_string() == "True") return true;
    if (v->get_string() == "false" || v->get_string() == "False") return false;
  }
  return std::nullopt;
}

std::optional<bool> Bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "1") return true;
  if (s == "false" || s == "False" || s == "0") return false;
  return std::nullopt;
}

void SetPercent(QuotaWindow& w, std::optional<double> v) {
  if (v && *v >= 0 && *v <= 1000) w.used_percent = std::min(*v, 100.0);
}
void SetMinutes(QuotaWindow& w, std::optional<double> v) {
  if (v && *v > 0 && *v <= kMaxWindowMinutes) w.window_minutes = static_cast<int64_t>(*v);
}
void SetResetSeconds(QuotaWindow& w, std::optional<double> v) {
  if (v && *v > 0 && *v < kMaxEpochSeconds) w.reset_at_ms = static_cast<int64_t>(*v) * 1000;
}

const json::object* Obj(const json::object* o, std::string_view key) {
  if (o == nullptr) return nullptr;
  const json::value* v = o->if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}
const json::value* Val(const json::object* o, std::string_view key) {
  return o == nullptr ? nullptr : o->if_contains(key);
}
std::string Str(const json::object* o, std::string_view key) {
  const json::value* v = Val(o, key);
  if (v == nullptr || !v->is_string() || v->get_string().size() > 64) return {};
  return std::string(v->get_string());
}

// An event's window: used_percent, window_minutes, reset_at (seconds) or resets_in_seconds.
QuotaWindow EventWindow(const json::object* o, int64_t now_ms) {
  QuotaWindow w;
  if (o == nullptr) return w;
  SetPercent(w, Number(Val(o, "used_percent")));
  SetMinutes(w, Number(Val(o, "window_minutes")));
  if (auto s = Number(Val(o, "limit_window_seconds")); s && !w.window_minutes) {
    SetMinutes(w, *s / 60);
  }
  SetResetSeconds(w, Number(Val(o, "reset_at")));
  if (!w.reset_at_ms) SetResetSeconds(w, Number(Val(o, "resets_at")));
  if (!w.reset_at_ms && now_ms > 0) {
    for (std::string_view key : {"reset_after_seconds", "resets_in_seconds"}) {
      if (auto in = Number(Val(o, key)); in && *in >= 0 && *in < kMaxEpochSeconds) {
        w.reset_at_ms = now_ms + static_cast<int64_t>(*in) * 1000;
        break;
      }
    }
  }
  return w;
}

void Credits(const json::object* c, Quota& q) {
  if (c == nullptr) return;
  q.has_credits = Bool(Val(c, "has_credits"));
  q.unlimited_credits = Bool(Val(c, "unlimited"));
  if (const json::value* b = Val(c, "balance"); b != nullptr) {
    if (b->is_string() && b->get_string().size() <= 32) {
      q.credits_balance = std::string(b->get_string());
    } else if (auto n = Number(b)) {
      q.credits_balance = json::serialize(json::value(*n));
    }
  }
}

std::optional<json::object> ParseObject(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace

double Quota::least_left_percent() const {
  double used = 0;
  if (primary.known()) used = std::max(used, primary.used_percent);
  if (secondary.known()) used = std::max(used, secondary.used_percent);
  return 100 - used;
}

Quota QuotaFromHeaders(const std::function<std::string_view(std::string_view)>& header) {
  Quota q;
  auto window = [&](QuotaWindow& w, std::string_view name) {
    const std::string p = "x-codex-" + std::string(name) + "-";
    SetPercent(w, Number(header(p + "used-percent")));
    SetMinutes(w, Number(header(p + "window-minutes")));
    SetResetSeconds(w, Number(header(p + "reset-at")));
  };
  window(q.primary, "primary");
  window(q.secondary, "secondary");
  q.has_credits = Bool(header("x-codex-credits-has-credits"));
  q.unlimited_credits = Bool(header("x-codex-credits-unlimited"));
  if (std::string_view b = header("x-codex-credits-balance"); !b.empty() && b.size() <= 32) {
    if (Number(b)) q.credits_balance = std::string(b);
  }
  return q;
}

std::optional<Quota> QuotaFromEvent(std::string_view data_json) {
  auto o = ParseObject(data_json);
  if (!o || Str(&*o, "type") != "codex.rate_limits") return std::nullopt;
  const json::object* limits = Obj(&*o, "rate_limits");
  if (limits == nullptr) limits = &*o;
  Quota q;
  q.primary = EventWindow(Obj(limits, "primary"), 0);
  q.secondary = EventWindow(Obj(limits, "secondary"), 0);
  Credits(Obj(&*o, "credits"), q);
  q.plan = Str(&*o, "plan_type");
  return q;
}

std::optional<Quota> QuotaFromUsage(std::string_view body, int64_t now_ms) {
  auto o = ParseObject(body);
  if (!o) return std::nullopt;
  const json::object* limit = Obj(&*o, "rate_limit");
  if (limit == nullptr) return std::nullopt;
  Quota q;
  q.primary = EventWindow(Obj(limit, "primary_window"), now_ms);
  q.secondary = EventWindow(Obj(limit, "secondary_window"), now_ms);
  Credits(Obj(&*o, "credits"), q);
  q.plan = Str(&*o, "plan_type");
  return q;
}

std::string UsageUrlFor(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  constexpr std::string_view kCodex = "/codex";
  if (base.size() >= kCodex.size() && base.substr(base.size() - kCodex.size()) == kCodex) {
    base.remove_suffix(kCodex.size());
  }
  return std::string(base) + "/wham/usage";
}

std::optional<int64_t> UsageLimitResetMs(std::string_view body, int64_t now_ms) {
  auto o = ParseObject(body);
  if (!o) return std::nullopt;
  const json::object* e = Obj(&*o, "error");
  if (e == nullptr) e = &*o;
  if (Str(e, "type") != "usage_limit_reached" && Str(e, "code") != "usage_limit_reached") {
    return std::nullopt;
  }
  if (auto at = Number(Val(e, "resets_at")); at && *at > 0 && *at < kMaxEpochSeconds) {
    return static_cast<int64_t>(*at) * 1000;
  }
  if (auto in = Number(Val(e, "resets_in_seconds")); in && *in >= 0 && *in < kMaxEpochSeconds) {
    return now_ms + static_cast<int64_t>(*in) * 1000;
  }
  return now_ms + 3600 * 1000;
}

std::string DescribeIn(int64_t at_ms, int64_t now_ms) {
  int64_t s = (at_ms - now_ms) / 1000;
  if (s <= 0) return "now";
  const int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  if (d > 0) return std::to_string(d) + "d " + std::to_string(h) + "h";
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m) + "m";
  if (m > 0) return std::to_string(m) + "m";
  return std::to_string(s) + "s";
}

std::string DescribeQuota(const Quota& q, int64_t now_ms) {
  std::string out;
  auto one = [&](const QuotaWindow& w, std::string_view fallback) {
    if (!w.known()) return;
    if (!out.empty()) out += " · ";
    if (w.window_minutes == 300) {
      out += "5h";
    } else if (w.window_minutes == 10080) {
      out += "weekly";
    } else if (w.window_minutes > 0) {
      out += DescribeIn(now_ms + w.window_minutes * 60'000, now_ms);
    } else {
      out += fallback;
    }
    out += " " + std::to_string(static_cast<int>(std::lround(w.used_percent))) + "% used";
    if (w.reset_at_ms > 0) out += ", resets in " + DescribeIn(w.reset_at_ms, now_ms);
  };
  one(q.primary, "primary");
  one(q.secondary, "secondary");
  return out.empty() ? "quota not known yet" : out;
}

Standing Judge(const Quota& q, int64_t cooling_until_ms, int64_t now_ms, double low_left_percent) {
  auto name = [](const QuotaWindow& w, std::string_view fallback) -> std::string {
    if (w.window_minutes == 300) return "5h window";
    if (w.window_minutes == 10080) return "weekly window";
    return std::string(fallback);
  };
  if (cooling_until_ms > now_ms) {
    return {"spent", "usage limit reached, resets in " + DescribeIn(cooling_until_ms, now_ms)};
  }
  for (const auto* w : {&q.secondary, &q.primary}) {
    if (!w->known()) continue;
    if (w->used_percent < 100 && 100 - w->used_percent >= low_left_percent) continue;
    if (w->reset_at_ms > 0 && w->reset_at_ms <= now_ms) continue;  // reset since it was told
    std::string detail = name(*w, w == &q.primary ? "primary window" : "secondary window") + " " +
                         std::to_string(static_cast<int>(std::lround(w->used_percent))) + "% used";
    if (w->reset_at_ms > 0) detail += ", resets in " + DescribeIn(w->reset_at_ms, now_ms);
    return {w->used_percent >= 100 ? "spent" : "low", std::move(detail)};
  }
  return {"ready", ""};
}

}  // namespace agentgate::accounts
