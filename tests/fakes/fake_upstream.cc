#include "tests/fakes/fake_upstream.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace agentgate::fakes {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

constexpr std::size_t kBodyLimit = 64u * 1024 * 1024;
constexpr std::uint32_t kHeaderLimit = 1024 * 1024;
constexpr std::int64_t kCreated = 1700000000;
constexpr const char* kServerName = "agentgate-fake-upstream";
constexpr int kUsagePrompt = 11;
constexpr int kUsageCompletion = 5;
constexpr int kUsageCached = 3;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

json::object UsageJson(int prompt, int completion, int cached) {
  return json::object{{"prompt_tokens", prompt},
                      {"completion_tokens", completion},
                      {"total_tokens", prompt + completion},
                      {"prompt_tokens_details", json::object{{"cached_tokens", cached}}}};
}

std::string ErrorJson(std::string_view message, std::string_view type, json::value code) {
  json::object err{{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}};
  return json::serialize(json::object{{"error", std::move(err)}});
}

std::string Frame(const json::value& v) { return "data: " + json::serialize(v) + "\n\n"; }

// Splits text into exactly n pieces (n >= 1) of roughly equal code point counts, never
// splitting a UTF-8 sequence. Pieces may be empty when the text is shorter than n.
std::vector<std::string> SplitText(const std::string& text, int n) {
  n = std::max(n, 1);
  std::vector<std::size_t> starts;  // byte offset of each code point
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  const std::size_t cps = starts.size();
  auto offset = [&](std::size_t cp) { return cp >= cps ? text.size() : starts[cp]; };
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const std::size_t b = offset(cps * static_cast<std::size_t>(i) / static_cast<std::size_t>(n));
    const std::size_t e =
        offset(cps * static_cast<std::size_t>(i + 1) / static_cast<std::size_t>(n));
    out.push_back(text.substr(b, e - b));
  }
  return out;
}

ScriptedResponse ErrorResponse(int status, std::string body) {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

std::string ChatCompletionJson(const std::string& model, const std::string& content,
                               int prompt_tokens, int completion_tokens, int cached_tokens) {
  json::object message{{"role", "assistant"}, {"content", content}, {"refusal", nullptr}};
  json::object choice{{"index", 0},
                      {"message", std::move(message)},
                      {"logprobs", nullptr},
                      {"finish_reason", "stop"}};
  json::object root{{"id", "chatcmpl-fake"},
                    {"object", "chat.completion"},
                    {"created", kCreated},
                    {"model", model},
                    {"choices", json::array{std::move(choice)}},
                    {"usage", UsageJson(prompt_tokens, completion_tokens, cached_tokens)},
                    {"system_fingerprint", "fp_fake"}};
  return json::serialize(root);
}

std::vector<std::string> ChatCompletionStream(const std::string& model,
                                              const std::vector<std::string>& deltas,
                                              bool include_usage) {
  auto chunk = [&](json::value choices) {
    json::object o{{"id", "chatcmpl-fake"},
                   {"object", "chat.completion.chunk"},
                   {"created", kCreated},
                   {"model", model},
                   {"system_fingerprint", "fp_fake"},
                   {"choices", std::move(choices)}};
    if (include_usage) o["usage"] = nullptr;  // as OpenAI does when usage is requested
    return o;
  };
  auto choice = [](json::object delta, json::value finish_reason) {
    return json::array{json::object{{"index", 0},
                                    {"delta", std::move(delta)},
                                    {"logprobs", nullptr},
                                    {"finish_reason", std::move(finish_reason)}}};
  };
  std::vector<std::string> frames;
  frames.reserve(deltas.size() + 4);
  frames.push_back(
      Frame(chunk(choice(json::object{{"role", "assistant"}, {"content", ""}}, nullptr))));
  for (const auto& d : deltas) {
    frames.push_back(Frame(chunk(choice(json::object{{"content", d}}, nullptr))));
  }
  frames.push_back(Frame(chunk(choice(json::object{}, "stop"))));
  if (include_usage) {
    json::object u = chunk(json::array{});
    u["usage"] = UsageJson(kUsagePrompt, kUsageCompletion, kUsageCached);
    frames.push_back(Frame(u));
  }
  frames.push_back("data: [DONE]\n\n");
  return frames;
}

std::string ChatToolCallJson(const std::string& model, const std::string& call_id,
                             const std::string& name, const std::string& arguments) {
  json::object fn{{"name", name}, {"arguments", arguments}};
  json::object call{{"id", call_id}, {"type", "function"}, {"function", std::move(fn)}};
  json::object message{
      {"role", "assistant"}, {"content", nullptr}, {"tool_calls", json::array{std::move(call)}}};
  json::object choice{{"index", 0},
                      {"message", std::move(message)},
                      {"logprobs", nullptr},
                      {"finish_reason", "tool_calls"}};
  json::object root{{"id", "chatcmpl-fake"},
                    {"object", "chat.completion"},
                    {"created", kCreated},
                    {"model", model},
                    {"choices", json::array{std::move(choice)}},
                    {"usage", UsageJson(kUsagePrompt, kUsageCompletion, kUsageCached)}};
  return json::serialize(root);
}

std::vector<std::string> ChatToolCallStream(const std::string& model, const std::string& call_id,
                                            const std::string& name, const std::string& arguments,
                                            bool include_usage) {
  auto chunk = [&](json::object delta, json::value finish) {
    json::object o{{"id", "chatcmpl-fake"},
                   {"object", "chat.completion.chunk"},
                   {"created", kCreated},
                   {"model", model},
                   {"choices", json::array{json::object{{"index", 0},
                                                        {"delta", std::move(delta)},
                                                        {"finish_reason", std::move(finish)}}}}};
    return Frame(o);
  };
  std::vector<std::string> frames;
  frames.push_back(chunk(json::object{{"role", "assistant"}, {"content", nullptr}}, nullptr));
  size_t half = arguments.size() / 2;
  json::object first{
      {"index", 0},
      {"id", call_id},
      {"type", "function"},
      {"function", json::object{{"name", name}, {"arguments", arguments.substr(0, half)}}}};
  frames.push_back(chunk(json::object{{"tool_calls", json::array{std::move(first)}}}, nullptr));
  json::object rest{{"index", 0},
                    {"function", json::object{{"arguments", arguments.substr(half)}}}};
  frames.push_back(chunk(json::object{{"tool_calls", json::array{std::move(rest)}}}, nullptr));
  frames.push_back(chunk(json::object{}, "tool_calls"));
  if (include_usage) {
    json::object u{{"id", "chatcmpl-fake"},
                   {"object", "chat.completion.chunk"},
                   {"created", kCreated},
                   {"model", model},
                   {"choices", json::array{}},
                   {"usage", UsageJson(kUsagePrompt, kUsageCompletion, kUsageCached)}};
    frames.push_back(Frame(u));
  }
  frames.push_back("data: [DONE]\n\n");
  return frames;
}

namespace {

// The text of a Chat message's content (a string or an array of text parts).
std::string ContentText(const json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string out;
  if (content.is_array()) {
    for (const auto& p : content.get_array()) {
      if (!p.is_object()) continue;
      if (auto* t = p.get_object().if_contains("text"); t && t->is_string()) {
        out += std::string(t->get_string()) + "\n";
      }
    }
  }
  return out;
}

// What a scripted agent turn should be, for the real clients' end-to-end runs: the text of a
// tool result to quote, or a tool call to make (name + JSON arguments), or neither.
struct AgentTurn {
  std::string quote;      // non-empty: the conversation ends with this tool result
  std::string tool_name;  // non-empty: call this tool
  std::string tool_args;
};

AgentTurn PlanAgentTurn(const json::object& body) {
  AgentTurn turn;
  const auto* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array() || messages->get_array().empty()) return turn;
  // The newest user or tool message (clients add system reminders after it).
  const auto& msgs = messages->get_array();
  const json::value* found = nullptr;
  std::string role;
  for (auto it = msgs.rbegin(); it != msgs.rend() && found == nullptr; ++it) {
    if (!it->is_object()) continue;
    auto* r = it->get_object().if_contains("role");
    std::string rr = r && r->is_string() ? std::string(r->get_string()) : "";
    if (rr == "user" || rr == "tool" || rr == "assistant") {
      found = &*it;
      role = rr;
    }
  }
  if (found == nullptr) return turn;
  const json::value& last = *found;
  if (role == "tool") {
    const auto* c = last.get_object().if_contains("content");
    turn.quote = c ? ContentText(*c) : "";
    if (turn.quote.empty()) turn.quote = "(empty)";
    return turn;
  }
  if (role != "user") return turn;
  const auto* c = last.get_object().if_contains("content");
  std::string text = c ? ContentText(*c) : "";
  constexpr std::string_view kMarker = "read the file ";
  size_t at = text.find(kMarker);
  if (at == std::string::npos) return turn;
  size_t start = at + kMarker.size();
  size_t end = text.find_first_of(" \n\t'\"", start);
  std::string path = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  while (!path.empty() && (path.back() == '.' || path.back() == ',')) path.pop_back();
  const auto* tools = body.if_contains("tools");
  if (tools == nullptr || !tools->is_array()) return turn;
  std::map<std::string, std::string> offered;  // name -> the argument it takes
  for (const auto& t : tools->get_array()) {
    const auto* fn = t.is_object() ? t.get_object().if_contains("function") : nullptr;
    if (fn == nullptr || !fn->is_object()) continue;
    const auto* name = fn->get_object().if_contains("name");
    if (name && name->is_string()) offered[std::string(name->get_string())] = "";
  }
  // File readers first, then shells; each client names them differently.
  const std::pair<const char*, const char*> kReaders[] = {
      {"Read", "file_path"}, {"read_file", "file_path"}, {"read", "filePath"}};
  for (const auto& [name, arg] : kReaders) {
    if (offered.count(name)) {
      turn.tool_name = name;
      turn.tool_args = json::serialize(json::object{{arg, path}});
      return turn;
    }
  }
  const std::pair<const char*, const char*> kShells[] = {{"exec_command", "cmd"},
                                                         {"shell", "command"},
                                                         {"bash", "command"},
                                                         {"Bash", "command"},
                                                         {"run_shell_command", "command"}};
  for (const auto& [name, arg] : kShells) {
    if (offered.count(name)) {
      turn.tool_name = name;
      turn.tool_args = json::serialize(json::object{{arg, "cat " + path}});
      return turn;
    }
  }
  return turn;
}

}  // namespace

struct FakeUpstream::Impl {
  // Scripting / recording state, shared with the I/O threads.
  mutable std::mutex mu;
  std::deque<ScriptedResponse> script;
  std::vector<ReceivedRequest> received;
  int stream_deltas = 4;
  std::chrono::milliseconds stream_interval{0};

  std::string host;
  int port = 0;

  // Destruction order matters: everything bound to the io_context is declared after it.
  std::unique_ptr<asio::io_context> ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;

  void Start(const std::string& h, int p);
  void Stop();

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Session(tcp::socket sock);
  asio::awaitable<bool> Respond(tcp::socket& sock, const http::request<http::string_body>& req,
                                const ScriptedResponse& r);
  ScriptedResponse NextResponse(const http::request<http::string_body>& req);
  ScriptedResponse DefaultResponse(const http::request<http::string_body>& req);
};

void FakeUpstream::Impl::Start(const std::string& h, int p) {
  host = h;
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const int nthreads = static_cast<int>(std::clamp(hw, 2u, 4u));
  ioc = std::make_unique<asio::io_context>(nthreads);
  work.emplace(ioc->get_executor());

  tcp::resolver resolver(*ioc);
  auto results = resolver.resolve(host, std::to_string(p),
                                  tcp::resolver::numeric_service | tcp::resolver::passive);
  if (results.empty()) throw std::runtime_error("fake upstream: cannot resolve " + host);
  const tcp::endpoint ep = results.begin()->endpoint();
  acceptor.emplace(*ioc);
  acceptor->open(ep.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  acceptor->bind(ep);
  acceptor->listen(asio::socket_base::max_listen_connections);
  port = acceptor->local_endpoint().port();

  asio::co_spawn(ioc->get_executor(), AcceptLoop(), asio::detached);
  threads.reserve(static_cast<std::size_t>(nthreads));
  for (int i = 0; i < nthreads; ++i) {
    threads.emplace_back([this] {
      for (;;) {
        try {
          ioc->run();
          return;
        } catch (...) {
          // A handler threw; keep serving.
        }
      }
    });
  }
}

void FakeUpstream::Impl::Stop() {
  if (!ioc) return;
  work.reset();
  // Stopping the io_context makes run() return promptly even with accepts, reads, writes and
  // timers pending; the pending coroutines (and their sockets) are destroyed with the context.
  ioc->stop();
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
  threads.clear();
  acceptor.reset();
  ioc.reset();
}

asio::awaitable<void> FakeUpstream::Impl::AcceptLoop() {
  for (;;) {
    auto [ec, sock] = co_await acceptor->async_accept(asio::make_strand(*ioc), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      // Transient failure (e.g. EMFILE): back off briefly and retry.
      asio::steady_timer t(co_await asio::this_coro::executor);
      t.expires_after(std::chrono::milliseconds(10));
      co_await t.async_wait(kTuple);
      continue;
    }
    boost::system::error_code ignored;
    sock.set_option(tcp::no_delay(true), ignored);
    auto ex = sock.get_executor();
    asio::co_spawn(ex, Session(std::move(sock)), asio::detached);
  }
}

asio::awaitable<void> FakeUpstream::Impl::Session(tcp::socket sock) {
  try {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kBodyLimit);
      parser.header_limit(kHeaderLimit);
      auto [ec, n] = co_await http::async_read_header(sock, buffer, parser, kTuple);
      if (ec) break;  // EOF, reset, or malformed request
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [wec, wn] = co_await asio::async_write(sock, asio::buffer(kContinue), kTuple);
        if (wec) break;
      }
      if (!parser.is_done()) {
        auto [rec, rn] = co_await http::async_read(sock, buffer, parser, kTuple);
        if (rec == http::error::body_limit) {
          http::response<http::string_body> res{http::status::payload_too_large, 11};
          res.set(http::field::server, kServerName);
          res.set(http::field::content_type, "application/json");
          res.body() = ErrorJson("request body too large", "invalid_request_error", nullptr);
          res.keep_alive(false);
          res.prepare_payload();
          co_await http::async_write(sock, res, kTuple);
          break;
        }
        if (rec) break;
      }
      http::request<http::string_body> req = parser.release();
      const ScriptedResponse r = NextResponse(req);  // records the request first
      if (!co_await Respond(sock, req, r)) break;
    }
  } catch (const std::exception&) {
    // Connection-level failure: fall through and close.
  }
  boost::system::error_code ignored;
  sock.shutdown(tcp::socket::shutdown_send, ignored);
  sock.close(ignored);
}

ScriptedResponse FakeUpstream::Impl::NextResponse(const http::request<http::string_body>& req) {
  ReceivedRequest rec;
  rec.method = std::string(req.method_string());
  rec.target = std::string(req.target());
  for (const auto& f : req) {
    auto [it, inserted] = rec.headers.emplace(Lower(f.name_string()), std::string(f.value()));
    if (!inserted) {
      it->second += ", ";
      it->second += f.value();
    }
  }
  rec.body = req.body();
  {
    std::lock_guard lock(mu);
    received.push_back(std::move(rec));
    if (!script.empty()) {
      ScriptedResponse r = std::move(script.front());
      script.pop_front();
      return r;
    }
  }
  return DefaultResponse(req);
}

ScriptedResponse FakeUpstream::Impl::DefaultResponse(const http::request<http::string_body>& req) {
  std::string_view target = req.target();
  std::string_view path = target.substr(0, target.find('?'));
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);

  if (req.method() == http::verb::get && EndsWith(path, "/models")) {
    json::object model{
        {"id", "fake-model"}, {"object", "model"}, {"created", 0}, {"owned_by", "fake"}};
    ScriptedResponse r;
    r.body = json::serialize(json::object{{"object", "list"}, {"data", json::array{model}}});
    return r;
  }

  if (req.method() != http::verb::post || !EndsWith(path, "/chat/completions")) {
    std::string msg = "Unknown request URL: " + std::string(req.method_string()) + " " +
                      std::string(target) + ".";
    return ErrorResponse(404, ErrorJson(msg, "invalid_request_error", "unknown_url"));
  }

  boost::system::error_code ec;
  json::value body = json::parse(req.body(), ec);
  if (ec || !body.is_object()) {
    std::string msg = "We could not parse the JSON body of your request. (" +
                      (ec ? ec.message() : std::string("expected a JSON object")) + ")";
    return ErrorResponse(400, ErrorJson(msg, "invalid_request_error", nullptr));
  }
  const json::object& obj = body.get_object();
  std::string model;
  if (auto* m = obj.if_contains("model"); m && m->is_string()) model = m->get_string();
  bool stream = false;
  if (auto* s = obj.if_contains("stream"); s && s->is_bool()) stream = s->get_bool();
  bool include_usage = false;
  if (auto* so = obj.if_contains("stream_options"); so && so->is_object()) {
    if (auto* iu = so->get_object().if_contains("include_usage"); iu && iu->is_bool()) {
      include_usage = iu->get_bool();
    }
  }
  AgentTurn turn = PlanAgentTurn(obj);
  const std::string content =
      turn.quote.empty() ? "pong from " + model : "The tool returned: " + turn.quote;

  ScriptedResponse r;
  if (!turn.tool_name.empty()) {
    const std::string call_id = "call_fake_1";
    if (!stream) {
      r.body = ChatToolCallJson(model, call_id, turn.tool_name, turn.tool_args);
    } else {
      r.content_type = "text/event-stream";
      r.stream_chunks =
          ChatToolCallStream(model, call_id, turn.tool_name, turn.tool_args, include_usage);
    }
    return r;
  }
  if (!stream) {
    r.body = ChatCompletionJson(model, content, kUsagePrompt, kUsageCompletion, kUsageCached);
    return r;
  }
  int deltas;
  {
    std::lock_guard lock(mu);
    deltas = stream_deltas;
    r.chunk_interval = stream_interval;
  }
  r.content_type = "text/event-stream";
  r.stream_chunks = ChatCompletionStream(model, SplitText(content, deltas), include_usage);
  return r;
}

asio::awaitable<bool> FakeUpstream::Impl::Respond(tcp::socket& sock,
                                                  const http::request<http::string_body>& req,
                                                  const ScriptedResponse& r) {
  boost::system::error_code ignored;
  if (r.close_without_response) {
    sock.close(ignored);
    co_return false;
  }
  if (r.delay_before_headers.count() > 0) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(r.delay_before_headers);
    co_await t.async_wait(kTuple);
  }

  bool keep_alive = req.keep_alive();
  auto fill_headers = [&](http::fields& h, std::string_view content_type) {
    h.set(http::field::server, kServerName);
    h.set(http::field::content_type, content_type);
    for (const auto& [name, value] : r.headers) {
      if (beast::iequals(name, "content-type")) {
        h.set(http::field::content_type, value);
      } else if (beast::iequals(name, "connection")) {
        if (beast::iequals(value, "close")) keep_alive = false;
      } else {
        h.insert(name, value);
      }
    }
  };

  if (r.stream_chunks.empty()) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), req.version()};
    fill_headers(res, r.content_type);
    res.body() = r.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (r.cut_after_chunks >= 0) {
      http::response_serializer<http::string_body> sr{res};
      auto [ec, n] = co_await http::async_write_header(sock, sr, kTuple);
      if (!ec) {
        co_await asio::async_write(sock, asio::buffer(r.body.data(), r.body.size() / 2), kTuple);
      }
      sock.close(ignored);
      co_return false;
    }
    auto [ec, n] = co_await http::async_write(sock, res, kTuple);
    co_return !ec && keep_alive;
  }

  http::response<http::empty_body> res{static_cast<http::status>(r.status), 11};
  fill_headers(res, r.content_type == "application/json" ? "text/event-stream" : r.content_type);
  res.set(http::field::cache_control, "no-cache");
  res.keep_alive(keep_alive);
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  if (auto [ec, n] = co_await http::async_write_header(sock, sr, kTuple); ec) co_return false;

  for (std::size_t i = 0; i < r.stream_chunks.size(); ++i) {
    if (r.cut_after_chunks >= 0 && i == static_cast<std::size_t>(r.cut_after_chunks)) {
      sock.close(ignored);
      co_return false;
    }
    if (i > 0 && r.chunk_interval.count() > 0) {
      asio::steady_timer t(co_await asio::this_coro::executor);
      t.expires_after(r.chunk_interval);
      co_await t.async_wait(kTuple);
    }
    const std::string& c = r.stream_chunks[i];
    if (c.empty()) continue;  // an empty chunk would terminate the body
    auto [ec, n] = co_await asio::async_write(sock, http::make_chunk(asio::buffer(c)), kTuple);
    if (ec) co_return false;
  }
  if (r.cut_after_chunks >= 0) {  // cut after all chunks: still no terminating chunk
    sock.close(ignored);
    co_return false;
  }
  auto [ec, n] = co_await asio::async_write(sock, http::make_chunk_last(), kTuple);
  co_return !ec && keep_alive;
}

FakeUpstream::FakeUpstream() : FakeUpstream("127.0.0.1", 0) {}

FakeUpstream::FakeUpstream(std::string host, int port) : impl_(std::make_unique<Impl>()) {
  try {
    impl_->Start(host, port);
  } catch (...) {
    impl_->Stop();
    throw;
  }
}

FakeUpstream::~FakeUpstream() { impl_->Stop(); }

int FakeUpstream::port() const { return impl_->port; }

std::string FakeUpstream::base_url() const {
  const std::string& h = impl_->host;
  const bool v6 = h.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + h + "]" : h) + ":" + std::to_string(impl_->port);
}

void FakeUpstream::Enqueue(ScriptedResponse r) {
  std::lock_guard lock(impl_->mu);
  impl_->script.push_back(std::move(r));
}

std::vector<ReceivedRequest> FakeUpstream::Received() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received;
}

size_t FakeUpstream::ReceivedCount() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received.size();
}

void FakeUpstream::ClearReceived() {
  std::lock_guard lock(impl_->mu);
  impl_->received.clear();
}

void FakeUpstream::SetStreamShape(int deltas, std::chrono::milliseconds interval) {
  std::lock_guard lock(impl_->mu);
  impl_->stream_deltas = std::max(deltas, 1);
  impl_->stream_interval = interval;
}

}  // namespace agentgate::fakes
