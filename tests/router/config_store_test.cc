#include "services/router/config_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "services/common/files.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "tests/common/temp_dir.h"

namespace agentgate::router {
namespace {

using admin::v1::Provider;
using admin::v1::UpdateProviderRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kSecretKey[] = "sk-SECRETSECRETSECRET1234";
constexpr char kDeepSeekKey[] = "sk-0123456789abcdef0123456789abcdef";

store::SecretBox Box(char fill = 'k') { return store::SecretBox(std::string(32, fill)); }

Provider Typed(const std::string& type, const std::string& name = "") {
  Provider p;
  p.set_type(type);
  p.set_name(name);
  return p;
}

Provider Custom(const std::string& name, const std::string& base_url = "http://127.0.0.1:8000/v1") {
  Provider p = Typed("custom_openai_compatible", name);
  p.set_base_url(base_url);
  return p;
}

std::vector<std::string> Names(const std::vector<Provider>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.name());
  return out;
}

class ConfigStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    Reopen();
  }

  std::string DbPath() const { return dir_.File("config.db"); }

  void Reopen(char key_fill = 'k') {
    store_.reset();
    auto s = ConfigStore::Open(DbPath(), Box(key_fill));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }

  Provider MustCreate(Provider p, const std::string& key = "") {
    auto r = store_->CreateProvider(std::move(p), key);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Provider{};
  }

  std::vector<Provider> List() {
    auto r = store_->ListProviders();
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<Provider>{};
  }

  std::vector<control::v1::ProviderConfig> Snapshot() {
    auto r = store_->ProvidersForSnapshot();
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<control::v1::ProviderConfig>{};
  }

  // config.db and its WAL, as bytes.
  std::string DbBytes() {
    std::string out;
    for (const char* suffix : {"", "-wal", "-journal"}) {
      auto r = ReadFile(DbPath() + suffix);
      if (r.ok()) out += *r;
    }
    return out;
  }

  test::TempDir dir_;
  std::unique_ptr<ConfigStore> store_;
};

// ---------------------------------------------------------------------------------------------
// CreateProvider

TEST_F(ConfigStoreTest, CreateFillsPresetDefaults) {
  Provider p = MustCreate(Typed("deepseek"), kDeepSeekKey);
  EXPECT_EQ(p.name(), "deepseek") << "the name defaults to the type";
  EXPECT_EQ(p.type(), "deepseek");
  EXPECT_EQ(p.base_url(), "https://api.deepseek.com");
  EXPECT_EQ(p.default_model(), "deepseek-v4-pro");
  EXPECT_EQ(p.protocol(), admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  EXPECT_TRUE(p.enabled());
  EXPECT_EQ(p.timeout_ms(), 0u);
  EXPECT_GT(p.created_at_ms(), 0);
  EXPECT_EQ(p.updated_at_ms(), p.created_at_ms());
  EXPECT_EQ(p.api_key_masked(), "sk-…cdef");
}

TEST_F(ConfigStoreTest, CreateUsesPresetProtocols) {
  EXPECT_EQ(MustCreate(Typed("anthropic"), "sk-ant-api03-xxxxxxxxxxxx").protocol(),
            admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  EXPECT_EQ(MustCreate(Typed("google_gemini"), "AIzaSyXXXXXXXXXXXXXXXX").protocol(),
            admin::v1::PROVIDER_PROTOCOL_GEMINI);
}

TEST_F(ConfigStoreTest, CreateKeepsGivenFields) {
  Provider in = Typed("deepseek", "ds-backup");
  in.set_base_url("https://proxy.example.com/v1");
  in.set_default_model("deepseek-reasoner");
  in.add_models("deepseek-chat");
  in.add_models("deepseek-reasoner");
  (*in.mutable_model_map())["gpt-4o"] = "deepseek-chat";
  (*in.mutable_model_map())["*"] = "deepseek-chat";
  in.set_timeout_ms(60000);
  Provider p = MustCreate(in, kDeepSeekKey);
  EXPECT_EQ(p.name(), "ds-backup");
  EXPECT_EQ(p.base_url(), "https://proxy.example.com/v1");
  EXPECT_EQ(p.default_model(), "deepseek-reasoner");
  EXPECT_THAT(p.models(), ElementsAre("deepseek-chat", "deepseek-reasoner"));
  EXPECT_EQ(p.model_map().size(), 2u);
  EXPECT_EQ(p.model_map().at("gpt-4o"), "deepseek-chat");
  EXPECT_EQ(p.model_map().at("*"), "deepseek-chat");
  EXPECT_EQ(p.timeout_ms(), 60000u);

  auto got = store_->GetProvider("ds-backup");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->base_url(), "https://proxy.example.com/v1");
  EXPECT_THAT(got->models(), ElementsAre("deepseek-chat", "deepseek-reasoner"));
}

TEST_F(ConfigStoreTest, CreateRequiresKeyWhenThePresetDoes) {
  auto r = store_->CreateProvider(Typed("deepseek"), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(r.status()), HasSubstr("key"));
  EXPECT_THAT(List(), IsEmpty());
}

TEST_F(ConfigStoreTest, LocalPresetsNeedNoKey) {
  Provider p = MustCreate(Typed("ollama"));
  EXPECT_EQ(p.api_key_masked(), "");
  EXPECT_EQ(p.base_url(), "http://127.0.0.1:11434/v1");
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_THAT(snap[0].api_keys(), IsEmpty());
}

TEST_F(ConfigStoreTest, CustomRequiresBaseUrl) {
  auto r = store_->CreateProvider(Typed("custom_openai_compatible", "mine"), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(r.status()), HasSubstr("base URL"));

  Provider p = MustCreate(Custom("mine", "http://10.0.0.5:8000/v1"));
  EXPECT_EQ(p.base_url(), "http://10.0.0.5:8000/v1");
  EXPECT_EQ(p.protocol(), admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  EXPECT_EQ(p.default_model(), "");
}

TEST_F(ConfigStoreTest, RejectsBadNames) {
  for (const std::string& name :
       {std::string("has space"), std::string("a/b"), std::string(65, 'x'), std::string("é")}) {
    auto r = store_->CreateProvider(Custom(name), "");
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << name;
  }
  EXPECT_THAT(List(), IsEmpty());
  EXPECT_EQ(MustCreate(Custom(std::string(64, 'x'))).name(), std::string(64, 'x'));
}

TEST_F(ConfigStoreTest, RejectsUnknownTypeListingTheKnownOnes) {
  auto r = store_->CreateProvider(Typed("nope", "x"), "k");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  std::string msg = Message(r.status());
  EXPECT_THAT(msg, HasSubstr("nope"));
  for (const char* t :
       {"deepseek", "openai", "anthropic", "google_gemini", "ollama", "custom_openai_compatible"}) {
    EXPECT_THAT(msg, HasSubstr(t));
  }
  auto empty = store_->CreateProvider(Typed(""), "k");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ConfigStoreTest, RejectsBadUrl) {
  for (const char* url : {"ftp://h", "http://user@h", "http://h:0", "http://h/v1?x=1", "nope"}) {
    auto r = store_->CreateProvider(Custom("c", url), "");
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << url;
  }
  EXPECT_THAT(List(), IsEmpty());
}

TEST_F(ConfigStoreTest, RejectsBadModels) {
  Provider empty_model = Custom("c");
  empty_model.add_models("");
  EXPECT_EQ(store_->CreateProvider(empty_model, "").status().code(),
            absl::StatusCode::kInvalidArgument);

  Provider half_map = Custom("c");
  (*half_map.mutable_model_map())["gpt-4o"] = "";
  EXPECT_EQ(store_->CreateProvider(half_map, "").status().code(),
            absl::StatusCode::kInvalidArgument);

  Provider long_timeout = Custom("c");
  long_timeout.set_timeout_ms(3600 * 1000 + 1);
  EXPECT_EQ(store_->CreateProvider(long_timeout, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(List(), IsEmpty());
}

TEST_F(ConfigStoreTest, DuplicateNameIsAlreadyExists) {
  MustCreate(Typed("deepseek"), kDeepSeekKey);
  auto r = store_->CreateProvider(Typed("deepseek"), kDeepSeekKey);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
  auto r2 = store_->CreateProvider(Custom("deepseek"), "");
  EXPECT_EQ(r2.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(List().size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Keys at rest

TEST_F(ConfigStoreTest, KeyIsMaskedAndNeverStoredInPlain) {
  Provider p = MustCreate(Typed("openai", "oa"), kSecretKey);
  EXPECT_EQ(p.api_key_masked(), "sk-…1234");
  EXPECT_EQ(p.DebugString().find("SECRETSECRET"), std::string::npos);

  std::string bytes = DbBytes();
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("SECRETSECRETSECRET"), std::string::npos);
  EXPECT_EQ(bytes.find(kSecretKey), std::string::npos);

  // Still so after a key change and after the connection is closed (WAL checkpointed).
  UpdateProviderRequest req;
  req.set_name("oa");
  req.set_api_key("sk-OTHERSECRETOTHERSECRET99");
  ASSERT_TRUE(store_->UpdateProvider(req).ok());
  store_.reset();
  bytes = DbBytes();
  EXPECT_EQ(bytes.find("SECRETSECRETSECRET"), std::string::npos);
  EXPECT_EQ(bytes.find("OTHERSECRET"), std::string::npos);
}

TEST_F(ConfigStoreTest, SnapshotHasDecryptedKey) {
  MustCreate(Typed("openai", "oa"), kSecretKey);
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(snap[0].name(), "oa");
  EXPECT_EQ(snap[0].type(), "openai");
  EXPECT_THAT(snap[0].api_keys(), ElementsAre(kSecretKey));
  EXPECT_EQ(snap[0].base_url(), "https://api.openai.com/v1");
  EXPECT_EQ(snap[0].default_model(), "gpt-6.2-sol");
  EXPECT_EQ(snap[0].protocol(), admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  EXPECT_TRUE(snap[0].enabled());
}

TEST_F(ConfigStoreTest, SnapshotCarriesAllFields) {
  Provider in = Custom("c", "http://127.0.0.1:9/v1");
  in.set_default_model("m");
  in.add_models("m");
  in.add_models("n");
  (*in.mutable_model_map())["*"] = "m";
  in.set_timeout_ms(1234);
  MustCreate(in, "local-key-123456");
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_THAT(snap[0].models(), ElementsAre("m", "n"));
  EXPECT_EQ(snap[0].model_map().at("*"), "m");
  EXPECT_EQ(snap[0].timeout_ms(), 1234u);
  EXPECT_EQ(snap[0].priority(), List()[0].priority());
  EXPECT_THAT(snap[0].api_keys(), ElementsAre("local-key-123456"));
}

TEST_F(ConfigStoreTest, KeysSurviveReopenWithTheSameMasterKey) {
  MustCreate(Typed("openai", "oa"), kSecretKey);
  Reopen('k');
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_THAT(snap[0].api_keys(), ElementsAre(kSecretKey));
}

TEST_F(ConfigStoreTest, WrongMasterKeyOnReopenFailsPrecondition) {
  MustCreate(Typed("openai", "oa"), kSecretKey);
  Reopen('x');
  auto snap = store_->ProvidersForSnapshot();
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Message(snap.status()), HasSubstr("oa"));
  EXPECT_EQ(Message(snap.status()).find("SECRET"), std::string::npos);
  // Listing needs no decryption.
  EXPECT_THAT(Names(List()), ElementsAre("oa"));
}

TEST_F(ConfigStoreTest, WrongMasterKeyDoesNotMatterWithoutKeys) {
  MustCreate(Typed("ollama"));
  Reopen('x');
  EXPECT_EQ(Snapshot().size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// UpdateProvider

Provider FullCustom() {
  Provider in = Custom("c", "http://127.0.0.1:9/v1");
  in.set_default_model("m");
  in.add_models("m");
  (*in.mutable_model_map())["gpt-4o"] = "m";
  in.set_timeout_ms(5000);
  return in;
}

TEST_F(ConfigStoreTest, UpdateChangesOnlySetFields) {
  Provider before = MustCreate(FullCustom(), "key-aaaaaaaaaaaa1111");
  UpdateProviderRequest req;
  req.set_name("c");
  req.set_default_model("m2");
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->default_model(), "m2");
  EXPECT_EQ(r->base_url(), before.base_url());
  EXPECT_THAT(r->models(), ElementsAre("m"));
  EXPECT_EQ(r->model_map().at("gpt-4o"), "m");
  EXPECT_EQ(r->timeout_ms(), 5000u);
  EXPECT_TRUE(r->enabled());
  EXPECT_EQ(r->priority(), before.priority());
  EXPECT_EQ(r->protocol(), before.protocol());
  EXPECT_EQ(r->api_key_masked(), before.api_key_masked());
  EXPECT_EQ(r->created_at_ms(), before.created_at_ms());
  EXPECT_GE(r->updated_at_ms(), before.updated_at_ms());
  EXPECT_THAT(Snapshot()[0].api_keys(), ElementsAre("key-aaaaaaaaaaaa1111"));
}

TEST_F(ConfigStoreTest, UpdateEachField) {
  MustCreate(FullCustom());
  UpdateProviderRequest req;
  req.set_name("c");
  req.set_base_url("https://other.example.com/api/v2");
  req.set_timeout_ms(0);
  req.set_enabled(false);
  req.set_priority(-3);
  req.set_protocol(admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->base_url(), "https://other.example.com/api/v2");
  EXPECT_EQ(r->timeout_ms(), 0u);
  EXPECT_FALSE(r->enabled());
  EXPECT_EQ(r->priority(), -3);
  EXPECT_EQ(r->protocol(), admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  EXPECT_EQ(r->default_model(), "m");

  auto got = store_->GetProvider("c");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->enabled());
  EXPECT_EQ(got->priority(), -3);
  EXPECT_FALSE(Snapshot()[0].enabled());
}

TEST_F(ConfigStoreTest, UpdateUnspecifiedProtocolIsIgnored) {
  MustCreate(FullCustom());
  UpdateProviderRequest req;
  req.set_name("c");
  req.set_protocol(admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED);
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->protocol(), admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
}

TEST_F(ConfigStoreTest, UpdateReplaceModelsAndMap) {
  MustCreate(FullCustom());
  // Without the replace flags, the lists in the request are ignored.
  UpdateProviderRequest ignored;
  ignored.set_name("c");
  ignored.add_models("zzz");
  (*ignored.mutable_model_map())["a"] = "b";
  auto r = store_->UpdateProvider(ignored);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->models(), ElementsAre("m"));
  EXPECT_EQ(r->model_map().size(), 1u);

  UpdateProviderRequest replace;
  replace.set_name("c");
  replace.set_replace_models(true);
  replace.add_models("x");
  replace.add_models("y");
  replace.set_replace_model_map(true);
  (*replace.mutable_model_map())["*"] = "x";
  r = store_->UpdateProvider(replace);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->models(), ElementsAre("x", "y"));
  ASSERT_EQ(r->model_map().size(), 1u);
  EXPECT_EQ(r->model_map().at("*"), "x");

  // Replacing with nothing clears.
  UpdateProviderRequest clear;
  clear.set_name("c");
  clear.set_replace_models(true);
  clear.set_replace_model_map(true);
  r = store_->UpdateProvider(clear);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->models(), IsEmpty());
  EXPECT_TRUE(r->model_map().empty());
  auto got = store_->GetProvider("c");
  ASSERT_TRUE(got.ok());
  EXPECT_THAT(got->models(), IsEmpty());
  EXPECT_TRUE(got->model_map().empty());
}

TEST_F(ConfigStoreTest, UpdateRename) {
  MustCreate(Typed("openai", "old"), kSecretKey);
  UpdateProviderRequest req;
  req.set_name("old");
  req.set_new_name("new");
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->name(), "new");
  EXPECT_EQ(store_->GetProvider("old").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->GetProvider("new").ok());
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(snap[0].name(), "new");
  EXPECT_THAT(snap[0].api_keys(), ElementsAre(kSecretKey));
}

TEST_F(ConfigStoreTest, TheLastTestIsKeptAcrossRenameAndReopenWithoutAVersionBump) {
  MustCreate(Typed("openai", "old"), kSecretKey);
  EXPECT_FALSE(store_->GetProvider("old")->has_last_test());
  admin::v1::ProviderTestResult t;
  t.set_ok(false);
  t.set_trigger("created");
  t.set_tested_at_ms(1234);
  auto* step = t.add_steps();
  step->set_name("provider");
  step->set_detail("401: Incorrect API key provided");
  t.add_models("gpt-4.1");
  const uint64_t version = store_->version();
  ASSERT_TRUE(store_->SaveTestResult("old", t).ok());
  EXPECT_EQ(store_->version(), version);
  UpdateProviderRequest req;
  req.set_name("old");
  req.set_new_name("new");
  ASSERT_TRUE(store_->UpdateProvider(req).ok());
  Reopen();
  auto p = store_->GetProvider("new");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->has_last_test());
  EXPECT_EQ(p->last_test().SerializeAsString(), t.SerializeAsString());
  EXPECT_EQ(List().at(0).last_test().trigger(), "created");
  EXPECT_EQ(store_->SaveTestResult("old", t).code(), absl::StatusCode::kNotFound);
}

TEST_F(ConfigStoreTest, PricesAreSetListedResetAndValidated) {
  admin::v1::ModelPrice p;
  p.set_model("My-Llama");
  p.set_input(0.5);
  p.set_output(1.5);
  p.set_cache_read(0.05);
  p.add_aliases("Llama-Local");
  const uint64_t v0 = store_->version();
  auto set = store_->SetPrice(p);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->model(), "my-llama");
  EXPECT_EQ(set->aliases(0), "llama-local");
  EXPECT_GT(store_->version(), v0) << "the edges need the new price";
  p.set_input(0.75);
  ASSERT_TRUE(store_->SetPrice(p).ok());
  Reopen();
  auto list = store_->ListPriceOverrides();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->at(0).input(), 0.75);
  EXPECT_TRUE(list->at(0).has_cache_read());
  EXPECT_FALSE(list->at(0).has_cache_write()) << "unset stays unset: billed at the input price";

  using Edit = std::function<void(admin::v1::ModelPrice&)>;
  const std::vector<Edit> bad_edits = {
      [](admin::v1::ModelPrice& q) { q.set_model(""); },
      [](admin::v1::ModelPrice& q) { q.set_model("has space"); },
      [](admin::v1::ModelPrice& q) { q.set_input(-1); },
      [](admin::v1::ModelPrice& q) { q.set_output(1e7); },
      [](admin::v1::ModelPrice& q) { q.set_cache_write(-0.5); },
      [](admin::v1::ModelPrice& q) { q.add_aliases("bad alias"); }};
  for (const Edit& bad : bad_edits) {
    admin::v1::ModelPrice q = p;
    bad(q);
    EXPECT_EQ(store_->SetPrice(q).status().code(), absl::StatusCode::kInvalidArgument)
        << q.DebugString();
  }

  EXPECT_EQ(store_->ResetPrice("nothing-set", false).status().code(), absl::StatusCode::kNotFound);
  auto removed = store_->ResetPrice("MY-LLAMA", false);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  p.set_model("a");
  ASSERT_TRUE(store_->SetPrice(p).ok());
  p.set_model("b");
  ASSERT_TRUE(store_->SetPrice(p).ok());
  EXPECT_EQ(*store_->ResetPrice("", true), 2);
  EXPECT_TRUE(store_->ListPriceOverrides()->empty());
}

TEST_F(ConfigStoreTest, ProviderWithKeysIsOneSnapshotEntry) {
  MustCreate(Typed("openai", "a"), kSecretKey);
  auto p = store_->ProviderWithKeys("a");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->SerializeAsString(), Snapshot().at(0).SerializeAsString());
  EXPECT_EQ(store_->ProviderWithKeys("b").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ConfigStoreTest, UpdateRenameToSameNameIsFine) {
  MustCreate(Custom("c"));
  UpdateProviderRequest req;
  req.set_name("c");
  req.set_new_name("c");
  EXPECT_TRUE(store_->UpdateProvider(req).ok());
}

TEST_F(ConfigStoreTest, UpdateRenameConflicts) {
  MustCreate(Custom("a"));
  MustCreate(Custom("b"));
  uint64_t v = store_->version();
  UpdateProviderRequest req;
  req.set_name("a");
  req.set_new_name("b");
  EXPECT_EQ(store_->UpdateProvider(req).status().code(), absl::StatusCode::kAlreadyExists);
  req.set_new_name("bad name");
  EXPECT_EQ(store_->UpdateProvider(req).status().code(), absl::StatusCode::kInvalidArgument);
  req.set_new_name("");
  EXPECT_EQ(store_->UpdateProvider(req).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Names(List()), ElementsAre("a", "b"));
  EXPECT_EQ(store_->version(), v);
}

TEST_F(ConfigStoreTest, UpdateKeyChange) {
  MustCreate(Typed("openai", "oa"), kSecretKey);
  UpdateProviderRequest req;
  req.set_name("oa");
  req.set_api_key("sk-proj-NEWKEYNEWKEY9876");
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->api_key_masked(), "sk-…9876");
  EXPECT_THAT(Snapshot()[0].api_keys(), ElementsAre("sk-proj-NEWKEYNEWKEY9876"));
}

TEST_F(ConfigStoreTest, UpdateKeyWithRename) {
  MustCreate(Typed("openai", "oa"), kSecretKey);
  UpdateProviderRequest req;
  req.set_name("oa");
  req.set_new_name("ob");
  req.set_api_key("sk-proj-NEWKEYNEWKEY9876");
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->name(), "ob");
  EXPECT_EQ(r->api_key_masked(), "sk-…9876");
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_THAT(snap[0].api_keys(), ElementsAre("sk-proj-NEWKEYNEWKEY9876"));
}

TEST_F(ConfigStoreTest, UpdateEmptyKeyClearsIt) {
  MustCreate(Typed("openai", "oa"), kSecretKey);
  UpdateProviderRequest req;
  req.set_name("oa");
  req.set_api_key("");
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->api_key_masked(), "");
  EXPECT_THAT(Snapshot()[0].api_keys(), IsEmpty());
}

TEST_F(ConfigStoreTest, UpdateValidates) {
  MustCreate(FullCustom());
  uint64_t v = store_->version();
  UpdateProviderRequest bad_url;
  bad_url.set_name("c");
  bad_url.set_base_url("ftp://nope");
  EXPECT_EQ(store_->UpdateProvider(bad_url).status().code(), absl::StatusCode::kInvalidArgument);

  UpdateProviderRequest bad_timeout;
  bad_timeout.set_name("c");
  bad_timeout.set_timeout_ms(3600 * 1000 + 1);
  EXPECT_EQ(store_->UpdateProvider(bad_timeout).status().code(),
            absl::StatusCode::kInvalidArgument);

  UpdateProviderRequest bad_models;
  bad_models.set_name("c");
  bad_models.set_replace_models(true);
  bad_models.add_models("");
  EXPECT_EQ(store_->UpdateProvider(bad_models).status().code(), absl::StatusCode::kInvalidArgument);

  auto got = store_->GetProvider("c");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->base_url(), "http://127.0.0.1:9/v1");
  EXPECT_EQ(got->timeout_ms(), 5000u);
  EXPECT_THAT(got->models(), ElementsAre("m"));
  EXPECT_EQ(store_->version(), v);
}

TEST_F(ConfigStoreTest, UpdateMissingIsNotFound) {
  UpdateProviderRequest req;
  req.set_name("ghost");
  req.set_default_model("m");
  EXPECT_EQ(store_->UpdateProvider(req).status().code(), absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// DeleteProvider, GetProvider

TEST_F(ConfigStoreTest, DeleteProvider) {
  MustCreate(Custom("a"));
  MustCreate(Custom("b"));
  ASSERT_TRUE(store_->DeleteProvider("a").ok());
  EXPECT_THAT(Names(List()), ElementsAre("b"));
  EXPECT_EQ(store_->GetProvider("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteProvider("a").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteProvider("never").code(), absl::StatusCode::kNotFound);
  // The name can be used again.
  MustCreate(Custom("a"));
}

TEST_F(ConfigStoreTest, GetMissingIsNotFound) {
  auto r = store_->GetProvider("ghost");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Message(r.status()), HasSubstr("ghost"));
}

// ---------------------------------------------------------------------------------------------
// Version

TEST_F(ConfigStoreTest, VersionIncreasesOnEveryChange) {
  uint64_t v0 = store_->version();
  EXPECT_GE(v0, 1u);
  MustCreate(Custom("a"));
  uint64_t v1 = store_->version();
  EXPECT_GT(v1, v0);

  UpdateProviderRequest req;
  req.set_name("a");
  req.set_enabled(false);
  ASSERT_TRUE(store_->UpdateProvider(req).ok());
  uint64_t v2 = store_->version();
  EXPECT_GT(v2, v1);

  ASSERT_TRUE(store_->DeleteProvider("a").ok());
  uint64_t v3 = store_->version();
  EXPECT_GT(v3, v2);

  auto v4 = store_->BumpVersion();
  ASSERT_TRUE(v4.ok());
  EXPECT_GT(*v4, v3);
  EXPECT_EQ(store_->version(), *v4);
}

TEST_F(ConfigStoreTest, FailedChangesDoNotBumpVersion) {
  MustCreate(Custom("a"));
  uint64_t v = store_->version();
  EXPECT_FALSE(store_->CreateProvider(Custom("a"), "").ok());
  EXPECT_FALSE(store_->CreateProvider(Typed("deepseek"), "").ok());
  EXPECT_FALSE(store_->DeleteProvider("ghost").ok());
  UpdateProviderRequest req;
  req.set_name("ghost");
  EXPECT_FALSE(store_->UpdateProvider(req).ok());
  EXPECT_EQ(store_->version(), v);
}

TEST_F(ConfigStoreTest, VersionPersistsAcrossReopen) {
  MustCreate(Custom("a"));
  MustCreate(Custom("b"));
  ASSERT_TRUE(store_->BumpVersion().ok());
  uint64_t v = store_->version();
  Reopen();
  EXPECT_EQ(store_->version(), v);
  MustCreate(Custom("c"));
  EXPECT_GT(store_->version(), v);
  uint64_t v2 = store_->version();
  Reopen();
  EXPECT_EQ(store_->version(), v2);
}

// ---------------------------------------------------------------------------------------------
// Priorities and order

TEST_F(ConfigStoreTest, NewProvidersAreAppended) {
  Provider a = MustCreate(Custom("zeta"));
  Provider b = MustCreate(Custom("alpha"));
  Provider c = MustCreate(Custom("mid"));
  EXPECT_LT(a.priority(), b.priority());
  EXPECT_LT(b.priority(), c.priority());
  EXPECT_THAT(Names(List()), ElementsAre("zeta", "alpha", "mid"));
  std::vector<std::string> snap_names;
  for (const auto& p : Snapshot()) snap_names.push_back(p.name());
  EXPECT_THAT(snap_names, ElementsAre("zeta", "alpha", "mid"));
}

TEST_F(ConfigStoreTest, ExplicitPriorityAndReordering) {
  MustCreate(Custom("a"));
  MustCreate(Custom("b"));
  Provider first = Custom("first");
  first.set_priority(-100);
  MustCreate(first);
  EXPECT_THAT(Names(List()), ElementsAre("first", "a", "b"));
  // Appended after the highest, even when an explicit one is far below.
  Provider d = MustCreate(Custom("d"));
  EXPECT_THAT(Names(List()), ElementsAre("first", "a", "b", "d"));
  EXPECT_GT(d.priority(), List()[2].priority());

  UpdateProviderRequest req;
  req.set_name("d");
  req.set_priority(-1000);
  ASSERT_TRUE(store_->UpdateProvider(req).ok());
  EXPECT_THAT(Names(List()), ElementsAre("d", "first", "a", "b"));
}

TEST_F(ConfigStoreTest, EqualPrioritiesOrderedByName) {
  for (const char* n : {"c", "a", "b"}) {
    Provider p = Custom(n);
    p.set_priority(5);
    MustCreate(p);
  }
  EXPECT_THAT(Names(List()), ElementsAre("a", "b", "c"));
}

TEST_F(ConfigStoreTest, OrderSurvivesReopen) {
  MustCreate(Custom("zeta"));
  MustCreate(Custom("alpha"));
  Reopen();
  EXPECT_THAT(Names(List()), ElementsAre("zeta", "alpha"));
  MustCreate(Custom("beta"));
  EXPECT_THAT(Names(List()), ElementsAre("zeta", "alpha", "beta"));
}

TEST_F(ConfigStoreTest, IntegrityCheck) {
  MustCreate(Custom("a"));
  auto r = store_->IntegrityCheck();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, "ok");
}

// ---------------------------------------------------------------------------------------------
// Capabilities, extra headers, key pools

std::vector<std::string> Keys(const control::v1::ProviderConfig& c) {
  return std::vector<std::string>(c.api_keys().begin(), c.api_keys().end());
}

TEST_F(ConfigStoreTest, NewProviderFieldsAreStoredAndInTheSnapshot) {
  Provider in = Custom("c");
  in.set_reasoning_model("r1");
  in.set_vision(admin::v1::CAPABILITY_NO);
  in.set_prompt_cache(admin::v1::CAPABILITY_YES);
  (*in.mutable_extra_headers())["X-Team"] = "blue";
  (*in.mutable_extra_headers())["anthropic-beta"] = "a,b";
  Provider p = MustCreate(in);
  EXPECT_EQ(p.reasoning_model(), "r1");
  EXPECT_EQ(p.vision(), admin::v1::CAPABILITY_NO);
  EXPECT_EQ(p.prompt_cache(), admin::v1::CAPABILITY_YES);
  EXPECT_EQ(p.extra_headers().size(), 2u);
  Reopen();
  auto got = store_->GetProvider("c");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->extra_headers().at("X-Team"), "blue");
  EXPECT_EQ(got->prompt_cache(), admin::v1::CAPABILITY_YES);
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(snap[0].reasoning_model(), "r1");
  EXPECT_EQ(snap[0].vision(), admin::v1::CAPABILITY_NO);
  EXPECT_EQ(snap[0].extra_headers().at("anthropic-beta"), "a,b");

  UpdateProviderRequest req;
  req.set_name("c");
  req.set_vision(admin::v1::CAPABILITY_YES);
  req.set_reasoning_model("");
  req.set_replace_extra_headers(true);
  (*req.mutable_extra_headers())["X-Other"] = "1";
  auto r = store_->UpdateProvider(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->vision(), admin::v1::CAPABILITY_YES);
  EXPECT_EQ(r->reasoning_model(), "");
  EXPECT_EQ(r->prompt_cache(), admin::v1::CAPABILITY_YES) << "not in the request: unchanged";
  ASSERT_EQ(r->extra_headers().size(), 1u);
  EXPECT_EQ(r->extra_headers().at("X-Other"), "1");
}

TEST_F(ConfigStoreTest, ExtraHeadersAreValidated) {
  struct Case {
    std::string name, value, message;
  };
  for (const Case& c : std::vector<Case>{{"Authorization", "Bearer x", "sets it itself"},
                                         {"X-API-KEY", "x", "sets it itself"},
                                         {"x-goog-api-key", "x", "sets it itself"},
                                         {"host", "evil", "sets it itself"},
                                         {"Content-Length", "1", "sets it itself"},
                                         {"bad header", "x", "not a valid HTTP header name"},
                                         {"", "x", "not a valid HTTP header name"},
                                         {"X-Ok", "a\r\nX-Injected: 1", "line break"}}) {
    Provider in = Custom("c");
    (*in.mutable_extra_headers())[c.name] = c.value;
    auto r = store_->CreateProvider(in, "");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(Message(r.status()), HasSubstr(c.message)) << c.name;
  }
  EXPECT_THAT(List(), IsEmpty());

  MustCreate(Custom("c"));
  uint64_t v = store_->version();
  UpdateProviderRequest req;
  req.set_name("c");
  req.set_replace_extra_headers(true);
  (*req.mutable_extra_headers())["authorization"] = "x";
  EXPECT_EQ(store_->UpdateProvider(req).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->version(), v);
}

TEST_F(ConfigStoreTest, InvalidCapabilityIsRefused) {
  Provider in = Custom("c");
  in.set_vision(static_cast<admin::v1::Capability>(7));
  auto r = store_->CreateProvider(in, "");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ConfigStoreTest, SeveralKeysAreSealedMaskedAndInOrder) {
  Provider p = MustCreate(Typed("openai", "oa"), kSecretKey);
  EXPECT_THAT(p.api_keys_masked(), ElementsAre("sk-…1234"));

  auto r = store_->CreateProvider(Typed("openai", "pool"), "sk-FIRSTPOOLKEYAAAA0001",
                                  {"sk-SECONDPOOLKEYBBBB0002", "sk-THIRDPOOLKEYCCCC0003"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->api_key_masked(), "sk-…0001");
  EXPECT_THAT(r->api_keys_masked(), ElementsAre("sk-…0001", "sk-…0002", "sk-…0003"));
  auto snap = Snapshot();
  ASSERT_EQ(snap.size(), 2u);
  EXPECT_THAT(Keys(snap[1]), ElementsAre("sk-FIRSTPOOLKEYAAAA0001", "sk-SECONDPOOLKEYBBBB0002",
                                         "sk-THIRDPOOLKEYCCCC0003"));
  store_.reset();
  std::string bytes = DbBytes();
  ASSERT_FALSE(bytes.empty());
  for (const char* plain : {"FIRSTPOOLKEY", "SECONDPOOLKEY", "THIRDPOOLKEY"}) {
    EXPECT_EQ(bytes.find(plain), std::string::npos) << plain;
  }
  // The extra keys are bound to the master key like the first one.
  Reopen('x');
  EXPECT_EQ(store_->ProvidersForSnapshot().status().code(), absl::StatusCode::kFailedPrecondition);
  Reopen('k');
  EXPECT_THAT(Keys(Snapshot()[1]),
              ElementsAre("sk-FIRSTPOOLKEYAAAA0001", "sk-SECONDPOOLKEYBBBB0002",
                          "sk-THIRDPOOLKEYCCCC0003"));
}

TEST_F(ConfigStoreTest, KeysGivenOnlyAsMoreKeys) {
  auto r = store_->CreateProvider(Typed("openai", "pool"), "", {"sk-ONLYMOREKEY00000001"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->api_key_masked(), "sk-…0001");
  EXPECT_THAT(Keys(Snapshot()[0]), ElementsAre("sk-ONLYMOREKEY00000001"));
}

TEST_F(ConfigStoreTest, BadKeysAreRefused) {
  for (const std::vector<std::string>& more :
       {std::vector<std::string>{""}, std::vector<std::string>{"sk-a\nb"},
        std::vector<std::string>{kSecretKey}}) {
    auto r = store_->CreateProvider(Typed("openai", "oa"), kSecretKey, more);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  }
  auto dup = store_->CreateProvider(Typed("openai", "oa"), kSecretKey, {kSecretKey});
  EXPECT_THAT(Message(dup.status()), HasSubstr("twice"));
  EXPECT_EQ(Message(dup.status()).find("SECRET"), std::string::npos) << "the key is masked";
  EXPECT_THAT(List(), IsEmpty());
}

TEST_F(ConfigStoreTest, UpdateKeys) {
  auto made = store_->CreateProvider(Typed("openai", "oa"), "sk-KEYZERO000000000000",
                                     {"sk-KEYONE0000000000001", "sk-KEYTWO0000000000002"});
  ASSERT_TRUE(made.ok()) << made.status();
  // api_key alone replaces key #0 and keeps the others.
  UpdateProviderRequest first;
  first.set_name("oa");
  first.set_api_key("sk-NEWZERO00000000009");
  ASSERT_TRUE(store_->UpdateProvider(first).ok());
  EXPECT_THAT(Keys(Snapshot()[0]), ElementsAre("sk-NEWZERO00000000009", "sk-KEYONE0000000000001",
                                               "sk-KEYTWO0000000000002"));
  // An empty api_key drops key #0: the next one moves up.
  UpdateProviderRequest drop;
  drop.set_name("oa");
  drop.set_api_key("");
  auto r = store_->UpdateProvider(drop);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->api_keys_masked(), ElementsAre("sk-…0001", "sk-…0002"));
  EXPECT_THAT(Keys(Snapshot()[0]), ElementsAre("sk-KEYONE0000000000001", "sk-KEYTWO0000000000002"));
  // replace_api_keys replaces the whole list, with a rename in the same request.
  UpdateProviderRequest replace;
  replace.set_name("oa");
  replace.set_new_name("ob");
  replace.set_replace_api_keys(true);
  replace.add_api_keys("sk-REPLACEDA000000000A");
  replace.add_api_keys("sk-REPLACEDB000000000B");
  r = store_->UpdateProvider(replace);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->api_keys_masked(), ElementsAre("sk-…000A", "sk-…000B"));
  EXPECT_THAT(Keys(Snapshot()[0]), ElementsAre("sk-REPLACEDA000000000A", "sk-REPLACEDB000000000B"));
  // Replacing with nothing clears every key.
  UpdateProviderRequest clear;
  clear.set_name("ob");
  clear.set_replace_api_keys(true);
  r = store_->UpdateProvider(clear);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->api_keys_masked(), IsEmpty());
  EXPECT_EQ(r->api_key_masked(), "");
  EXPECT_THAT(Keys(Snapshot()[0]), IsEmpty());

  uint64_t v = store_->version();
  UpdateProviderRequest both;
  both.set_name("ob");
  both.set_api_key("sk-X");
  both.set_replace_api_keys(true);
  EXPECT_EQ(store_->UpdateProvider(both).status().code(), absl::StatusCode::kInvalidArgument);
  UpdateProviderRequest dup;
  dup.set_name("ob");
  dup.set_replace_api_keys(true);
  dup.add_api_keys("sk-SAME");
  dup.add_api_keys("sk-SAME");
  EXPECT_EQ(store_->UpdateProvider(dup).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->version(), v);
}

// ---------------------------------------------------------------------------------------------
// Route profiles

using admin::v1::RouteProfile;
using admin::v1::RouteRule;

std::vector<std::string> Chain(const RouteProfile& r) {
  return std::vector<std::string>(r.chain().begin(), r.chain().end());
}

RouteProfile Profile(const std::string& name, admin::v1::ClientProtocol client,
                     std::vector<std::string> chain = {}) {
  RouteProfile r;
  r.set_name(name);
  r.set_client_protocol(client);
  for (auto& c : chain) r.add_chain(std::move(c));
  return r;
}

RouteRule Rule(const std::string& name, const std::string& scene, const std::string& provider,
               const std::string& model = "") {
  RouteRule r;
  r.set_name(name);
  r.set_scene(scene);
  r.set_provider(provider);
  r.set_model(model);
  return r;
}

class RouteStoreTest : public ConfigStoreTest {
 protected:
  RouteProfile MustGetRoute(const std::string& name) {
    auto r = store_->GetRoute(name);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : RouteProfile{};
  }
  RouteProfile MustCreateRoute(const RouteProfile& r) {
    auto got = store_->CreateRoute(r);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : RouteProfile{};
  }
  // The store's answer to a bad profile: its code, and the message containing `text`.
  void ExpectRefused(const absl::Status& st, absl::StatusCode code, const std::string& text) {
    EXPECT_EQ(st.code(), code) << st;
    EXPECT_THAT(Message(st), HasSubstr(text));
  }
};

TEST_F(RouteStoreTest, EveryClientProtocolHasADefaultProfile) {
  auto routes = store_->ListRoutes();
  ASSERT_TRUE(routes.ok()) << routes.status();
  std::map<std::string, RouteProfile> by_name;
  for (const auto& r : *routes) by_name[r.name()] = r;
  ASSERT_EQ(by_name.size(), 4u);
  EXPECT_EQ(by_name["chat"].client_protocol(), admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  EXPECT_EQ(by_name["claude"].client_protocol(), admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES);
  EXPECT_EQ(by_name["codex"].client_protocol(), admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES);
  EXPECT_EQ(by_name["gemini"].client_protocol(), admin::v1::CLIENT_PROTOCOL_GEMINI);
  for (const auto& [name, r] : by_name) {
    EXPECT_TRUE(r.is_default()) << name;
    EXPECT_EQ(r.mode(), admin::v1::ROUTE_MODE_FAILOVER) << name;
    EXPECT_THAT(Chain(r), IsEmpty()) << name;
    EXPECT_GT(r.updated_at_ms(), 0) << name;
  }
  // Opening again makes nothing new and changes no version.
  uint64_t v = store_->version();
  Reopen();
  EXPECT_EQ(store_->version(), v);
  EXPECT_EQ(store_->ListRoutes()->size(), 4u);
}

TEST_F(RouteStoreTest, ProvidersJoinLeaveAndRenameInEveryProfile) {
  MustCreate(Custom("a"));
  MustCreate(Custom("b"));
  for (const char* name : {"chat", "claude", "codex", "gemini"}) {
    EXPECT_THAT(Chain(MustGetRoute(name)), ElementsAre("a", "b")) << name;
  }
  RouteProfile fast = Profile("fast", admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES, {"b"});
  *fast.add_rules() = Rule("img", "image", "a");
  *fast.add_rules() = Rule("think", "reasoning", "b");
  MustCreateRoute(fast);

  // Appended last, even with a priority ahead of the others.
  Provider first = Custom("c");
  first.set_priority(-50);
  MustCreate(first);
  EXPECT_THAT(Chain(MustGetRoute("fast")), ElementsAre("b", "c"));
  EXPECT_THAT(Chain(MustGetRoute("chat")), ElementsAre("a", "b", "c"));

  UpdateProviderRequest rename;
  rename.set_name("b");
  rename.set_new_name("bee");
  ASSERT_TRUE(store_->UpdateProvider(rename).ok());
  RouteProfile got = MustGetRoute("fast");
  EXPECT_THAT(Chain(got), ElementsAre("bee", "c"));
  ASSERT_EQ(got.rules_size(), 2);
  EXPECT_EQ(got.rules(1).provider(), "bee");
  EXPECT_THAT(Chain(MustGetRoute("gemini")), ElementsAre("a", "bee", "c"));

  ASSERT_TRUE(store_->DeleteProvider("a").ok());
  got = MustGetRoute("fast");
  EXPECT_THAT(Chain(got), ElementsAre("bee", "c"));
  ASSERT_EQ(got.rules_size(), 1) << "the rule sending images to 'a' is gone";
  EXPECT_EQ(got.rules(0).name(), "think");
  EXPECT_THAT(Chain(MustGetRoute("codex")), ElementsAre("bee", "c"));
}

TEST_F(RouteStoreTest, CreateGetUpdateDeleteRoundTrip) {
  MustCreate(Custom("a"));
  MustCreate(Custom("b"));
  RouteProfile in = Profile("work", admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT, {"b", "a"});
  RouteRule long_text = Rule("long", "long_text", "a", "big-model");
  long_text.mutable_when()->set_has_tools(true);
  *in.add_rules() = long_text;
  RouteRule custom = Rule("kw", "", "b");
  custom.mutable_when()->add_system_keywords("translate");
  custom.mutable_when()->set_min_input_tokens(1000);
  custom.set_disabled(true);
  *in.add_rules() = custom;
  uint64_t v = store_->version();
  RouteProfile r = MustCreateRoute(in);
  EXPECT_GT(store_->version(), v);
  EXPECT_EQ(r.mode(), admin::v1::ROUTE_MODE_FAILOVER) << "unspecified is failover";
  EXPECT_FALSE(r.is_default());

  Reopen();
  r = MustGetRoute("work");
  EXPECT_EQ(r.client_protocol(), admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  EXPECT_THAT(Chain(r), ElementsAre("b", "a"));
  ASSERT_EQ(r.rules_size(), 2);
  EXPECT_EQ(r.rules(0).scene(), "long_text");
  EXPECT_EQ(r.rules(0).model(), "big-model");
  EXPECT_TRUE(r.rules(0).when().has_tools());
  EXPECT_EQ(r.rules(0).when().min_input_tokens(), 0) << "scenes are not expanded in the store";
  EXPECT_THAT(r.rules(1).when().system_keywords(), ElementsAre("translate"));
  EXPECT_EQ(r.rules(1).when().min_input_tokens(), 1000);
  EXPECT_TRUE(r.rules(1).disabled());

  r.set_mode(admin::v1::ROUTE_MODE_MANUAL);
  r.clear_rules();
  r.clear_chain();
  r.add_chain("a");
  v = store_->version();
  auto u = store_->UpdateRoute(r);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_GT(store_->version(), v);
  EXPECT_EQ(MustGetRoute("work").mode(), admin::v1::ROUTE_MODE_MANUAL);
  EXPECT_THAT(Chain(MustGetRoute("work")), ElementsAre("a"));
  EXPECT_EQ(MustGetRoute("work").rules_size(), 0);

  v = store_->version();
  ASSERT_TRUE(store_->DeleteRoute("work").ok());
  EXPECT_GT(store_->version(), v);
  ExpectRefused(store_->GetRoute("work").status(), absl::StatusCode::kNotFound, "'work'");
  ExpectRefused(store_->DeleteRoute("work"), absl::StatusCode::kNotFound, "'work'");
  ExpectRefused(store_->UpdateRoute(r).status(), absl::StatusCode::kNotFound, "'work'");
}

TEST_F(RouteStoreTest, ValidationMessages) {
  MustCreate(Custom("a"));
  uint64_t v = store_->version();
  using Code = absl::StatusCode;
  auto create = [&](const RouteProfile& r) { return store_->CreateRoute(r).status(); };

  ExpectRefused(create(Profile("bad name", admin::v1::CLIENT_PROTOCOL_GEMINI)),
                Code::kInvalidArgument, "1-64 characters");
  ExpectRefused(create(Profile(std::string(65, 'x'), admin::v1::CLIENT_PROTOCOL_GEMINI)),
                Code::kInvalidArgument, "1-64 characters");
  ExpectRefused(create(Profile("p", admin::v1::CLIENT_PROTOCOL_UNSPECIFIED)),
                Code::kInvalidArgument, "needs a client protocol");
  ExpectRefused(create(Profile("p", admin::v1::CLIENT_PROTOCOL_GEMINI, {"ghost"})),
                Code::kInvalidArgument, "no provider named 'ghost'");
  ExpectRefused(create(Profile("p", admin::v1::CLIENT_PROTOCOL_GEMINI, {"a", "a"})),
                Code::kInvalidArgument, "'a' is in the chain twice");
  ExpectRefused(create(Profile("chat", admin::v1::CLIENT_PROTOCOL_GEMINI)), Code::kAlreadyExists,
                "'chat' already exists");

  auto with_rule = [&](const RouteRule& rule) {
    RouteProfile r = Profile("p", admin::v1::CLIENT_PROTOCOL_GEMINI, {"a"});
    *r.add_rules() = rule;
    return create(r);
  };
  ExpectRefused(with_rule(Rule("r", "image", "ghost")), Code::kInvalidArgument,
                "rule 'r': no provider named 'ghost'");
  ExpectRefused(with_rule(Rule("r", "image", "")), Code::kInvalidArgument, "needs a provider");
  ExpectRefused(with_rule(Rule("r", "pictures", "a")), Code::kInvalidArgument,
                "unknown scene 'pictures' (known: image, reasoning, background, long_text, "
                "tool_heavy)");
  ExpectRefused(with_rule(Rule("r", "", "a")), Code::kInvalidArgument,
                "needs a scene or at least one condition");
  ExpectRefused(with_rule(Rule("", "image", "a")), Code::kInvalidArgument, "rule name");
  RouteRule negative = Rule("r", "", "a");
  negative.mutable_when()->set_min_tools(-1);
  ExpectRefused(with_rule(negative), Code::kInvalidArgument, "negative");
  RouteRule empty_kw = Rule("r", "", "a");
  empty_kw.mutable_when()->add_model_keywords("");
  ExpectRefused(with_rule(empty_kw), Code::kInvalidArgument, "keyword");
  RouteProfile twice = Profile("p", admin::v1::CLIENT_PROTOCOL_GEMINI, {"a"});
  *twice.add_rules() = Rule("r", "image", "a");
  *twice.add_rules() = Rule("r", "reasoning", "a");
  ExpectRefused(create(twice), Code::kInvalidArgument, "two rules named 'r'");

  // Updates are held to the same rules.
  RouteProfile chat = MustGetRoute("chat");
  chat.add_chain("ghost");
  ExpectRefused(store_->UpdateRoute(chat).status(), Code::kInvalidArgument, "'ghost'");
  EXPECT_EQ(store_->version(), v) << "nothing refused changes the version";
  EXPECT_EQ(store_->ListRoutes()->size(), 4u);
}

TEST_F(RouteStoreTest, DefaultProfilesStay) {
  using Code = absl::StatusCode;
  ExpectRefused(store_->DeleteRoute("claude"), Code::kFailedPrecondition, "default");
  RouteProfile claude = MustGetRoute("claude");
  claude.set_is_default(false);
  ExpectRefused(store_->UpdateRoute(claude).status(), Code::kFailedPrecondition, "default");
  claude.set_is_default(true);
  claude.set_client_protocol(admin::v1::CLIENT_PROTOCOL_GEMINI);
  ExpectRefused(store_->UpdateRoute(claude).status(), Code::kFailedPrecondition,
                "client protocol cannot change");
  EXPECT_TRUE(MustGetRoute("claude").is_default());
}

TEST_F(RouteStoreTest, IsDefaultMovesTheFlag) {
  MustCreate(Custom("a"));
  RouteProfile fast = Profile("fast", admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES, {"a"});
  fast.set_is_default(true);
  MustCreateRoute(fast);
  EXPECT_TRUE(MustGetRoute("fast").is_default());
  EXPECT_FALSE(MustGetRoute("claude").is_default());
  EXPECT_TRUE(MustGetRoute("chat").is_default()) << "other protocols keep theirs";
  // The old default is an ordinary profile now: it can be deleted, and the new one cannot.
  ASSERT_TRUE(store_->DeleteRoute("claude").ok());
  EXPECT_EQ(store_->DeleteRoute("fast").code(), absl::StatusCode::kFailedPrecondition);
  // Reopening does not bring "claude" back: the protocol has its default.
  Reopen();
  EXPECT_EQ(store_->GetRoute("claude").status().code(), absl::StatusCode::kNotFound);

  // By update too.
  RouteProfile other = Profile("other", admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES);
  MustCreateRoute(other);
  other.set_is_default(true);
  ASSERT_TRUE(store_->UpdateRoute(other).ok());
  EXPECT_TRUE(MustGetRoute("other").is_default());
  EXPECT_FALSE(MustGetRoute("fast").is_default());
}

// A config.db as version 2 of the schema left it, made by hand.
TEST(ConfigStoreMigrationTest, Version2DatabaseGainsKeysColumnsAndDefaultProfiles) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("config.db");
  {
    auto db = store::Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status();
    absl::Status made = (*db)->Exec(R"sql(
CREATE TABLE providers (
  name TEXT PRIMARY KEY, type TEXT NOT NULL, protocol INTEGER NOT NULL, base_url TEXT NOT NULL,
  api_key BLOB, api_key_masked TEXT NOT NULL DEFAULT '', default_model TEXT NOT NULL DEFAULT '',
  models TEXT NOT NULL DEFAULT '[]', model_map TEXT NOT NULL DEFAULT '{}',
  timeout_ms INTEGER NOT NULL DEFAULT 0, enabled INTEGER NOT NULL DEFAULT 1,
  priority INTEGER NOT NULL DEFAULT 0, created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('config_version', '41');
ALTER TABLE providers ADD COLUMN anthropic_url TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN responses_url TEXT NOT NULL DEFAULT '';
PRAGMA user_version = 2;
)sql");
    ASSERT_TRUE(made.ok()) << made;
    auto ins = (*db)->Prepare(
        "INSERT INTO providers (name, type, protocol, base_url, api_key, api_key_masked, "
        "priority, created_at_ms, updated_at_ms) VALUES (?1, 'openai', 1, "
        "'https://api.openai.com/v1', ?2, ?3, ?4, 1, 1)");
    ASSERT_TRUE(ins.ok());
    ins->Bind(1, "second").BindBlob(2, Box().Seal(kSecretKey, "provider-key"));
    ins->Bind(3, MaskSecret(kSecretKey)).Bind(4, int64_t{20});
    ASSERT_TRUE(ins->Run().ok());
    ins->Reset();
    ins->Bind(1, "first").BindNull(2).Bind(3, "").Bind(4, int64_t{10});
    ASSERT_TRUE(ins->Run().ok());
  }
  auto s = ConfigStore::Open(path, Box());
  ASSERT_TRUE(s.ok()) << s.status();
  ConfigStore& store = **s;
  EXPECT_GT(store.version(), 41u) << "the new profiles are a change the edges must see";

  auto second = store.GetProvider("second");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(second->api_keys_masked(), ElementsAre("sk-…1234"));
  EXPECT_EQ(second->vision(), admin::v1::CAPABILITY_UNKNOWN);
  EXPECT_TRUE(second->extra_headers().empty());
  auto snap = store.ProvidersForSnapshot();
  ASSERT_TRUE(snap.ok()) << snap.status();
  ASSERT_EQ(snap->size(), 2u);
  EXPECT_THAT(Keys((*snap)[1]), ElementsAre(kSecretKey)) << "key #0 stays where it was";
  EXPECT_THAT(Keys((*snap)[0]), IsEmpty());

  auto routes = store.ListRoutes();
  ASSERT_TRUE(routes.ok()) << routes.status();
  ASSERT_EQ(routes->size(), 4u);
  for (const auto& r : *routes) {
    EXPECT_TRUE(r.is_default()) << r.name();
    EXPECT_THAT(Chain(r), ElementsAre("first", "second")) << "priority order: " << r.name();
  }

  // Pools work on the migrated provider.
  UpdateProviderRequest req;
  req.set_name("second");
  req.set_replace_api_keys(true);
  req.add_api_keys("sk-A0000000000000001");
  req.add_api_keys("sk-B0000000000000002");
  ASSERT_TRUE(store.UpdateProvider(req).ok());
  EXPECT_THAT(Keys(store.ProvidersForSnapshot()->at(1)),
              ElementsAre("sk-A0000000000000001", "sk-B0000000000000002"));
  // And so does the last test (migration 4).
  EXPECT_FALSE(store.GetProvider("second")->has_last_test());
  admin::v1::ProviderTestResult t;
  t.set_trigger("manual");
  ASSERT_TRUE(store.SaveTestResult("second", t).ok());
  EXPECT_EQ(store.GetProvider("second")->last_test().trigger(), "manual");
  // Route profiles gain mid-stream failover, off (migration 6), and keep it once set.
  auto profiles = store.ListRoutes();
  ASSERT_TRUE(profiles.ok());
  ASSERT_FALSE(profiles->empty());
  EXPECT_FALSE(profiles->front().midstream_failover());
  admin::v1::RouteProfile on = profiles->front();
  on.set_midstream_failover(true);
  ASSERT_TRUE(store.UpdateRoute(on).ok());
  EXPECT_TRUE(store.GetRoute(on.name())->midstream_failover());
  s->reset();
  auto db = store::Database::Open(path);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->UserVersion(), 8);
}

TEST(ConfigStoreOpenTest, CreatesPrivateFile) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto s = ConfigStore::Open(dir.File("config.db"), Box());
  ASSERT_TRUE(s.ok()) << s.status();
  auto mode = FileMode(dir.File("config.db"));
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, 0600);
  // 1 from the schema, and one change: the default route profiles.
  EXPECT_EQ((*s)->version(), 2u);
}

TEST(ConfigStoreOpenTest, MissingFolderFails) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  EXPECT_FALSE(ConfigStore::Open(dir.File("no/such/config.db"), Box()).ok());
}

}  // namespace
}  // namespace agentgate::router
