#include "services/common/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace agentgate::metrics {
namespace {

enum Kind { kCounter = 0, kGauge = 1, kHistogram = 2, kCallback = 3 };

std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += (out.empty() ? "" : ",") + names[i] + "=\"" + EscapeLabel(values[i]) + "\"";
  }
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

void Header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  out += "# HELP " + name + " ";
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds->size()]) {
  for (size_t i = 0; i < bounds_->size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  for (size_t i = 0; i < bounds_->size(); ++i) {
    if (v <= (*bounds_)[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::Cumulative() const {
  std::vector<uint64_t> out;
  uint64_t running = 0;
  for (size_t i = 0; i < bounds_->size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.push_back(running);
  }
  out.push_back(count());
  return out;
}

const std::vector<double>& LatencyBuckets() {
  static const auto* kBounds = new std::vector<double>{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
  return *kBounds;
}

std::string EscapeLabel(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    // The shortest form that reads back as the same double ("0.1", not 0.10000000000000001).
    for (int digits = 15; digits <= 17; ++digits) {
      std::snprintf(buf, sizeof buf, "%.*g", digits, v);
      if (std::strtod(buf, nullptr) == v) break;
    }
  }
  return buf;
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  counters_.push_back(
      std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(labels),
                                        [] { return std::make_unique<Counter>(); }));
  order_.emplace_back(kCounter, counters_.size() - 1);
  return *counters_.back();
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back(std::make_unique<Family<Gauge>>(std::move(name), std::move(help),
                                                    std::move(labels),
                                                    [] { return std::make_unique<Gauge>(); }));
  order_.emplace_back(kGauge, gauges_.size() - 1);
  return *gauges_.back();
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> labels,
                                          std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  bounds_.push_back(std::make_unique<std::vector<double>>(std::move(bounds)));
  const std::vector<double>* b = bounds_.back().get();
  histograms_.push_back(
      std::make_unique<Family<Histogram>>(std::move(name), std::move(help), std::move(labels),
                                          [b] { return std::make_unique<Histogram>(b); }));
  order_.emplace_back(kHistogram, histograms_.size() - 1);
  return *histograms_.back();
}

void Registry::AddCallbackGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  callbacks_.push_back(Callback{std::move(name), std::move(help), std::move(read), "gauge"});
  order_.emplace_back(kCallback, callbacks_.size() - 1);
}

void Registry::AddCallbackCounter(std::string name, std::string help,
                                  std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  callbacks_.push_back(Callback{std::move(name), std::move(help), std::move(read), "counter"});
  order_.emplace_back(kCallback, callbacks_.size() - 1);
}

std::string Registry::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (auto [kind, i] : order_) {
    switch (kind) {
      case kCounter: {
        const auto& f = *counters_[i];
        Header(out, f.name(), f.help(), "counter");
        f.ForEach([&](const std::vector<std::string>& values, const Counter& c) {
          out += f.name() + LabelText(f.labels(), values) + " " + FormatValue(c.value()) + "\n";
        });
        break;
      }
      case kGauge: {
        const auto& f = *gauges_[i];
        Header(out, f.name(), f.help(), "gauge");
        f.ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
          out += f.name() + LabelText(f.labels(), values) + " " + FormatValue(g.value()) + "\n";
        });
        break;
      }
      case kHistogram: {
        const auto& f = *histograms_[i];
        Header(out, f.name(), f.help(), "histogram");
        const std::vector<double>& bounds = *bounds_[i];
        f.ForEach([&](const std::vector<std::string>& values, const Histogram& h) {
          std::vector<uint64_t> cumulative = h.Cumulative();
          for (size_t b = 0; b <= bounds.size(); ++b) {
            std::string le =
                "le=\"" + (b < bounds.size() ? FormatValue(bounds[b]) : std::string("+Inf")) + "\"";
            out += f.name() + "_bucket" + LabelText(f.labels(), values, le) + " " +
                   std::to_string(cumulative[b]) + "\n";
          }
          out +=
              f.name() + "_sum" + LabelText(f.labels(), values) + " " + FormatValue(h.sum()) + "\n";
          out += f.name() + "_count" + LabelText(f.labels(), values) + " " +
                 std::to_string(cumulative.back()) + "\n";
        });
        break;
      }
      default: {
        const auto& c = callbacks_[i];
        Header(out, c.name, c.help, c.type);
        out += c.name + " " + FormatValue(c.read()) + "\n";
        break;
      }
    }
  }
  return out;
}

}  // namespace agentgate::metrics
