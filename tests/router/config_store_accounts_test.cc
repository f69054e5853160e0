// ConfigStore's official accounts (config_store_accounts.cc): the pool they make, their order,
// their sealed tokens as the edges get them, quota records, and what happens to them when their
// provider is renamed or deleted.
#include <gtest/gtest.h>

#include "services/common/files.h"
#include "services/router/config_store.h"
#include "tests/common/temp_dir.h"

namespace agentgate::router {
namespace {

accounts::Account Acct(const std::string& id, const std::string& token) {
  accounts::Account a;
  a.account_id = id;
  a.access_token = token;
  a.refresh_token = "rt-" + id;
  a.email = id + "@example.com";
  a.plan = "plus";
  return a;
}

class AccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    auto s = ConfigStore::Open(dir_.File("config.db"), store::SecretBox(std::string(32, 'k')));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }
  control::v1::ProviderConfig Pool(const std::string& name = "chatgpt") {
    auto ps = store_->ProvidersForSnapshot();
    EXPECT_TRUE(ps.ok());
    for (auto& p : *ps) {
      if (p.name() == name) return p;
    }
    ADD_FAILURE() << "no provider " << name;
    return {};
  }
  test::TempDir dir_;
  std::unique_ptr<ConfigStore> store_;
};

TEST_F(AccountStoreTest, ImportMakesThePoolAndItsKeys) {
  const uint64_t v0 = store_->version();
  auto first = store_->ImportAccount(Acct("acct-1", "tok-1"), "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->provider_created);
  EXPECT_FALSE(first->replaced);
  EXPECT_EQ(first->account.provider(), "chatgpt");
  ASSERT_TRUE(store_->ImportAccount(Acct("acct-2", "tok-2"), "").ok());
  EXPECT_GT(store_->version(), v0);
  auto pool = Pool();
  EXPECT_EQ(pool.type(), "chatgpt");
  EXPECT_EQ(pool.protocol(), admin::v1::PROVIDER_PROTOCOL_OPENAI_RESPONSES);
  EXPECT_EQ(pool.base_url(), "https://chatgpt.com/backend-api/codex");
  ASSERT_EQ(pool.api_keys_size(), 2);
  EXPECT_EQ(pool.api_keys(0), "tok-1");
  EXPECT_EQ(pool.key_accounts(1), "acct-2");
  // Again: new tokens, same place.
  auto again = store_->ImportAccount(Acct("acct-1", "tok-1b"), "");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replaced);
  EXPECT_EQ(again->account.position(), 0);
  EXPECT_EQ(Pool().api_keys(0), "tok-1b");
  // Tokens are sealed: not in the file in clear.
  auto bytes = ReadFile(dir_.File("config.db"));
  auto wal = ReadFile(dir_.File("config.db-wal"));
  std::string all = (bytes.ok() ? *bytes : "") + (wal.ok() ? *wal : "");
  EXPECT_EQ(all.find("tok-1b"), std::string::npos);
  EXPECT_EQ(all.find("rt-acct-1"), std::string::npos);
}

TEST_F(AccountStoreTest, OnlyIntoAPoolAndOnlyOnePool) {
  admin::v1::Provider p;
  p.set_name("deepseek");
  p.set_type("deepseek");
  ASSERT_TRUE(store_->CreateProvider(p, "sk-0123456789abcdef0123456789abcdef").ok());
  auto wrong = store_->ImportAccount(Acct("acct-1", "tok-1"), "deepseek");
  EXPECT_TRUE(absl::IsInvalidArgument(wrong.status())) << wrong.status();
  ASSERT_TRUE(store_->ImportAccount(Acct("acct-1", "tok-1"), "").ok());
  auto elsewhere = store_->ImportAccount(Acct("acct-1", "tok-1"), "team-pool");
  EXPECT_TRUE(absl::IsAlreadyExists(elsewhere.status())) << elsewhere.status();
  // A pool takes no API keys by hand.
  admin::v1::Provider pool;
  pool.set_name("by-hand");
  pool.set_type("chatgpt");
  EXPECT_TRUE(absl::IsInvalidArgument(store_->CreateProvider(pool, "sk-x").status()));
}

TEST_F(AccountStoreTest, RemoveMovesTheRestUpAndQuotaIsKept) {
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(store_->ImportAccount(Acct(id, id), "").ok());
  ASSERT_TRUE(store_->RemoveAccount("a").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->RemoveAccount("a")));
  auto list = store_->ListAccounts();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id(), "b");
  EXPECT_EQ((*list)[0].position(), 0);
  EXPECT_EQ((*list)[1].position(), 1);

  admin::v1::AccountQuota q;
  q.mutable_primary()->set_known(true);
  q.mutable_primary()->set_used_percent(55);
  ASSERT_TRUE(store_->RecordAccountQuota("b", q, 0).ok());
  ASSERT_TRUE(store_->RecordAccountQuota("b", admin::v1::AccountQuota(), 12345).ok());
  auto b = (*store_->ListAccounts())[0];
  EXPECT_DOUBLE_EQ(b.quota().primary().used_percent(), 55) << "an unknown quota keeps the last";
  EXPECT_EQ(b.cooling_until_ms(), 12345);
  EXPECT_TRUE(absl::IsNotFound(store_->RecordAccountQuota("zz", q, 0).status()));
}

TEST_F(AccountStoreTest, UseMovesAnAccountToTheFront) {
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(store_->ImportAccount(Acct(id, id), "").ok());
  ASSERT_TRUE(store_->UseAccount("c").ok());
  auto list = *store_->ListAccounts();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id(), "c");
  EXPECT_EQ(list[1].id(), "a");
  EXPECT_EQ(list[2].id(), "b");
  EXPECT_EQ(Pool().key_accounts(0), "c");
  ASSERT_TRUE(store_->UseAccount("c").ok());  // already first
  EXPECT_TRUE(absl::IsNotFound(store_->UseAccount("zz")));
}

TEST_F(AccountStoreTest, RenameAndDeleteTakeTheAccountsAlong) {
  ASSERT_TRUE(store_->ImportAccount(Acct("a", "tok-a"), "").ok());
  admin::v1::UpdateProviderRequest up;
  up.set_name("chatgpt");
  up.set_new_name("work");
  ASSERT_TRUE(store_->UpdateProvider(up).ok());
  EXPECT_EQ((*store_->ListAccounts())[0].provider(), "work");
  EXPECT_EQ(Pool("work").api_keys(0), "tok-a");
  ASSERT_TRUE(store_->DeleteProvider("work").ok());
  EXPECT_TRUE(store_->ListAccounts()->empty());
}

}  // namespace
}  // namespace agentgate::router
