// agentgatectl events: follows the router's live event stream (WatchEvents) and prints one line,
// or one JSON object, per event until Ctrl-C or the router stops.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <thread>

#include "services/common/flags.h"
#include "services/common/strings.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"

namespace agentgate::ctl {
namespace {

constexpr char kEventsUsage[] =
    "usage: agentgatectl events [--json]\n"
    "  Live events from every edge and the router, one line each, until Ctrl-C: requests as\n"
    "  they start and finish (client, model, provider, status, cost, requests running), provider\n"
    "  health changes, config changes, the router stopping. --json prints one JSON object per\n"
    "  line. Events are best effort; counts and money come from `agentgatectl stats`.\n";

// Cancels `ctx` when SIGINT or SIGTERM comes (they are blocked in every thread of agentgatectl,
// so they are waited for here), until `*done`.
void CancelOnSignal(grpc::ClientContext* ctx, const std::atomic<bool>* done,
                    std::atomic<bool>* interrupted) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const timespec poll{0, 200'000'000};
  while (!done->load()) {
    int sig = sigtimedwait(&set, nullptr, &poll);
    if (sig == SIGINT || sig == SIGTERM) {
      interrupted->store(true);
      ctx->TryCancel();
      return;
    }
  }
}

}  // namespace

int CmdEvents(const std::string& home, const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h" || a == "help") {
      std::printf("%s", kEventsUsage);
      return 0;
    }
  }
  Flags f({{"json", "", "one JSON object per line"}});
  if (auto st = f.Parse(args); !st.ok()) {
    Fail(Message(st));
    return Usage(kEventsUsage);
  }
  if (!f.positional().empty()) return Usage(kEventsUsage);
  const bool json = f.Has("json");
  AdminClient client(home);
  std::unique_ptr<grpc::ClientContext> ctx = client.StreamContext();
  std::atomic<bool> done{false};
  std::atomic<bool> interrupted{false};
  std::thread watcher(CancelOnSignal, ctx.get(), &done, &interrupted);

  std::unique_ptr<grpc::ClientReader<admin::v1::Event>> reader =
      client.stub().WatchEvents(ctx.get(), admin::v1::WatchEventsRequest());
  admin::v1::Event e;
  bool stopping = false;
  bool header = false;
  while (reader->Read(&e)) {
    if (json) {
      std::printf("%s\n", ToJson(e).c_str());
    } else {
      if (!header) {
        std::printf("%s\n", EventHeader().c_str());
        header = true;
      }
      std::printf("%s\n", FormatEvent(e).c_str());
    }
    std::fflush(stdout);  // a line as it happens, also into a pipe
    if (e.kind() == admin::v1::EVENT_KIND_STACK_STOPPING) stopping = true;
  }
  grpc::Status st = reader->Finish();
  done = true;
  watcher.join();
  if (interrupted) return 0;
  if (stopping) {
    std::fprintf(stderr, "agentgatectl: the router stopped; no more events\n");
    return 0;
  }
  if (!st.ok()) return Fail(client.Explain(st));
  return Fail("the event stream ended");
}

}  // namespace agentgate::ctl
