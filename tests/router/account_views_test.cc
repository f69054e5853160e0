// What the user is told about an official account: its standing and, when it changes, who
// serves now.
#include "services/router/account_views.h"

#include <gtest/gtest.h>

namespace agentgate::router {
namespace {

admin::v1::Account A(const std::string& id, const std::string& state,
                     const std::string& detail = "") {
  admin::v1::Account a;
  a.set_id(id);
  a.set_provider("chatgpt");
  a.set_state(state);
  a.set_detail(detail);
  return a;
}

TEST(StandingNewsTest, WhoServesNow) {
  EXPECT_EQ(
      StandingNews({A("a1", "spent", "weekly window 100% used, resets in 2d"), A("a2", "ready")},
                   "a1"),
      "a1 spent (weekly window 100% used, resets in 2d); a2 serves now");
  EXPECT_EQ(
      StandingNews({A("a1", "low", "5-hour window 93% used"), A("a2", "spent"), A("a3", "ready")},
                   "a1"),
      "a1 low (5-hour window 93% used); a3 serves now");
  EXPECT_EQ(StandingNews({A("a1", "spent"), A("a2", "re-login")}, "a1"),
            "a1 spent; no other account of chatgpt is ready");
  EXPECT_EQ(StandingNews({A("a1", "ready"), A("a2", "ready")}, "a1"),
            "a1 is ready again and serves first");
  EXPECT_EQ(StandingNews({A("a1", "spent"), A("a2", "ready")}, "a2"),
            "a2 is ready again and serves first");
  EXPECT_EQ(StandingNews({A("a1", "ready"), A("a2", "ready")}, "a2"), "a2 is ready again");
  EXPECT_EQ(StandingNews({A("a1", "ready")}, "nobody"), "");
}

}  // namespace
}  // namespace agentgate::router
