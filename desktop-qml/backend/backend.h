// The desktop app's one QML-facing facade. QML reads state from its properties and models and
// calls its Q_INVOKABLE methods; every admin API call runs on AdminWorker's thread, never on the
// GUI thread, and its result comes back as a queued call that updates the properties/models.
// A failed call never throws and never blocks a page: it sets `lastError` to a readable
// sentence (and emits `notify`), and the page keeps showing what it had.
//
// Thread-safety: a Backend lives on the GUI thread and is used from it only.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>
#include <array>
#include <chrono>
#include <functional>
#include <memory>

#include "desktop-qml/backend/list_model.h"

class QQmlEngine;
class QJSEngine;

namespace agentgate::admin::v1 {
class RouteProfile;
}

namespace agentgate::desktop {

class AdminWorker;
class AppSettings;
class EventStream;
class Inbox;
class PetController;

class Backend : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_SINGLETON

  // --- connection and the stack -----------------------------------------------------------
  // The admin API answered the last call (the router is up and accepted our token).
  Q_PROPERTY(bool connected READ connected NOTIFY connectedChanged)
  // A start or stop of the stack is in progress.
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  // One sentence for the status line: "Gateway running at http://127.0.0.1:9090",
  // "The gateway is not running", "Starting the gateway…".
  Q_PROPERTY(QString statusText READ statusText NOTIFY statusChanged)
  Q_PROPERTY(QString gatewayUrl READ gatewayUrl NOTIFY statusChanged)
  Q_PROPERTY(QString adminAddress READ adminAddress NOTIFY statusChanged)
  Q_PROPERTY(QString home READ home CONSTANT)  // $AGENTGATE_HOME or ~/.agentgate
  // The local token clients present (shown masked by the pages; copyToken copies it whole).
  Q_PROPERTY(QString token READ token NOTIFY statusChanged)
  Q_PROPERTY(QString version READ version CONSTANT)
  // Services from GetStackStatus: [{name, address, version, up, configVersion, startedAt}].
  Q_PROPERTY(QVariantList services READ services NOTIFY statusChanged)
  // The readable message of the last failed call ("" after a success of the same kind).
  Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

  // --- overview ----------------------------------------------------------------------------
  // {requests, errors, inputTokens, outputTokens, costUsd, costKnown, unpriced, avgCostUsd,
  //  avgLatencyMs, planRequests, planListPriceUsd}; costUsd counts priced requests only,
  //  avgCostUsd per priced request; planRequests were served by an official ChatGPT account
  //  (no dollar cost), planListPriceUsd what they would have cost at API prices.
  Q_PROPERTY(QVariantMap today READ today NOTIFY statsChanged)
  Q_PROPERTY(QVariantMap allTime READ allTime NOTIFY statsChanged)
  // The last 24 hours in hour buckets, oldest first: [{startMs, label "14:00", requests,
  // errors, costUsd}].
  Q_PROPERTY(QVariantList chart READ chart NOTIFY statsChanged)
  // Daily budget: {limitUsd (0 = none), mode "notify"|"block"|"cheapest", spentUsd, exceeded}.
  Q_PROPERTY(QVariantMap budget READ budget NOTIFY statsChanged)

  // --- models (roles are the keys of the maps in each; see the *ToMap functions) --------------
  Q_PROPERTY(ListModel* providers READ providers CONSTANT)
  Q_PROPERTY(ListModel* routes READ routes CONSTANT)
  Q_PROPERTY(ListModel* logs READ logs CONSTANT)
  Q_PROPERTY(ListModel* recentErrors READ recentErrors CONSTANT)
  Q_PROPERTY(ListModel* checks READ checks CONSTANT)
  Q_PROPERTY(ListModel* clients READ clients CONSTANT)
  // Official ChatGPT accounts, in pool order (AccountRoles).
  Q_PROPERTY(ListModel* accounts READ accounts CONSTANT)
  // The router's backups, newest first: [{name, path, made, sizeText, seal, contents, scheduled,
  // error}]; and the schedule: {dir, every, keep, next}.
  Q_PROPERTY(QVariantList backups READ backups NOTIFY backupsChanged)
  Q_PROPERTY(QVariantMap backupSchedule READ backupSchedule NOTIFY backupsChanged)
  // A device-code sign-in under way: {active, url, code, expiresAt}; {} when none.
  Q_PROPERTY(QVariantMap signIn READ signIn NOTIFY signInChanged)
  // MCP servers and Skills (backend_toolbox.cc): the gateway's lists and, per client, where each
  // stands. mcpServers: [{name, transport "stdio"|"http"|"sse", runs, disabled, origin,
  // envNames, headerNames, clients (QStringList, [] = all), state {codex: "ours" (written) |
  // "own" (the client's own of that name) | "missing" (not written yet) | "off" (not for it) |
  // "cannot" (Codex and SSE), claude: …}}]; skills: [{name, description, files, bytes,
  // disabled, origin, clients, state}]; toolboxClients: [{client, title, mcpPath, skillsPath,
  // installed, target, ownServers, ownSkills, editedSince, error}].
  Q_PROPERTY(QVariantList mcpServers READ mcpServers NOTIFY toolboxChanged)
  Q_PROPERTY(QVariantList skills READ skills NOTIFY toolboxChanged)
  Q_PROPERTY(QVariantList toolboxClients READ toolboxClients NOTIFY toolboxChanged)
  Q_PROPERTY(AppSettings* settings READ settings CONSTANT)
  Q_PROPERTY(PetController* pet READ pet CONSTANT)

  // Quick Setup is offered while no provider exists, or after Settings re-enabled it.
  Q_PROPERTY(bool quickSetupVisible READ quickSetupVisible NOTIFY quickSetupVisibleChanged)

  // The Logs page's current filter: {provider ("" = any), status (0 = any), errorsOnly}.
  Q_PROPERTY(QVariantMap logFilter READ logFilter NOTIFY logFilterChanged)
  // The provider presets the Providers page offers, in the gateway's order: [{type, title,
  // protocol, baseUrl ("" = the user must give one), defaultModel, needsKey, anthropicUrl,
  // responsesUrl}].
  Q_PROPERTY(QVariantList providerTypes READ providerTypes CONSTANT)
  // The live event stream (WatchEvents) is open. The app works without it (polling only).
  Q_PROPERTY(bool liveEvents READ liveEvents NOTIFY liveEventsChanged)

 public:
  // Not default-constructible on purpose: Qt 6.4 builds a QML singleton with `new T` when it
  // can, which would bypass create() and give QML a second Backend.
  explicit Backend(QObject* parent);
  ~Backend() override;

  // The instance main() made (QML_SINGLETON's factory returns it).
  static Backend* create(QQmlEngine*, QJSEngine*);
  static void setInstance(Backend* b);

  bool connected() const { return connected_; }
  bool busy() const { return busy_; }
  QString statusText() const;
  QString gatewayUrl() const { return gateway_url_; }
  QString adminAddress() const { return admin_address_; }
  QString home() const { return home_; }
  QString token() const { return token_; }
  QString version() const;
  QVariantList services() const { return services_; }
  QString lastError() const { return last_error_; }
  QVariantMap today() const { return today_; }
  QVariantMap allTime() const { return all_time_; }
  QVariantList chart() const { return chart_; }
  QVariantMap budget() const { return budget_; }
  ListModel* providers() { return &providers_; }
  ListModel* routes() { return &routes_; }
  ListModel* logs() { return &logs_; }
  ListModel* recentErrors() { return &recent_errors_; }
  ListModel* checks() { return &checks_; }
  ListModel* clients() { return &clients_; }
  ListModel* accounts() { return &accounts_; }
  QVariantMap signIn() const { return sign_in_; }
  QVariantList backups() const { return backups_; }
  QVariantMap backupSchedule() const { return backup_schedule_; }
  QVariantList mcpServers() const { return mcp_servers_; }
  QVariantList skills() const { return skills_; }
  QVariantList toolboxClients() const { return toolbox_clients_; }
  AppSettings* settings() { return settings_; }
  PetController* pet() { return pet_; }
  bool quickSetupVisible() const { return quick_setup_visible_; }
  QVariantMap logFilter() const;
  QVariantList providerTypes() const;
  bool liveEvents() const { return live_events_; }
  // For tests: the workers that make the admin calls — polls and edits on one, the calls that
  // may take a minute (tests, model lists, client checks, Quick Setup) on the other.
  AdminWorker* adminWorker() const { return worker_; }
  AdminWorker* slowAdminWorker() const { return slow_worker_; }

  // Everything a page shows, re-read from the admin API (and the client files).
  Q_INVOKABLE void refresh();

  // Gateway page.
  Q_INVOKABLE void startStack();  // `agentgatectl up --detach` beside this executable
  Q_INVOKABLE void stopStack();   // `agentgatectl down`
  Q_INVOKABLE void copyToken();   // to the clipboard
  Q_INVOKABLE void regenerateToken();

  // Providers page. `fields`: {name, type, protocol, baseUrl, keys (QStringList; empty = keep),
  // defaultModel, reasoningModel, timeoutMs, modelMap [{from, to}], anthropicUrl, responsesUrl,
  // headers [{name, value}], enabled, priority}. `originalName` empty = create.
  Q_INVOKABLE void saveProvider(const QString& originalName, const QVariantMap& fields);
  Q_INVOKABLE void deleteProvider(const QString& name);
  Q_INVOKABLE void setProviderEnabled(const QString& name, bool enabled);
  Q_INVOKABLE void testProvider(const QString& name);  // -> providerTested
  Q_INVOKABLE void fetchModels(const QString& name);   // -> modelsFetched
  Q_INVOKABLE void resetProviderHealth(const QString& name);
  // What a pasted key looks like (pure, no call): {type, title, protocol, baseUrl,
  // defaultModel, known (bool)}.
  Q_INVOKABLE QVariantMap detectKey(const QString& key) const;

  // Quick Setup: create the provider for `key` (type from detectKey unless given), test it,
  // then apply the chosen clients. Progress through quickSetupProgress.
  Q_INVOKABLE void quickSetup(const QString& key, const QString& type, const QStringList& clients);

  // Routes page. `route`: {name, client, mode "manual"|"failover", chain [names in order],
  // rules [{provider, model, conditions {...}, scene}]}.
  Q_INVOKABLE void saveRoute(const QVariantMap& route);
  Q_INVOKABLE void moveChainEntry(const QString& route, int from, int to);
  Q_INVOKABLE void setRouteMode(const QString& route, const QString& mode);
  // Mid-stream failover on or off for a profile.
  Q_INVOKABLE void setRouteMidstream(const QString& route, bool on);

  // Logs page.
  Q_INVOKABLE void setLogFilter(const QString& provider, int status, bool errorsOnly);
  // The full record of one row of `logs`: the role map plus conversionLosses and tried
  // [{provider, status, outcome, error, latencyMs}].
  Q_INVOKABLE QVariantMap logDetail(int row) const;

  // Clients page (the client-configuration library; files under the user's home).
  Q_INVOKABLE void applyClient(const QString& client);
  Q_INVOKABLE void restoreClient(const QString& client);  // "switch back to official"
  Q_INVOKABLE void testClient(const QString& client);     // -> clientTested

  // Diagnostics page.
  // Official accounts: import a Codex auth.json (a path; "" = $CODEX_HOME/auth.json, else
  // ~/.codex/auth.json), take one out, refresh its sign-in now, write its sign-in as a Codex
  // auth.json ("switch back to official").
  Q_INVOKABLE void importAccount(const QString& path);
  Q_INVOKABLE void removeAccount(const QString& id);
  Q_INVOKABLE void useAccount(const QString& id);  // the pool's first: "switch to it"
  Q_INVOKABLE void refreshAccount(const QString& id);
  Q_INVOKABLE void exportAccount(const QString& id, const QString& path);
  Q_INVOKABLE QString defaultAuthPath() const;
  // Signs an account in by device code (signIn has the address and code to enter, in any
  // browser); polled at the auth server's interval until entered, cancelled or expired.
  // Backups (Settings): a new one (passphrase "": sealed with the master key), the list.
  // Restoring replaces files under a stopped stack: `agentgatectl backup restore`.
  Q_INVOKABLE void createBackup(const QString& passphrase);
  Q_INVOKABLE void refreshBackups();
  Q_INVOKABLE void signInAccount();
  Q_INVOKABLE void cancelSignIn();

  // MCP & Skills page. Every change is written into the clients at once (those installed or
  // configured here), as `agentgatectl mcp|skill` does. `fields`: {name, command, args
  // (QStringList), url, sse (bool), env [{name, value}], headers [{name, value}], clients
  // (QStringList, [] = all), replace (bool)}.
  Q_INVOKABLE void refreshToolbox();
  Q_INVOKABLE void addMcpServer(const QVariantMap& fields);
  Q_INVOKABLE void removeMcpServer(const QString& name);
  Q_INVOKABLE void setMcpServerEnabled(const QString& name, bool enabled);
  Q_INVOKABLE void addSkill(const QString& folder);  // a path or a file:// URL
  Q_INVOKABLE void removeSkill(const QString& name);
  Q_INVOKABLE void setSkillEnabled(const QString& name, bool enabled);
  // Takes what the clients have of their own into the lists, then writes them everywhere.
  Q_INVOKABLE void importToolbox();
  Q_INVOKABLE void syncToolbox();
  // Takes every gateway server and skill out of one client (its file as it was before).
  Q_INVOKABLE void restoreToolbox(const QString& client);

  Q_INVOKABLE void runSelfCheck();
  Q_INVOKABLE void exportBundle(const QUrl& file);  // -> bundleExported

  // Overview page: re-read stats (also every 10 s while connected, and after events).
  Q_INVOKABLE void refreshStats();

  // Settings page: the daily budget. `limitUsd` 0 removes it; `mode` "notify" | "block" |
  // "cheapest".
  Q_INVOKABLE void setBudget(double limitUsd, const QString& mode);
  // Routes page: removes a profile (the four default profiles cannot be removed).
  Q_INVOKABLE void deleteRoute(const QString& name);

 signals:
  void signInChanged();
  void toolboxChanged();
  void backupsChanged();
  void connectedChanged();
  void busyChanged();
  void statusChanged();
  void lastErrorChanged();
  void statsChanged();
  void quickSetupVisibleChanged();
  void logFilterChanged();
  void liveEventsChanged();
  // A short message for a toast: `error` ones are shown in red.
  void notify(const QString& message, bool error);
  void providerTested(const QString& name, bool ok, const QVariantList& steps);
  void modelsFetched(const QString& name, const QStringList& models, const QString& error);
  // step: "provider" | "test" | "clients" | "done"; ok false ends the setup with `message`.
  void quickSetupProgress(const QString& step, bool ok, const QString& message);
  // steps: [{name "config"|"gateway"|"provider", ok, detail}]
  void clientTested(const QString& client, const QVariantList& steps);
  void bundleExported(const QString& path, bool ok, const QString& message);
  // One event from the admin WatchEvents stream, as a map (kind, client, model, provider,
  // status, error, costUsd, activeRequests, detail, atMs).
  void event(const QVariantMap& e);

 private:
  // Members are filled by queued results from the worker; see backend.cc.
  bool connected_ = false;
  bool busy_ = false;
  QString gateway_url_;
  QString admin_address_;
  QString home_;
  QString token_;
  QVariantList services_;
  QString last_error_;
  QVariantMap today_;
  QVariantMap all_time_;
  QVariantList chart_;
  QVariantMap budget_;
  ListModel providers_;
  ListModel routes_;
  ListModel logs_;
  ListModel recent_errors_;
  ListModel checks_;
  ListModel clients_;
  ListModel accounts_;
  QVariantMap sign_in_;
  QVariantList backups_;
  QVariantMap backup_schedule_;
  QVariantList mcp_servers_;
  QVariantList skills_;
  QVariantList toolbox_clients_;
  // Runs `action` on the worker (it returns "" or why it failed, and may set the toast), then,
  // when it succeeded and `sync`, writes the lists into the clients, then reads everything the
  // page shows.
  void RunToolbox(std::function<QString(AdminWorker& w, QString* done)> action, bool sync);
  std::string sign_in_id_;
  QTimer sign_in_timer_;
  bool sign_in_polling_ = false;
  void PollSignIn();
  void EndSignIn();
  AppSettings* settings_ = nullptr;
  PetController* pet_ = nullptr;
  AdminWorker* worker_ = nullptr;
  QTimer stats_timer_;

  // What is polled, each at most once at a time: a refresh asked for while one is in flight
  // runs again when it is done (it may have read the state from before a change).
  enum Poll {
    kStatus,
    kProviders,
    kRoutes,
    kLogs,
    kStats,
    kClients,
    kChecks,
    kAccounts,
    kPollCount
  };
  struct PollState {
    bool in_flight = false;
    bool again = false;
  };
  // False when a poll of that kind is already running (it is then run again when done).
  bool BeginPoll(Poll p);
  void EndPoll(Poll p);
  void RunPoll(Poll p);

  void PollStatus();
  void RefreshProviders();
  void RefreshRoutes();
  void RefreshLogs();
  void RefreshClients();
  void RefreshAccounts();
  void RefreshData();  // providers, routes, logs (while connected) and clients
  void OnEvent(const QVariantMap& e);
  void SetConnected(bool connected);
  void SetBusy(bool busy, const QString& action = QString());
  // `kind`: the Poll that failed, or -1 for a user action. A later success of the same kind
  // clears it (ClearLastError).
  void SetLastError(const QString& message, int kind = -1);
  void ClearLastError(int kind);
  // A failed user action: lastError and a red toast.
  void Fail(const QString& message);
  // A successful user action: a toast, and lastError cleared.
  void Succeed(const QString& message);
  // A failed poll: lastError (without a toast) unless the router is just not running, which
  // the status line says already.
  void PollFailed(Poll p, bool unreachable, const QString& message);
  void UpdateQuickSetupVisible();
  void UpdatePetGateway();
  // agentgatectl beside this executable, else on PATH ("" when neither).
  QString CtlProgram() const;
  // Runs `agentgatectl --home HOME args…`; `done(exitCode, stdout, stderr)` on the GUI thread.
  void RunCtl(const QStringList& args,
              std::function<void(bool ok, const QString& out, const QString& err)> done);
  // `agentgatectl up --detach`; `then(ok)` after it (nullptr: nothing more to do).
  void StartStackThen(std::function<void(bool ok)> then);
  void RunQuickSetup(const QString& key, const QString& type, const QStringList& clients);
  // Reads route `name`, applies `edit` (which returns "" or why it cannot), writes it back.
  void EditRoute(const QString& name, std::function<QString(admin::v1::RouteProfile*)> edit,
                 const QString& success);
  // One admin call whose failure is a user-visible error; `on_ok(response)` on success.
  // `rpc` is an AdminService::Stub method; Fail() with the readable error otherwise.
  template <typename Rpc, typename Req, typename OnOk>
  void Call(Rpc rpc, Req req, OnOk on_ok, std::chrono::seconds deadline = std::chrono::seconds(5));

  AdminWorker* slow_worker_ = nullptr;
  std::shared_ptr<Inbox> inbox_;
  std::unique_ptr<EventStream> events_;
  QTimer status_timer_;
  QTimer data_timer_;
  QTimer debounce_timer_;
  std::array<PollState, kPollCount> polls_{};
  QString status_error_;  // why the last status poll failed ("" when it answered)
  bool status_unreachable_ = true;
  QString stack_action_;  // "start" | "stop" while busy
  QString log_provider_;
  int log_status_ = 0;
  bool log_errors_only_ = false;
  bool status_known_ = false;      // a status poll has answered (either way)
  bool providers_loaded_ = false;  // ListProviders answered at least once
  int last_error_kind_ = -1;       // the Poll whose failure set lastError; -1: a user action
  bool quick_setup_visible_ = false;
  bool live_events_ = false;
  bool debounce_routes_ = false;  // the debounced refresh re-reads routes too (config changed)
  QString pet_url_;               // what the pet was last given
  QString pet_token_;
};

}  // namespace agentgate::desktop
