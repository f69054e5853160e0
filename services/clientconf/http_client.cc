#include "services/clientconf/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

namespace agentgate::clientconf {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct Exchange {
  explicit Exchange(asio::io_context& ioc) : resolver(ioc), stream(ioc) {}
  tcp::resolver resolver;
  beast::tcp_stream stream;
  http::request<http::string_body> req;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  bool done = false;
  std::string error;
};

}  // namespace

HttpResult HttpCall(const std::string& base_url, const std::string& method,
                    const std::string& target, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::chrono::milliseconds timeout) {
  HttpResult r;
  auto started = std::chrono::steady_clock::now();
  const std::string scheme = "http://";
  if (base_url.rfind(scheme, 0) != 0) {
    r.error = base_url.rfind("https://", 0) == 0
                  ? "https gateways are not supported here; use the gateway's http:// address"
                  : "not an http:// URL: " + base_url;
    return r;
  }
  std::string rest = base_url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  std::string host = hostport, port = "80";
  if (!hostport.empty() && hostport[0] == '[') {  // [::1]:9090
    size_t close = hostport.find(']');
    host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size() && hostport[close + 1] == ':')
      port = hostport.substr(close + 2);
  } else if (size_t colon = hostport.rfind(':'); colon != std::string::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }

  asio::io_context ioc;
  auto ex = std::make_shared<Exchange>(ioc);
  ex->req.method(http::string_to_verb(method));
  ex->req.target(prefix + target);
  ex->req.version(11);
  ex->req.set(http::field::host, hostport);
  ex->req.set(http::field::user_agent, "agentgatectl");
  ex->req.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) ex->req.set(name, value);
  if (!body.empty() || method == "POST") {
    ex->req.body() = body;
    ex->req.prepare_payload();
  }
  ex->parser.body_limit(64 * 1024 * 1024);

  auto fail = [ex](const char* what, const beast::error_code& ec) {
    ex->error = std::string(what) + ": " + ec.message();
    ex->done = true;
  };
  ex->resolver.async_resolve(
      host, port, [ex, fail](const beast::error_code& ec, tcp::resolver::results_type results) {
        if (ec) return fail("cannot resolve", ec);
        ex->stream.async_connect(results, [ex, fail](const beast::error_code& ec,
                                                     const tcp::endpoint&) {
          if (ec) return fail("cannot connect", ec);
          http::async_write(ex->stream, ex->req, [ex, fail](const beast::error_code& ec, size_t) {
            if (ec) return fail("cannot send the request", ec);
            http::async_read(ex->stream, ex->buffer, ex->parser,
                             [ex, fail](const beast::error_code& ec, size_t) {
                               if (ec) return fail("no answer", ec);
                               ex->done = true;
                             });
          });
        });
      });
  ioc.run_for(timeout);
  r.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  if (!ex->done) {
    r.error = "no answer within " + std::to_string(timeout.count() / 1000) + " s";
    return r;
  }
  if (!ex->error.empty()) {
    r.error = ex->error;
    return r;
  }
  auto res = ex->parser.release();
  r.status = static_cast<int>(res.result_int());
  r.body = std::move(res.body());
  return r;
}

}  // namespace agentgate::clientconf
