// Where the browser comes back after signing in: a one-shot HTTP listener on 127.0.0.1 (the
// official client's own way, on its registered ports), for `agentgatectl account login`.
// Answers every request it gets until one at /auth/callback is answered as final; anything
// else gets a 404. A GET /cancel stops it (what Codex sends a login server it finds on its
// port). Blocking; one connection at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace agentgate::ctl {

class CallbackListener {
 public:
  CallbackListener();
  ~CallbackListener();

  // Listens on 127.0.0.1:port (0: any). FailedPrecondition when the port is taken.
  absl::Status Listen(int port);
  int port() const;

  struct Page {
    int status = 200;
    std::string html;
    bool final = true;  // false: keep waiting (a stale tab's answer)
  };
  // Waits until a /auth/callback request is answered with a final page: `answer` gets the
  // request target ("/auth/callback?code=…&state=…"). DeadlineExceeded after `timeout`;
  // Cancelled on /cancel.
  absl::Status Wait(std::chrono::milliseconds timeout,
                    const std::function<Page(const std::string& target)>& answer);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Text made safe inside HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace agentgate::ctl
