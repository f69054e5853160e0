#include "desktop-qml/backend/pet_chat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMetaObject>
#include <QRegularExpression>
#include <QSet>
#include <chrono>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "desktop-qml/backend/app_settings.h"
#include "services/clientconf/http_client.h"

namespace agentgate::desktop {

// Lets a worker thread deliver its result only while the PetChat exists: the destructor clears
// `owner` under the mutex, and a queued call already posted to a deleted object is dropped by
// Qt.
struct PetChat::Link {
  std::mutex mu;
  PetChat* owner = nullptr;  // guarded by mu
};

namespace {

constexpr int kMaxTurns = 10;    // messages of history sent with a question
constexpr int kMaxLines = 100;   // kept in the transcript
constexpr int kMaxTokens = 300;  // per answer
constexpr int kMaxReplyChars = 2000;

// Words that follow "I'm" or "my name is" without being a name.
bool IsStopWord(const QString& w) {
  static const QSet<QString> kWords = {
      "a",       "an",   "the",   "not",     "so",     "very",  "really", "just",    "fine",
      "good",    "ok",   "okay",  "sorry",   "back",   "here",  "there",  "sure",    "done",
      "tired",   "busy", "happy", "sad",     "hungry", "going", "trying", "working", "new",
      "looking", "glad", "bored", "curious", "using",  "still", "also",   "afraid",  "in",
      "on",      "at",   "from",  "with",    "your",   "ready", "fine.",  "learning"};
  return kWords.contains(w.toLower());
}

QString Capitalized(QString w) {
  if (!w.isEmpty()) w[0] = w[0].toUpper();
  return w;
}

// The message content as text: a string, or the text parts of an array.
QString ContentText(const QJsonValue& content) {
  if (content.isString()) return content.toString();
  QString out;
  for (const QJsonValue& part : content.toArray()) {
    QJsonObject o = part.toObject();
    if (o.value("type").toString() == "text") out += o.value("text").toString();
  }
  return out;
}

// The readable message of an error body: OpenAI/Anthropic {"error":{"message"}}, {"error":"…"}
// or {"message":"…"}; else the start of the body.
QString ErrorMessage(const QByteArray& body) {
  QJsonObject o = QJsonDocument::fromJson(body).object();
  QJsonValue e = o.value("error");
  QString msg = e.isObject() ? e.toObject().value("message").toString() : e.toString();
  if (msg.isEmpty()) msg = o.value("message").toString();
  if (msg.isEmpty()) msg = QString::fromUtf8(body).simplified();
  if (msg.size() > 200) msg = msg.left(199) + QChar(0x2026);
  return msg;
}

QString StripThinking(QString text) {
  static const QRegularExpression kThink(QStringLiteral("<think>.*</think>"),
                                         QRegularExpression::DotMatchesEverythingOption);
  text.remove(kThink);
  return text.trimmed();
}

// "http://127.0.0.1:9090/v1/" -> "http://127.0.0.1:9090" (the path is added per call).
QString GatewayBase(QString url) {
  while (url.endsWith('/')) url.chop(1);
  if (url.endsWith(QLatin1String("/v1"))) url.chop(3);
  return url;
}

}  // namespace

PetChat::PetChat(AppSettings* settings, QObject* parent)
    : QObject(parent),
      settings_(settings),
      model_({"id", "role", "text", "pending"}, "id"),
      link_(std::make_shared<Link>()) {
  link_->owner = this;
  Append("pet", Greeting(), false, true);
  // The greeting follows the name while nothing else was said.
  connect(settings_, &AppSettings::userNameChanged, this, [this] {
    if (lines_.size() == 1 && lines_[0].local) {
      lines_[0].text = Greeting();
      Publish();
    }
  });
}

PetChat::~PetChat() {
  std::lock_guard<std::mutex> lock(link_->mu);
  link_->owner = nullptr;
}

void PetChat::setGateway(const QString& url, const QString& token) {
  url_ = GatewayBase(url);
  token_ = token;
}

QString PetChat::Greeting() const {
  const QString name = settings_->userName();
  if (!name.isEmpty()) {
    return tr("Hi %1! Good to see you again. Ask me anything — I answer through your own "
              "gateway.")
        .arg(name);
  }
  return tr(
      "Hi! I'm your AgentGate pet. Ask me anything — I answer through your own gateway. "
      "What's your name?");
}

int PetChat::Append(const QString& role, const QString& text, bool pending, bool local) {
  Line line;
  line.id = next_id_++;
  line.role = role;
  line.text = text;
  line.pending = pending;
  line.local = local;
  lines_.append(line);
  while (lines_.size() > kMaxLines) lines_.removeFirst();
  Publish();
  return line.id;
}

void PetChat::Publish() {
  QList<QVariantMap> rows;
  rows.reserve(lines_.size());
  for (const Line& l : lines_) {
    rows.append({{"id", l.id}, {"role", l.role}, {"text", l.text}, {"pending", l.pending}});
  }
  model_.setRows(std::move(rows));
}

void PetChat::SetBusy(bool busy) {
  if (busy_ == busy) return;
  busy_ = busy;
  emit busyChanged();
}

void PetChat::clear() {
  lines_.clear();
  Append("pet", Greeting(), false, true);
}

void PetChat::send(const QString& input) {
  const QString text = input.trimmed();
  if (text.isEmpty() || busy_) return;
  Append("user", text, false, false);
  const QString name = NameIn(text);
  if (!name.isEmpty()) settings_->setUserName(name);

  if (url_.isEmpty()) {
    QString reply =
        !name.isEmpty()
            ? tr("Nice to meet you, %1! I'll remember your name.").arg(settings_->userName())
            : tr("The gateway isn't running, so I can't think right now. Start it from the tray "
                 "or the Gateway page.");
    Append("pet", reply, false, true);
    emit replied(reply);
    return;
  }

  const QByteArray body = RequestBody(lines_, settings_->userName(), persona_);
  const int id = Append("pet", QStringLiteral("…"), true, false);
  SetBusy(true);

  std::string base = url_.toStdString();
  std::string token = token_.toStdString();
  std::string payload = body.toStdString();
  auto timeout = std::chrono::milliseconds(timeout_ms_);
  std::shared_ptr<Link> link = link_;
  try {
    std::thread([link, base, token, payload, timeout, id] {
      clientconf::HttpResult r = clientconf::HttpCall(
          base, "POST", "/v1/chat/completions", payload,
          {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, timeout);
      std::lock_guard<std::mutex> lock(link->mu);
      PetChat* owner = link->owner;
      if (owner == nullptr) return;
      QMetaObject::invokeMethod(
          owner,
          [owner, id, status = r.status, body = QByteArray::fromStdString(r.body),
           error = QString::fromStdString(r.error)] { owner->OnReply(id, status, body, error); },
          Qt::QueuedConnection);
    }).detach();
  } catch (const std::system_error& e) {
    OnReply(id, 0, {}, QString::fromUtf8(e.what()));
  }
}

void PetChat::OnReply(int id, int status, const QByteArray& body, const QString& error) {
  const QString reply = ReplyText(status, body, error);
  for (Line& l : lines_) {
    if (l.id != id) continue;
    l.text = reply;
    l.pending = false;
    // A failure is not a turn worth sending back to the model.
    l.local = status < 200 || status >= 300;
  }
  Publish();
  SetBusy(false);
  emit replied(reply);
}

QString PetChat::NameIn(const QString& text) {
  // "my name is alex", "call me Alex", "I'm Alex" (capitalised only: "I'm tired" is no name).
  static const QRegularExpression kEnglish(
      QStringLiteral(
          "(?:^|[^\\p{L}])(my name is|my name's|call me|i am|i'm|i’m|im)\\s+"
          "([\\p{L}][\\p{L}\\p{M}'’\\-]{0,30})(?:\\s+([\\p{L}][\\p{L}\\p{M}'’\\-]{0,30}))?"),
      QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
  static const QRegularExpression kChinese(QStringLiteral(
      "(?:我叫|我的名字是|我的名字叫|叫我|我名叫)\\s*([^\\s，。！？,.!?、~～;；:：]{1,12})"));

  if (auto m = kChinese.match(text); m.hasMatch()) {
    QString name = m.captured(1);
    static const QRegularExpression kTail(
        QStringLiteral("(就好|就行|就可以|吧|呀|啊|哦|呢|啦|嘛)+$"));
    name.remove(kTail);
    if (!name.isEmpty()) return name;
  }
  auto it = kEnglish.globalMatch(text);
  while (it.hasNext()) {
    auto m = it.next();
    const QString lead = m.captured(1).toLower();
    const QString first = m.captured(2);
    const bool self_intro = lead == "i am" || lead == "i'm" || lead == "i’m" || lead == "im";
    if (IsStopWord(first)) continue;
    if (self_intro && !first[0].isUpper()) continue;
    QString name = Capitalized(first);
    const QString second = m.captured(3);
    if (!second.isEmpty() && second[0].isUpper() && !IsStopWord(second)) name += ' ' + second;
    return name;
  }
  return {};
}

QByteArray PetChat::RequestBody(const QList<Line>& lines, const QString& user_name,
                                const QString& persona) {
  QString system =
      QStringLiteral(
          "You are %1, the little desktop pet of AgentGate, an LLM gateway for coding agents "
          "that runs on this computer. Chat warmly and briefly: one to three short sentences, "
          "plain text without markdown, in the language the user writes in.")
          .arg(persona);
  if (!user_name.isEmpty()) {
    system += QStringLiteral(" The user's name is %1; use it now and then.").arg(user_name);
  } else {
    system += QStringLiteral(" You don't know the user's name yet.");
  }

  // The last turns, consecutive lines of one role merged (some providers insist on
  // alternation), starting with the user.
  QList<QPair<QString, QString>> turns;
  for (const Line& l : lines) {
    if (l.local || l.pending) continue;
    const QString role = l.role == "user" ? QStringLiteral("user") : QStringLiteral("assistant");
    if (!turns.isEmpty() && turns.last().first == role) {
      turns.last().second += '\n' + l.text;
    } else {
      turns.append({role, l.text});
    }
  }
  while (turns.size() > kMaxTurns) turns.removeFirst();
  while (!turns.isEmpty() && turns.first().first != "user") turns.removeFirst();

  QJsonArray messages;
  messages.append(QJsonObject{{"role", "system"}, {"content", system}});
  for (const auto& [role, content] : turns) {
    messages.append(QJsonObject{{"role", role}, {"content", content}});
  }
  QJsonObject request{{"messages", messages}, {"max_tokens", kMaxTokens}, {"stream", false}};
  return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

QString PetChat::ReplyText(int status, const QByteArray& body, const QString& error) {
  if (status == 0) {
    return tr("I couldn't reach the gateway: %1").arg(error.isEmpty() ? tr("no answer") : error);
  }
  if (status < 200 || status >= 300) {
    if (status == 401) {
      return tr(
          "The gateway didn't accept my token (401). Try again after the gateway "
          "restarts.");
    }
    return tr("The gateway answered %1: %2").arg(status).arg(ErrorMessage(body));
  }
  QJsonParseError parse_error;
  QJsonDocument doc = QJsonDocument::fromJson(body, &parse_error);
  if (parse_error.error != QJsonParseError::NoError || !doc.isObject()) {
    return tr("The gateway's answer was not JSON: %1").arg(parse_error.errorString());
  }
  QJsonObject message =
      doc.object().value("choices").toArray().at(0).toObject().value("message").toObject();
  QString text = StripThinking(ContentText(message.value("content")));
  if (text.isEmpty()) return tr("Hmm, the model answered with nothing. Try again?");
  if (text.size() > kMaxReplyChars) text = text.left(kMaxReplyChars - 1) + QChar(0x2026);
  return text;
}

}  // namespace agentgate::desktop
