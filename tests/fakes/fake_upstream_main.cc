// agentgate-fake-upstream: serves the FakeUpstream default behaviour until SIGTERM/SIGINT.
//
//   agentgate-fake-upstream [--host H] [--port N] [--port-file F]
//                           [--stream-deltas N] [--stream-interval-ms N] [--answer TEXT]
//                           [--cut-text-after N] [--context-limit N] [--tokens-per-kb N]
//                           [--chatgpt-accounts ID=TOKEN,...] [--chatgpt-spend-first-after N]
// --chatgpt-accounts: the official backend's accounts (FakeUpstream::AddChatGptAccount);
// --chatgpt-spend-first-after N: the first account's usage limit is reached after it served N
// answers.
// --cut-text-after N: every streamed Chat text answer is cut after N chunks (a provider that
// drops connections mid-answer; see FakeUpstream::SetCutTextStreams).
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <utility>
#include <vector>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/fakes/fake_upstream.h"

namespace {

void Usage(const char* argv0) {
  std::cerr << "usage: " << argv0
            << " [--host H] [--port N] [--port-file F] [--stream-deltas N]"
               " [--stream-interval-ms N] [--answer TEXT] [--cut-text-after N]"
               " [--context-limit N] [--tokens-per-kb N] [--chatgpt-accounts ID=TOKEN,...]"
               " [--chatgpt-spend-first-after N]\n";
}

bool ParseInt(const std::string& s, int& out) {
  try {
    std::size_t pos = 0;
    const int v = std::stoi(s, &pos);
    if (pos != s.size()) return false;
    out = v;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string port_file;
  int stream_deltas = 4;
  int stream_interval_ms = 0;
  std::string answer;
  int cut_text_after = -1;
  int context_limit = 0;
  int tokens_per_kb = 0;
  std::vector<std::pair<std::string, std::string>> chatgpt_accounts;
  int chatgpt_spend_after = 0;

  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    if (arg == "-h" || arg == "--help") {
      Usage(argv[0]);
      return 0;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << arg << "\n";
        Usage(argv[0]);
        return 2;
      }
      value = argv[++i];
    }
    bool ok = true;
    if (arg == "--host") {
      host = value;
    } else if (arg == "--port") {
      ok = ParseInt(value, port) && port >= 0 && port <= 65535;
    } else if (arg == "--port-file") {
      port_file = value;
    } else if (arg == "--stream-deltas") {
      ok = ParseInt(value, stream_deltas) && stream_deltas >= 1;
    } else if (arg == "--stream-interval-ms") {
      ok = ParseInt(value, stream_interval_ms) && stream_interval_ms >= 0;
    } else if (arg == "--answer") {
      answer = value;
    } else if (arg == "--chatgpt-accounts") {
      std::stringstream list(value);
      std::string item;
      while (ok && std::getline(list, item, ',')) {
        const size_t eq = item.find('=');
        ok = eq != std::string::npos && eq > 0 && eq + 1 < item.size();
        if (ok) chatgpt_accounts.emplace_back(item.substr(0, eq), item.substr(eq + 1));
      }
    } else if (arg == "--chatgpt-spend-first-after") {
      ok = ParseInt(value, chatgpt_spend_after) && chatgpt_spend_after >= 0;
    } else if (arg == "--tokens-per-kb") {
      ok = ParseInt(value, tokens_per_kb) && tokens_per_kb >= 0;
    } else if (arg == "--context-limit") {
      ok = ParseInt(value, context_limit) && context_limit >= 0;
    } else if (arg == "--cut-text-after") {
      ok = ParseInt(value, cut_text_after) && cut_text_after >= 0;
    } else {
      std::cerr << "unknown flag " << arg << "\n";
      Usage(argv[0]);
      return 2;
    }
    if (!ok) {
      std::cerr << "invalid value for " << arg << ": " << value << "\n";
      return 2;
    }
  }

  // Block the termination signals before any thread starts, so that every thread inherits the
  // mask and the signals are only consumed by sigwait() below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    agentgate::fakes::FakeUpstream upstream(host, port);
    upstream.SetStreamShape(stream_deltas, std::chrono::milliseconds(stream_interval_ms));
    upstream.SetPlainAnswer(answer);
    upstream.SetCutTextStreams(cut_text_after);
    upstream.SetContextLimit(context_limit);
    upstream.SetTokensPerKb(tokens_per_kb);
    for (const auto& [id, token] : chatgpt_accounts) upstream.AddChatGptAccount(id, token);
    upstream.SetChatGptSpendFirstAfter(chatgpt_spend_after);
    if (!port_file.empty()) {
      // Write to a temporary file and rename, so a watcher never sees a partial port.
      const std::string tmp = port_file + ".tmp";
      {
        std::ofstream out(tmp, std::ios::trunc);
        out << upstream.port() << "\n";
        if (!out) {
          std::cerr << "cannot write port file " << port_file << "\n";
          return 1;
        }
      }
      if (std::rename(tmp.c_str(), port_file.c_str()) != 0) {
        std::cerr << "cannot write port file " << port_file << "\n";
        return 1;
      }
    }
    std::cerr << "listening on " << upstream.base_url() << std::endl;

    int sig = 0;
    while (sigwait(&signals, &sig) != 0) {
    }
    std::cerr << "signal " << sig << " received, shutting down" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "agentgate-fake-upstream: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
