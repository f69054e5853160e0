#include "services/router/account_news.h"

#include <vector>

#include "services/common/log.h"
#include "services/router/account_views.h"

namespace agentgate::router {

void PublishAccountNews(ConfigStore& store, EventHub& events, const std::string& id,
                        int64_t now_ms) {
  auto all = store.ListAccounts();
  if (!all.ok()) return;
  std::string pool;
  for (auto& a : *all) {
    FillStanding(a, now_ms, store.low_left_percent());
    if (a.id() == id) pool = a.provider();
  }
  std::vector<admin::v1::Account> mine;
  for (auto& a : *all) {
    if (a.provider() == pool) mine.push_back(std::move(a));
  }
  admin::v1::Event e;
  e.set_kind(admin::v1::EVENT_KIND_ACCOUNT);
  e.set_at_ms(now_ms);
  e.set_provider(pool);
  e.set_account(id);
  e.set_detail(StandingNews(mine, id));
  if (e.detail().empty()) return;
  LogInfo("account news").Kv("detail", e.detail());
  events.Publish(std::move(e));
}

}  // namespace agentgate::router
