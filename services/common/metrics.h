// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format (version 0.0.4) that a stock Prometheus scrapes.
//
//   Registry r;
//   auto& requests = r.AddCounter("agentgate_requests_total", "Requests served",
//                                 {"client", "status"});
//   requests.With({"chat", "200"}).Add(1);
//   std::string text = r.Render();
//
// Thread-safe. Finding a labelled cell takes the family's mutex; updating it is one atomic
// operation, so a caller that keeps the cell pointer updates it without any lock. Cells live as
// long as the registry.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace agentgate::metrics {

class Counter {
 public:
  void Add(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds);
  void Observe(double v);
  // Cumulative counts per bound, then the +Inf count.
  std::vector<uint64_t> Cumulative() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double>* bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, not cumulative
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Latency buckets in seconds, 1 ms to 5 min.
const std::vector<double>& LatencyBuckets();

template <typename Cell>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labels,
         std::function<std::unique_ptr<Cell>()> make)
      : name_(std::move(name)),
        help_(std::move(help)),
        labels_(std::move(labels)),
        make_(std::move(make)) {}

  // The cell for these label values (as many as the family has labels), made on first use.
  Cell& With(const std::vector<std::string>& values) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& cell = cells_[values];
    if (!cell) cell = make_();
    return *cell;
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& labels() const { return labels_; }
  // Calls f(label values, cell) for every cell, in label order.
  void ForEach(const std::function<void(const std::vector<std::string>&, const Cell&)>& f) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [values, cell] : cells_) f(values, *cell);
  }

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> labels_;
  const std::function<std::unique_ptr<Cell>()> make_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Cell>> cells_;
};

class Registry {
 public:
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> labels = {});
  Family<Gauge>& AddGauge(std::string name, std::string help, std::vector<std::string> labels = {});
  // `bounds`: ascending upper bounds (LatencyBuckets() by default).
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> labels = {},
                                  std::vector<double> bounds = LatencyBuckets());
  // A gauge whose value is read when rendering (queue depths, open connections).
  void AddCallbackGauge(std::string name, std::string help, std::function<double()> read);
  // A counter kept elsewhere (a queue's drop count), read when rendering.
  void AddCallbackCounter(std::string name, std::string help, std::function<double()> read);

  // Every family in the order added, in the Prometheus text format.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family<Counter>>> counters_;
  std::vector<std::unique_ptr<Family<Gauge>>> gauges_;
  std::vector<std::unique_ptr<Family<Histogram>>> histograms_;
  std::vector<std::unique_ptr<std::vector<double>>> bounds_;
  struct Callback {
    std::string name, help;
    std::function<double()> read;
    const char* type;  // "gauge" or "counter"
  };
  std::vector<Callback> callbacks_;
  // Render order: (kind, index).
  std::vector<std::pair<int, size_t>> order_;
};

// `v` escaped for a label value: backslash, double quote and newline.
std::string EscapeLabel(std::string_view v);
// A sample value as Prometheus writes it: integers without a fraction, +Inf, NaN.
std::string FormatValue(double v);

// The content type of Render()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace agentgate::metrics
