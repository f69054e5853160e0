#include "services/common/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace agentgate {
namespace {

TEST(IdSourceTest, PrefixRandomPartAndCounter) {
  IdSource ids;
  std::string a = ids.Next("req_");
  std::string b = ids.Next("req_");
  ASSERT_EQ(a.size(), 4u + 16 + 12);
  EXPECT_EQ(a.substr(0, 4), "req_");
  EXPECT_EQ(a.substr(0, 20), b.substr(0, 20));  // same source, same random part
  EXPECT_EQ(a.substr(20), "000000000000");
  EXPECT_EQ(b.substr(20), "000000000001");
}

TEST(IdSourceTest, TwoSourcesDiffer) {
  IdSource one, two;
  EXPECT_NE(one.Next(""), two.Next(""));
}

TEST(IdSourceTest, UniqueAcrossThreads) {
  IdSource ids;
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (auto& g : got) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) g.push_back(ids.Next("x"));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  EXPECT_EQ(all.size(), 8000u);
}

}  // namespace
}  // namespace agentgate
