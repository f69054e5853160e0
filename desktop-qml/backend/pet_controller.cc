#include "desktop-qml/backend/pet_controller.h"

#include <QCursor>
#include <QDateTime>
#include <algorithm>

#include "desktop-qml/backend/app_settings.h"
#include "desktop-qml/backend/pet_chat.h"

namespace agentgate::desktop {
namespace {

// Character ids in the order Settings shows them.
const char* const kCharacterIds[] = {"gatewayBot", "pixelCat", "slime",   "ceo",     "octopus",
                                     "mafan",      "kuikui",   "fenzong", "zhenzhen"};

constexpr int kClientGaveUp = 499;

QString Money(double usd) {
  if (usd <= 0) return QStringLiteral("$0.00");
  if (usd < 0.01) return QStringLiteral("<$0.01");
  return QStringLiteral("$") + QString::number(usd, 'f', 2);
}

}  // namespace

PetController::PetController(AppSettings* settings, QObject* parent, Clock clock)
    : QObject(parent),
      settings_(settings),
      clock_(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); })),
      chat_(new PetChat(settings, this)) {
  const qint64 now = Now();
  last_activity_ms_ = now;
  last_stats_bubble_ms_ = now;
  chat_->setPersona(characterName(settings_->petCharacter()));
  connect(settings_, &AppSettings::petCharacterChanged, this,
          [this] { chat_->setPersona(characterName(settings_->petCharacter())); });
  connect(chat_, &PetChat::busyChanged, this, [this] {
    last_activity_ms_ = Now();
    Recompute(Now());
    emit chatBusyChanged();
  });
  timer_.setInterval(1000);
  connect(&timer_, &QTimer::timeout, this, &PetController::tick);
  timer_.start();
}

PetController::~PetController() = default;

qint64 PetController::Now() const { return clock_(); }

QStringList PetController::characters() const {
  QStringList ids;
  for (const char* id : kCharacterIds) ids.append(QString::fromLatin1(id));
  return ids;
}

QString PetController::characterName(const QString& id) const {
  if (id == "gatewayBot") return tr("Gateway Bot");
  if (id == "pixelCat") return tr("Pixel Cat");
  if (id == "slime") return tr("Slime");
  if (id == "ceo") return tr("CEO");
  if (id == "octopus") return tr("Octopus");
  if (id == "mafan") return tr("MaFan");
  if (id == "kuikui") return tr("KuiKui");
  if (id == "fenzong") return tr("FenZong");
  if (id == "zhenzhen") return tr("ZhenZhen");
  return id;
}

QPoint PetController::cursorPosition() const { return QCursor::pos(); }

ListModel* PetController::chat() { return chat_->model(); }

bool PetController::chatBusy() const { return chat_->busy(); }

void PetController::setGateway(const QString& url, const QString& token) {
  chat_->setGateway(url, token);
}

void PetController::sendChat(const QString& text) { chat_->send(text); }

void PetController::clearChat() { chat_->clear(); }

void PetController::SetState(const QString& s) {
  if (state_ == s) return;
  state_ = s;
  emit stateChanged();
}

void PetController::Say(const QString& text, qint64 for_ms) {
  bubble_until_ms_ = Now() + for_ms;
  if (bubble_ == text) return;
  bubble_ = text;
  emit bubbleChanged();
}

void PetController::Recompute(qint64 now) {
  if (now < error_until_ms_) {
    SetState(QStringLiteral("error"));
  } else if (active_requests_ > 0 || chat_->busy()) {
    SetState(QStringLiteral("active"));
  } else if (now - last_activity_ms_ >= kSleepMs) {
    SetState(QStringLiteral("sleep"));
  } else {
    SetState(QStringLiteral("idle"));
  }
}

void PetController::tick() {
  const qint64 now = Now();
  if (!bubble_.isEmpty() && now >= bubble_until_ms_) {
    bubble_.clear();
    emit bubbleChanged();
  }
  Recompute(now);
  if (now - last_stats_bubble_ms_ >= kStatsEveryMs) {
    last_stats_bubble_ms_ = now;
    // Only news: not while the gateway is down, the pet asleep, or nothing ran today.
    if (gateway_running_ != 0 && state_ != "sleep" && today_.value("requests").toLongLong() > 0) {
      Say(StatsText(today_), kStatsBubbleMs);
    }
  }
}

void PetController::onEvent(const QVariantMap& e) {
  const qint64 now = Now();
  const QString kind = e.value("kind").toString();
  last_activity_ms_ = now;
  if (kind == "hello" || kind == "started" || kind == "finished") {
    active_requests_ = std::max(0, e.value("activeRequests").toInt());
  } else if (kind == "stopping") {
    active_requests_ = 0;
  }
  if (kind == "account") {
    // An official account ran out (or nearly) and another took over, or came back.
    Say(tr("ChatGPT accounts: %1").arg(e.value("detail").toString()), kBubbleMs);
  }
  if (kind == "finished") {
    const int status = e.value("status").toInt();
    if (status >= 400 && status != kClientGaveUp) {
      error_until_ms_ = now + kErrorMs;
      if (last_error_bubble_ms_ == 0 || now - last_error_bubble_ms_ >= kErrorBubbleGapMs) {
        last_error_bubble_ms_ = now;
        Say(ErrorText(e), kBubbleMs);
      }
    }
  }
  Recompute(now);
}

void PetController::onGatewayRunning(bool running) {
  const int was = gateway_running_;
  gateway_running_ = running ? 1 : 0;
  if (!running) active_requests_ = 0;
  if (was != -1 && was != gateway_running_) {
    last_activity_ms_ = Now();
    Say(running ? tr("Gateway started — ready when you are!") : tr("Gateway stopped."), kBubbleMs);
  }
  Recompute(Now());
}

void PetController::onTodayStats(const QVariantMap& t) { today_ = t; }

QString PetController::StatsText(const QVariantMap& today) {
  const qint64 requests = today.value("requests").toLongLong();
  // costUsd sums the priced requests; it is no answer when nothing was priced.
  const double cost_usd = today.value("costUsd").toDouble();
  const bool cost_known =
      today.contains("costUsd") && (cost_usd > 0 || today.value("costKnown", true).toBool());
  const QString cost = cost_known ? Money(cost_usd) : tr("cost unknown");
  return requests == 1 ? tr("Today: 1 request | %1").arg(cost)
                       : tr("Today: %1 requests | %2").arg(requests).arg(cost);
}

QString PetController::ErrorText(const QVariantMap& e) {
  const int status = e.value("status").toInt();
  const QString provider = e.value("provider").toString();
  QString error = e.value("error").toString().simplified();
  if (error.size() > 80) error = error.left(79) + QChar(0x2026);
  QString head =
      provider.isEmpty() ? QString::number(status) : tr("%1 from %2").arg(status).arg(provider);
  return error.isEmpty() ? tr("Request failed: %1").arg(head) : head + ": " + error;
}

}  // namespace agentgate::desktop
