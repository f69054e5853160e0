// Chaos under load: clients send requests steadily while each service is killed with SIGKILL in
// turn (stats, router, probe, edge) and started again, as a supervisor would. Every request a
// client got an answer for has its record in stats.db, once. Bounded: about ten seconds of load.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using namespace std::chrono_literals;

// The request ids stored in stats.db (read through SQLite itself, as another reader would).
std::multiset<std::string> StoredIds(const std::string& db_path) {
  std::multiset<std::string> ids;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return ids;
  }
  sqlite3_busy_timeout(db, 2000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT request_id FROM requests", -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      ids.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return ids;
}

TEST(ChaosTest, KillingAnyServiceUnderLoadLosesNoRecordOfAnAnsweredRequest) {
  Stack stack;
  stack.Start();
  fakes::FakeUpstream upstream;
  stack.AddProvider("local", upstream.base_url(), "upstream-key", "m");
  const std::string token = stack.token();

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::set<std::string> answered;  // request ids of 200 answers the clients received
  std::atomic<int> failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      while (!stop) {
        HttpResponse r = HttpRequest(stack.edge_port(), "POST", "/v1/chat/completions",
                                     ChatBody("m"), {{"authorization", "Bearer " + token}}, 5s);
        if (r.status == 200 && r.headers.count("x-agentgate-request-id")) {
          std::lock_guard lock(mu);
          answered.insert(r.headers["x-agentgate-request-id"]);
        } else {
          ++failed;  // the edge was down for a moment: expected, not recorded
          std::this_thread::sleep_for(20ms);
        }
      }
    });
  }
  for (const char* service : {"stats", "router", "probe", "edge", "stats"}) {
    std::this_thread::sleep_for(1200ms);
    stack.StopService(service, SIGKILL);
    std::this_thread::sleep_for(400ms);
    stack.StartService(service);
  }
  std::this_thread::sleep_for(1000ms);
  stop = true;
  for (auto& t : clients) t.join();

  ASSERT_GT(answered.size(), 100u) << "too little load to mean anything";
  std::multiset<std::string> stored;
  std::vector<std::string> missing;
  WaitFor(
      [&] {
        stored = StoredIds(stack.home() + "/stats.db");
        missing.clear();
        for (const auto& id : answered) {
          if (stored.count(id) == 0) missing.push_back(id);
        }
        return missing.empty();
      },
      30s);
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << answered.size()
                               << " answered requests have no record, e.g. " << missing.front();
  for (const auto& id : answered) EXPECT_LE(stored.count(id), 1u) << id;
  // The spool has nothing left to ship.
  std::string metrics;
  WaitFor([&] {
    metrics = HttpRequest(stack.edge_port(), "GET", "/metrics", "",
                          {{"authorization", "Bearer " + token}})
                  .body;
    return metrics.find("agentgate_records_spooled_bytes 0\n") != std::string::npos;
  });
  EXPECT_NE(metrics.find("agentgate_records_spooled_bytes 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("agentgate_records_dropped_total 0\n"), std::string::npos);
  std::printf("chaos: %zu answered, %d refused while a service was down, %zu stored\n",
              answered.size(), failed.load(), stored.size());
}

}  // namespace
}  // namespace agentgate::testing
