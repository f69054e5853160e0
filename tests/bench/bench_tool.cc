// agentgate-bench: the pieces of the benchmark suite that wrk and nginx do not provide.
//
//   agentgate-bench bodies DIR
//       Writes the request bodies: {chat,messages,responses}_{small,large}[_stream].json. "small"
//       is one user message; "large" is a realistic coding-agent turn (about 45 KB: 40 messages
//       of history with tool calls and results, 10 tools). Non-streaming bodies name the model
//       "static", streaming ones "stream".
//
//   agentgate-bench stream --port P --path PATH --body FILE [--header "K: V"]...
//                          [--connections C] [--requests N] [--ready-file F] [--deltas D]
//       Streams N requests over C keep-alive connections (all C at once) and prints one line of
//       JSON: time to first event (p50, p99, µs); the gap between the arrivals of consecutive
//       content deltas (mean, p50, p99, µs), each delta found by its text "w01 " … "wDD " (the
//       fake upstream's --answer of run.sh), whatever protocol frames it; the fewest separate
//       reads the D deltas arrived in (D: none held back); bursts (reads with events) and
//       events per stream; errors. --ready-file is written once every connection has its first
//       event (so a script can sample memory with C streams open).
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace bj = boost::json;
using Clock = std::chrono::steady_clock;
constexpr auto kUse = asio::as_tuple(asio::use_awaitable);

// ---------------------------------------------------------------------------------------------
// Bodies

// About 1 KB of code-like text that differs per index (so nothing compresses to a pattern).
std::string CodeText(int i) {
  std::string s = "```cpp\n// file src/module_" + std::to_string(i) + ".cc\n";
  for (int line = 0; line < 18; ++line) {
    s += "int Function" + std::to_string(i) + "_" + std::to_string(line) +
         "(const std::vector<int>& values) { return values.size() > " + std::to_string(line) +
         " ? values[" + std::to_string(line) + "] : 0; }\n";
  }
  return s + "```\n";
}

struct Tool {
  std::string name;
  std::string description;
  bj::object schema;
};

std::vector<Tool> Tools() {
  std::vector<Tool> tools;
  const char* names[] = {"read_file", "write_file", "edit_file", "list_dir", "glob",
                         "grep",      "shell",      "web_fetch", "todo",     "ask_user"};
  for (int i = 0; i < 10; ++i) {
    bj::object props;
    for (int p = 0; p < 4; ++p) {
      props["param_" + std::to_string(p)] = bj::object{
          {"type", p % 2 ? "integer" : "string"},
          {"description", "Parameter " + std::to_string(p) + " of " + names[i] +
                              ": what it means, its limits, and an example of its use."}};
    }
    tools.push_back({names[i],
                     std::string("Tool ") + names[i] +
                         ". Use it when the task needs it; it returns text. Long descriptions are "
                         "what real agents send, so this one is long too, about three lines.",
                     bj::object{{"type", "object"},
                                {"properties", std::move(props)},
                                {"required", bj::array{"param_0"}}}});
  }
  return tools;
}

// The large conversation: a user task, then 19 rounds of (assistant tool call, tool result),
// then a last user message: 40 messages.
struct Turn {
  enum Kind { kUser, kCall, kResult } kind;
  std::string text;
  std::string call_id;
  std::string tool;
};

std::vector<Turn> Conversation(bool large) {
  std::vector<Turn> turns;
  if (!large) {
    turns.push_back({Turn::kUser, "Say pong.", "", ""});
    return turns;
  }
  turns.push_back({Turn::kUser, "Refactor the module loader and keep the tests green.", "", ""});
  for (int i = 0; i < 19; ++i) {
    std::string id = "call_" + std::to_string(i);
    turns.push_back({Turn::kCall, R"({"param_0":"src/module_)" + std::to_string(i) + R"(.cc"})", id,
                     "read_file"});
    turns.push_back({Turn::kResult, CodeText(i), id, "read_file"});
  }
  turns.push_back({Turn::kUser, "Now write the summary of what you changed.", "", ""});
  return turns;
}

const char* kSystem =
    "You are a coding agent. You read files, run commands and edit code to finish the user's "
    "task. Be concise. Prefer small, verified steps.";

bj::object ChatBody(bool large, bool stream) {
  bj::array messages{bj::object{{"role", "system"}, {"content", kSystem}}};
  for (const auto& t : Conversation(large)) {
    if (t.kind == Turn::kUser) {
      messages.push_back(bj::object{{"role", "user"}, {"content", t.text}});
    } else if (t.kind == Turn::kCall) {
      messages.push_back(bj::object{
          {"role", "assistant"},
          {"content", nullptr},
          {"tool_calls", bj::array{bj::object{
                             {"id", t.call_id},
                             {"type", "function"},
                             {"function", bj::object{{"name", t.tool}, {"arguments", t.text}}}}}}});
    } else {
      messages.push_back(
          bj::object{{"role", "tool"}, {"tool_call_id", t.call_id}, {"content", t.text}});
    }
  }
  bj::object body{{"model", stream ? "stream" : "static"}, {"messages", std::move(messages)}};
  if (large) {
    bj::array tools;
    for (const auto& t : Tools()) {
      tools.push_back(bj::object{{"type", "function"},
                                 {"function", bj::object{{"name", t.name},
                                                         {"description", t.description},
                                                         {"parameters", t.schema}}}});
    }
    body["tools"] = std::move(tools);
  }
  body["max_tokens"] = 1024;
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = bj::object{{"include_usage", true}};
  }
  return body;
}

bj::object MessagesBody(bool large, bool stream) {
  bj::array messages;
  for (const auto& t : Conversation(large)) {
    bj::object msg;
    if (t.kind == Turn::kUser) {
      msg["role"] = "user";
      msg["content"] = t.text;
    } else if (t.kind == Turn::kCall) {
      bj::object use;
      use["type"] = "tool_use";
      use["id"] = t.call_id;
      use["name"] = t.tool;
      use["input"] = bj::parse(t.text);
      msg["role"] = "assistant";
      msg["content"] = bj::array{std::move(use)};
    } else {
      bj::object result;
      result["type"] = "tool_result";
      result["tool_use_id"] = t.call_id;
      result["content"] = t.text;
      msg["role"] = "user";
      msg["content"] = bj::array{std::move(result)};
    }
    messages.push_back(std::move(msg));
  }
  bj::object body{{"model", stream ? "stream" : "static"},
                  {"max_tokens", 1024},
                  {"system", bj::array{bj::object{{"type", "text"}, {"text", kSystem}}}},
                  {"messages", std::move(messages)}};
  if (large) {
    bj::array tools;
    for (const auto& t : Tools()) {
      tools.push_back(
          bj::object{{"name", t.name}, {"description", t.description}, {"input_schema", t.schema}});
    }
    body["tools"] = std::move(tools);
  }
  if (stream) body["stream"] = true;
  return body;
}

bj::object ResponsesBody(bool large, bool stream) {
  bj::array input;
  for (const auto& t : Conversation(large)) {
    if (t.kind == Turn::kUser) {
      input.push_back(
          bj::object{{"type", "message"},
                     {"role", "user"},
                     {"content", bj::array{bj::object{{"type", "input_text"}, {"text", t.text}}}}});
    } else if (t.kind == Turn::kCall) {
      input.push_back(bj::object{{"type", "function_call"},
                                 {"call_id", t.call_id},
                                 {"name", t.tool},
                                 {"arguments", t.text}});
    } else {
      input.push_back(
          bj::object{{"type", "function_call_output"}, {"call_id", t.call_id}, {"output", t.text}});
    }
  }
  bj::object body{{"model", stream ? "stream" : "static"},
                  {"instructions", kSystem},
                  {"input", std::move(input)},
                  {"stream", stream}};
  if (large) {
    bj::array tools;
    for (const auto& t : Tools()) {
      tools.push_back(bj::object{{"type", "function"},
                                 {"name", t.name},
                                 {"description", t.description},
                                 {"parameters", t.schema}});
    }
    body["tools"] = std::move(tools);
  }
  return body;
}

int WriteBodies(const std::string& dir) {
  struct Out {
    std::string name;
    bj::object body;
  };
  std::vector<Out> outs;
  for (bool large : {false, true}) {
    for (bool stream : {false, true}) {
      std::string suffix = std::string(large ? "_large" : "_small") + (stream ? "_stream" : "");
      outs.push_back({"chat" + suffix, ChatBody(large, stream)});
      outs.push_back({"messages" + suffix, MessagesBody(large, stream)});
      outs.push_back({"responses" + suffix, ResponsesBody(large, stream)});
    }
  }
  for (const auto& o : outs) {
    std::ofstream f(dir + "/" + o.name + ".json", std::ios::trunc);
    f << bj::serialize(o.body);
    if (!f) {
      std::cerr << "cannot write " << dir << "/" << o.name << ".json\n";
      return 1;
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Streaming load

struct StreamOptions {
  int port = 0;
  std::string path;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int connections = 1;
  int requests = 1;
  std::string ready_file;
  int deltas = 64;
};

// The text of content delta k (1-based) of the answer run.sh gives the fake upstream.
std::string DeltaMarker(int k) {
  char m[8];
  std::snprintf(m, sizeof m, "w%02d ", k);
  return m;
}

struct Totals {
  std::vector<double> ttfb_us;
  std::vector<double> gap_us;    // between consecutive deltas
  std::vector<int> delta_reads;  // per stream: distinct reads the deltas arrived in
  std::vector<int> bursts;
  std::vector<int> events;
  int errors = 0;
  std::string last_error;
  int first_event_connections = 0;
};

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// Whole microseconds: plain integers in the JSON, for a shell script to read.
int64_t Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return std::llround(v[std::min(i, v.size() - 1)]);
}

asio::awaitable<void> Worker(const StreamOptions& o, int requests, Totals& t) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream stream(ex);
  auto [cec] = co_await stream.socket().async_connect(
      {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(o.port)}, kUse);
  if (cec) {
    ++t.errors;
    t.last_error = "connect: " + cec.message();
    co_return;
  }
  stream.socket().set_option(asio::ip::tcp::no_delay(true));
  beast::flat_buffer buffer;
  bool counted_ready = false;
  for (int r = 0; r < requests; ++r) {
    http::request<http::string_body> req{http::verb::post, o.path, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : o.headers) req.set(k, v);
    req.body() = o.body;
    req.prepare_payload();
    auto sent_at = Clock::now();
    auto [wec, wn] = co_await http::async_write(stream, req, kUse);
    if (wec) {
      ++t.errors;
      t.last_error = "write: " + wec.message();
      co_return;
    }
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kUse);
    if (hec || parser.get().result_int() != 200) {
      ++t.errors;
      t.last_error = hec ? "read header: " + hec.message()
                         : "status " + std::to_string(parser.get().result_int());
      co_return;
    }
    char buf[64 * 1024];
    std::string pending;
    int bursts = 0, events = 0, reads = 0;
    // Deltas are found in everything this stream received, from where the last one was.
    std::string received;
    size_t search_from = 0;
    int next_delta = 1, delta_reads = 0, last_delta_read = -1;
    Clock::time_point last_delta{};
    while (!parser.is_done()) {
      parser.get().body().data = buf;
      parser.get().body().size = sizeof buf;
      auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, kUse);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        ++t.errors;
        t.last_error = "read body: " + ec.message();
        co_return;
      }
      size_t got = sizeof buf - parser.get().body().size;
      if (got == 0) continue;
      auto now = Clock::now();
      ++reads;
      pending.append(buf, got);
      received.append(buf, got);
      for (size_t at;
           next_delta <= o.deltas &&
           (at = received.find(DeltaMarker(next_delta), search_from)) != std::string::npos;
           ++next_delta) {
        search_from = at + 4;
        if (next_delta > 1) t.gap_us.push_back(Micros(now - last_delta));
        if (reads != last_delta_read) ++delta_reads;
        last_delta_read = reads;
        last_delta = now;
      }
      int completed = 0;
      for (size_t at; (at = pending.find("\n\n")) != std::string::npos;) {
        // Keep-alive comments and blank lines are not events.
        std::string frame = pending.substr(0, at);
        pending.erase(0, at + 2);
        if (frame.find("data:") != std::string::npos) ++completed;
      }
      if (completed == 0) continue;
      if (events == 0) {
        t.ttfb_us.push_back(Micros(now - sent_at));
        if (!counted_ready) {
          counted_ready = true;
          if (++t.first_event_connections == o.connections && !o.ready_file.empty()) {
            std::ofstream(o.ready_file) << "ready\n";
          }
        }
      }
      events += completed;
      ++bursts;
    }
    if (next_delta <= o.deltas) {
      ++t.errors;
      t.last_error = "delta " + DeltaMarker(next_delta) + "never arrived";
    }
    t.delta_reads.push_back(delta_reads);
    t.bursts.push_back(bursts);
    t.events.push_back(events);
    if (!parser.keep_alive()) break;
  }
}

int RunStream(const StreamOptions& o) {
  // Many streams need many descriptors.
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  asio::io_context io;
  Totals t;
  int per = std::max(1, o.requests / o.connections);
  for (int c = 0; c < o.connections; ++c) {
    asio::co_spawn(io, Worker(o, per, t), asio::detached);
  }
  io.run();
  auto mean = [](const std::vector<double>& v) -> int64_t {
    return v.empty() ? 0
                     : std::llround(std::accumulate(v.begin(), v.end(), 0.0) /
                                    static_cast<double>(v.size()));
  };
  auto imean = [](const std::vector<int>& v) -> int64_t {
    return v.empty() ? 0
                     : std::llround(static_cast<double>(std::accumulate(v.begin(), v.end(), 0)) /
                                    static_cast<double>(v.size()));
  };
  int min_bursts = t.bursts.empty() ? 0 : *std::min_element(t.bursts.begin(), t.bursts.end());
  int min_delta_reads =
      t.delta_reads.empty() ? 0 : *std::min_element(t.delta_reads.begin(), t.delta_reads.end());
  bj::object out{{"streams", static_cast<int64_t>(t.events.size())},
                 {"errors", t.errors},
                 {"ttfb_us", bj::object{{"p50", Percentile(t.ttfb_us, 0.5)},
                                        {"p99", Percentile(t.ttfb_us, 0.99)}}},
                 {"gap_us", bj::object{{"mean", mean(t.gap_us)},
                                       {"p50", Percentile(t.gap_us, 0.5)},
                                       {"p99", Percentile(t.gap_us, 0.99)}}},
                 {"delta_reads_min", min_delta_reads},
                 {"bursts_mean", imean(t.bursts)},
                 {"bursts_min", min_bursts},
                 {"events_mean", imean(t.events)}};
  if (t.errors > 0) out["last_error"] = t.last_error;
  std::cout << bj::serialize(out) << std::endl;
  return t.errors > 0 ? 1 : 0;
}

int Usage() {
  std::cerr
      << "usage: agentgate-bench bodies DIR\n"
         "       agentgate-bench stream --port P --path PATH --body FILE [--header 'K: V']...\n"
         "                              [--connections C] [--requests N] [--ready-file F]\n"
         "                              [--deltas D]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::string cmd = argv[1];
  if (cmd == "bodies" && argc == 3) return WriteBodies(argv[2]);
  if (cmd != "stream") return Usage();
  StreamOptions o;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port") {
      o.port = std::stoi(value);
    } else if (flag == "--path") {
      o.path = value;
    } else if (flag == "--body") {
      std::ifstream f(value);
      o.body.assign(std::istreambuf_iterator<char>(f), {});
      if (!f) {
        std::cerr << "cannot read " << value << "\n";
        return 2;
      }
    } else if (flag == "--header") {
      size_t colon = value.find(':');
      if (colon == std::string::npos) return Usage();
      size_t v = value.find_first_not_of(' ', colon + 1);
      o.headers.emplace_back(value.substr(0, colon), v == std::string::npos ? "" : value.substr(v));
    } else if (flag == "--connections") {
      o.connections = std::max(1, std::stoi(value));
    } else if (flag == "--requests") {
      o.requests = std::max(1, std::stoi(value));
    } else if (flag == "--ready-file") {
      o.ready_file = value;
    } else if (flag == "--deltas") {
      o.deltas = std::max(0, std::stoi(value));
    } else {
      return Usage();
    }
  }
  if (o.port <= 0 || o.path.empty() || o.body.empty()) return Usage();
  return RunStream(o);
}
