#include "services/router/config_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "services/common/files.h"
#include "services/common/strings.h"
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
  EXPECT_EQ(p.default_model(), "deepseek-chat");
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
  EXPECT_EQ(snap[0].default_model(), "gpt-4.1");
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

TEST(ConfigStoreOpenTest, CreatesPrivateFile) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto s = ConfigStore::Open(dir.File("config.db"), Box());
  ASSERT_TRUE(s.ok()) << s.status();
  auto mode = FileMode(dir.File("config.db"));
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, 0600);
  EXPECT_EQ((*s)->version(), 1u);
}

TEST(ConfigStoreOpenTest, MissingFolderFails) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  EXPECT_FALSE(ConfigStore::Open(dir.File("no/such/config.db"), Box()).ok());
}

}  // namespace
}  // namespace agentgate::router
