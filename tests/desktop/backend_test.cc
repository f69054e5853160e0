// Backend against a real stack: the built agentgatectl starts it (ephemeral ports, a temporary
// AGENTGATE_HOME, no automatic provider tests) and the C++ fake upstream is the provider. The
// client configuration files go to a temporary $HOME. One scenario, in order, because starting
// the stack is what costs: connect, add a provider, send a request, read stats and logs, make
// an admin call fail, configure and test a client, rotate the token, stop the stack.
#include "desktop-qml/backend/backend.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <chrono>

#include "desktop-qml/backend/admin_worker.h"
#include "services/clientconf/http_client.h"
#include "tests/fakes/fake_upstream.h"

namespace agentgate::desktop {
namespace {

constexpr int kStartTimeoutMs = 90'000;
constexpr int kTimeoutMs = 30'000;

// The last notify() message, and whether it was an error.
QString LastNotice(const QSignalSpy& spy, bool* error = nullptr) {
  if (spy.isEmpty()) return QString();
  if (error != nullptr) *error = spy.last().at(1).toBool();
  return spy.last().at(0).toString();
}

}  // namespace

class BackendTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    home_ = dir_.path() + "/agentgate";
    const QString user_home = dir_.path() + "/user";
    // The stack: ephemeral ports (agentgatectl reads these as its flags' defaults), no
    // automatic tests of new providers.
    qputenv("AGENTGATE_HOME", home_.toUtf8());
    for (const char* port : {"AGENTGATE_PORT", "AGENTGATE_ADMIN_PORT", "AGENTGATE_PROBE_PORT",
                             "AGENTGATE_STATS_PORT"}) {
      qputenv(port, "0");
    }
    qputenv("AGENTGATE_AUTO_TEST", "off");
    qunsetenv("AGENTGATE_ADMIN_ADDR");
    // The desktop's own settings and the clients' files: never the user's.
    qputenv("AGENTGATE_DESKTOP_CONFIG", (dir_.path() + "/desktop.conf").toUtf8());
    qputenv("HOME", user_home.toUtf8());
    qputenv("XDG_CONFIG_HOME", (user_home + "/.config").toUtf8());
    for (const char* var : {"CODEX_HOME", "CLAUDE_CONFIG_DIR", "GEMINI_CLI_HOME"}) {
      qunsetenv(var);
    }
  }

  void cleanupTestCase() {
    // Whatever happened above, no stack is left running.
    QProcess down;
    down.start(QCoreApplication::applicationDirPath() + "/agentgatectl", {"--home", home_, "down"});
    down.waitForFinished(30'000);
  }

  void backendAgainstARealStack() {
    fakes::FakeUpstream upstream;
    auto b = std::make_unique<Backend>(nullptr);
    QSignalSpy notices(b.get(), &Backend::notify);
    QSignalSpy events(b.get(), &Backend::event);

    // 1. No stack yet.
    QTRY_VERIFY_WITH_TIMEOUT(!b->adminAddress().isEmpty(), kTimeoutMs);  // the first poll
    QVERIFY(!b->connected());
    QVERIFY2(b->statusText().contains("not running"), qPrintable(b->statusText()));
    QVERIFY(b->quickSetupVisible());  // a new install: no token, no providers
    // What a pasted key looks like, without any call.
    QVariantMap anthropic = b->detectKey(" sk-ant-api03-abcdef ");
    QCOMPARE(anthropic["known"].toBool(), true);
    QCOMPARE(anthropic["type"].toString(), QString("anthropic"));
    QCOMPARE(anthropic["protocol"].toString(), QString("anthropic"));
    QVERIFY(!anthropic["baseUrl"].toString().isEmpty());
    QVariantMap plain = b->detectKey("sk-0123");
    QCOMPARE(plain["known"].toBool(), false);
    QVERIFY(plain["message"].toString().contains("sk-"));
    QVERIFY(b->providerTypes().size() > 5);
    QCOMPARE(b->home(), home_);
    QTRY_COMPARE_WITH_TIMEOUT(b->clients()->count(), 9, kTimeoutMs);

    // 2. Start it (its router signs accounts in at the fake auth server).
    qputenv("AGENTGATE_OPENAI_AUTH_URL", QByteArray::fromStdString(upstream.base_url()));
    upstream.SetChatGptSignIn("acct-d", "desk@example.com", "plus");
    b->startStack();
    QVERIFY(b->busy());
    QCOMPARE(b->statusText(), QString("Starting the gateway…"));
    QTRY_VERIFY_WITH_TIMEOUT(b->connected(), kStartTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!b->busy(), kTimeoutMs);
    QVERIFY2(b->gatewayUrl().startsWith("http://127.0.0.1:"), qPrintable(b->gatewayUrl()));
    QVERIFY2(b->statusText().startsWith("Gateway running at http://127.0.0.1:"),
             qPrintable(b->statusText()));
    QVERIFY(!b->token().isEmpty());
    QVERIFY(!b->adminAddress().isEmpty());
    QCOMPARE(b->services().size(), 4);
    QTRY_COMPARE_WITH_TIMEOUT(b->routes()->count(), 4, kTimeoutMs);  // a default per protocol
    QCOMPARE(b->providers()->count(), 0);
    QVERIFY(b->quickSetupVisible());  // still no provider

    // 3. A provider.
    const QString key = "k-desktop-1234";
    b->saveProvider("", {{"name", "local"},
                         {"type", "custom_openai_compatible"},
                         {"baseUrl", QString::fromStdString(upstream.base_url())},
                         {"keys", QStringList{key}},
                         {"defaultModel", "m"}});
    QTRY_VERIFY_WITH_TIMEOUT(b->providers()->indexOf("local") >= 0, kTimeoutMs);
    bool error = true;
    QCOMPARE(LastNotice(notices, &error), QString("Provider local saved"));
    QVERIFY(!error);
    QVariantMap local = b->providers()->get(b->providers()->indexOf("local"));
    QCOMPARE(local["defaultModel"].toString(), QString("m"));
    QCOMPARE(local["keyCount"].toInt(), 1);
    QVERIFY(!local["keys"].toStringList().first().contains(key));  // masked
    QCOMPARE(local["health"].toString(), QString("ok"));
    QTRY_VERIFY_WITH_TIMEOUT(!b->quickSetupVisible(), kTimeoutMs);

    // An update changes only what it names.
    b->saveProvider("local", {{"defaultModel", "m2"}});
    QTRY_COMPARE_WITH_TIMEOUT(
        b->providers()->get(b->providers()->indexOf("local"))["defaultModel"].toString(),
        QString("m2"), kTimeoutMs);
    QCOMPARE(b->providers()->get(b->providers()->indexOf("local"))["keyCount"].toInt(), 1);

    // The probe service tests it (config -> gateway -> the fake upstream) and lists its models.
    QSignalSpy provider_tested(b.get(), &Backend::providerTested);
    b->testProvider("local");
    QTRY_COMPARE_WITH_TIMEOUT(provider_tested.count(), 1, kStartTimeoutMs);
    QCOMPARE(provider_tested.at(0).at(0).toString(), QString("local"));
    QString steps_text;
    for (const QVariant& step : provider_tested.at(0).at(2).toList()) {
      steps_text +=
          step.toMap()["name"].toString() + ": " + step.toMap()["detail"].toString() + "; ";
    }
    QVERIFY2(provider_tested.at(0).at(1).toBool(), qPrintable(steps_text));
    QVERIFY(!provider_tested.at(0).at(2).toList().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        b->providers()->get(b->providers()->indexOf("local")).value("lastTestOk").toBool(),
        kTimeoutMs);
    QSignalSpy models(b.get(), &Backend::modelsFetched);
    b->fetchModels("local");
    QTRY_COMPARE_WITH_TIMEOUT(models.count(), 1, kStartTimeoutMs);
    QCOMPARE(models.at(0).at(1).toStringList(), QStringList({"fake-model"}));
    QCOMPARE(models.at(0).at(2).toString(), QString());

    // 4. A request through the gateway shows in today's stats and the logs.
    QCOMPARE(b->today().value("requests").toLongLong(), 0);
    auto r = clientconf::HttpCall(b->gatewayUrl().toStdString(), "POST", "/v1/chat/completions",
                                  R"({"model":"m2","messages":[{"role":"user","content":"hi"}]})",
                                  {{"authorization", "Bearer " + b->token().toStdString()},
                                   {"content-type", "application/json"}},
                                  std::chrono::seconds(20));
    QCOMPARE(r.status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          b->refreshStats();
          return b->today().value("requests").toLongLong() == 1;
        }(),
        kTimeoutMs);
    QCOMPARE(b->allTime().value("requests").toLongLong(), 1);
    QCOMPARE(b->today().value("inputTokens").toLongLong(), 11);
    QCOMPARE(b->chart().size(), 24);
    long long charted = 0;
    for (const QVariant& bucket : b->chart()) {
      charted += bucket.toMap().value("requests").toLongLong();
    }
    QCOMPARE(charted, 1);
    QVERIFY(b->budget().contains("limitUsd"));
    QTRY_VERIFY_WITH_TIMEOUT(b->logs()->count() == 1, kTimeoutMs);
    QVariantMap log = b->logDetail(0);
    QCOMPARE(log["provider"].toString(), QString("local"));
    QCOMPARE(log["status"].toInt(), 200);
    QCOMPARE(log["client"].toString(), QString("chat"));
    QVERIFY(log.contains("tried"));
    QCOMPARE(b->recentErrors()->count(), 0);
    b->setLogFilter("local", 0, true);
    QCOMPARE(b->logFilter()["errorsOnly"].toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(b->logs()->count(), 0, kTimeoutMs);
    b->setLogFilter("", 0, false);
    QTRY_COMPARE_WITH_TIMEOUT(b->logs()->count(), 1, kTimeoutMs);
    // The live event stream, when the router offers it, told of the request.
    if (b->liveEvents()) {
      QTRY_VERIFY_WITH_TIMEOUT(
          [&] {
            for (const auto& e : events) {
              if (e.at(0).toMap().value("kind") == "finished") return true;
            }
            return false;
          }(),
          kTimeoutMs);
    } else {
      qInfo("the router does not offer WatchEvents (yet): polling only");
    }

    // 5. An admin error: a readable lastError and a red notice, nothing else.
    b->deleteProvider("missing");
    QTRY_VERIFY_WITH_TIMEOUT(!b->lastError().isEmpty(), kTimeoutMs);
    QVERIFY2(b->lastError().contains("missing"), qPrintable(b->lastError()));
    LastNotice(notices, &error);
    QVERIFY(error);
    QVERIFY(b->connected());
    // The next success of a user action clears it.
    b->setProviderEnabled("local", false);
    QTRY_VERIFY_WITH_TIMEOUT(
        !b->providers()->get(b->providers()->indexOf("local"))["enabled"].toBool(), kTimeoutMs);
    QCOMPARE(b->providers()->get(b->providers()->indexOf("local"))["health"].toString(),
             QString("disabled"));
    QVERIFY(b->lastError().isEmpty());
    b->setProviderEnabled("local", true);
    QTRY_VERIFY_WITH_TIMEOUT(
        b->providers()->get(b->providers()->indexOf("local"))["enabled"].toBool(), kTimeoutMs);

    // 6. Routes: a new provider joins the default chains; reorder, mode, a new profile.
    const QString route = b->routes()->get(0)["name"].toString();
    b->saveProvider("", {{"name", "spare"},
                         {"type", "custom_openai_compatible"},
                         {"baseUrl", QString::fromStdString(upstream.base_url())},
                         {"enabled", false}});
    QTRY_COMPARE_WITH_TIMEOUT(b->routes()->get(b->routes()->indexOf(route))["chain"].toStringList(),
                              QStringList({"local", "spare"}), kTimeoutMs);
    QCOMPARE(b->providers()->get(b->providers()->indexOf("spare"))["enabled"].toBool(), false);
    b->moveChainEntry(route, 1, 0);
    // At once in the model, then confirmed by the router.
    QCOMPARE(b->routes()->get(b->routes()->indexOf(route))["chain"].toStringList(),
             QStringList({"spare", "local"}));
    QTRY_COMPARE_WITH_TIMEOUT(LastNotice(notices), QString("Route %1 saved").arg(route),
                              kTimeoutMs);
    QCOMPARE(b->routes()->get(b->routes()->indexOf(route))["chain"].toStringList(),
             QStringList({"spare", "local"}));
    b->saveRoute({{"name", "fast"}, {"client", "chat"}, {"chain", QStringList{"local"}}});
    QTRY_VERIFY_WITH_TIMEOUT(b->routes()->indexOf("fast") >= 0, kTimeoutMs);
    QCOMPARE(b->routes()->get(b->routes()->indexOf("fast"))["isDefault"].toBool(), false);
    b->saveRoute({{"name", "fast"}, {"mode", "manual"}});  // an edit keeps the rest
    QTRY_COMPARE_WITH_TIMEOUT(b->routes()->get(b->routes()->indexOf("fast"))["mode"].toString(),
                              QString("manual"), kTimeoutMs);
    QCOMPARE(b->routes()->get(b->routes()->indexOf("fast"))["chain"].toStringList(),
             QStringList({"local"}));
    b->deleteRoute("fast");
    QTRY_VERIFY_WITH_TIMEOUT(b->routes()->indexOf("fast") < 0, kTimeoutMs);
    b->deleteProvider("spare");
    QTRY_VERIFY_WITH_TIMEOUT(b->providers()->indexOf("spare") < 0, kTimeoutMs);
    b->setRouteMode(route, "manual");
    QTRY_COMPARE_WITH_TIMEOUT(b->routes()->get(b->routes()->indexOf(route))["mode"].toString(),
                              QString("manual"), kTimeoutMs);
    b->setRouteMode(route, "sideways");
    QTRY_VERIFY_WITH_TIMEOUT(b->lastError().contains("sideways"), kTimeoutMs);
    QCOMPARE(b->routes()->get(b->routes()->indexOf(route))["midstreamFailover"].toBool(), false);
    b->setRouteMidstream(route, true);
    QTRY_VERIFY_WITH_TIMEOUT(
        b->routes()->get(b->routes()->indexOf(route))["midstreamFailover"].toBool(), kTimeoutMs);

    // 7. A client: configured in the temporary $HOME, tested end to end, token rotated, restored.
    b->applyClient("claude");
    QTRY_COMPARE_WITH_TIMEOUT(
        b->clients()->get(b->clients()->indexOf("claude"))["pointing"].toString(),
        QString("gateway"), kTimeoutMs);
    QVERIFY(b->clients()->get(b->clients()->indexOf("claude"))["backedUp"].toBool());
    QSignalSpy tested(b.get(), &Backend::clientTested);
    b->testClient("claude");
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, kTimeoutMs);
    QVariantList steps = tested.at(0).at(1).toList();
    QCOMPARE(steps.size(), 3);
    for (const QVariant& s : steps) {
      QVERIFY2(s.toMap()["ok"].toBool(),
               qPrintable(s.toMap()["name"].toString() + ": " + s.toMap()["detail"].toString()));
    }
    const QString old_token = b->token();
    b->regenerateToken();
    QTRY_VERIFY_WITH_TIMEOUT(b->token() != old_token, kTimeoutMs);
    QVERIFY2(LastNotice(notices).contains("Claude Code"), qPrintable(LastNotice(notices)));
    QTRY_VERIFY_WITH_TIMEOUT(
        b->clients()->get(b->clients()->indexOf("claude"))["tokenMatches"].toBool(), kTimeoutMs);
    b->restoreClient("claude");
    QTRY_COMPARE_WITH_TIMEOUT(
        b->clients()->get(b->clients()->indexOf("claude"))["pointing"].toString(), QString("none"),
        kTimeoutMs);

    // The token to the clipboard; a daily budget.
    b->copyToken();
    QCOMPARE(QGuiApplication::clipboard()->text(), b->token());
    b->setBudget(5, "block");
    QTRY_COMPARE_WITH_TIMEOUT(b->budget().value("limitUsd").toDouble(), 5.0, kTimeoutMs);
    QCOMPARE(b->budget().value("mode").toString(), QString("block"));
    b->setBudget(0, "notify");
    QTRY_COMPARE_WITH_TIMEOUT(b->budget().value("limitUsd").toDouble(), 0.0, kTimeoutMs);

    // Quick Setup's early failures say why, without touching anything.
    QSignalSpy setup(b.get(), &Backend::quickSetupProgress);
    b->quickSetup("", "", {});
    QCOMPARE(setup.count(), 1);
    QCOMPARE(setup.at(0).at(0).toString(), QString("provider"));
    QCOMPARE(setup.at(0).at(1).toBool(), false);
    b->quickSetup("sk-0123456789", "", {"claude"});  // a plain sk- key: which provider?
    QTRY_COMPARE_WITH_TIMEOUT(setup.count(), 2, kTimeoutMs);
    QCOMPARE(setup.at(1).at(1).toBool(), false);
    QVERIFY(setup.at(1).at(2).toString().contains("choose"));
    b->quickSetup("k-123456", "no_such_type", {});
    QTRY_COMPARE_WITH_TIMEOUT(setup.count(), 3, kTimeoutMs);
    QVERIFY(setup.at(2).at(2).toString().contains("no_such_type"));

    // An official account signed in by device code: the address and code to enter, polled
    // until the (fake) user has entered it, then listed.
    b->signInAccount();
    QTRY_VERIFY_WITH_TIMEOUT(b->signIn().value("active").toBool(), kTimeoutMs);
    QVERIFY2(b->signIn().value("code").toString().startsWith("ABCD-"),
             qPrintable(b->signIn().value("code").toString()));
    QCOMPARE(b->signIn().value("url").toString(),
             QString::fromStdString(upstream.base_url() + "/codex/device"));
    QTRY_COMPARE_WITH_TIMEOUT(b->accounts()->count(), 1, kStartTimeoutMs);
    QVERIFY(b->signIn().isEmpty());
    QVERIFY2(LastNotice(notices).contains("desk@example.com"), qPrintable(LastNotice(notices)));
    // A sign-in cancelled before the code is entered asks no more.
    b->signInAccount();
    QTRY_VERIFY_WITH_TIMEOUT(b->signIn().value("active").toBool(), kTimeoutMs);
    b->cancelSignIn();
    QVERIFY(b->signIn().isEmpty());

    // A backup, made and listed (sealed with a passphrase: it says it restores anywhere).
    b->createBackup("desk passphrase");
    QTRY_COMPARE_WITH_TIMEOUT(b->backups().size(), 1, kStartTimeoutMs);
    QCOMPARE(b->backups().at(0).toMap().value("seal").toString(), QString("passphrase"));
    QVERIFY2(b->backups().at(0).toMap().value("contents").toString().contains("stats.db"),
             qPrintable(b->backups().at(0).toMap().value("contents").toString()));
    QVERIFY2(LastNotice(notices).contains("any machine"), qPrintable(LastNotice(notices)));
    QVERIFY(b->backupSchedule().value("everyMs").toLongLong() > 0);

    // MCP & Skills: a server added here lands in the clients' files (Codex is configured on
    // this "machine": its folder exists), and goes again when removed.
    const QString user_home = QString::fromUtf8(qgetenv("HOME"));
    QDir().mkpath(user_home + "/.codex");
    b->addMcpServer(
        {{"name", "github"},
         {"command", "npx"},
         {"args", QStringList{"-y", "@modelcontextprotocol/server-github"}},
         {"env", QVariantList{QVariantMap{{"name", "GITHUB_TOKEN"}, {"value", "ghp_d"}}}}});
    QTRY_COMPARE_WITH_TIMEOUT(b->mcpServers().size(), 1, kTimeoutMs);
    QVERIFY2(LastNotice(notices).contains("github"), qPrintable(LastNotice(notices)));
    const QVariantMap github = b->mcpServers().at(0).toMap();
    QCOMPARE(github.value("transport").toString(), QString("stdio"));
    QCOMPARE(github.value("state").toMap().value("codex").toString(), QString("ours"));
    QFile codex_config(user_home + "/.codex/config.toml");
    QVERIFY(codex_config.open(QIODevice::ReadOnly));
    QVERIFY(codex_config.readAll().contains("[mcp_servers.github]"));
    codex_config.close();
    QVERIFY(!b->toolboxClients().isEmpty());
    // A name that cannot be a key is refused before any call.
    b->addMcpServer({{"name", "bad name"}, {"command", "x"}});
    QVERIFY2(LastNotice(notices, &error).contains("name"), qPrintable(LastNotice(notices)));
    QVERIFY(error);
    b->removeMcpServer("github");
    QTRY_COMPARE_WITH_TIMEOUT(b->mcpServers().size(), 0, kTimeoutMs);
    QVERIFY(!QFile::exists(user_home + "/.codex/config.toml"));  // it was not there before

    // 8. Diagnostics.
    b->runSelfCheck();
    QTRY_VERIFY_WITH_TIMEOUT(b->checks()->count() > 0, kTimeoutMs);
    QSignalSpy bundle(b.get(), &Backend::bundleExported);
    b->exportBundle(QUrl::fromLocalFile(dir_.path() + "/bundle.tar.gz"));
    QTRY_COMPARE_WITH_TIMEOUT(bundle.count(), 1, kTimeoutMs);
    QVERIFY2(bundle.at(0).at(1).toBool(), qPrintable(bundle.at(0).at(2).toString()));
    QVERIFY(QFile::exists(dir_.path() + "/bundle.tar.gz"));

    // 9. Delete the provider.
    b->deleteProvider("local");
    QTRY_VERIFY_WITH_TIMEOUT(b->providers()->indexOf("local") < 0, kTimeoutMs);
    QCOMPARE(LastNotice(notices), QString("Provider local deleted"));

    // 10. Stop the stack: disconnected, and the status line says so.
    b->stopStack();
    QTRY_VERIFY_WITH_TIMEOUT(!b->busy(), kStartTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!b->connected(), kTimeoutMs);
    QVERIFY2(b->statusText().contains("not running"), qPrintable(b->statusText()));
    QVERIFY(b->services().isEmpty());
    QVERIFY(b->gatewayUrl().isEmpty());
    // An action now fails readably, without a crash.
    b->deleteProvider("local");
    QTRY_VERIFY_WITH_TIMEOUT(b->lastError().contains("reach"), kTimeoutMs);

    // Every admin call ran on a worker thread, none on this (the GUI) thread.
    QVERIFY(b->adminWorker()->callCount() > 10);
    QVERIFY(b->slowAdminWorker()->callCount() > 0);
    QCOMPARE(b->adminWorker()->guiThreadCallCount(), 0);
    QCOMPARE(b->slowAdminWorker()->guiThreadCallCount(), 0);
    QVERIFY(b->adminWorker()->thread() != QThread::currentThread());
    QVERIFY(b->slowAdminWorker()->thread() != QThread::currentThread());

    // Closing is prompt: the event stream and the workers stop at once.
    auto start = std::chrono::steady_clock::now();
    b.reset();
    auto took = std::chrono::steady_clock::now() - start;
    QVERIFY2(took < std::chrono::seconds(2),
             qPrintable(QString::number(
                 std::chrono::duration_cast<std::chrono::milliseconds>(took).count())));
  }

 private:
  QTemporaryDir dir_;
  QString home_;
};

}  // namespace agentgate::desktop

QTEST_MAIN(agentgate::desktop::BackendTest)
#include "backend_test.moc"
