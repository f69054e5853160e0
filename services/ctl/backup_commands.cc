// agentgatectl backup: create, list, prune (admin API), and restore (on the stack's machine:
// the files are replaced while no stack runs on them).
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_join.h"
#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"
#include "services/ctl/stack_file.h"
#include "services/ctl/stack_lock.h"
#include "services/ctl/supervisor.h"
#include "services/store/backup_file.h"
#include "services/store/secret_box.h"
#include "services/store/sqlite.h"

extern char** environ;

namespace agentgate::ctl {
namespace {

constexpr char kBackupUsage[] =
    "usage: agentgatectl backup create [--passphrase | --passphrase-file FILE]\n"
    "       agentgatectl backup list [--json]\n"
    "       agentgatectl backup prune --keep N\n"
    "       agentgatectl backup restore FILE [--passphrase-file FILE] [--restart] [--yes]\n"
    "\n"
    "Backups of the gateway's data: config.db (providers, keys, routes, accounts, prices),\n"
    "stats.db (records), the token, made while the stack serves, in DATA/backups.\n"
    "\n"
    "  create   sealed with this stack's master key (restores where that key is), or with a\n"
    "           passphrase (asked, or read from FILE, or $AGENTGATE_BACKUP_PASSPHRASE): the\n"
    "           master key goes in too and the file restores on any machine\n"
    "  list     the backups (the router also makes one a day and keeps seven: router flags\n"
    "           --backup-every, --backup-keep), and the clients' files kept before each\n"
    "           `client apply`\n"
    "  prune    deletes all but the newest N\n"
    "  restore  puts a backup's files in place of the current ones (kept in\n"
    "           DATA/before-restore-TIME), after showing what changes. A running stack is\n"
    "           stopped and started again with --restart. FILE: a name from `backup list` or\n"
    "           a path (a backup copied from another machine).\n";

std::string ReadPassphrase(const Flags& f, bool confirm) {
  if (f.Has("passphrase-file")) {
    auto text = ReadFile(f.Get("passphrase-file"));
    if (!text.ok()) return "";
    std::string p = *std::move(text);
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();
    return p;
  }
  if (const char* env = std::getenv("AGENTGATE_BACKUP_PASSPHRASE"); env != nullptr && *env) {
    return env;
  }
  if (!::isatty(STDIN_FILENO)) return "";
  auto ask = [](const char* prompt) { return AskLine(prompt, /*hidden=*/true, stderr); };
  std::string p = ask("passphrase: ");
  if (confirm && !p.empty() && ask("again: ") != p) {
    std::fprintf(stderr, "agentgatectl: the two passphrases differ\n");
    return "";
  }
  return p;
}

std::string Size(int64_t bytes) {
  char buf[32];
  if (bytes >= 1 << 20) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024);
  }
  return buf;
}

int Create(AdminClient& client, const Flags& f) {
  admin::v1::CreateBackupRequest req;
  if (f.Has("passphrase") || f.Has("passphrase-file")) {
    req.set_passphrase(ReadPassphrase(f, /*confirm=*/true));
    if (req.passphrase().empty()) {
      return Fail(
          "no passphrase (--passphrase-file FILE, $AGENTGATE_BACKUP_PASSPHRASE, or type it)");
    }
  }
  admin::v1::BackupInfo b;
  auto ctx = client.Context(std::chrono::seconds(600));
  grpc::Status st = client.stub().CreateBackup(ctx.get(), req, &b);
  if (!st.ok()) return Fail(client.Explain(st));
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(b).c_str());
    return 0;
  }
  std::printf("made %s (%s; %s; sealed with %s)\n", b.path().c_str(), Size(b.size_bytes()).c_str(),
              absl::StrJoin(b.contents(), ", ").c_str(),
              b.seal() == "passphrase" ? "your passphrase: it restores on any machine"
                                       : "this stack's master key: it restores here");
  if (!b.error().empty()) std::printf("note: %s\n", b.error().c_str());
  return 0;
}

int List(AdminClient& client, const std::string& home, const Flags& f) {
  admin::v1::ListBackupsResponse resp;
  if (!Call(client, &Stub::ListBackups, admin::v1::ListBackupsRequest(), &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  if (resp.backups().empty()) {
    std::printf("no backups in %s yet: agentgatectl backup create\n", resp.dir().c_str());
  } else {
    std::vector<std::vector<std::string>> rows = {{"NAME", "MADE", "SIZE", "SEAL", "HOLDS"}};
    for (const auto& b : resp.backups()) {
      rows.push_back({b.name(), b.error().empty() ? FormatTime(b.created_at_ms()) : "-",
                      Size(b.size_bytes()), b.error().empty() ? b.seal() : "unreadable",
                      b.error().empty() ? absl::StrJoin(b.contents(), ", ") : b.error()});
    }
    PrintTable(rows);
  }
  if (resp.every_ms() > 0) {
    std::printf(
        "\nthe router makes one every %s and keeps %d%s\n", FormatDuration(resp.every_ms()).c_str(),
        resp.keep(),
        resp.next_at_ms() > 0 ? (", the next " + FormatTime(resp.next_at_ms())).c_str() : "");
  } else {
    std::printf("\nno scheduled backups (router flag --backup-every)\n");
  }
  // The clients' own files, kept by `client apply` before it changed them.
  std::vector<std::vector<std::string>> kept = {{"CLIENT", "KEPT FILES IN"}};
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(home + "/client-backups", ec)) {
    if (e.is_directory()) kept.push_back({e.path().filename().string(), e.path().string()});
  }
  if (kept.size() > 1) {
    std::printf("\nclients' files before `client apply` (agentgatectl client restore CLIENT):\n");
    PrintTable(kept);
  }
  return 0;
}

// What a config.db and a stats.db hold, for the before/after table ("-" for a missing file).
std::vector<std::string> Counts(const std::string& dir) {
  std::vector<std::string> out(5, "-");
  auto count = [](store::Database& db, const char* sql) -> std::string {
    auto stmt = db.Prepare(sql);
    if (!stmt.ok()) return "?";
    auto row = stmt->Step();
    return row.ok() && *row ? std::to_string(stmt->ColumnInt(0)) : "?";
  };
  if (FileExists(dir + "/config.db")) {
    if (auto db = store::Database::Open(dir + "/config.db"); db.ok()) {
      out[0] = count(**db, "SELECT count(*) FROM providers");
      out[1] = count(**db, "SELECT count(*) FROM routes");
      out[2] = count(**db, "SELECT count(*) FROM accounts");
    }
  }
  if (FileExists(dir + "/stats.db")) {
    if (auto db = store::Database::Open(dir + "/stats.db"); db.ok()) {
      out[3] = count(**db, "SELECT count(*) FROM requests");
    }
  }
  if (FileExists(dir + "/token")) {
    auto t = ReadFile(dir + "/token");
    out[4] = t.ok() ? MaskSecret(StripSpace(*t)) : "?";
  }
  return out;
}

// `agentgatectl --home HOME up --detach` with the ports the stopped stack had.
int StartAgain(const std::string& home, const std::vector<std::string>& up_args) {
  std::vector<std::string> args = {"/proc/self/exe", "--home", home, "up", "--detach"};
  args.insert(args.end(), up_args.begin(), up_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) return 1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int Restore(const std::string& home, const Flags& f) {
  if (f.positional().empty()) return Fail("backup restore needs a backup (backup list) or a path");
  std::string path = f.positional()[0];
  if (path.find('/') == std::string::npos && !FileExists(path)) path = home + "/backups/" + path;
  auto header = store::ReadBackupHeader(path);
  if (!header.ok()) return Fail(path + ": " + std::string(Message(header.status())));

  // The key.
  std::string key;
  if (header->seal == store::kBackupSealPassphrase) {
    const std::string pass = ReadPassphrase(f, /*confirm=*/false);
    if (pass.empty()) {
      return Fail(
          "this backup is sealed with a passphrase: --passphrase-file FILE, "
          "$AGENTGATE_BACKUP_PASSPHRASE, or type it");
    }
    auto k = store::BackupKeyFromPassphrase(pass, header->salt);
    if (!k.ok()) return Fail(std::string(Message(k.status())));
    key = *std::move(k);
  } else {
    const char* env = std::getenv("AGENTGATE_MASTER_KEY");
    if (!FileExists(home + "/master.key") && (env == nullptr || *env == '\0')) {
      return Fail("this backup is sealed with the master key of the stack that made it, and " +
                  home + " has none: restore a passphrase backup (backup create --passphrase)");
    }
    auto box = store::SecretBox::LoadOrCreate(home + "/master.key", env != nullptr ? env : "");
    if (!box.ok()) return Fail(std::string(Message(box.status())));
    key = box->BackupKey();
  }

  // No stack may run on the files while they change: hold the lock `up` takes.
  auto stack = ReadStackFile(home);
  auto lock = StackLock::Acquire(home);
  const bool running = !lock.ok();
  if (running && !f.Has("restart")) {
    return Fail("the stack is running on " + home +
                ": stop it first (agentgatectl down), or add --restart to stop it, restore and "
                "start it again");
  }
  // A stack not started by `up` (systemd units, containers) holds no lock: its databases say.
  for (const char* db : {"config.db", "stats.db"}) {
    if (const int pid = store::DatabaseOpenedBy(home + "/" + db); !running && pid > 0) {
      return Fail("process " + std::to_string(pid) + " has " + home + "/" + db +
                  " open (a stack not started by agentgatectl up?): stop it first "
                  "(systemctl stop agentgate.target, docker compose stop)");
    }
  }

  // Opened and checked whole before anything is touched.
  const std::string stamp = std::to_string(NowMs());
  const std::string staged = home + "/restore-" + stamp;
  std::error_code ec;
  std::filesystem::create_directories(staged, ec);
  ::chmod(staged.c_str(), 0700);
  auto names = store::ExtractBackup(path, key, staged);
  if (!names.ok()) {
    std::filesystem::remove_all(staged, ec);
    return Fail(path + ": " + std::string(Message(names.status())));
  }
  const auto before = Counts(home);
  const auto after = Counts(staged);
  std::printf("%s, made %s%s:\n\n", path.c_str(), FormatTime(header->created_at_ms).c_str(),
              header->host.empty() ? "" : (" on " + header->host).c_str());
  std::vector<std::vector<std::string>> rows = {{"", "NOW", "AFTER THE RESTORE"}};
  const char* what[] = {"providers", "routes", "accounts", "records", "token"};
  for (int i = 0; i < 5; ++i) rows.push_back({what[i], before[i], after[i]});
  PrintTable(rows);
  std::printf("\n");
  if (!f.Has("yes")) {
    if (!::isatty(STDIN_FILENO)) {
      std::filesystem::remove_all(staged, ec);
      return Fail("add --yes to restore without being asked");
    }
    std::fprintf(stderr, "replace the current data with this? [y/N] ");
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      std::filesystem::remove_all(staged, ec);
      std::printf("nothing was changed\n");
      return 1;
    }
  }

  std::vector<std::string> up_args;
  if (running) {
    if (stack.ok()) {
      for (const auto& [svc, flag] :
           {std::pair{"edge", "--port"}, std::pair{"router", "--admin-port"},
            std::pair{"probe", "--probe-port"}, std::pair{"stats", "--stats-port"}}) {
        auto it = stack->services.find(svc);
        if (it == stack->services.end()) continue;
        const std::string& addr = it->second.address;
        up_args.push_back(flag);
        up_args.push_back(addr.substr(addr.rfind(':') + 1));
      }
    }
    std::printf("stopping the stack...\n");
    if (RunDown(home) != 0) {
      std::filesystem::remove_all(staged, ec);
      return Fail("the stack did not stop; nothing was changed");
    }
    lock = StackLock::Acquire(home);
    if (!lock.ok()) {
      std::filesystem::remove_all(staged, ec);
      return Fail("another `up` took the data folder meanwhile; nothing was changed");
    }
  }

  // The current files step aside (with their -wal/-shm), the backup's take their place.
  const std::string kept = home + "/before-restore-" + stamp;
  std::filesystem::create_directories(kept, ec);
  ::chmod(kept.c_str(), 0700);
  for (const auto& name : *names) {
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      const std::string cur = home + "/" + name + suffix;
      if (FileExists(cur)) std::filesystem::rename(cur, kept + "/" + name + suffix, ec);
      if (ec) return Fail("cannot move " + cur + " aside: " + ec.message());
    }
    std::filesystem::rename(staged + "/" + name, home + "/" + name, ec);
    if (ec) {
      return Fail("cannot put " + name + " in place: " + ec.message() +
                  " (the previous files are in " + kept + ")");
    }
  }
  std::filesystem::remove_all(staged, ec);
  std::printf("restored %s; the files it replaced are in %s\n", absl::StrJoin(*names, ", ").c_str(),
              kept.c_str());
  if (running) {
    lock = absl::UnavailableError("released");  // let `up` take it
    std::printf("starting the stack again...\n");
    if (StartAgain(home, up_args) != 0)
      return Fail("the stack did not start again: agentgatectl up");
  }
  return 0;
}

}  // namespace

int CmdBackup(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kBackupUsage);
  const std::string sub = args[0];
  Flags f({{"passphrase", "", "create: seal with a passphrase (asked)"},
           {"passphrase-file", "FILE", "create, restore: the passphrase is in FILE"},
           {"keep", "N", "prune: how many to keep"},
           {"restart", "", "restore: stop a running stack and start it again"},
           {"yes", "", "restore: do not ask"},
           {"json", "", "JSON output"}});
  if (auto st = f.Parse(std::vector<std::string>(args.begin() + 1, args.end())); !st.ok()) {
    return Fail(Message(st));
  }
  if (sub == "restore") return Restore(home, f);
  AdminClient client(home);
  if (sub == "create") return Create(client, f);
  if (sub == "list" || sub == "ls") return List(client, home, f);
  if (sub == "prune") {
    int64_t keep = 0;
    if (!ParseInt(f.Get("keep"), &keep) || keep < 1)
      return Fail("backup prune needs --keep N (1 or more)");
    admin::v1::PruneBackupsRequest req;
    req.set_keep(static_cast<int>(keep));
    admin::v1::PruneBackupsResponse resp;
    if (!Call(client, &Stub::PruneBackups, req, &resp)) return 1;
    std::printf("deleted %d backup%s%s%s\n", resp.deleted_size(),
                resp.deleted_size() == 1 ? "" : "s", resp.deleted().empty() ? "" : ": ",
                absl::StrJoin(resp.deleted(), ", ").c_str());
    return 0;
  }
  return Fail("unknown backup command '" + sub + "': create, list, prune or restore");
}

}  // namespace agentgate::ctl
