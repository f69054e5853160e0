// The pet's behaviour, without any drawing: which state it shows (idle, active, error, sleep),
// what its speech bubble says, and its chat. Driven by the admin event stream (onEvent), the
// gateway's running state (onGatewayRunning) and today's stats (onTodayStats), with an injected
// clock so tests step through time.
//
//   active  while requests run (an event's activeRequests > 0) or the chat awaits an answer
//   error   for a few seconds after a request fails (status >= 400; 499, the client gave up, is
//           no failure) — the pet shakes
//   sleep   after 5 minutes without a request; any event wakes it
//   idle    otherwise (gentle bob; leans toward the cursor)
// Bubbles: gateway started / stopped (on changes, not the first report), request errors (one per
// 10 s at most: "429 from deepseek: rate limited"), and every 30 minutes, while awake and the
// gateway runs, today's stats ("Today: 128 requests | $0.42"). The chat is PetChat's.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QPoint>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariantMap>
#include <functional>

#include "desktop-qml/backend/list_model.h"

namespace agentgate::desktop {

class AppSettings;
class PetChat;

class PetController : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("use Backend.pet")
  Q_PROPERTY(QString state READ state NOTIFY stateChanged)     // idle | active | error | sleep
  Q_PROPERTY(QString bubble READ bubble NOTIFY bubbleChanged)  // "" when none is shown
  // The nine characters' ids, in the order Settings shows them.
  Q_PROPERTY(QStringList characters READ characters CONSTANT)
  // The chat transcript: rows {id, role "user"|"pet", text, pending}.
  Q_PROPERTY(ListModel* chat READ chat CONSTANT)
  Q_PROPERTY(bool chatBusy READ chatBusy NOTIFY chatBusyChanged)

 public:
  using Clock = std::function<qint64()>;  // milliseconds since the epoch

  explicit PetController(AppSettings* settings, QObject* parent = nullptr, Clock clock = {});
  ~PetController() override;

  QString state() const { return state_; }
  QString bubble() const { return bubble_; }
  QStringList characters() const;
  ListModel* chat();
  bool chatBusy() const;

  // Where the chat sends its messages (the gateway URL and local token; empty = not running).
  void setGateway(const QString& url, const QString& token);

  // Re-evaluates timed transitions (error → idle, idle → sleep, bubble expiry, the 30-minute
  // stats bubble). Called by an internal 1 s timer; tests call it after moving their clock.
  Q_INVOKABLE void tick();
  // Sends a chat message through the user's own gateway; "my name is X" / "call me X" is
  // remembered in AppSettings::userName.
  Q_INVOKABLE void sendChat(const QString& text);
  // Forgets the chat transcript (the user's name stays).
  Q_INVOKABLE void clearChat();
  // A human name for a character id ("Gateway Bot"); the id itself when unknown.
  Q_INVOKABLE QString characterName(const QString& id) const;
  // The mouse cursor in global screen coordinates (a pet window cannot see the cursor outside
  // itself; PetWindow polls this to lean toward it).
  Q_INVOKABLE QPoint cursorPosition() const;

  // Timings (ms).
  static constexpr qint64 kErrorMs = 4000;            // error state after a failed request
  static constexpr qint64 kSleepMs = 5 * 60 * 1000;   // no activity -> sleep
  static constexpr qint64 kErrorBubbleGapMs = 10000;  // at most one error bubble per 10 s
  static constexpr qint64 kStatsEveryMs = 30 * 60 * 1000;
  static constexpr qint64 kBubbleMs = 6000;  // how long a bubble stays
  static constexpr qint64 kStatsBubbleMs = 10000;

  // Today's stats as the bubble says them ("Today: 128 requests | $0.42"), from
  // {requests, costUsd, costKnown}; "cost unknown" when costUsd is absent, or 0 while costKnown
  // is false (nothing was priced).
  static QString StatsText(const QVariantMap& today);
  // A request error as the bubble says it ("429 from deepseek: rate limited").
  static QString ErrorText(const QVariantMap& event);

 public slots:
  void onEvent(const QVariantMap& e);       // Backend::event
  void onGatewayRunning(bool running);      // Backend connected/disconnected
  void onTodayStats(const QVariantMap& t);  // Backend::today (for the stats bubble)

 signals:
  void stateChanged();
  void bubbleChanged();
  void chatBusyChanged();

 private:
  void SetState(const QString& s);
  void Say(const QString& text, qint64 for_ms);
  void Recompute(qint64 now);
  qint64 Now() const;

  AppSettings* settings_;
  Clock clock_;
  QString state_ = QStringLiteral("idle");
  QString bubble_;
  qint64 bubble_until_ms_ = 0;
  qint64 last_activity_ms_ = 0;
  qint64 error_until_ms_ = 0;
  qint64 last_error_bubble_ms_ = 0;
  qint64 last_stats_bubble_ms_ = 0;
  int active_requests_ = 0;
  int gateway_running_ = -1;  // -1: not known yet (no bubble for the first report)
  QVariantMap today_;
  QTimer timer_;
  PetChat* chat_ = nullptr;
};

}  // namespace agentgate::desktop
