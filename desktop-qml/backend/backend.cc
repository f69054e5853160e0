#include "desktop-qml/backend/backend.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJSEngine>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QUrl>
#include <algorithm>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "desktop-qml/backend/admin_worker.h"
#include "desktop-qml/backend/app_settings.h"
#include "desktop-qml/backend/pet_controller.h"
#include "desktop-qml/backend/proto_maps.h"
#include "services/clientconf/client_config.h"
#include "services/clientconf/client_files.h"
#include "services/clientconf/gateway_models.h"
#include "services/clientconf/http_client.h"
#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/local_time.h"
#include "services/common/strings.h"
#include "services/ctl/stack_file.h"
#include "services/routing/presets.h"

namespace agentgate::desktop {
namespace {

namespace pb = admin::v1;
namespace cc = clientconf;
using Stub = pb::AdminService::Stub;

// The instance main() made; plain pointer (no non-trivial global).
Backend* g_instance = nullptr;

constexpr int kStatusIntervalMs = 2'000;
constexpr int kDataIntervalMs = 5'000;
constexpr int kStatsIntervalMs = 10'000;
constexpr int kDebounceMs = 300;
constexpr int kLogLimit = 200;
constexpr int kRecentErrors = 20;
constexpr std::chrono::seconds kSelfCheckDeadline{30};
constexpr std::chrono::milliseconds kClientHealthTimeout{5'000};
constexpr std::chrono::milliseconds kClientRequestTimeout{60'000};

QString Q(const std::string& s) { return QString::fromStdString(s); }
QString Q(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

qint64 NowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// The response type of an AdminService::Stub method.
template <typename Rpc>
struct RpcTraits;
template <typename Req, typename Resp>
struct RpcTraits<grpc::Status (Stub::*)(grpc::ClientContext*, const Req&, Resp*)> {
  using Response = Resp;
};

template <typename Resp>
struct Reply {
  CallResult call;
  Resp resp;
};

// The gateway's URL as a client on this machine reaches it (a wildcard bind address is not
// one a client can connect to).
QString LocalUrl(QString url) {
  url.replace(QStringLiteral("//0.0.0.0:"), QStringLiteral("//127.0.0.1:"));
  url.replace(QStringLiteral("//[::]:"), QStringLiteral("//[::1]:"));
  while (url.endsWith('/')) url.chop(1);
  return url;
}

std::string ReadToken(const std::string& home) {
  auto token = ReadFile(home + "/token");
  return token.ok() ? std::string(StripSpace(*token)) : std::string();
}

// Where clients reach the gateway and the token they present, from the files the stack writes.
// Worker thread.
struct Gateway {
  std::string url;  // "" when the stack is not running
  std::string token;
};
Gateway ReadGateway(const std::string& home) {
  Gateway g;
  auto f = ctl::ReadStackFile(home);
  if (f.ok()) g.url = LocalUrl(Q(f->GatewayUrl())).toStdString();
  g.token = ReadToken(home);
  return g;
}

// The gateway URL of a running stack: stack.json's, else the edge's address.
QString GatewayUrlOf(const std::string& home, const pb::StackStatus& status) {
  auto f = ctl::ReadStackFile(home);
  if (f.ok() && !f->GatewayUrl().empty()) return LocalUrl(Q(f->GatewayUrl()));
  for (const auto& s : status.services()) {
    if (s.info().name() == "edge" && !s.info().address().empty()) {
      return LocalUrl("http://" + Q(s.info().address()));
    }
  }
  return QString();
}

QString ProtocolOf(routing::Protocol p) {
  switch (p) {
    case routing::Protocol::kOpenAiChat:
      return ProtocolName(pb::PROVIDER_PROTOCOL_OPENAI_CHAT);
    case routing::Protocol::kAnthropicMessages:
      return ProtocolName(pb::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
    case routing::Protocol::kGemini:
      return ProtocolName(pb::PROVIDER_PROTOCOL_GEMINI);
    case routing::Protocol::kOpenAiResponses:
      return QStringLiteral("openai_responses");
  }
  return QString();
}

QVariantMap PresetToMap(const routing::ProviderPreset& p) {
  return QVariantMap{{"type", Q(p.type)},
                     {"title", Q(p.display_name)},
                     {"protocol", ProtocolOf(p.protocol)},
                     {"baseUrl", Q(p.base_url)},
                     {"defaultModel", Q(p.default_model)},
                     {"needsKey", p.needs_key},
                     {"anthropicUrl", Q(p.anthropic_url)},
                     {"responsesUrl", Q(p.responses_url)}};
}

// The provider's (or gateway's) error message in an error body, else the body's start.
QString ErrorText(const std::string& body) {
  QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(body));
  if (doc.isObject()) {
    QJsonValue err = doc.object().value("error");
    if (err.isObject() && err.toObject().value("message").isString()) {
      return err.toObject().value("message").toString();
    }
    if (err.isString()) return err.toString();
  }
  return Q(body).left(200).simplified();
}

// Points `kind` at the gateway in its own files. "" on success, else why not. Worker thread.
QString ApplyClient(const std::string& home, cc::ClientKind kind, const Gateway& g,
                    const std::string& model, std::vector<std::string> models = {}) {
  const QString title = Q(cc::ClientTitle(kind));
  if (g.url.empty())
    return Backend::tr("%1: the gateway is not running; start it first").arg(title);
  if (g.token.empty()) {
    return Backend::tr("%1: there is no token yet; start the gateway once").arg(title);
  }
  cc::ApplyOptions o;
  o.gateway_url = g.url;
  o.token = g.token;
  o.model = model;
  o.models = std::move(models);
  // The list names the models (for the clients that want a model list) and their limits (for
  // the clients that compact by a context window).
  if ((cc::NeedsModel(kind) && o.models.empty()) || !o.model.empty()) {
    cc::GatewayModelList listed = cc::FetchGatewayModels(g.url, g.token, kClientHealthTimeout);
    if (cc::NeedsModel(kind) && o.models.empty()) {
      for (const auto& m : listed.models) o.models.push_back(m.id);
      if (o.models.empty() && o.model.empty()) {
        return Backend::tr("%1 needs a model for its agentgate provider: %2")
            .arg(title, Q(listed.why_none));
      }
    }
    o.limits = std::move(listed.models);
  }
  cc::ClientConfigurator c(home, cc::Locations::FromEnvironment());
  auto r = c.Apply(kind, o, /*dry_run=*/false);
  if (!r.ok()) {
    return Backend::tr("%1: %2 (nothing was changed)")
        .arg(title, Q(std::string(r.status().message())));
  }
  return QString();
}

QVariantMap Step(const QString& name, bool ok, const QString& detail, bool skipped = false) {
  return QVariantMap{{"name", name}, {"ok", ok}, {"skipped", skipped}, {"detail", detail}};
}

// `agentgatectl client test`'s three steps: the config points at this gateway with its token,
// the gateway answers /health, the smallest real request in the client's protocol goes through.
QVariantList TestClientSteps(const std::string& home, cc::ClientKind kind) {
  QVariantList steps;
  Gateway g = ReadGateway(home);
  cc::ClientConfigurator c(home, cc::Locations::FromEnvironment());
  cc::ClientStatus s = c.Status(kind, g.url, g.token);
  const cc::Inspection& in = s.inspection;
  const QString path = Q(s.config_path);

  bool config_ok = !g.url.empty() && in.pointing == cc::Pointing::kThisGateway && in.token_matches;
  QString detail;
  switch (in.pointing) {
    case cc::Pointing::kThisGateway:
      detail = path + " → " + Q(in.base_url);
      break;
    case cc::Pointing::kElsewhere:
      detail = g.url.empty() ? Backend::tr("%1 points at %2").arg(path, Q(in.base_url))
                             : Backend::tr("%1 points at %2, not %3")
                                   .arg(path, Q(in.base_url), Q(cc::ExpectedBaseUrl(kind, g.url)));
      break;
    case cc::Pointing::kNotConfigured:
      detail = Backend::tr("%1 does not point at the gateway").arg(path);
      break;
    case cc::Pointing::kUnreadable:
      detail = Backend::tr("%1 cannot be read").arg(path);
      break;
  }
  for (const auto& p : in.problems) detail += "; " + Q(p);
  if (!config_ok && in.pointing != cc::Pointing::kUnreadable && !g.url.empty()) {
    detail += Backend::tr(" (use “Apply” to set it up)");
  }
  steps.append(Step(QStringLiteral("config"), config_ok, detail));

  if (g.url.empty()) {
    steps.append(Step(QStringLiteral("gateway"), false,
                      Backend::tr("The gateway is not running: start it first")));
    steps.append(Step(QStringLiteral("provider"), false,
                      Backend::tr("skipped: the gateway does not answer"), true));
    return steps;
  }
  auto health = cc::HttpCall(g.url, "GET", "/health", "", {}, kClientHealthTimeout);
  bool gateway_ok = health.status == 200;
  QString url = Q(g.url);
  steps.append(Step(QStringLiteral("gateway"), gateway_ok,
                    gateway_ok ? Backend::tr("%1/health ok (%2 ms)").arg(url).arg(health.elapsed_ms)
                    : health.status == 0 ? url + ": " + Q(health.error)
                                         : Backend::tr("%1/health answered %2: %3")
                                               .arg(url)
                                               .arg(health.status)
                                               .arg(ErrorText(health.body))));
  if (!gateway_ok) {
    steps.append(Step(QStringLiteral("provider"), false,
                      Backend::tr("skipped: the gateway does not answer"), true));
    return steps;
  }

  std::string model = in.model;
  if (model.empty() && !in.models.empty()) model = in.models.front();
  if (model.empty()) model = cc::DefaultTestModel(kind);
  cc::TestRequest req = cc::MakeTestRequest(kind, model, g.token);
  auto r =
      cc::HttpCall(g.url, req.method, req.target, req.body, req.headers, kClientRequestTimeout);
  bool provider_ok = r.status >= 200 && r.status < 300 && cc::LooksLikeAnswer(kind, r.body);
  QString what = Backend::tr("%1 %2 (model %3): ").arg(Q(req.method), Q(req.target), Q(model));
  QString outcome = r.status == 0 ? Q(r.error)
                    : provider_ok
                        ? Backend::tr("%1, answered in %2 ms").arg(r.status).arg(r.elapsed_ms)
                        : QString::number(r.status) + " " + ErrorText(r.body);
  steps.append(Step(QStringLiteral("provider"), provider_ok, what + outcome));
  return steps;
}

// agentgatectl's stderr as one readable sentence: "agentgatectl: " prefixes dropped.
QString CtlError(const QByteArray& err) {
  QStringList lines;
  for (QString line : QString::fromUtf8(err).split('\n')) {
    line = line.trimmed();
    if (line.startsWith(QStringLiteral("agentgatectl: "))) line = line.mid(14);
    if (!line.isEmpty()) lines.append(line);
  }
  return lines.join(' ');
}

std::optional<cc::ClientKind> ClientKindOf(const QString& name) {
  return cc::ParseClientKind(name.toStdString());
}

struct StatusReply {
  CallResult call;
  QVariantList services;
  QString gateway_url;
  QString address;
  QString token;
};

struct LogsReply {
  CallResult call;
  QList<QVariantMap> logs;
  QList<QVariantMap> errors;
};

struct StatsReply {
  CallResult call;
  QVariantMap today;
  QVariantMap all_time;
  QVariantList chart;
  bool budget_ok = false;
  QVariantMap budget;
};

struct RowsReply {
  CallResult call;
  QList<QVariantMap> rows;
};

}  // namespace

// --- construction ---

Backend::Backend(QObject* parent)
    : QObject(parent),
      home_(Q(DefaultHome())),
      providers_(ProviderRoles(), "name", this),
      routes_(RouteRoles(), "name", this),
      logs_(LogRoles(), "id", this),
      recent_errors_(LogRoles(), "id", this),
      checks_(CheckRoles(), "name", this),
      clients_(ClientRoles(), "name", this),
      accounts_(AccountRoles(), "accountId", this) {
  settings_ = new AppSettings(qEnvironmentVariable("AGENTGATE_DESKTOP_CONFIG"), QString(), this);
  pet_ = new PetController(settings_, this);
  inbox_ = std::make_shared<Inbox>(this);
  worker_ = new AdminWorker(home_.toStdString(), inbox_);
  slow_worker_ = new AdminWorker(home_.toStdString(), inbox_);
  worker_->start();
  slow_worker_->start();
  std::shared_ptr<Inbox> inbox = inbox_;
  events_ = std::make_unique<EventStream>(
      home_.toStdString(),
      [this, inbox](const pb::Event& e) { inbox->post([this, m = EventToMap(e)] { OnEvent(m); }); },
      [this, inbox](bool open) {
        inbox->post([this, open] {
          if (live_events_ == open) return;
          live_events_ = open;
          emit liveEventsChanged();
        });
      });

  connect(this, &Backend::event, pet_, &PetController::onEvent);
  connect(this, &Backend::statsChanged, pet_, [this] { pet_->onTodayStats(today_); });
  connect(settings_, &AppSettings::quickSetupForcedChanged, this,
          &Backend::UpdateQuickSetupVisible);
  connect(&providers_, &ListModel::countChanged, this, &Backend::UpdateQuickSetupVisible);

  status_timer_.setInterval(kStatusIntervalMs);
  connect(&status_timer_, &QTimer::timeout, this, &Backend::PollStatus);
  data_timer_.setInterval(kDataIntervalMs);
  connect(&data_timer_, &QTimer::timeout, this, &Backend::RefreshData);
  connect(&sign_in_timer_, &QTimer::timeout, this, &Backend::PollSignIn);
  stats_timer_.setInterval(kStatsIntervalMs);
  connect(&stats_timer_, &QTimer::timeout, this, [this] {
    if (connected_) refreshStats();
  });
  debounce_timer_.setSingleShot(true);
  debounce_timer_.setInterval(kDebounceMs);
  connect(&debounce_timer_, &QTimer::timeout, this, [this] {
    if (!connected_) return;
    refreshStats();
    RefreshLogs();
    RefreshProviders();
    if (debounce_routes_) RefreshRoutes();
    debounce_routes_ = false;
  });
  status_timer_.start();
  data_timer_.start();
  stats_timer_.start();
  events_->start();

  UpdateQuickSetupVisible();
  PollStatus();
  RefreshClients();
}

Backend::~Backend() {
  if (g_instance == this) g_instance = nullptr;
  // Nothing from the worker threads reaches this object any more…
  inbox_->close();
  events_->stop();
  // …and a start or stop of the stack in progress finishes by itself: its QProcess is left
  // alone rather than killed half-way (the process is reaped when the app exits).
  for (QProcess* p : findChildren<QProcess*>(QString(), Qt::FindDirectChildrenOnly)) {
    p->disconnect();
    p->setParent(nullptr);
  }
  for (AdminWorker* w : {worker_, slow_worker_}) {
    if (w->stop(std::chrono::seconds(3))) {
      delete w;
    } else {
      // Blocked in a plain HTTP request (a client test), which cannot be cancelled: it ends by
      // its deadline, its result is dropped, and the process exit takes the thread.
      qWarning("agentgate-desktop: an admin job is still running; not waiting for it");
    }
  }
}

Backend* Backend::create(QQmlEngine*, QJSEngine*) {
  if (g_instance == nullptr) {
    // No instance from main() (a QML tool loading the module): this one belongs to the engine.
    g_instance = new Backend(nullptr);
    return g_instance;
  }
  QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
  return g_instance;
}

void Backend::setInstance(Backend* b) { g_instance = b; }

// --- properties ---

QString Backend::statusText() const {
  if (busy_) {
    return stack_action_ == QLatin1String("stop") ? tr("Stopping the gateway…")
                                                  : tr("Starting the gateway…");
  }
  if (connected_) {
    return gateway_url_.isEmpty() ? tr("Gateway running")
                                  : tr("Gateway running at %1").arg(gateway_url_);
  }
  if (!status_error_.isEmpty() && !status_unreachable_) return status_error_;
  return tr("The gateway is not running");
}

QString Backend::version() const { return QStringLiteral(AGENTGATE_VERSION); }

QVariantMap Backend::logFilter() const {
  return QVariantMap{
      {"provider", log_provider_}, {"status", log_status_}, {"errorsOnly", log_errors_only_}};
}

QVariantList Backend::providerTypes() const {
  QVariantList out;
  for (const auto& p : routing::AllPresets()) out.append(PresetToMap(p));
  return out;
}

// --- state helpers ---

void Backend::SetConnected(bool connected) {
  const bool first = !status_known_;
  status_known_ = true;
  if (connected == connected_ && !first) return;
  const bool changed = connected != connected_;
  connected_ = connected;
  if (changed) emit connectedChanged();
  pet_->onGatewayRunning(connected_);
  if (connected_) {
    // Everything a page shows, at once; and the event stream need not wait out its backoff.
    RefreshData();
    refreshStats();
    events_->wake();
  }
  UpdatePetGateway();
  UpdateQuickSetupVisible();
}

void Backend::SetBusy(bool busy, const QString& action) {
  if (busy == busy_ && action == stack_action_) return;
  busy_ = busy;
  stack_action_ = busy ? action : QString();
  emit busyChanged();
  emit statusChanged();
}

void Backend::SetLastError(const QString& message, int kind) {
  last_error_kind_ = kind;
  if (message == last_error_) return;
  last_error_ = message;
  emit lastErrorChanged();
}

void Backend::ClearLastError(int kind) {
  if (last_error_kind_ == kind && !last_error_.isEmpty()) SetLastError(QString(), kind);
}

void Backend::Fail(const QString& message) {
  SetLastError(message, -1);
  emit notify(message, true);
}

void Backend::Succeed(const QString& message) {
  ClearLastError(-1);
  emit notify(message, false);
}

void Backend::PollFailed(Poll p, bool unreachable, const QString& message) {
  if (unreachable) {
    // The status line says so; and connected may be out of date.
    if (connected_) PollStatus();
    return;
  }
  SetLastError(message, p);
}

void Backend::UpdateQuickSetupVisible() {
  // Before the providers were ever listed: offered on a new install (no token: the stack never
  // ran), so the first window can guide the user.
  bool fresh = !QFileInfo::exists(home_ + "/token");
  bool visible = settings_->quickSetupForced() ||
                 (providers_loaded_ ? providers_.count() == 0 : fresh && !connected_);
  if (visible == quick_setup_visible_) return;
  quick_setup_visible_ = visible;
  emit quickSetupVisibleChanged();
}

void Backend::UpdatePetGateway() {
  QString url = connected_ ? gateway_url_ : QString();
  if (url == pet_url_ && token_ == pet_token_) return;
  pet_url_ = url;
  pet_token_ = token_;
  pet_->setGateway(pet_url_, pet_token_);
}

// --- polling ---

bool Backend::BeginPoll(Poll p) {
  PollState& s = polls_[p];
  if (s.in_flight) {
    s.again = true;
    return false;
  }
  s.in_flight = true;
  return true;
}

void Backend::EndPoll(Poll p) {
  PollState& s = polls_[p];
  s.in_flight = false;
  if (s.again) {
    s.again = false;
    RunPoll(p);
  }
}

void Backend::RunPoll(Poll p) {
  switch (p) {
    case kStatus:
      PollStatus();
      break;
    case kProviders:
      RefreshProviders();
      break;
    case kRoutes:
      RefreshRoutes();
      break;
    case kLogs:
      RefreshLogs();
      break;
    case kStats:
      refreshStats();
      break;
    case kClients:
      RefreshClients();
      break;
    case kChecks:
      runSelfCheck();
      break;
    case kPollCount:
      break;
  }
}

void Backend::refresh() {
  PollStatus();
  RefreshData();
  if (connected_) {
    refreshStats();
    refreshToolbox();
  }
  runSelfCheck();
}

void Backend::RefreshData() {
  if (connected_) {
    RefreshProviders();
    RefreshRoutes();
    RefreshLogs();
    RefreshAccounts();
  }
  RefreshClients();
}

void Backend::PollStatus() {
  if (!BeginPoll(kStatus)) return;
  worker_->post(
      [](AdminWorker& w) {
        StatusReply r;
        pb::StackStatus status;
        r.call = w.call(&Stub::GetStackStatus, pb::GetStackStatusRequest(), &status);
        r.address = Q(w.address());
        if (r.call.ok) {
          for (const auto& s : status.services()) r.services.append(ServiceToMap(s));
          r.gateway_url = GatewayUrlOf(w.home(), status);
          pb::TokenInfo token;
          if (w.call(&Stub::GetToken, pb::GetTokenRequest(), &token).ok) r.token = Q(token.token());
        }
        if (r.token.isEmpty()) r.token = Q(ReadToken(w.home()));
        return r;
      },
      [this](StatusReply r) {
        bool changed = false;
        auto set = [&changed](auto& field, auto value) {
          if (field == value) return;
          field = std::move(value);
          changed = true;
        };
        set(services_, r.services);
        set(gateway_url_, r.gateway_url);
        set(admin_address_, r.address);
        set(token_, r.token);
        set(status_error_, r.call.error);
        set(status_unreachable_, r.call.unreachable());
        if (changed) emit statusChanged();
        SetConnected(r.call.ok);
        UpdatePetGateway();
        EndPoll(kStatus);
      });
}

void Backend::RefreshProviders() {
  if (!BeginPoll(kProviders)) return;
  worker_->post(
      [](AdminWorker& w) {
        RowsReply r;
        pb::ListProvidersResponse resp;
        r.call = w.call(&Stub::ListProviders, pb::ListProvidersRequest(), &resp);
        const qint64 now = NowMs();
        for (const auto& p : resp.providers()) r.rows.append(ProviderToMap(p, now));
        return r;
      },
      [this](RowsReply r) {
        if (r.call.ok) {
          providers_.setRows(std::move(r.rows));
          providers_loaded_ = true;
          UpdateQuickSetupVisible();
          ClearLastError(kProviders);
        } else {
          PollFailed(kProviders, r.call.unreachable(), r.call.error);
        }
        EndPoll(kProviders);
      });
}

void Backend::RefreshAccounts() {
  if (!BeginPoll(kAccounts)) return;
  worker_->post(
      [](AdminWorker& w) {
        RowsReply r;
        pb::ListAccountsResponse resp;
        r.call = w.call(&Stub::ListAccounts, pb::ListAccountsRequest(), &resp);
        const qint64 now = NowMs();
        for (const auto& a : resp.accounts()) r.rows.append(AccountToMap(a, now));
        return r;
      },
      [this](RowsReply r) {
        if (r.call.ok) {
          accounts_.setRows(std::move(r.rows));
          ClearLastError(kAccounts);
        } else {
          PollFailed(kAccounts, r.call.unreachable(), r.call.error);
        }
        EndPoll(kAccounts);
      });
}

QString Backend::defaultAuthPath() const {
  const QString codex_home = qEnvironmentVariable("CODEX_HOME");
  if (!codex_home.isEmpty()) return codex_home + "/auth.json";
  return QDir::homePath() + "/.codex/auth.json";
}

void Backend::importAccount(const QString& path) {
  const QString file = path.trimmed().isEmpty() ? defaultAuthPath() : path.trimmed();
  QFile f(file.startsWith("file://") ? QUrl(file).toLocalFile() : file);
  if (!f.exists()) {
    Fail(tr("There is no %1: Codex may keep its sign-in in the system keyring. Put "
            "cli_auth_credentials_store = \"file\" in ~/.codex/config.toml and sign in again "
            "(codex login), or choose the file.")
             .arg(f.fileName()));
    return;
  }
  if (!f.open(QIODevice::ReadOnly) || f.size() > 1024 * 1024) {
    Fail(tr("Cannot read %1").arg(f.fileName()));
    return;
  }
  pb::ImportAccountRequest req;
  req.set_auth_json(f.readAll().toStdString());
  Call(&Stub::ImportAccount, req, [this](const pb::ImportAccountResponse& resp) {
    const QString id = Q(resp.account().id());
    Succeed(resp.replaced() ? tr("Account %1 signed in again").arg(id)
                            : tr("Account %1 imported into %2: the gateway now keeps its sign-in "
                                 "alive, so Codex's own copy stops working after the next "
                                 "refresh. Point Codex at the gateway on the Clients page.")
                                  .arg(id, Q(resp.account().provider())));
    RefreshAccounts();
    RefreshProviders();
    RefreshRoutes();
  });
}

void Backend::removeAccount(const QString& id) {
  pb::RemoveAccountRequest req;
  req.set_id(id.toStdString());
  Call(&Stub::RemoveAccount, req, [this, id](const pb::RemoveAccountResponse&) {
    Succeed(tr("Account %1 removed").arg(id));
    RefreshAccounts();
  });
}

void Backend::useAccount(const QString& id) {
  pb::UseAccountRequest req;
  req.set_id(id.toStdString());
  Call(&Stub::UseAccount, req, [this, id](const pb::Account&) {
    Succeed(tr("Account %1 is now used first").arg(id));
    RefreshAccounts();
  });
}

void Backend::refreshAccount(const QString& id) {
  pb::RefreshAccountRequest req;
  req.set_id(id.toStdString());
  Call(
      &Stub::RefreshAccount, req,
      [this, id](const pb::Account&) {
        Succeed(tr("Account %1 refreshed").arg(id));
        RefreshAccounts();
      },
      std::chrono::seconds(40));
}

void Backend::exportAccount(const QString& id, const QString& path) {
  const QString file = path.startsWith("file://") ? QUrl(path).toLocalFile() : path;
  pb::ExportAccountRequest req;
  req.set_id(id.toStdString());
  Call(&Stub::ExportAccount, req, [this, id, file](const pb::ExportAccountResponse& resp) {
    if (QFile::exists(file)) {
      QFile::remove(file + ".bak");
      if (!QFile::copy(file, file + ".bak")) {
        Fail(tr("Cannot keep a copy of %1").arg(file));
        return;
      }
    }
    absl::Status st = WriteFileAtomic(file.toStdString(), resp.auth_json(), 0600);
    if (!st.ok()) {
      Fail(tr("Cannot write %1: %2").arg(file, Q(std::string(st.message()))));
      return;
    }
    Succeed(tr("Wrote %1 with account %2's sign-in. Remove the account from the gateway before "
               "Codex uses it: the two copies would spend each other's refresh tokens.")
                .arg(file, id));
  });
}

void Backend::refreshBackups() {
  Call(&Stub::ListBackups, pb::ListBackupsRequest(), [this](const pb::ListBackupsResponse& resp) {
    backups_.clear();
    for (const auto& b : resp.backups()) backups_.append(BackupToMap(b));
    backup_schedule_ = QVariantMap{{"dir", Q(resp.dir())},
                                   {"everyMs", static_cast<qint64>(resp.every_ms())},
                                   {"keep", resp.keep()},
                                   {"nextAtMs", static_cast<qint64>(resp.next_at_ms())}};
    emit backupsChanged();
  });
}

void Backend::createBackup(const QString& passphrase) {
  pb::CreateBackupRequest req;
  req.set_passphrase(passphrase.toStdString());
  Call(
      &Stub::CreateBackup, req,
      [this](const pb::BackupInfo& b) {
        Succeed(
            b.seal() == "passphrase"
                ? tr("Backup %1 made, sealed with your passphrase: it restores on any machine.")
                      .arg(Q(b.name()))
                : tr("Backup %1 made, sealed with this gateway's master key.").arg(Q(b.name())));
        refreshBackups();
      },
      std::chrono::seconds(600));
}

void Backend::signInAccount() {
  pb::StartAccountLoginRequest req;
  req.set_device(true);
  Call(
      &Stub::StartAccountLogin, req,
      [this](const pb::AccountLogin& login) {
        sign_in_id_ = login.login_id();
        sign_in_ = QVariantMap{{"active", true},
                               {"url", Q(login.verification_url())},
                               {"code", Q(login.user_code())},
                               {"expiresAt", static_cast<qint64>(login.expires_at_ms())}};
        emit signInChanged();
        sign_in_timer_.setInterval(std::clamp(login.interval_s(), 1, 60) * 1000);
        sign_in_timer_.start();
      },
      std::chrono::seconds(40));
}

void Backend::cancelSignIn() { EndSignIn(); }

void Backend::EndSignIn() {
  sign_in_timer_.stop();
  sign_in_id_.clear();
  sign_in_.clear();
  emit signInChanged();
}

void Backend::PollSignIn() {
  if (sign_in_id_.empty() || sign_in_polling_) return;
  if (NowMs() > sign_in_.value("expiresAt").toLongLong()) {
    EndSignIn();
    Fail(tr("The code was not entered within 15 minutes: sign in again."));
    return;
  }
  sign_in_polling_ = true;
  pb::FinishAccountLoginRequest req;
  req.set_login_id(sign_in_id_);
  worker_->post(
      [req](AdminWorker& w) {
        Reply<pb::FinishAccountLoginResponse> r;
        r.call = w.call(&Stub::FinishAccountLogin, req, &r.resp, std::chrono::seconds(40));
        return r;
      },
      [this, id = sign_in_id_](Reply<pb::FinishAccountLoginResponse> r) {
        sign_in_polling_ = false;
        if (id != sign_in_id_) return;  // cancelled meanwhile
        if (!r.call.ok) {
          if (r.call.unreachable()) return;  // asked again at the next tick
          EndSignIn();
          Fail(r.call.error);
          return;
        }
        if (r.resp.pending()) return;
        EndSignIn();
        const auto& a = r.resp.imported().account();
        Succeed(tr("Signed in: account %1 (%2) is in %3. Point Codex at the gateway on the "
                   "Clients page.")
                    .arg(Q(a.email().empty() ? a.id() : a.email()), Q(a.plan()), Q(a.provider())));
        RefreshAccounts();
        RefreshProviders();
        RefreshRoutes();
      });
}

void Backend::RefreshRoutes() {
  if (!BeginPoll(kRoutes)) return;
  worker_->post(
      [](AdminWorker& w) {
        RowsReply r;
        pb::ListRoutesResponse resp;
        r.call = w.call(&Stub::ListRoutes, pb::ListRoutesRequest(), &resp);
        for (const auto& route : resp.routes()) r.rows.append(RouteToMap(route));
        return r;
      },
      [this](RowsReply r) {
        if (r.call.ok) {
          routes_.setRows(std::move(r.rows));
          ClearLastError(kRoutes);
        } else {
          PollFailed(kRoutes, r.call.unreachable(), r.call.error);
        }
        EndPoll(kRoutes);
      });
}

void Backend::RefreshLogs() {
  if (!BeginPoll(kLogs)) return;
  pb::ListRequestLogsRequest req;
  req.set_limit(kLogLimit);
  req.set_provider(log_provider_.toStdString());
  req.set_status(log_status_);
  req.set_errors_only(log_errors_only_);
  worker_->post(
      [req](AdminWorker& w) {
        LogsReply r;
        const qint64 now = NowMs();
        pb::ListRequestLogsResponse logs;
        r.call = w.call(&Stub::ListRequestLogs, req, &logs);
        if (!r.call.ok) return r;
        for (const auto& l : logs.logs()) r.logs.append(LogToMap(l, now));
        pb::ListRequestLogsRequest errors_req;
        errors_req.set_limit(kRecentErrors);
        errors_req.set_errors_only(true);
        pb::ListRequestLogsResponse errors;
        r.call = w.call(&Stub::ListRequestLogs, errors_req, &errors);
        for (const auto& l : errors.logs()) r.errors.append(LogToMap(l, now));
        return r;
      },
      [this](LogsReply r) {
        if (r.call.ok) {
          logs_.setRows(std::move(r.logs));
          recent_errors_.setRows(std::move(r.errors));
          ClearLastError(kLogs);
        } else {
          PollFailed(kLogs, r.call.unreachable(), r.call.error);
        }
        EndPoll(kLogs);
      });
}

void Backend::refreshStats() {
  if (!BeginPoll(kStats)) return;
  worker_->post(
      [](AdminWorker& w) {
        StatsReply r;
        // The last 24 hours in hour buckets (the current hour last), today and all time.
        constexpr qint64 kHourMs = 3'600'000;
        const qint64 now = NowMs();
        pb::GetStatsRequest req;
        req.set_since_ms(now - now % kHourMs - 23 * kHourMs);
        req.set_bucket("hour");
        req.set_utc_offset_minutes(LocalUtcOffsetMinutes());
        pb::StatsSummary stats;
        r.call = w.call(&Stub::GetStats, req, &stats);
        if (!r.call.ok) return r;
        r.today = StatsTotalsToMap(stats.today());
        r.all_time = StatsTotalsToMap(stats.all_time());
        r.chart = BucketsToChart(stats.buckets());
        pb::Budget budget;
        r.budget_ok = w.call(&Stub::GetBudget, pb::GetBudgetRequest(), &budget).ok;
        if (r.budget_ok) {
          r.budget = BudgetToMap(budget);
          // The budget watcher reads the stats every few seconds; today's cost is fresher.
          double spent = stats.today().cost_usd();
          r.budget["spentUsd"] = spent;
          r.budget["exceeded"] = budget.daily_limit_usd() > 0 && spent >= budget.daily_limit_usd();
        }
        return r;
      },
      [this](StatsReply r) {
        if (r.call.ok) {
          bool changed = r.today != today_ || r.all_time != all_time_ || r.chart != chart_ ||
                         (r.budget_ok && r.budget != budget_);
          today_ = std::move(r.today);
          all_time_ = std::move(r.all_time);
          chart_ = std::move(r.chart);
          if (r.budget_ok) budget_ = std::move(r.budget);
          if (changed) emit statsChanged();
          ClearLastError(kStats);
        } else {
          PollFailed(kStats, r.call.unreachable(), r.call.error);
        }
        EndPoll(kStats);
      });
}

void Backend::RefreshClients() {
  if (!BeginPoll(kClients)) return;
  const QString url = connected_ ? gateway_url_ : QString();
  const std::string token = token_.toStdString();
  worker_->post(
      [url, token](AdminWorker& w) {
        QList<QVariantMap> rows;
        std::string t = token.empty() ? ReadToken(w.home()) : token;
        cc::ClientConfigurator c(w.home(), cc::Locations::FromEnvironment());
        for (cc::ClientKind kind : cc::AllClients()) {
          rows.append(ClientStatusToMap(c.Status(kind, url.toStdString(), t), url));
        }
        return rows;
      },
      [this](QList<QVariantMap> rows) {
        clients_.setRows(std::move(rows));
        EndPoll(kClients);
      });
}

void Backend::runSelfCheck() {
  if (!BeginPoll(kChecks)) return;
  slow_worker_->post(
      [](AdminWorker& w) {
        RowsReply r;
        pb::SelfCheckReport report;
        r.call = w.call(&Stub::SelfCheck, pb::SelfCheckRequest(), &report, kSelfCheckDeadline);
        if (r.call.ok) {
          for (const auto& c : report.checks()) r.rows.append(CheckToMap(c));
        } else {
          pb::Check c;
          c.set_name("services");
          c.set_status(pb::CHECK_STATUS_FAIL);
          c.set_detail(r.call.error.toStdString());
          c.set_fix(Backend::tr("Start the gateway on the Gateway page").toStdString());
          r.rows.append(CheckToMap(c));
        }
        return r;
      },
      [this](RowsReply r) {
        checks_.setRows(std::move(r.rows));
        EndPoll(kChecks);
      });
}

void Backend::OnEvent(const QVariantMap& e) {
  emit event(e);
  const QString kind = e.value("kind").toString();
  if (kind == QLatin1String("finished") || kind == QLatin1String("config") ||
      kind == QLatin1String("health")) {
    // A burst of events refreshes once, ~300 ms after its first.
    if (kind == QLatin1String("config")) debounce_routes_ = true;
    if (!debounce_timer_.isActive()) debounce_timer_.start();
  } else if (kind == QLatin1String("hello") || kind == QLatin1String("stopping")) {
    PollStatus();
  } else if (kind == QLatin1String("account")) {
    RefreshAccounts();
  }
}

// --- one admin call ---

template <typename Rpc, typename Req, typename OnOk>
void Backend::Call(Rpc rpc, Req req, OnOk on_ok, std::chrono::seconds deadline) {
  using Resp = typename RpcTraits<Rpc>::Response;
  worker_->post(
      [rpc, req = std::move(req), deadline](AdminWorker& w) {
        Reply<Resp> r;
        r.call = w.call(rpc, req, &r.resp, deadline);
        return r;
      },
      [this, on_ok = std::move(on_ok)](Reply<Resp> r) mutable {
        if (!r.call.ok) {
          Fail(r.call.error);
          if (r.call.unreachable()) PollStatus();
          return;
        }
        on_ok(r.resp);
      });
}

// --- gateway page ---

QString Backend::CtlProgram() const {
  const QString beside = QCoreApplication::applicationDirPath() + "/agentgatectl";
  QFileInfo info(beside);
  if (info.isFile() && info.isExecutable()) return beside;
  return QStandardPaths::findExecutable(QStringLiteral("agentgatectl"));
}

void Backend::RunCtl(const QStringList& args,
                     std::function<void(bool ok, const QString& out, const QString& err)> done) {
  const QString program = CtlProgram();
  if (program.isEmpty()) {
    done(false, QString(),
         tr("agentgatectl was not found in %1 or on PATH")
             .arg(QCoreApplication::applicationDirPath()));
    return;
  }
  auto* p = new QProcess(this);
  p->setProgram(program);
  p->setArguments(QStringList{QStringLiteral("--home"), home_} + args);
  connect(p, &QProcess::finished, this, [p, done](int code, QProcess::ExitStatus status) {
    QString out = QString::fromUtf8(p->readAllStandardOutput());
    QString err = CtlError(p->readAllStandardError());
    p->deleteLater();
    bool ok = status == QProcess::NormalExit && code == 0;
    if (!ok && err.isEmpty()) {
      err = status == QProcess::NormalExit ? tr("agentgatectl failed (exit code %1)").arg(code)
                                           : tr("agentgatectl crashed");
    }
    done(ok, out, err);
  });
  connect(p, &QProcess::errorOccurred, this, [p, done](QProcess::ProcessError e) {
    if (e != QProcess::FailedToStart) return;  // the others end in finished()
    p->deleteLater();
    done(false, QString(), tr("cannot run %1: %2").arg(p->program(), p->errorString()));
  });
  p->start();
}

void Backend::StartStackThen(std::function<void(bool ok)> then) {
  if (busy_) {
    if (then) then(false);
    return;
  }
  SetBusy(true, QStringLiteral("start"));
  RunCtl({QStringLiteral("up"), QStringLiteral("--detach")},
         [this, then](bool ok, const QString&, const QString& err) {
           SetBusy(false);
           if (ok) {
             Succeed(tr("Gateway started"));
           } else {
             Fail(tr("The gateway did not start: %1").arg(err));
           }
           PollStatus();
           if (then) then(ok);
         });
}

void Backend::startStack() {
  if (connected_) {
    emit notify(tr("The gateway is already running"), false);
    return;
  }
  StartStackThen(nullptr);
}

void Backend::stopStack() {
  if (busy_) return;
  SetBusy(true, QStringLiteral("stop"));
  RunCtl({QStringLiteral("down")}, [this](bool ok, const QString&, const QString& err) {
    SetBusy(false);
    if (ok) {
      Succeed(tr("Gateway stopped"));
    } else {
      Fail(tr("The gateway did not stop: %1").arg(err));
    }
    PollStatus();
  });
}

void Backend::copyToken() {
  if (token_.isEmpty()) {
    Fail(tr("There is no token yet: start the gateway once"));
    return;
  }
  if (qobject_cast<QGuiApplication*>(QCoreApplication::instance()) == nullptr) {
    Fail(tr("There is no clipboard here"));
    return;
  }
  QGuiApplication::clipboard()->setText(token_);
  Succeed(tr("Token copied"));
}

void Backend::regenerateToken() {
  struct Result {
    CallResult call;
    QString token;
    QStringList updated;  // clients given the new token
    QStringList failed;
  };
  worker_->post(
      [](AdminWorker& w) {
        Result r;
        // The clients set up with the old token get the new one: otherwise they stop working.
        Gateway g = ReadGateway(w.home());
        cc::ClientConfigurator c(w.home(), cc::Locations::FromEnvironment());
        std::vector<cc::ClientStatus> ours;
        for (cc::ClientKind kind : cc::AllClients()) {
          cc::ClientStatus s = c.Status(kind, g.url, g.token);
          if (s.inspection.token_matches && !g.token.empty()) ours.push_back(s);
        }
        pb::TokenInfo info;
        r.call = w.call(&Stub::RotateToken, pb::RotateTokenRequest(), &info);
        if (!r.call.ok) return r;
        r.token = Q(info.token());
        g.token = info.token();
        for (const cc::ClientStatus& s : ours) {
          QString err = ApplyClient(w.home(), s.kind, g, s.inspection.model, s.inspection.models);
          if (err.isEmpty()) {
            r.updated.append(Q(cc::ClientTitle(s.kind)));
          } else {
            r.failed.append(err);
          }
        }
        return r;
      },
      [this](Result r) {
        if (!r.call.ok) {
          Fail(r.call.error);
          return;
        }
        if (token_ != r.token) {
          token_ = r.token;
          emit statusChanged();
          UpdatePetGateway();
        }
        QString message = tr("A new token is in place");
        if (!r.updated.isEmpty()) {
          message += tr("; %1 updated to use it").arg(r.updated.join(QStringLiteral(", ")));
        }
        if (r.failed.isEmpty()) {
          Succeed(message);
        } else {
          Fail(message + "; " + r.failed.join(QStringLiteral("; ")));
        }
        RefreshClients();
      });
}

// --- providers page ---

void Backend::saveProvider(const QString& originalName, const QVariantMap& fields) {
  if (originalName.isEmpty()) {
    pb::CreateProviderRequest req = FieldsToCreateRequest(fields);
    if (req.provider().type().empty()) {
      Fail(tr("Choose the provider's type"));
      return;
    }
    const QString name = Q(req.provider().name());
    // The router creates providers enabled: switching it off is an update after.
    const bool disable = fields.contains("enabled") && !fields.value("enabled").toBool();
    worker_->post(
        [req, disable](AdminWorker& w) {
          Reply<pb::Provider> r;
          r.call = w.call(&Stub::CreateProvider, req, &r.resp);
          if (r.call.ok && disable) {
            pb::UpdateProviderRequest off;
            off.set_name(r.resp.name());
            off.set_enabled(false);
            r.call = w.call(&Stub::UpdateProvider, off, &r.resp);
          }
          return r;
        },
        [this, name](Reply<pb::Provider> r) {
          if (!r.call.ok) {
            Fail(r.call.error);
          } else {
            Succeed(tr("Provider %1 saved").arg(name));
          }
          RefreshProviders();
          RefreshRoutes();
        });
    return;
  }
  pb::UpdateProviderRequest req = FieldsToUpdateRequest(originalName, fields);
  const QString name = req.has_new_name() ? Q(req.new_name()) : originalName;
  Call(&Stub::UpdateProvider, req, [this, name](const pb::Provider&) {
    Succeed(tr("Provider %1 saved").arg(name));
    RefreshProviders();
    RefreshRoutes();
  });
}

void Backend::deleteProvider(const QString& name) {
  pb::DeleteProviderRequest req;
  req.set_name(name.toStdString());
  Call(&Stub::DeleteProvider, req, [this, name](const pb::DeleteProviderResponse&) {
    Succeed(tr("Provider %1 deleted").arg(name));
    RefreshProviders();
    RefreshRoutes();
  });
}

void Backend::setProviderEnabled(const QString& name, bool enabled) {
  pb::UpdateProviderRequest req;
  req.set_name(name.toStdString());
  req.set_enabled(enabled);
  Call(&Stub::UpdateProvider, req, [this, name, enabled](const pb::Provider&) {
    Succeed(enabled ? tr("Provider %1 enabled").arg(name) : tr("Provider %1 disabled").arg(name));
    RefreshProviders();
  });
}

void Backend::testProvider(const QString& name) {
  pb::TestProviderRequest req;
  req.set_name(name.toStdString());
  req.set_check_vision(true);
  slow_worker_->post(
      [req](AdminWorker& w) {
        Reply<pb::ProviderTestResult> r;
        r.call = w.call(&Stub::TestProvider, req, &r.resp, AdminWorker::kLongDeadline);
        return r;
      },
      [this, name](Reply<pb::ProviderTestResult> r) {
        if (!r.call.ok) {
          emit providerTested(name, false,
                              QVariantList{Step(QStringLiteral("probe"), false, r.call.error)});
          Fail(r.call.error);
          return;
        }
        QVariantList steps = TestStepsToList(r.resp);
        emit providerTested(name, r.resp.ok(), steps);
        if (r.resp.ok()) {
          Succeed(tr("Provider %1 works").arg(name));
        } else {
          QString why;
          for (const auto& s : r.resp.steps()) {
            if (!s.ok() && !s.skipped()) {
              why = Q(s.detail());
              break;
            }
          }
          Fail(why.isEmpty() ? tr("Provider %1 failed its test").arg(name)
                             : tr("Provider %1 failed its test: %2").arg(name, why));
        }
        RefreshProviders();
      });
}

void Backend::fetchModels(const QString& name) {
  pb::ListProviderModelsRequest req;
  req.set_name(name.toStdString());
  slow_worker_->post(
      [req](AdminWorker& w) {
        Reply<pb::ListProviderModelsResponse> r;
        r.call = w.call(&Stub::ListProviderModels, req, &r.resp, AdminWorker::kLongDeadline);
        return r;
      },
      [this, name](Reply<pb::ListProviderModelsResponse> r) {
        if (!r.call.ok) {
          emit modelsFetched(name, {}, r.call.error);
          Fail(r.call.error);
          return;
        }
        QStringList models;
        for (const auto& m : r.resp.models()) models.append(Q(m));
        QString detail = Q(r.resp.detail());
        emit modelsFetched(name, models, detail);
        if (!detail.isEmpty()) Fail(detail);
      });
}

void Backend::resetProviderHealth(const QString& name) {
  pb::ResetProviderHealthRequest req;
  req.set_name(name.toStdString());
  Call(&Stub::ResetProviderHealth, req, [this, name](const pb::Provider&) {
    Succeed(tr("Provider %1 is available again").arg(name));
    RefreshProviders();
  });
}

QVariantMap Backend::detectKey(const QString& key) const {
  QVariantMap out{{"known", false},        {"type", QString()},    {"title", QString()},
                  {"protocol", QString()}, {"baseUrl", QString()}, {"defaultModel", QString()},
                  {"message", QString()}};
  const std::string k = key.trimmed().toStdString();
  if (k.empty()) {
    out["message"] = tr("Paste your provider's API key");
    return out;
  }
  auto type = routing::DetectTypeFromKey(k);
  const routing::ProviderPreset* preset = type.ok() ? routing::FindPreset(*type) : nullptr;
  if (preset == nullptr) {
    out["message"] = k.rfind("sk-", 0) == 0
                         ? tr("Many providers use keys starting with “sk-”: choose which one")
                         : tr("This key's provider is not known from its prefix: choose it");
    return out;
  }
  out = PresetToMap(*preset);
  out["known"] = true;
  out["message"] = tr("This looks like a %1 key").arg(Q(preset->display_name));
  return out;
}

void Backend::quickSetup(const QString& key, const QString& type, const QStringList& clients) {
  if (key.trimmed().isEmpty()) {
    emit quickSetupProgress(QStringLiteral("provider"), false, tr("Paste your provider's API key"));
    return;
  }
  if (connected_) {
    RunQuickSetup(key.trimmed(), type, clients);
    return;
  }
  // Like `agentgatectl setup`: the gateway is started first when it is not running.
  StartStackThen([this, key = key.trimmed(), type, clients](bool ok) {
    if (!ok) {
      emit quickSetupProgress(
          QStringLiteral("provider"), false,
          last_error_.isEmpty() ? tr("The gateway did not start") : last_error_);
      return;
    }
    RunQuickSetup(key, type, clients);
  });
}

void Backend::RunQuickSetup(const QString& key, const QString& type, const QStringList& clients) {
  slow_worker_->post(
      [this, key = key.toStdString(), type = type.trimmed().toStdString(),
       clients](AdminWorker& w) {
        // `this` is only used by the functions delivered to the GUI thread.
        auto progress = [this, &w](const char* step, bool ok, const QString& message) {
          w.deliver([this, step = QString::fromLatin1(step), ok, message] {
            emit quickSetupProgress(step, ok, message);
          });
        };
        // 1. The provider, its type from the key unless given.
        std::string t = type;
        if (t.empty() || t == "auto") {
          auto detected = routing::DetectTypeFromKey(key);
          if (!detected.ok()) {
            progress("provider", false,
                     tr("Cannot tell the provider from this key: choose its type"));
            return false;
          }
          t = *detected;
        }
        if (routing::FindPreset(t) == nullptr) {
          progress("provider", false, tr("Unknown provider type %1").arg(Q(t)));
          return false;
        }
        pb::Provider provider;
        pb::GetProviderRequest get;
        get.set_name(t);
        CallResult exists = w.call(&Stub::GetProvider, get, &provider);
        CallResult saved;
        if (exists.ok) {
          // Set up again with a new key: the provider keeps its settings and gets the key.
          pb::UpdateProviderRequest update;
          update.set_name(t);
          update.set_replace_api_keys(true);
          update.add_api_keys(key);
          saved = w.call(&Stub::UpdateProvider, update, &provider);
        } else if (exists.code == grpc::StatusCode::NOT_FOUND) {
          pb::CreateProviderRequest create;
          create.mutable_provider()->set_type(t);
          create.mutable_provider()->set_name(t);
          create.set_api_key(key);
          saved = w.call(&Stub::CreateProvider, create, &provider);
        } else {
          saved = exists;
        }
        if (!saved.ok) {
          progress("provider", false, saved.error);
          return false;
        }
        const QString name = Q(provider.name());
        progress("provider", true,
                 exists.ok ? tr("Provider %1 has the new key").arg(name)
                           : tr("Added provider %1 (%2)").arg(name, Q(provider.base_url())));

        // 2. The test.
        pb::TestProviderRequest test;
        test.set_name(provider.name());
        test.set_check_vision(true);
        pb::ProviderTestResult result;
        CallResult tested = w.call(&Stub::TestProvider, test, &result, AdminWorker::kLongDeadline);
        if (!tested.ok) {
          progress("test", false, tested.error);
          return false;
        }
        if (!result.ok()) {
          QString why = tr("the provider did not answer");
          for (const auto& s : result.steps()) {
            if (!s.ok() && !s.skipped()) {
              why = Q(s.detail());
              break;
            }
          }
          progress("test", false, tr("The test failed: %1").arg(why));
          return false;
        }
        progress("test", true, tr("%1 answered (model %2)").arg(name, Q(result.model())));

        // 3. The clients.
        Gateway g = ReadGateway(w.home());
        QStringList done;
        QStringList failed;
        for (const QString& client : clients) {
          auto kind = ClientKindOf(client);
          if (!kind) {
            failed.append(tr("unknown client %1").arg(client));
            continue;
          }
          QString err = ApplyClient(w.home(), *kind, g, provider.default_model());
          if (err.isEmpty()) {
            done.append(Q(cc::ClientTitle(*kind)));
          } else {
            failed.append(err);
          }
        }
        if (!failed.isEmpty()) {
          progress("clients", false, failed.join(QStringLiteral("; ")));
          return false;
        }
        progress("clients", true,
                 done.isEmpty()
                     ? tr("No clients chosen")
                     : tr("%1 now use the gateway").arg(done.join(QStringLiteral(", "))));
        progress("done", true, tr("AgentGate is set up"));
        return true;
      },
      [this](bool ok) {
        if (ok) {
          settings_->setQuickSetupForced(false);
          Succeed(tr("AgentGate is set up"));
        }
        RefreshProviders();
        RefreshRoutes();
        RefreshClients();
      });
}

// --- routes page ---

void Backend::EditRoute(const QString& name, std::function<QString(pb::RouteProfile*)> edit,
                        const QString& success) {
  worker_->post(
      [name = name.toStdString(), edit](AdminWorker& w) {
        Reply<pb::RouteProfile> r;
        pb::GetRouteRequest get;
        get.set_name(name);
        r.call = w.call(&Stub::GetRoute, get, &r.resp);
        if (!r.call.ok) return r;
        QString why = edit(&r.resp);
        if (!why.isEmpty()) {
          r.call.ok = false;
          r.call.code = grpc::StatusCode::INVALID_ARGUMENT;
          r.call.error = why;
          return r;
        }
        pb::RouteProfile updated;
        r.call = w.call(&Stub::UpdateRoute, r.resp, &updated);
        return r;
      },
      [this, success](Reply<pb::RouteProfile> r) {
        if (r.call.ok) {
          Succeed(success);
        } else {
          Fail(r.call.error);
        }
        RefreshRoutes();
      });
}

void Backend::saveRoute(const QVariantMap& route) {
  const QString name = route.value("name").toString().trimmed();
  if (name.isEmpty()) {
    Fail(tr("The route needs a name"));
    return;
  }
  if (routes_.indexOf(name) >= 0) {
    EditRoute(
        name,
        [route](pb::RouteProfile* r) {
          MapToRoute(route, r);
          return QString();
        },
        tr("Route %1 saved").arg(name));
    return;
  }
  pb::RouteProfile profile;
  profile.set_mode(pb::ROUTE_MODE_FAILOVER);
  MapToRoute(route, &profile);
  Call(&Stub::CreateRoute, profile, [this, name](const pb::RouteProfile&) {
    Succeed(tr("Route %1 saved").arg(name));
    RefreshRoutes();
  });
}

void Backend::moveChainEntry(const QString& route, int from, int to) {
  // The list moves at once; the router's answer (or a failure's refresh) settles it.
  int row = routes_.indexOf(route);
  if (row >= 0) {
    QVariantMap m = routes_.get(row);
    QStringList chain = m.value("chain").toStringList();
    if (from >= 0 && from < chain.size() && to >= 0 && to < chain.size()) {
      chain.move(from, to);
      m["chain"] = chain;
      QList<QVariantMap> rows = routes_.rows();
      rows[row] = m;
      routes_.setRows(std::move(rows));
    }
  }
  EditRoute(
      route,
      [from, to](pb::RouteProfile* r) {
        int n = r->chain_size();
        if (from < 0 || from >= n || to < 0 || to >= n) {
          return tr("The route's chain has changed: try again");
        }
        std::vector<std::string> chain(r->chain().begin(), r->chain().end());
        std::string moved = chain[static_cast<size_t>(from)];
        chain.erase(chain.begin() + from);
        chain.insert(chain.begin() + to, moved);
        r->clear_chain();
        for (auto& name : chain) r->add_chain(std::move(name));
        return QString();
      },
      tr("Route %1 saved").arg(route));
}

void Backend::setRouteMode(const QString& route, const QString& mode) {
  if (mode != QLatin1String("manual") && mode != QLatin1String("failover")) {
    Fail(tr("A route's mode is manual or failover, not %1").arg(mode));
    return;
  }
  EditRoute(
      route,
      [mode](pb::RouteProfile* r) {
        r->set_mode(mode == QLatin1String("manual") ? pb::ROUTE_MODE_MANUAL
                                                    : pb::ROUTE_MODE_FAILOVER);
        return QString();
      },
      mode == QLatin1String("manual") ? tr("Route %1: manual").arg(route)
                                      : tr("Route %1: failover").arg(route));
}

void Backend::setRouteMidstream(const QString& route, bool on) {
  EditRoute(
      route,
      [on](pb::RouteProfile* r) {
        r->set_midstream_failover(on);
        return QString();
      },
      on ? tr("Route %1: a cut stream continues on the next provider").arg(route)
         : tr("Route %1: a cut stream ends with an error").arg(route));
}

void Backend::deleteRoute(const QString& name) {
  pb::DeleteRouteRequest req;
  req.set_name(name.toStdString());
  Call(&Stub::DeleteRoute, req, [this, name](const pb::DeleteRouteResponse&) {
    Succeed(tr("Route %1 removed").arg(name));
    RefreshRoutes();
  });
}

// --- logs page ---

void Backend::setLogFilter(const QString& provider, int status, bool errorsOnly) {
  if (provider != log_provider_ || status != log_status_ || errorsOnly != log_errors_only_) {
    log_provider_ = provider;
    log_status_ = status;
    log_errors_only_ = errorsOnly;
    emit logFilterChanged();
  }
  RefreshLogs();
}

QVariantMap Backend::logDetail(int row) const { return logs_.get(row); }

// --- clients page ---

void Backend::applyClient(const QString& client) {
  auto kind = ClientKindOf(client);
  if (!kind) {
    Fail(tr("Unknown client %1").arg(client));
    return;
  }
  slow_worker_->post(
      [kind = *kind](AdminWorker& w) {
        return ApplyClient(w.home(), kind, ReadGateway(w.home()), std::string());
      },
      [this, title = Q(cc::ClientTitle(*kind))](QString err) {
        if (err.isEmpty()) {
          Succeed(tr("%1 now uses the gateway").arg(title));
        } else {
          Fail(err);
        }
        RefreshClients();
      });
}

void Backend::restoreClient(const QString& client) {
  auto kind = ClientKindOf(client);
  if (!kind) {
    Fail(tr("Unknown client %1").arg(client));
    return;
  }
  const QString title = Q(cc::ClientTitle(*kind));
  worker_->post(
      [kind = *kind, title](AdminWorker& w) {
        cc::ClientConfigurator c(w.home(), cc::Locations::FromEnvironment());
        auto r = c.Restore(kind);
        if (r.ok()) return QString();
        if (absl::IsNotFound(r.status())) {
          return tr("%1 has no backup: AgentGate did not change its configuration").arg(title);
        }
        return title + ": " + Q(std::string(r.status().message()));
      },
      [this, title](QString err) {
        if (err.isEmpty()) {
          Succeed(tr("%1 is back to its own configuration").arg(title));
        } else {
          Fail(err);
        }
        RefreshClients();
      });
}

void Backend::testClient(const QString& client) {
  auto kind = ClientKindOf(client);
  if (!kind) {
    Fail(tr("Unknown client %1").arg(client));
    return;
  }
  const QString title = Q(cc::ClientTitle(*kind));
  slow_worker_->post([kind = *kind](AdminWorker& w) { return TestClientSteps(w.home(), kind); },
                     [this, client, title](QVariantList steps) {
                       emit clientTested(client, steps);
                       QString why;
                       for (const QVariant& s : steps) {
                         QVariantMap m = s.toMap();
                         if (!m.value("ok").toBool() && !m.value("skipped").toBool()) {
                           why = m.value("detail").toString();
                           break;
                         }
                       }
                       if (why.isEmpty()) {
                         Succeed(tr("%1 works through the gateway").arg(title));
                       } else {
                         Fail(tr("%1: %2").arg(title, why));
                       }
                     });
}

// --- diagnostics page ---

void Backend::exportBundle(const QUrl& file) {
  const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
  if (path.isEmpty()) {
    emit bundleExported(path, false, tr("Choose a file to save the bundle to"));
    return;
  }
  RunCtl({QStringLiteral("doctor"), QStringLiteral("--bundle"), path},
         [this, path](bool, const QString& out, const QString& err) {
           // doctor exits 1 when a check fails, with the bundle written all the same.
           bool written = out.contains(QLatin1String("bundle written")) && QFileInfo::exists(path);
           QString message = written         ? tr("Diagnostics saved to %1").arg(path)
                             : err.isEmpty() ? tr("The bundle was not written")
                                             : err;
           emit bundleExported(path, written, message);
           if (written) {
             Succeed(message);
           } else {
             Fail(message);
           }
         });
}

// --- settings ---

void Backend::setBudget(double limitUsd, const QString& mode) {
  pb::Budget req;
  req.set_daily_limit_usd(limitUsd < 0 ? 0 : limitUsd);
  if (mode == QLatin1String("block")) {
    req.set_mode(pb::BUDGET_MODE_BLOCK);
  } else if (mode == QLatin1String("cheapest")) {
    req.set_mode(pb::BUDGET_MODE_CHEAPEST);
  } else {
    req.set_mode(pb::BUDGET_MODE_NOTIFY);
  }
  Call(&Stub::SetBudget, req, [this, limitUsd](const pb::Budget&) {
    Succeed(limitUsd > 0 ? tr("Daily budget set to $%1").arg(limitUsd, 0, 'f', 2)
                         : tr("Daily budget removed"));
    refreshStats();
  });
}

}  // namespace agentgate::desktop

#include "moc_backend.cpp"
