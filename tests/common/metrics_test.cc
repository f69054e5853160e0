#include "services/common/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace agentgate::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CountersAndGaugesRenderWithTheirLabels) {
  Registry r;
  auto& requests =
      r.AddCounter("agentgate_requests_total", "Requests served", {"client", "status"});
  requests.With({"chat", "200"}).Add();
  requests.With({"chat", "200"}).Add(2);
  requests.With({"claude", "429"}).Add();
  auto& open = r.AddGauge("agentgate_open_streams", "Streams open now");
  open.With({}).Add(3);
  open.With({}).Add(-1);
  r.AddCallbackGauge("agentgate_queue_depth", "Queued records", [] { return 7.0; });
  r.AddCallbackCounter("agentgate_dropped_total", "Dropped", [] { return 2.0; });
  EXPECT_EQ(r.Render(),
            "# HELP agentgate_requests_total Requests served\n"
            "# TYPE agentgate_requests_total counter\n"
            "agentgate_requests_total{client=\"chat\",status=\"200\"} 3\n"
            "agentgate_requests_total{client=\"claude\",status=\"429\"} 1\n"
            "# HELP agentgate_open_streams Streams open now\n"
            "# TYPE agentgate_open_streams gauge\n"
            "agentgate_open_streams 2\n"
            "# HELP agentgate_queue_depth Queued records\n"
            "# TYPE agentgate_queue_depth gauge\n"
            "agentgate_queue_depth 7\n"
            "# HELP agentgate_dropped_total Dropped\n"
            "# TYPE agentgate_dropped_total counter\n"
            "agentgate_dropped_total 2\n");
}

TEST(MetricsTest, HistogramsAreCumulativeWithSumAndCount) {
  Registry r;
  auto& h = r.AddHistogram("lat_seconds", "Latency", {"client"}, {0.1, 1});
  h.With({"chat"}).Observe(0.05);
  h.With({"chat"}).Observe(0.5);
  h.With({"chat"}).Observe(0.5);
  h.With({"chat"}).Observe(7);
  EXPECT_EQ(r.Render(),
            "# HELP lat_seconds Latency\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{client=\"chat\",le=\"0.1\"} 1\n"
            "lat_seconds_bucket{client=\"chat\",le=\"1\"} 3\n"
            "lat_seconds_bucket{client=\"chat\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{client=\"chat\"} 8.05\n"
            "lat_seconds_count{client=\"chat\"} 4\n");
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Registry r;
  r.AddCounter("c_total", "Help with \\ and\nnewline", {"model"}).With({"x\"y"}).Add();
  EXPECT_THAT(r.Render(), HasSubstr("# HELP c_total Help with \\\\ and\\nnewline\n"));
  EXPECT_THAT(r.Render(), HasSubstr("c_total{model=\"x\\\"y\"} 1\n"));
}

TEST(MetricsTest, ValuesAsPrometheusWritesThem) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(FormatValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatValue(0.0 / 0.0), "NaN");
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  Registry r;
  auto& c = r.AddCounter("c_total", "c", {"k"});
  auto& h = r.AddHistogram("h_seconds", "h", {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        c.With({t % 2 == 0 ? "even" : "odd"}).Add();
        h.With({}).Observe(0.003);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(c.With({"even"}).value() + c.With({"odd"}).value(), 40000);
  EXPECT_EQ(h.With({}).count(), 40000u);
  EXPECT_EQ(h.With({}).Cumulative().front(), 0u);
  EXPECT_EQ(h.With({}).Cumulative()[2], 40000u) << "0.003 <= 0.005";
}

}  // namespace
}  // namespace agentgate::metrics
