#include "services/pricing/prices.h"

#include <algorithm>
#include <cctype>

namespace agentgate::pricing {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "gemini-2.5-pro" from "models/gemini-2.5-pro", "anthropic/claude-sonnet-4.5" and
// "openrouter/anthropic/claude-sonnet-4.5": the part after the last '/'.
std::string_view BareId(std::string_view id) {
  size_t slash = id.rfind('/');
  return slash == std::string_view::npos ? id : id.substr(slash + 1);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

// The id without a trailing date or version: "@20250929" (Vertex), "-latest", "-2025-04-14",
// or a last group of 4 or more digits ("-20250929", "-0905"). nullopt when it has none.
std::optional<std::string_view> WithoutVersion(std::string_view id) {
  if (size_t at = id.rfind('@'); at != std::string_view::npos && at > 0) {
    return id.substr(0, at);
  }
  constexpr std::string_view kLatest = "-latest";
  if (id.size() > kLatest.size() && id.substr(id.size() - kLatest.size()) == kLatest) {
    return id.substr(0, id.size() - kLatest.size());
  }
  if (id.size() > 11) {
    std::string_view date = id.substr(id.size() - 11);  // "-YYYY-MM-DD"
    if (date[0] == '-' && AllDigits(date.substr(1, 4)) && date[5] == '-' &&
        AllDigits(date.substr(6, 2)) && date[8] == '-' && AllDigits(date.substr(9, 2))) {
      return id.substr(0, id.size() - 11);
    }
  }
  size_t dash = id.rfind('-');
  if (dash != std::string_view::npos && dash > 0 && id.size() - dash - 1 >= 4 &&
      AllDigits(id.substr(dash + 1))) {
    return id.substr(0, dash);
  }
  return std::nullopt;
}

}  // namespace

PriceTable::PriceTable() : entries_(BuiltinPrices()) {}

PriceTable::PriceTable(const std::vector<ModelPrice>& overrides) : entries_(BuiltinPrices()) {
  for (const auto& o : overrides) {
    ModelPrice p = o;
    p.model = Lower(p.model);
    auto same = std::find_if(entries_.begin(), entries_.end(),
                             [&](const ModelPrice& e) { return e.model == p.model; });
    if (same != entries_.end()) {
      if (p.aliases.empty()) p.aliases = same->aliases;
      *same = std::move(p);
    } else {
      entries_.push_back(std::move(p));
    }
  }
}

const ModelPrice* PriceTable::Find(std::string_view model) const {
  std::string id = Lower(BareId(model));
  if (id.empty()) return nullptr;
  auto lookup = [&](std::string_view key) -> const ModelPrice* {
    for (const auto& e : entries_) {
      if (e.model == key) return &e;
    }
    for (const auto& e : entries_) {
      for (const auto& a : e.aliases) {
        if (a == key) return &e;
      }
    }
    return nullptr;
  };
  if (const ModelPrice* p = lookup(id)) return p;
  if (auto base = WithoutVersion(id)) return lookup(*base);
  return nullptr;
}

double Cost(const ModelPrice& p, const Usage& u) {
  const Rates& r =
      p.long_above_tokens > 0 && u.input > p.long_above_tokens ? p.long_rates : p.rates;
  int64_t read = std::max<int64_t>(0, u.cache_read);
  int64_t write = std::max<int64_t>(0, u.cache_write);
  int64_t plain = std::max<int64_t>(0, u.input - read - write);
  double read_price = r.cache_read >= 0 ? r.cache_read : r.input;
  double write_price = r.cache_write >= 0 ? r.cache_write : r.input;
  double micro = static_cast<double>(plain) * r.input + static_cast<double>(read) * read_price +
                 static_cast<double>(write) * write_price +
                 static_cast<double>(std::max<int64_t>(0, u.output)) * r.output;
  return micro / 1e6;
}

std::optional<double> RequestCost(const PriceTable& table, std::string_view model_sent,
                                  std::string_view model_requested, const Usage& u) {
  const ModelPrice* p = table.Find(model_sent.empty() ? model_requested : model_sent);
  if (p == nullptr) return std::nullopt;
  return Cost(*p, u);
}

}  // namespace agentgate::pricing
