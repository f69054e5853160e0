// The pet's chat: a transcript for QML and one question at a time sent through the user's own
// gateway (POST {gateway}/v1/chat/completions with the local token), so the pet answers with
// whichever provider the user's chat route picks. The request names no model: the gateway then
// sends each provider its default model (routing::MapModel: an empty client model gets the
// provider's default, or its "*" model-map entry), which works for any provider the user set up,
// whereas a made-up name such as "auto" would be passed as-is to a provider without a default.
//
// The HTTP exchange (services/clientconf HttpCall, blocking) runs on a short-lived worker thread;
// its result comes back to the GUI thread as a queued call. A failure never throws: it becomes
// the pet's reply ("I couldn't reach the gateway: …").
//
// "my name is X", "call me X", "I'm X" and "我叫X" store X in AppSettings::userName; the greeting
// and the system prompt use it.
//
// Thread-safety: GUI thread only (the worker thread touches none of the members).
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <memory>

#include "desktop-qml/backend/list_model.h"

namespace agentgate::desktop {

class AppSettings;

class PetChat : public QObject {
  Q_OBJECT

 public:
  // One line of the transcript.
  struct Line {
    int id = 0;
    QString role;  // "user" | "pet"
    QString text;
    bool pending = false;  // the pet's answer is on its way
    bool local = false;    // said by the app itself (greeting, "not running"): never sent
  };

  explicit PetChat(AppSettings* settings, QObject* parent = nullptr);
  ~PetChat() override;

  // Rows {id, role, text, pending}, oldest first.
  ListModel* model() { return &model_; }
  bool busy() const { return busy_; }

  // Where questions go; an empty url means the gateway is not running.
  void setGateway(const QString& url, const QString& token);
  // The character's name, for the system prompt ("Gateway Bot").
  void setPersona(const QString& name) { persona_ = name; }
  // Timeout of one exchange (default 60 s).
  void setTimeoutMs(int ms) { timeout_ms_ = ms; }

  // Adds the user's line and asks the gateway. Ignored while busy or when `text` is blank.
  void send(const QString& text);
  // Forgets the transcript (the user's name stays) and greets again.
  void clear();

  // The name the user gives in `text`, or "" when there is none.
  static QString NameIn(const QString& text);
  // The chat.completions body for `lines` (only the last turns, without local or pending ones).
  static QByteArray RequestBody(const QList<Line>& lines, const QString& user_name,
                                const QString& persona);
  // The pet's reply for an exchange: the answer's text, or a readable sentence about what went
  // wrong (`error` is the transport error, set when status is 0).
  static QString ReplyText(int status, const QByteArray& body, const QString& error);

 signals:
  void busyChanged();
  // A reply (or failure sentence) replaced the pending line.
  void replied(const QString& text);

 private:
  struct Link;

  QString Greeting() const;
  int Append(const QString& role, const QString& text, bool pending, bool local);
  void OnReply(int id, int status, const QByteArray& body, const QString& error);
  void Publish();
  void SetBusy(bool busy);

  AppSettings* settings_;
  ListModel model_;
  QList<Line> lines_;
  int next_id_ = 1;
  bool busy_ = false;
  QString url_;
  QString token_;
  QString persona_ = QStringLiteral("Gateway Bot");
  int timeout_ms_ = 60000;
  // Shared with the worker threads: tells them whether this object still exists.
  std::shared_ptr<Link> link_;
};

}  // namespace agentgate::desktop
