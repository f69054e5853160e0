#include "services/probe/prober.h"

#include <algorithm>
#include <future>
#include <variant>

#include "services/accounts/login.h"
#include "services/accounts/official.h"
#include "services/common/strings.h"
#include "services/protocol/json_util.h"

namespace agentgate::probe {
namespace {

namespace asio = net::asio;
namespace http = net::http;
namespace beast = net::beast;
using net::kUse;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A model list (OpenRouter's is several MB with descriptions) or an answer larger than this is
// refused.
constexpr size_t kMaxBody = 32 * 1024 * 1024;
constexpr int kMaxModelPages = 20;

int64_t MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

bool Is2xx(int status) { return status >= 200 && status < 300; }

// Every secret a request carries, to scrub from what is reported.
std::vector<std::string> SecretsOf(const control::v1::ProviderConfig& p,
                                   const std::string& local_token) {
  std::vector<std::string> s(p.api_keys().begin(), p.api_keys().end());
  if (!local_token.empty()) s.push_back(local_token);
  return s;
}

http::request<http::string_body> BuildRequest(const routing::Url& base, const HttpCall& call) {
  http::request<http::string_body> m{call.method == "GET" ? http::verb::get : http::verb::post,
                                     call.target, 11};
  m.set(http::field::host, base.HostHeader());
  m.set(http::field::user_agent, "agentgate-probe/" AGENTGATE_VERSION);
  m.set(http::field::accept, "application/json");
  if (m.method() == http::verb::post) {
    m.set(http::field::content_type, "application/json");
    m.body() = call.body;
  }
  for (const auto& [name, value] : call.headers) m.set(name, value);
  m.keep_alive(true);
  m.prepare_payload();
  return m;
}

template <typename Op>
auto OnStream(net::UpstreamConnection& c, Op&& op) {
  return std::visit(std::forward<Op>(op), c.stream);
}

// "HTTP 401: <the provider's message>".
std::string HttpFailure(const Prober::HttpResult& r, const std::vector<std::string>& secrets) {
  return "HTTP " + std::to_string(r.status) + ": " + ProviderMessage(r.body, secrets);
}

// What went wrong with an exchange that did not succeed: the status and the provider's message,
// or why there was no answer.
std::string Failure(const Prober::HttpResult& r, const std::vector<std::string>& secrets) {
  if (r.status == 0) return Scrub(r.error, secrets);
  return HttpFailure(r, secrets);
}

// Judges the answer to a ping: ok when 2xx with a JSON object ("HTTP 200 from M in N ms"),
// else the status and the provider's message, or why there was no answer.
void JudgePing(const Prober::HttpResult& r, const std::string& model,
               const std::vector<std::string>& secrets, v1::StepResult* out) {
  out->set_http_status(r.status);
  out->set_elapsed_ms(r.elapsed_ms);
  if (!Is2xx(r.status)) {
    out->set_detail(Failure(r, secrets));
  } else if (auto body = protocol::json::Parse(r.body); !body || !body->is_object()) {
    out->set_detail("HTTP " + std::to_string(r.status) +
                    " but the answer is not JSON: " + BodySnippet(r.body, 200, secrets));
  } else {
    out->set_ok(true);
    out->set_detail("HTTP " + std::to_string(r.status) + " from " + model + " in " +
                    std::to_string(r.elapsed_ms) + " ms");
  }
}

void SkipStep(v1::StepResult* s, const std::string& why) {
  s->set_skipped(true);
  s->set_detail(why);
}

// "key 2 of 3: "
std::string KeyPrefix(size_t index, size_t count) {
  return "key " + std::to_string(index + 1) + " of " + std::to_string(count) + ": ";
}

// The non-empty keys of a provider (its pool as the edge uses it).
size_t KeyCount(const control::v1::ProviderConfig& p) {
  return static_cast<size_t>(std::count_if(p.api_keys().begin(), p.api_keys().end(),
                                           [](const std::string& k) { return !k.empty(); }));
}

// Key 1's result: the provider step's own, with the key prefix.
v1::StepResult FirstKeyResult(const v1::StepResult& provider, size_t count) {
  v1::StepResult k = provider;
  const std::string prefix = KeyPrefix(0, count);
  k.set_detail(prefix + (provider.ok() ? std::string("ok") : provider.detail()));
  return k;
}

void Skip(v1::CapabilityResult* c, const std::string& why) {
  c->set_skipped(true);
  c->set_capability(admin::v1::CAPABILITY_UNKNOWN);
  c->set_detail(why);
}

// The health answer's "status" field, if it is JSON with one.
std::string HealthStatus(std::string_view body) {
  auto v = protocol::json::Parse(body);
  return v ? protocol::json::String(*v, "status") : std::string();
}

}  // namespace

Prober::Prober(Options opts)
    : opts_(opts),
      ioc_(1),
      work_(std::in_place, ioc_.get_executor()),
      tls_(net::MakeClientTlsContext()),
      pool_(std::make_unique<net::UpstreamPool>(ioc_.get_executor(), tls_)),
      thread_([this] { ioc_.run(); }) {}

Prober::~Prober() {
  work_.reset();
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
  // Coroutines still suspended (their callers gave up) are destroyed with the io_context; the
  // pool goes first so its idle sockets close while the context is whole.
  pool_.reset();
}

template <typename T>
absl::StatusOr<T> Prober::Run(asio::awaitable<T> work, const std::function<bool()>& cancelled) {
  std::future<T> result = asio::co_spawn(ioc_, std::move(work), asio::use_future);
  while (result.wait_for(milliseconds(50)) != std::future_status::ready) {
    if (cancelled && cancelled()) return absl::CancelledError("the call was cancelled");
  }
  try {
    return result.get();
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("probe failed: ") + e.what());
  }
}

absl::StatusOr<v1::TestProviderResponse> Prober::Test(const v1::TestProviderRequest& req,
                                                      const std::function<bool()>& cancelled) {
  return Run(RunTest(req), cancelled);
}

absl::StatusOr<v1::ListModelsResponse> Prober::ListModels(const v1::ListModelsRequest& req,
                                                          const std::function<bool()>& cancelled) {
  return Run(RunListModels(req), cancelled);
}

absl::StatusOr<v1::RefreshAccountResponse> Prober::RefreshAccount(
    const v1::RefreshAccountRequest& req, const std::function<bool()>& cancelled) {
  auto issuer = routing::ParseUrl(req.issuer());
  if (!issuer.ok())
    return absl::InvalidArgumentError("the auth issuer URL: " + Message(issuer.status()));
  return Run(RunRefresh(*std::move(issuer), req.body()), cancelled);
}

asio::awaitable<v1::RefreshAccountResponse> Prober::RunRefresh(routing::Url issuer,
                                                               std::string body) {
  HttpCall call;
  call.method = "POST";
  call.target = issuer.path + std::string(accounts::kTokenPath);
  call.headers = {{"content-type", "application/json"}, {"accept", "application/json"}};
  call.body = std::move(body);
  co_return co_await RunRaw(std::move(issuer), std::move(call));
}

absl::StatusOr<v1::RefreshAccountResponse> Prober::FetchAccountUsage(
    const v1::FetchAccountUsageRequest& req, const std::function<bool()>& cancelled) {
  auto url = routing::ParseUrl(req.url());
  if (!url.ok()) return absl::InvalidArgumentError("the usage URL: " + Message(url.status()));
  HttpCall call;
  call.method = "GET";
  call.target = url->path.empty() ? "/" : url->path;
  call.headers = {{"authorization", "Bearer " + req.access_token()},
                  {std::string(accounts::kAccountHeader), req.account_id()},
                  {"user-agent", std::string(accounts::kUserAgent)},
                  {"accept", "application/json"}};
  return Run(RunRaw(*std::move(url), std::move(call)), cancelled);
}

absl::StatusOr<v1::RefreshAccountResponse> Prober::CallAuthServer(
    const v1::AuthServerCall& req, const std::function<bool()>& cancelled) {
  auto issuer = routing::ParseUrl(req.issuer());
  if (!issuer.ok())
    return absl::InvalidArgumentError("the auth issuer URL: " + Message(issuer.status()));
  std::string_view path, type = "application/json";
  switch (req.step()) {
    case v1::AUTH_STEP_EXCHANGE_CODE:
      path = accounts::kTokenPath;
      type = "application/x-www-form-urlencoded";
      break;
    case v1::AUTH_STEP_DEVICE_USER_CODE:
      path = accounts::kDeviceUserCodePath;
      break;
    case v1::AUTH_STEP_DEVICE_TOKEN:
      path = accounts::kDeviceTokenPath;
      break;
    default:
      return absl::InvalidArgumentError("unknown sign-in step");
  }
  HttpCall call;
  call.method = "POST";
  call.target = issuer->path + std::string(path);
  call.headers = {{"content-type", std::string(type)}, {"accept", "application/json"}};
  call.body = req.body();
  return Run(RunRaw(*std::move(issuer), std::move(call)), cancelled);
}

asio::awaitable<v1::RefreshAccountResponse> Prober::RunRaw(routing::Url base, HttpCall call) {
  const auto deadline = Clock::now() + opts_.request_timeout;
  HttpResult r = co_await Send(base, std::move(call), opts_.request_timeout, deadline);
  v1::RefreshAccountResponse resp;
  resp.set_status(r.status);
  resp.set_body(std::move(r.body));
  resp.set_error(std::move(r.error));
  co_return resp;
}

milliseconds Prober::RequestBound(uint32_t provider_timeout_ms) const {
  milliseconds bound = opts_.request_timeout;
  if (provider_timeout_ms > 0) bound = std::min(bound, milliseconds(provider_timeout_ms));
  return bound;
}

asio::awaitable<v1::TestProviderResponse> Prober::RunTest(v1::TestProviderRequest req) {
  const auto started = Clock::now();
  const auto deadline = started + opts_.test_timeout;
  const std::vector<std::string> secrets = SecretsOf(req.provider(), req.local_token());
  v1::TestProviderResponse resp;

  // 1. The config is usable.
  auto target = ResolveTarget(req.provider(), req.model(), /*need_model=*/true);
  v1::StepResult* config = resp.mutable_config();
  config->set_ok(target.ok());
  config->set_detail(target.ok() ? DescribeTarget(*target)
                                 : Scrub(Message(target.status()), secrets));
  config->set_elapsed_ms(MsSince(started));
  if (target.ok()) resp.set_model(target->model);

  // 2. The gateway answers its health check.
  co_await CheckGateway(req, deadline, resp.mutable_gateway());

  // 3. The provider answers the smallest real request.
  v1::StepResult* provider = resp.mutable_provider();
  const milliseconds bound = RequestBound(req.provider().timeout_ms());
  if (!target.ok()) {
    provider->set_skipped(true);
    provider->set_detail("not run: the config is not usable");
  } else {
    HttpResult r =
        co_await Send(target->base, GenerateCall(*target, Probe::kPing), bound, deadline);
    JudgePing(r, target->model, secrets, provider);
  }
  const bool answered = provider->ok();
  const std::string failed = target.ok() ? std::string("not run: the provider step failed")
                                         : std::string("not run: the config is not usable");

  // The pass-through endpoints, once the provider answered.
  if (!req.provider().anthropic_url().empty()) {
    v1::StepResult* out = resp.mutable_anthropic_endpoint();
    if (!answered) {
      SkipStep(out, failed);
    } else if (target->protocol == routing::Protocol::kAnthropicMessages) {
      SkipStep(out, "not used: the provider speaks Messages at its base URL");
    } else {
      co_await CheckEndpoint(*target, routing::Protocol::kAnthropicMessages, target->anthropic_url,
                             bound, deadline, secrets, out);
    }
  }
  if (!req.provider().responses_url().empty()) {
    v1::StepResult* out = resp.mutable_responses_endpoint();
    if (!answered) {
      SkipStep(out, failed);
    } else {
      co_await CheckEndpoint(*target, routing::Protocol::kOpenAiResponses, target->responses_url,
                             bound, deadline, secrets, out);
    }
  }

  // Every further key of the pool, on the native endpoint.
  if (const size_t keys = KeyCount(req.provider()); keys > 1) {
    *resp.add_keys() = FirstKeyResult(*provider, keys);
    for (size_t i = 1; i < keys; ++i) {
      v1::StepResult* out = resp.add_keys();
      if (!answered) {
        SkipStep(out, KeyPrefix(i, keys) + failed);
        continue;
      }
      const ProbeTarget with_key = WithKey(*target, i);
      HttpResult r =
          co_await Send(with_key.base, GenerateCall(with_key, Probe::kPing), bound, deadline);
      JudgePing(r, with_key.model, secrets, out);
      out->set_detail(KeyPrefix(i, keys) + (out->ok() ? std::string("ok") : out->detail()));
    }
  }

  // Then what was asked for, once the provider answered.
  const std::string not_run =
      answered ? std::string("not asked for") : std::string("not run: the provider step failed");
  if (!req.check_vision() || !answered) {
    Skip(resp.mutable_vision(), not_run);
  } else {
    co_await CheckVision(*target, bound, deadline, resp.mutable_vision());
  }
  if (!req.check_prompt_cache() || !answered) {
    Skip(resp.mutable_prompt_cache(), not_run);
  } else {
    co_await CheckPromptCache(*target, bound, deadline, resp.mutable_prompt_cache());
  }
  if (!req.list_models() || !answered) {
    resp.mutable_models()->set_skipped(true);
    resp.mutable_models()->set_detail(not_run);
  } else {
    co_await FetchModels(*target, bound, deadline, resp.mutable_models());
  }

  resp.set_ok(config->ok() && provider->ok() && (resp.gateway().ok() || resp.gateway().skipped()));
  resp.set_elapsed_ms(MsSince(started));
  co_return resp;
}

asio::awaitable<v1::ListModelsResponse> Prober::RunListModels(v1::ListModelsRequest req) {
  const auto deadline = Clock::now() + opts_.test_timeout;
  v1::ListModelsResponse resp;
  auto target = ResolveTarget(req.provider(), "", /*need_model=*/false);
  if (!target.ok()) {
    resp.set_detail(Scrub(Message(target.status()), SecretsOf(req.provider(), "")));
    co_return resp;
  }
  v1::ModelsResult models;
  co_await FetchModels(*target, RequestBound(req.provider().timeout_ms()), deadline, &models);
  resp.set_ok(models.ok());
  resp.set_detail(models.detail());
  *resp.mutable_models() = std::move(*models.mutable_models());
  co_return resp;
}

asio::awaitable<void> Prober::CheckGateway(const v1::TestProviderRequest& req,
                                           Clock::time_point deadline, v1::StepResult* out) {
  const std::string& address = req.gateway_address();
  if (address.empty()) {
    out->set_skipped(true);
    out->set_detail("no gateway address given");
    co_return;
  }
  const auto started = Clock::now();
  auto url = routing::ParseUrl("http://" + address);
  if (!url.ok()) {
    out->set_detail("bad gateway address: " + Message(url.status()));
    co_return;
  }
  HttpCall call;
  call.method = "GET";
  call.target = "/health";
  if (!req.local_token().empty()) {
    call.headers.emplace_back("authorization", "Bearer " + req.local_token());
  }
  HttpResult r = co_await Send(*url, call, opts_.gateway_timeout, deadline);
  const std::vector<std::string> secrets = SecretsOf(req.provider(), req.local_token());
  out->set_http_status(r.status);
  out->set_elapsed_ms(MsSince(started));
  const std::string where = "the gateway at " + address;
  if (r.status == 0) {
    out->set_detail(where + " did not answer: " + Scrub(r.error, secrets));
  } else if (r.status == 200) {
    out->set_ok(true);
    out->set_detail(where + " is up");
  } else {
    std::string status = HealthStatus(r.body);
    out->set_detail(where + " answered HTTP " + std::to_string(r.status) +
                    (status.empty() ? std::string() : " (" + Scrub(status, secrets) + ")"));
  }
}

asio::awaitable<void> Prober::CheckEndpoint(const ProbeTarget& t, routing::Protocol api,
                                            const std::string& url, milliseconds bound,
                                            Clock::time_point deadline,
                                            const std::vector<std::string>& secrets,
                                            v1::StepResult* out) {
  auto base = routing::ParseUrl(url);
  if (!base.ok()) {
    const std::string field =
        api == routing::Protocol::kAnthropicMessages ? "anthropic_url" : "responses_url";
    out->set_detail(Scrub("bad " + field + ": " + Message(base.status()), secrets));
    co_return;
  }
  const HttpCall call = EndpointCall(t, api, *base);
  const std::string where = base->Origin() + call.target;
  HttpResult r = co_await Send(*base, call, bound, deadline);
  JudgePing(r, t.model, secrets, out);
  out->set_detail(
      Scrub(out->ok() ? out->detail() + " at " + where : where + ": " + out->detail(), secrets));
}

asio::awaitable<void> Prober::CheckVision(const ProbeTarget& t, milliseconds bound,
                                          Clock::time_point deadline, v1::CapabilityResult* out) {
  HttpResult r = co_await Send(t.base, GenerateCall(t, Probe::kImage), bound, deadline);
  out->set_http_status(r.status);
  out->set_elapsed_ms(r.elapsed_ms);
  if (r.status == 0) {
    out->set_capability(admin::v1::CAPABILITY_UNKNOWN);
    out->set_detail("no answer to a request with an image: " + Scrub(r.error, t.secrets));
    co_return;
  }
  switch (ClassifyVision(r.status, r.body)) {
    case routing::Capability::kYes:
      out->set_capability(admin::v1::CAPABILITY_YES);
      out->set_detail("HTTP " + std::to_string(r.status) + ": the model took a 1x1 PNG");
      break;
    case routing::Capability::kNo:
      out->set_capability(admin::v1::CAPABILITY_NO);
      out->set_detail(HttpFailure(r, t.secrets));
      break;
    default:
      out->set_capability(admin::v1::CAPABILITY_UNKNOWN);
      out->set_detail(HttpFailure(r, t.secrets) + " (not an answer about images)");
      break;
  }
}

asio::awaitable<void> Prober::CheckPromptCache(const ProbeTarget& t, milliseconds bound,
                                               Clock::time_point deadline,
                                               v1::CapabilityResult* out) {
  const auto started = Clock::now();
  const HttpCall call = GenerateCall(t, Probe::kCachedPrompt);
  out->set_capability(admin::v1::CAPABILITY_UNKNOWN);
  HttpResult first = co_await Send(t.base, call, bound, deadline);
  out->set_http_status(first.status);
  if (!Is2xx(first.status)) {
    out->set_detail("the long prompt failed: " + Failure(first, t.secrets));
    out->set_elapsed_ms(MsSince(started));
    co_return;
  }
  const CacheCounts c1 = ParseCacheCounts(t.protocol, first.body);
  HttpResult second = co_await Send(t.base, call, bound, deadline);
  out->set_http_status(second.status);
  out->set_elapsed_ms(MsSince(started));
  CacheCounts c2;
  std::string second_failed;
  if (Is2xx(second.status)) {
    c2 = ParseCacheCounts(t.protocol, second.body);
  } else {
    second_failed = "; the repeated prompt failed: " + Failure(second, t.secrets);
  }
  // A read on the first request is evidence too: an earlier test left the prompt cached.
  if (c2.read > 0 || c1.written > 0 || c1.read > 0) {
    out->set_capability(admin::v1::CAPABILITY_YES);
    out->set_detail("cached tokens: first request wrote " + std::to_string(c1.written) +
                    " and read " + std::to_string(c1.read) + ", repeat read " +
                    std::to_string(c2.read) + second_failed);
  } else if (!c1.usage) {
    out->set_detail("the answers carry no usage, so caching cannot be seen" + second_failed);
  } else {
    out->set_detail("no cached tokens reported by two identical long prompts" + second_failed);
  }
}

asio::awaitable<void> Prober::FetchModels(const ProbeTarget& t, milliseconds bound,
                                          Clock::time_point deadline, v1::ModelsResult* out) {
  const auto started = Clock::now();
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  bool truncated = false;
  for (;;) {
    HttpResult r = co_await Send(t.base, ModelsCall(t, token), bound, deadline);
    if (!Is2xx(r.status)) {
      out->set_detail("the model list failed: " + Failure(r, t.secrets));
      out->set_elapsed_ms(MsSince(started));
      co_return;
    }
    auto page = ParseModelPage(t.protocol, r.body);
    if (!page.ok()) {
      out->set_detail(Message(page.status()) + ": " + BodySnippet(r.body, 200, t.secrets));
      out->set_elapsed_ms(MsSince(started));
      co_return;
    }
    ++pages;
    ids.insert(ids.end(), page->ids.begin(), page->ids.end());
    if (page->next_page_token.empty() || page->next_page_token == token) break;
    if (pages >= kMaxModelPages) {
      truncated = true;
      break;
    }
    token = page->next_page_token;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  out->set_ok(true);
  for (auto& id : ids) out->add_models(std::move(id));
  std::string detail = std::to_string(out->models_size()) + " models";
  if (pages > 1) detail += " in " + std::to_string(pages) + " pages";
  if (truncated) detail += " (stopped after " + std::to_string(kMaxModelPages) + " pages)";
  out->set_detail(detail);
  out->set_elapsed_ms(MsSince(started));
}

asio::awaitable<Prober::HttpResult> Prober::Send(const routing::Url& base, HttpCall call,
                                                 milliseconds bound, Clock::time_point deadline) {
  const auto started = Clock::now();
  const bool test_limit = deadline < started + bound;
  const auto until = test_limit ? deadline : started + bound;
  const std::string time_out =
      test_limit
          ? "the test's time limit of " + std::to_string(opts_.test_timeout.count()) + " ms ran out"
          : "no answer within " + std::to_string(bound.count()) + " ms";
  HttpResult r;
  http::request<http::string_body> msg = BuildRequest(base, call);
  // A pooled connection the peer closed while it was idle fails at once: one more round on a
  // fresh connection.
  for (int round = 0; round < 2; ++round) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now());
    if (left.count() <= 0) {
      r.error = time_out;
      break;
    }
    auto conn_or = co_await pool_->Acquire(base, left);
    if (!conn_or.ok()) {
      r.error = absl::IsDeadlineExceeded(conn_or.status()) ? time_out + " (connecting)"
                                                           : Message(conn_or.status());
      break;
    }
    std::unique_ptr<net::UpstreamConnection> conn = *std::move(conn_or);
    const bool reused = conn->reused;
    conn->tcp().expires_at(until);
    auto [wec, wn] =
        co_await OnStream(*conn, [&](auto& s) { return http::async_write(s, msg, kUse); });
    if (wec) {
      if (reused && wec != beast::error::timeout) continue;
      r.error = wec == beast::error::timeout
                    ? time_out
                    : "sending to " + base.Origin() + " failed: " + wec.message();
      break;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    auto [rec, rn] = co_await OnStream(
        *conn, [&](auto& s) { return http::async_read(s, conn->buffer, parser, kUse); });
    if (rec) {
      if (reused && !parser.got_some() && rec != beast::error::timeout) continue;
      if (rec == beast::error::timeout) {
        r.error = time_out;
      } else if (rec == http::error::body_limit) {
        r.error = base.Origin() + " answered with more than " +
                  std::to_string(kMaxBody / (1024 * 1024)) + " MB";
      } else {
        r.error = base.Origin() + " closed the connection: " + rec.message();
      }
      break;
    }
    r.status = parser.get().result_int();
    r.body = std::move(parser.get().body());
    if (parser.keep_alive()) {
      conn->tcp().expires_never();
      pool_->Release(std::move(conn));
    }
    break;
  }
  r.elapsed_ms = MsSince(started);
  co_return r;
}

}  // namespace agentgate::probe
