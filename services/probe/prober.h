// Runs provider tests and model-list fetches on the probe's own I/O thread.
//
// gRPC handlers call Test() and ListModels() on gRPC threads; the work runs as Asio coroutines
// on one io_context thread owned here, which also owns the upstream connection pool (the pool
// is single-threaded: it is only touched from that thread). The calling thread waits for the
// result. Calls may overlap: they interleave on the I/O thread.
//
// Every provider request is bounded by min(request_timeout, the provider's timeout), a whole
// test by test_timeout; a step that would start after that is skipped and says so.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "absl/status/statusor.h"
#include "agentgate/probe/v1/probe.pb.h"
#include "services/net/asio.h"
#include "services/net/upstream.h"
#include "services/probe/provider_calls.h"

namespace agentgate::probe {

class Prober {
 public:
  struct Options {
    std::chrono::milliseconds request_timeout{20000};
    std::chrono::milliseconds test_timeout{60000};
    std::chrono::milliseconds gateway_timeout{5000};  // the edge is local: it answers at once
  };

  Prober() : Prober(Options()) {}
  explicit Prober(Options opts);
  ~Prober();  // stops the I/O thread: no call may be waiting any more
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  // Thread-safe and blocking. `cancelled` is polled while waiting (the gRPC call's
  // cancellation): when it turns true the call returns Cancelled and the work finishes alone.
  absl::StatusOr<v1::TestProviderResponse> Test(const v1::TestProviderRequest& req,
                                                const std::function<bool()>& cancelled = {});
  absl::StatusOr<v1::ListModelsResponse> ListModels(const v1::ListModelsRequest& req,
                                                    const std::function<bool()>& cancelled = {});
  // POSTs the refresh body to {issuer}/oauth/token (an http(s) origin); InvalidArgument for
  // anything else.
  absl::StatusOr<v1::RefreshAccountResponse> RefreshAccount(
      const v1::RefreshAccountRequest& req, const std::function<bool()>& cancelled = {});
  // GETs the usage endpoint with the account's token and id (an http(s) URL).
  absl::StatusOr<v1::RefreshAccountResponse> FetchAccountUsage(
      const v1::FetchAccountUsageRequest& req, const std::function<bool()>& cancelled = {});
  // POSTs one sign-in step to its path under the issuer (an http(s) origin).
  absl::StatusOr<v1::RefreshAccountResponse> CallAuthServer(
      const v1::AuthServerCall& req, const std::function<bool()>& cancelled = {});

  // One HTTP exchange's result.
  struct HttpResult {
    int status = 0;  // 0: no answer; `error` says why
    std::string body;
    std::string error;  // resolve, connect, TLS, send or read failure, or the time limit
    int64_t elapsed_ms = 0;
  };

 private:
  using Clock = std::chrono::steady_clock;

  template <typename T>
  absl::StatusOr<T> Run(net::asio::awaitable<T> work, const std::function<bool()>& cancelled);

  net::asio::awaitable<v1::TestProviderResponse> RunTest(v1::TestProviderRequest req);
  net::asio::awaitable<v1::ListModelsResponse> RunListModels(v1::ListModelsRequest req);
  net::asio::awaitable<v1::RefreshAccountResponse> RunRefresh(routing::Url issuer,
                                                              std::string body);
  // One exchange whose answer is returned as it came (status 0: no answer).
  net::asio::awaitable<v1::RefreshAccountResponse> RunRaw(routing::Url base, HttpCall call);
  net::asio::awaitable<void> CheckGateway(const v1::TestProviderRequest& req,
                                          Clock::time_point deadline, v1::StepResult* out);
  // The ping in `api` to the pass-through endpoint at `url` (anthropic_url or responses_url).
  net::asio::awaitable<void> CheckEndpoint(const ProbeTarget& t, routing::Protocol api,
                                           const std::string& url, std::chrono::milliseconds bound,
                                           Clock::time_point deadline,
                                           const std::vector<std::string>& secrets,
                                           v1::StepResult* out);
  net::asio::awaitable<void> CheckVision(const ProbeTarget& t, std::chrono::milliseconds bound,
                                         Clock::time_point deadline, v1::CapabilityResult* out);
  net::asio::awaitable<void> CheckPromptCache(const ProbeTarget& t, std::chrono::milliseconds bound,
                                              Clock::time_point deadline,
                                              v1::CapabilityResult* out);
  net::asio::awaitable<void> FetchModels(const ProbeTarget& t, std::chrono::milliseconds bound,
                                         Clock::time_point deadline, v1::ModelsResult* out);
  // Sends `call` to `base`'s origin and reads the whole answer, within `bound` and before
  // `deadline`. A pooled connection the peer closed while idle is replaced once.
  net::asio::awaitable<HttpResult> Send(const routing::Url& base, HttpCall call,
                                        std::chrono::milliseconds bound,
                                        Clock::time_point deadline);

  // The bound of one provider request: min(request_timeout, the provider's timeout if set).
  std::chrono::milliseconds RequestBound(uint32_t provider_timeout_ms) const;

  const Options opts_;
  // Destruction order matters: the pool's sockets and the coroutines belong to the io_context.
  net::asio::io_context ioc_;
  std::optional<net::asio::executor_work_guard<net::asio::io_context::executor_type>> work_;
  std::shared_ptr<net::asio::ssl::context> tls_;
  std::unique_ptr<net::UpstreamPool> pool_;
  std::thread thread_;
};

}  // namespace agentgate::probe
