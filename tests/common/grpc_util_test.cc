#include "services/common/grpc_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

#include "agentgate/admin/v1/admin.grpc.pb.h"

namespace agentgate {
namespace {

// A TCP port on 127.0.0.1 that listens but never accepts: a stand-in proxy that records whether
// anyone connected to it.
class DummyProxy {
 public:
  DummyProxy() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
    ::fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ~DummyProxy() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }
  // True when a connection waits in the backlog.
  bool WasContacted() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return false;
    ::close(c);
    return true;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Sets an environment variable (or unsets it, for nullopt) and puts it back on destruction.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(GrpcUtilTest, LocalChannelArgumentsTurnTheHttpProxyOff) {
  grpc::ChannelArguments args = LocalChannelArguments();
  grpc_channel_args c = args.c_channel_args();
  bool found = false;
  for (size_t i = 0; i < c.num_args; ++i) {
    if (std::string(c.args[i].key) != GRPC_ARG_ENABLE_HTTP_PROXY) continue;
    found = true;
    EXPECT_EQ(c.args[i].type, GRPC_ARG_INTEGER);
    EXPECT_EQ(c.args[i].value.integer, 0);
  }
  EXPECT_TRUE(found);
}

TEST(GrpcUtilTest, LocalChannelConnectsDirectlyWhateverTheProxyVariablesSay) {
  DummyProxy proxy;
  ASSERT_GT(proxy.port(), 0);
  // Any service will do: the test only connects.
  admin::v1::AdminService::Service service;
  int port = 0;
  auto server = StartGrpcServer("127.0.0.1", &port, {&service});
  ASSERT_TRUE(server.ok()) << server.status();
  std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  ScopedEnv http("http_proxy", proxy_url);
  ScopedEnv https("https_proxy", proxy_url);
  ScopedEnv grpc_proxy("grpc_proxy", proxy_url);
  ScopedEnv no_proxy("no_proxy", std::nullopt);
  ScopedEnv no_grpc_proxy("no_grpc_proxy", std::nullopt);

  auto channel = LocalChannel(JoinHostPort("127.0.0.1", port));
  EXPECT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)));
  EXPECT_FALSE(proxy.WasContacted());
  (*server)->Shutdown(std::chrono::system_clock::now());
}

}  // namespace
}  // namespace agentgate
