#include "services/edge/record.h"

#include <gtest/gtest.h>

#include <memory>

#include "services/pricing/prices.h"

namespace agentgate::edge {
namespace {

TEST(RecordTest, ClientChosenTextIsBounded) {
  admin::v1::RequestLog rec;
  rec.set_path("/" + std::string(64 * 1024, 'a'));
  rec.set_model_requested(std::string(5000, 'm'));
  rec.set_error(std::string(10000, 'e'));
  for (int i = 0; i < 1000; ++i)
    rec.add_conversion_losses("tool of type '" + std::string(500, 'x') + "'");
  for (int i = 0; i < 100; ++i) rec.add_tried()->set_error(std::string(1000, 'r'));
  const size_t before = rec.ByteSizeLong();
  BoundRecord(&rec);
  EXPECT_LE(rec.path().size(), kMaxRecordedPath + 32);
  EXPECT_NE(rec.path().find("[+"), std::string::npos) << "a marker says it was cut";
  EXPECT_LE(rec.model_requested().size(), kMaxRecordedModel + 32);
  EXPECT_LE(rec.error().size(), kMaxRecordedError + 32);
  ASSERT_EQ(static_cast<size_t>(rec.conversion_losses_size()), kMaxRecordedLosses);
  EXPECT_EQ(rec.conversion_losses(kMaxRecordedLosses - 1), "\xE2\x80\xA6and 969 more");
  EXPECT_EQ(static_cast<size_t>(rec.tried_size()), kMaxRecordedAttempts);
  EXPECT_LT(RecordBytes(rec), 20000u);
  EXPECT_GT(before, 500000u);
}

TEST(RecordTest, ShortTextIsKept) {
  admin::v1::RequestLog rec;
  rec.set_path("/v1/messages");
  rec.set_model_requested("claude-sonnet-4-5");
  rec.add_conversion_losses("tool of type 'web_search'");
  admin::v1::RequestLog copy = rec;
  BoundRecord(&rec);
  EXPECT_EQ(rec.SerializeAsString(), copy.SerializeAsString());
}

TEST(RecordTest, CutsAtACharacterBoundary) {
  admin::v1::RequestLog rec;
  std::string path = "/";
  for (int i = 0; i < 200; ++i) path += "\xC3\xA9";  // é, two bytes each
  rec.set_path(path);
  BoundRecord(&rec);
  // Still valid UTF-8: a protobuf string field that is not fails to serialize.
  std::string out;
  EXPECT_TRUE(rec.SerializeToString(&out));
}

TEST(RecordTest, PricedAtTheSnapshotsPricesAndLocalServersCostNothing) {
  routing::Snapshot snap;
  snap.prices = std::make_shared<pricing::PriceTable>();
  routing::ProviderEntry cloud;
  cloud.name = "ds";
  cloud.type = "deepseek";
  routing::ProviderEntry local;
  local.name = "mine";
  local.type = "ollama";
  snap.providers = {cloud, local};
  admin::v1::RequestLog rec;
  rec.set_provider("ds");
  rec.set_model_sent("deepseek-v4-pro");
  rec.set_input_tokens(1'000'000);
  PriceRecord(&snap, &rec);
  EXPECT_TRUE(rec.has_cost_usd());
  EXPECT_GT(rec.cost_usd(), 0);
  rec.clear_cost_usd();
  rec.set_provider("mine");
  rec.set_model_sent("qwen3-coder");  // no price, but Ollama on this machine is free
  PriceRecord(&snap, &rec);
  EXPECT_TRUE(rec.has_cost_usd());
  EXPECT_EQ(rec.cost_usd(), 0);
  rec.clear_cost_usd();
  rec.set_provider("ds");
  rec.set_model_sent("unknown-model");
  rec.set_model_requested("unknown-too");
  PriceRecord(&snap, &rec);
  EXPECT_FALSE(rec.has_cost_usd());  // never guessed
}

TEST(RecordTest, AnOfficialAccountsRequestIsOnThePlanWithItsListPriceBeside) {
  routing::Snapshot snap;
  snap.prices = std::make_shared<pricing::PriceTable>();
  routing::ProviderEntry pool;
  pool.name = "chatgpt";
  pool.type = "chatgpt";
  snap.providers = {pool};
  admin::v1::RequestLog rec;
  rec.set_provider("chatgpt");
  rec.set_model_sent("gpt-6.2-sol");
  rec.set_input_tokens(1'000'000);
  PriceRecord(&snap, &rec);
  EXPECT_TRUE(rec.on_plan());
  ASSERT_TRUE(rec.has_cost_usd());
  EXPECT_EQ(rec.cost_usd(), 0);
  ASSERT_TRUE(rec.has_list_price_usd());
  EXPECT_GT(rec.list_price_usd(), 0);
  admin::v1::RequestLog unknown;
  unknown.set_provider("chatgpt");
  unknown.set_model_sent("gpt-9-unreleased");
  unknown.set_model_requested("gpt-9-unreleased");
  unknown.set_output_tokens(10);
  PriceRecord(&snap, &unknown);
  EXPECT_TRUE(unknown.on_plan());
  EXPECT_EQ(unknown.cost_usd(), 0);  // a plan request is never "unknown cost"
  EXPECT_FALSE(unknown.has_list_price_usd());
}

}  // namespace
}  // namespace agentgate::edge
