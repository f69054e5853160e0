// The pure part of ProviderTester: which updates call for a new test. The tests themselves run
// through the real processes (tests/integration/control_plane_test.cc, AutomaticProviderTest).
#include "services/router/provider_tester.h"

#include <gtest/gtest.h>

namespace agentgate::router {
namespace {

using admin::v1::UpdateProviderRequest;

TEST(NeedsRetestTest, ConnectionSettingsAndTurningOnCallForATest) {
  std::vector<std::pair<const char*, std::function<void(UpdateProviderRequest&)>>> retest = {
      {"base_url", [](auto& r) { r.set_base_url("http://h"); }},
      {"api_key", [](auto& r) { r.set_api_key("k"); }},
      {"api_keys", [](auto& r) { r.set_replace_api_keys(true); }},
      {"protocol", [](auto& r) { r.set_protocol(admin::v1::PROVIDER_PROTOCOL_GEMINI); }},
      {"anthropic_url", [](auto& r) { r.set_anthropic_url(""); }},
      {"responses_url", [](auto& r) { r.set_responses_url("http://h/v1"); }},
      {"headers", [](auto& r) { r.set_replace_extra_headers(true); }},
      {"default_model", [](auto& r) { r.set_default_model("m"); }},
      {"timeout", [](auto& r) { r.set_timeout_ms(1000); }},
      {"enable", [](auto& r) { r.set_enabled(true); }},
  };
  for (const auto& [what, set] : retest) {
    UpdateProviderRequest r;
    r.set_name("p");
    set(r);
    EXPECT_TRUE(NeedsRetest(r)) << what;
  }
  std::vector<std::pair<const char*, std::function<void(UpdateProviderRequest&)>>> keep = {
      {"nothing", [](auto&) {}},
      {"disable", [](auto& r) { r.set_enabled(false); }},
      {"priority", [](auto& r) { r.set_priority(3); }},
      {"rename", [](auto& r) { r.set_new_name("q"); }},
      {"models", [](auto& r) { r.set_replace_models(true); }},
      {"model_map", [](auto& r) { r.set_replace_model_map(true); }},
      {"reasoning", [](auto& r) { r.set_reasoning_model("r"); }},
      {"vision", [](auto& r) { r.set_vision(admin::v1::CAPABILITY_NO); }},
  };
  for (const auto& [what, set] : keep) {
    UpdateProviderRequest r;
    r.set_name("p");
    set(r);
    EXPECT_FALSE(NeedsRetest(r)) << what;
  }
}

}  // namespace
}  // namespace agentgate::router
