// The OpenAI auth server's sign-in, for the fake upstream: as strict as the real one in what it
// checks (the Codex client id, a registered local redirect, PKCE S256, a code used once with its
// own redirect and verifier), and answering as it does. The user's part is played by the fake:
// opening the authorize page signs the configured account in at once; a device code is approved
// after a set number of polls.
//
// Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/fakes/fake_upstream.h"

namespace agentgate::fakes {

class FakeChatGptAuth {
 public:
  // The tokens a finished sign-in gave, for the backend to accept from now on.
  struct Issued {
    std::string account_id, access_token, refresh_token;
  };
  using Install = std::function<void(const Issued&)>;

  // Who signs in at the authorize page or approves a device code.
  void SetSignIn(const std::string& account_id, const std::string& email, const std::string& plan);
  // The device code is approved at this poll (1: the first poll already finds it approved).
  void SetDeviceApproveAfter(int polls);
  // The ports the redirect URI may name (the real server's list is Codex's 1455 and 1457).
  void SetRedirectPorts(std::vector<int> ports);
  int SignIns() const;

  // GET {base}/oauth/authorize?…: a 302 back to the redirect URI with a code (or an error).
  ScriptedResponse Authorize(std::string_view query);
  // POST /oauth/token with grant_type=authorization_code; `fields` decoded from the form.
  ScriptedResponse ExchangeCode(const std::map<std::string, std::string>& fields,
                                const Install& install);
  // POST /api/accounts/deviceauth/usercode and /token (JSON bodies).
  ScriptedResponse DeviceUserCode(std::string_view body);
  ScriptedResponse DeviceToken(std::string_view body, const std::string& base_url);

 private:
  struct Code {
    std::string challenge, redirect_uri;
  };
  struct Device {
    std::string user_code;
    int polls = 0;
  };
  mutable std::mutex mu_;
  std::string account_ = "acct-1", email_ = "dev@example.com", plan_ = "plus";
  int approve_after_ = 2;
  std::vector<int> ports_ = {1455, 1457};
  std::map<std::string, Code> codes_;  // issued, not yet exchanged
  std::set<std::string> used_codes_;
  std::map<std::string, Device> devices_;
  int next_ = 0;
  int sign_ins_ = 0;
};

// application/x-www-form-urlencoded value decoding ('+' and %XX); nullopt on a broken escape.
std::optional<std::string> FormDecodeForTest(std::string_view in);

}  // namespace agentgate::fakes
