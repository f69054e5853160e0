#include "services/ctl/callback_listener.h"

#include <poll.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/status/status.h"

namespace agentgate::ctl {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kReadLimit = std::chrono::seconds(10);  // a connection that says nothing

}  // namespace

struct CallbackListener::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
};

CallbackListener::CallbackListener() : impl_(std::make_unique<Impl>()) {}
CallbackListener::~CallbackListener() = default;

absl::Status CallbackListener::Listen(int port) {
  boost::system::error_code ec;
  const tcp::endpoint ep(asio::ip::make_address_v4("127.0.0.1"), static_cast<uint16_t>(port));
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(16, ec);
  if (ec) {
    impl_->acceptor.close();
    return absl::FailedPreconditionError("cannot listen on 127.0.0.1:" + std::to_string(port) +
                                         ": " + ec.message());
  }
  return absl::OkStatus();
}

int CallbackListener::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

absl::Status CallbackListener::Wait(std::chrono::milliseconds timeout,
                                    const std::function<Page(const std::string&)>& answer) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return absl::DeadlineExceededError("no sign-in came back within " +
                                         std::to_string(timeout.count() / 60000) + " minutes");
    }
    pollfd p{impl_->acceptor.native_handle(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 500)));
    if (ready <= 0) continue;
    boost::system::error_code ec;
    tcp::socket sock(impl_->ioc);
    impl_->acceptor.accept(sock, ec);
    if (ec) continue;
    // A browser that opens a connection and says nothing does not hold the login.
    timeval tv{static_cast<time_t>(kReadLimit.count()), 0};
    ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    beast::flat_buffer buf;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(16 * 1024);
    http::read(sock, buf, parser, ec);
    if (ec) continue;
    const auto& req = parser.get();
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    Page page;
    bool done = false, cancelled = false;
    if (req.method() == http::verb::get && path == "/auth/callback") {
      page = answer(target);
      done = page.final;
    } else if (path == "/cancel") {
      page = Page{200, "Login cancelled", true};
      cancelled = true;
    } else {
      page = Page{404, "Not Found", false};
    }
    http::response<http::string_body> res{static_cast<http::status>(page.status), 11};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::connection, "close");
    res.body() = page.html;
    res.prepare_payload();
    http::write(sock, res, ec);
    sock.shutdown(tcp::socket::shutdown_both, ec);
    if (cancelled) return absl::CancelledError("the login was cancelled");
    if (done) return absl::OkStatus();
  }
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace agentgate::ctl
