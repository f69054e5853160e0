#include "services/net/client_watch.h"

#include <gtest/gtest.h>

#include <chrono>

namespace agentgate::net {
namespace {

using namespace std::chrono_literals;

// A connected pair of loopback sockets on one io_context.
struct Pair {
  asio::io_context ioc;
  tcp::socket server{ioc}, client{ioc};
  Pair() {
    tcp::acceptor acc(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    client.connect(acc.local_endpoint());
    acc.accept(server);
  }
};

TEST(ClientWatchTest, ClientClosingIsNoticedAtOnce) {
  Pair p;
  int calls = 0;
  ClientWatch watch(p.server, [&] { ++calls; });
  p.ioc.run_for(50ms);
  EXPECT_FALSE(watch.gone());
  p.client.close();
  p.ioc.run_for(200ms);
  EXPECT_TRUE(watch.gone());
  EXPECT_EQ(calls, 1);
}

TEST(ClientWatchTest, PipelinedBytesAreLeftForTheServer) {
  Pair p;
  bool gone = false;
  {
    ClientWatch watch(p.server, [&] { gone = true; });
    asio::write(p.client, asio::buffer(std::string("GET / HTTP/1.1\r\n")));
    p.ioc.run_for(200ms);
    EXPECT_FALSE(watch.gone());
  }
  EXPECT_FALSE(gone);
  char buf[64];
  size_t n = p.server.read_some(asio::buffer(buf));
  EXPECT_EQ(std::string(buf, n), "GET / HTTP/1.1\r\n");  // nothing was consumed
}

TEST(ClientWatchTest, DestroyedWatchNeverCalls) {
  Pair p;
  bool called = false;
  {
    ClientWatch watch(p.server, [&] { called = true; });
  }
  p.client.close();
  p.ioc.run_for(200ms);
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace agentgate::net
