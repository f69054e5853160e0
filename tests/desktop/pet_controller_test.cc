// PetController and PetChat: the pet's states, bubbles and chat, with an injected clock, a
// settings file of their own and, for the chat, a small HTTP responder on a port of its own
// standing in for the gateway.
#include "desktop-qml/backend/pet_controller.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <memory>

#include "desktop-qml/backend/app_settings.h"
#include "desktop-qml/backend/pet_chat.h"

using agentgate::desktop::AppSettings;
using agentgate::desktop::PetChat;
using agentgate::desktop::PetController;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;

QVariantMap Event(const QString& kind, int active, int status = 0, const QString& provider = {},
                  const QString& error = {}) {
  QVariantMap e{{"kind", kind}, {"activeRequests", active}};
  if (kind == "finished") {
    e["status"] = status;
    e["provider"] = provider;
    e["error"] = error;
    e["client"] = "claude";
    e["model"] = "claude-sonnet-4-5";
  }
  return e;
}

// One HTTP/1.1 exchange at a time: records the request, answers with a canned status and body.
class Responder : public QObject {
  Q_OBJECT

 public:
  Responder() {
    connect(&server_, &QTcpServer::newConnection, this, &Responder::OnConnection);
    server_.listen(QHostAddress::LocalHost, 0);
  }

  QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(server_.serverPort()); }
  void answer(int status, const QByteArray& body) {
    status_ = status;
    body_ = body;
  }

  int requests = 0;
  QByteArray request_line;
  QMap<QByteArray, QByteArray> headers;  // lower-case names
  QByteArray request_body;

 private:
  void OnConnection() {
    while (QTcpSocket* socket = server_.nextPendingConnection()) {
      auto buffer = std::make_shared<QByteArray>();
      connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
        buffer->append(socket->readAll());
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        if (end < 0) return;
        QMap<QByteArray, QByteArray> h;
        const QList<QByteArray> lines = buffer->left(end).split('\n');
        for (int i = 1; i < lines.size(); ++i) {
          const qsizetype colon = lines[i].indexOf(':');
          if (colon > 0)
            h[lines[i].left(colon).trimmed().toLower()] = lines[i].mid(colon + 1).trimmed();
        }
        const qsizetype length = h.value("content-length").toLongLong();
        if (buffer->size() < end + 4 + length) return;
        ++requests;
        request_line = lines[0].trimmed();
        headers = h;
        request_body = buffer->mid(end + 4, length);
        socket->write("HTTP/1.1 " + QByteArray::number(status_) +
                      " X\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(body_.size()) + "\r\nConnection: close\r\n\r\n" + body_);
        socket->disconnectFromHost();
      });
      connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
  }

  QTcpServer server_;
  int status_ = 200;
  QByteArray body_;
};

QByteArray Completion(const QString& text) {
  QJsonObject message{{"role", "assistant"}, {"content", text}};
  QJsonObject choice{{"index", 0}, {"message", message}, {"finish_reason", "stop"}};
  QJsonObject o{
      {"id", "chatcmpl-1"}, {"object", "chat.completion"}, {"choices", QJsonArray{choice}}};
  return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

}  // namespace

class PetControllerTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    settings_ =
        std::make_unique<AppSettings>(dir_->filePath("desktop.conf"), dir_->filePath("autostart"));
    now_ = 1'700'000'000'000;
    pet_ = std::make_unique<PetController>(settings_.get(), nullptr, [this] { return now_; });
  }
  void cleanup() {
    pet_.reset();
    settings_.reset();
    dir_.reset();
  }

  void startsIdle() {
    QCOMPARE(pet_->state(), QString("idle"));
    QCOMPARE(pet_->bubble(), QString());
    QCOMPARE(pet_->characters().size(), 9);
    QCOMPARE(pet_->characters().first(), QString("gatewayBot"));
    QCOMPARE(pet_->characterName("kuikui"), QString("KuiKui"));
    QCOMPARE(pet_->characterName("ceo"), QString("CEO"));
  }

  void activeWhileRequestsRun() {
    QSignalSpy spy(pet_.get(), &PetController::stateChanged);
    pet_->onEvent(Event("started", 1));
    QCOMPARE(pet_->state(), QString("active"));
    pet_->onEvent(Event("started", 2));
    pet_->onEvent(Event("finished", 1, 200, "deepseek"));
    QCOMPARE(pet_->state(), QString("active"));
    pet_->onEvent(Event("finished", 0, 200, "deepseek"));
    QCOMPARE(pet_->state(), QString("idle"));
    QCOMPARE(spy.count(), 2);  // idle -> active -> idle, nothing in between
  }

  void errorShakesThenIdle() {
    pet_->onEvent(Event("started", 1));
    pet_->onEvent(Event("finished", 0, 502, "deepseek", "upstream timed out"));
    QCOMPARE(pet_->state(), QString("error"));
    now_ += 3 * kSecond;
    pet_->tick();
    QCOMPARE(pet_->state(), QString("error"));
    now_ += 2 * kSecond;
    pet_->tick();
    QCOMPARE(pet_->state(), QString("idle"));
  }

  void clientGivingUpIsNoError() {
    pet_->onEvent(Event("finished", 0, 499, "deepseek", "client closed the connection"));
    QCOMPARE(pet_->state(), QString("idle"));
    QCOMPARE(pet_->bubble(), QString());
  }

  void sleepsAfterFiveMinutesAndWakes() {
    now_ += 5 * kMinute - kSecond;
    pet_->tick();
    QCOMPARE(pet_->state(), QString("idle"));
    now_ += kSecond;
    pet_->tick();
    QCOMPARE(pet_->state(), QString("sleep"));
    pet_->onEvent(Event("started", 1));
    QCOMPARE(pet_->state(), QString("active"));
    pet_->onEvent(Event("finished", 0, 200));
    QCOMPARE(pet_->state(), QString("idle"));
    now_ += 4 * kMinute;
    pet_->tick();
    QCOMPARE(pet_->state(), QString("idle"));  // the event reset the idle time
    // Any event wakes it, not only requests.
    now_ += 2 * kMinute;
    pet_->tick();
    QCOMPARE(pet_->state(), QString("sleep"));
    pet_->onEvent({{"kind", "config"}});
    QCOMPARE(pet_->state(), QString("idle"));
  }

  void gatewayBubblesOnTransitionsOnly() {
    pet_->onGatewayRunning(true);  // the first report: no news
    QCOMPARE(pet_->bubble(), QString());
    pet_->onGatewayRunning(true);
    QCOMPARE(pet_->bubble(), QString());
    pet_->onGatewayRunning(false);
    QCOMPARE(pet_->bubble(), QString("Gateway stopped."));
    now_ += PetController::kBubbleMs;
    pet_->tick();
    QCOMPARE(pet_->bubble(), QString());
    pet_->onGatewayRunning(true);
    QVERIFY2(pet_->bubble().startsWith("Gateway started"), qPrintable(pet_->bubble()));

    PetController other(settings_.get(), nullptr, [this] { return now_; });
    other.onGatewayRunning(false);  // first report, stopped: still no bubble
    QCOMPARE(other.bubble(), QString());
  }

  void stoppedGatewayEndsActivity() {
    pet_->onGatewayRunning(true);
    pet_->onEvent(Event("started", 3));
    QCOMPARE(pet_->state(), QString("active"));
    pet_->onGatewayRunning(false);  // the stream ended: no finished events will come
    QCOMPARE(pet_->state(), QString("idle"));
  }

  void errorBubblesAreRateLimited() {
    pet_->onEvent(Event("finished", 0, 429, "deepseek", "rate limited"));
    QCOMPARE(pet_->bubble(), QString("429 from deepseek: rate limited"));
    now_ += 7 * kSecond;  // the bubble is gone after 6 s
    pet_->tick();
    QCOMPARE(pet_->bubble(), QString());
    pet_->onEvent(Event("finished", 0, 500, "kimi", "boom"));
    QCOMPARE(pet_->state(), QString("error"));  // still shakes
    QCOMPARE(pet_->bubble(), QString());        // but says nothing: 7 s < 10 s
    now_ += 3 * kSecond;
    pet_->onEvent(Event("finished", 0, 401, "", "invalid local token"));
    QCOMPARE(pet_->bubble(), QString("401: invalid local token"));
    now_ += 10 * kSecond;
    pet_->onEvent(Event("finished", 0, 503, "glm"));
    QCOMPARE(pet_->bubble(), QString("Request failed: 503 from glm"));
  }

  void saysWhenItSwitchedAccounts() {
    pet_->onEvent(
        QVariantMap{{"kind", "account"},
                    {"account", "acct-1"},
                    {"detail", "acct-1 spent (weekly window 100% used); acct-2 serves now"}});
    QCOMPARE(
        pet_->bubble(),
        QString("ChatGPT accounts: acct-1 spent (weekly window 100% used); acct-2 serves now"));
    QCOMPARE(pet_->state(), QString("idle"));  // news, not an error
  }

  void errorTextIsShort() {
    QString text = PetController::ErrorText(
        {{"status", 502}, {"provider", "openai"}, {"error", QString(300, 'x')}});
    QVERIFY(text.startsWith("502 from openai: xxx"));
    QVERIFY(text.size() < 120);
  }

  void statsBubbleEveryThirtyMinutes() {
    pet_->onGatewayRunning(true);
    pet_->onTodayStats({{"requests", 128}, {"costUsd", 0.42}, {"costKnown", true}});
    now_ += 28 * kMinute;
    pet_->onEvent(Event("finished", 0, 200));  // keeps it awake
    pet_->tick();
    QCOMPARE(pet_->bubble(), QString());
    now_ += 2 * kMinute;
    pet_->tick();
    QCOMPARE(pet_->bubble(), QString("Today: 128 requests | $0.42"));
    now_ += PetController::kStatsBubbleMs;
    pet_->tick();
    QCOMPARE(pet_->bubble(), QString());
    // Asleep by the next half hour: it does not talk in its sleep.
    now_ += 30 * kMinute;
    pet_->tick();
    QCOMPARE(pet_->state(), QString("sleep"));
    QCOMPARE(pet_->bubble(), QString());
  }

  void statsText() {
    QCOMPARE(PetController::StatsText({{"requests", 128}, {"costUsd", 0.42}}),
             QString("Today: 128 requests | $0.42"));
    QCOMPARE(PetController::StatsText({{"requests", 1}, {"costUsd", 0.004}}),
             QString("Today: 1 request | <$0.01"));
    QCOMPARE(PetController::StatsText({{"requests", 3}, {"costUsd", 12.5}}),
             QString("Today: 3 requests | $12.50"));
    QCOMPARE(PetController::StatsText({{"requests", 0}, {"costUsd", 0.0}}),
             QString("Today: 0 requests | $0.00"));
    QCOMPARE(PetController::StatsText({{"requests", 7}}),
             QString("Today: 7 requests | cost unknown"));
    QCOMPARE(PetController::StatsText({{"requests", 7}, {"costUsd", 0.0}, {"costKnown", false}}),
             QString("Today: 7 requests | cost unknown"));
    // Some requests priced: their sum is worth saying.
    QCOMPARE(PetController::StatsText({{"requests", 7}, {"costUsd", 0.3}, {"costKnown", false}}),
             QString("Today: 7 requests | $0.30"));
  }

  void namesInMessages_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("name");
    QTest::newRow("my name is") << "my name is alex"
                                << "Alex";
    QTest::newRow("sentence") << "Hello! My name is Mary Jane, nice to meet you."
                              << "Mary Jane";
    QTest::newRow("call me") << "please call me Bo"
                             << "Bo";
    QTest::newRow("i'm") << "Hi, I'm Sam"
                         << "Sam";
    QTest::newRow("i am") << "I am Zoe."
                          << "Zoe";
    QTest::newRow("i'm lowercase word") << "I'm tired today"
                                        << "";
    QTest::newRow("i'm stop word") << "I'm Sorry"
                                   << "";
    QTest::newRow("chinese") << "我叫小明。"
                             << "小明";
    QTest::newRow("chinese call me") << "以后叫我阿强吧"
                                     << "阿强";
    QTest::newRow("chinese name is") << "你好，我的名字是李雷"
                                     << "李雷";
    QTest::newRow("none") << "what models do I have?"
                          << "";
  }
  void namesInMessages() {
    QFETCH(QString, text);
    QFETCH(QString, name);
    QCOMPARE(PetChat::NameIn(text), name);
  }

  void userNameRememberedAcrossRestarts() {
    QVERIFY(pet_->chat()->get(0).value("text").toString().contains("What's your name?"));
    pet_->sendChat("my name is alex");  // no gateway: the pet answers by itself
    QCOMPARE(settings_->userName(), QString("Alex"));
    QCOMPARE(pet_->chat()->count(), 3);
    QVERIFY(pet_->chat()->get(2).value("text").toString().contains("Alex"));

    pet_.reset();
    settings_ =
        std::make_unique<AppSettings>(dir_->filePath("desktop.conf"), dir_->filePath("autostart"));
    pet_ = std::make_unique<PetController>(settings_.get(), nullptr, [this] { return now_; });
    QCOMPARE(settings_->userName(), QString("Alex"));
    QCOMPARE(pet_->chat()->count(), 1);
    QVERIFY2(pet_->chat()->get(0).value("text").toString().startsWith("Hi Alex!"),
             qPrintable(pet_->chat()->get(0).value("text").toString()));
  }

  void chatWithoutGateway() {
    pet_->sendChat("  ");
    QCOMPARE(pet_->chat()->count(), 1);  // blank: ignored
    pet_->sendChat("hello?");
    QCOMPARE(pet_->chat()->count(), 3);
    QCOMPARE(pet_->chat()->get(1).value("role").toString(), QString("user"));
    QVERIFY(pet_->chat()->get(2).value("text").toString().contains("gateway isn't running"));
    QVERIFY(!pet_->chatBusy());
    pet_->clearChat();
    QCOMPARE(pet_->chat()->count(), 1);
  }

  void chatGoesThroughTheGateway() {
    Responder gateway;
    gateway.answer(200, Completion("Hi Alex! All 3 providers look healthy."));
    settings_->setUserName("Alex");
    pet_->setGateway(gateway.url() + "/v1/", "ag-local-token");
    QSignalSpy busy(pet_.get(), &PetController::chatBusyChanged);
    pet_->sendChat("how are my providers?");
    QVERIFY(pet_->chatBusy());
    QCOMPARE(pet_->state(), QString("active"));  // thinking
    QCOMPARE(pet_->chat()->get(2).value("pending").toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(!pet_->chatBusy(), 10000);
    QCOMPARE(busy.count(), 2);
    QCOMPARE(pet_->state(), QString("idle"));
    QCOMPARE(pet_->chat()->count(), 3);
    QCOMPARE(pet_->chat()->get(2).value("role").toString(), QString("pet"));
    QCOMPARE(pet_->chat()->get(2).value("pending").toBool(), false);
    QCOMPARE(pet_->chat()->get(2).value("text").toString(),
             QString("Hi Alex! All 3 providers look healthy."));

    QCOMPARE(gateway.request_line, QByteArray("POST /v1/chat/completions HTTP/1.1"));
    QCOMPARE(gateway.headers.value("authorization"), QByteArray("Bearer ag-local-token"));
    QJsonObject req = QJsonDocument::fromJson(gateway.request_body).object();
    QVERIFY2(!req.contains("model"), "no model: the gateway picks each provider's default");
    QCOMPARE(req.value("stream").toBool(true), false);
    QCOMPARE(req.value("max_tokens").toInt(), 300);
    QJsonArray messages = req.value("messages").toArray();
    QCOMPARE(messages.size(), 2);  // the greeting is the app's own, never sent
    QCOMPARE(messages[0].toObject().value("role").toString(), QString("system"));
    QString system = messages[0].toObject().value("content").toString();
    QVERIFY2(system.contains("AgentGate") && system.contains("Alex"), qPrintable(system));
    QCOMPARE(messages[1].toObject().value("content").toString(), QString("how are my providers?"));

    // The next question carries the previous turn.
    gateway.answer(200, Completion("Nice!"));
    pet_->sendChat("great");
    QTRY_VERIFY_WITH_TIMEOUT(!pet_->chatBusy(), 10000);
    QCOMPARE(gateway.requests, 2);
    messages = QJsonDocument::fromJson(gateway.request_body).object().value("messages").toArray();
    QCOMPARE(messages.size(), 4);
    QCOMPARE(messages[2].toObject().value("role").toString(), QString("assistant"));
    QCOMPARE(messages[3].toObject().value("content").toString(), QString("great"));
  }

  void chatErrorsBecomeReplies() {
    Responder gateway;
    gateway.answer(502, R"({"error":{"message":"all providers failed","type":"api_error"}})");
    PetChat chat(settings_.get());
    chat.setGateway(gateway.url(), "t");
    QSignalSpy replied(&chat, &PetChat::replied);
    chat.send("hi");
    QTRY_COMPARE_WITH_TIMEOUT(replied.count(), 1, 10000);
    QCOMPARE(replied.first().first().toString(),
             QString("The gateway answered 502: all providers failed"));

    // A failed exchange is not sent back as history.
    gateway.answer(200, Completion("ok"));
    chat.send("again");
    QTRY_COMPARE_WITH_TIMEOUT(replied.count(), 2, 10000);
    QJsonArray messages =
        QJsonDocument::fromJson(gateway.request_body).object().value("messages").toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages[1].toObject().value("content").toString(), QString("hi\nagain"));
  }

  void chatUnreachableGateway() {
    quint16 port;
    {
      QTcpServer closed;
      QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
      port = closed.serverPort();
    }
    PetChat chat(settings_.get());
    chat.setGateway(QStringLiteral("http://127.0.0.1:%1").arg(port), "t");
    QSignalSpy replied(&chat, &PetChat::replied);
    chat.send("hi");
    QTRY_COMPARE_WITH_TIMEOUT(replied.count(), 1, 10000);
    QVERIFY2(replied.first().first().toString().startsWith("I couldn't reach the gateway: "),
             qPrintable(replied.first().first().toString()));
    QVERIFY(!chat.busy());
  }

  void replyText() {
    QCOMPARE(PetChat::ReplyText(200, Completion("<think>hmm</think>\n Hello!"), {}),
             QString("Hello!"));
    QCOMPARE(PetChat::ReplyText(
                 200, R"({"choices":[{"message":{"content":[{"type":"text","text":"A"}]}}]})", {}),
             QString("A"));
    QVERIFY(
        PetChat::ReplyText(200, "not json", {}).startsWith("The gateway's answer was not JSON"));
    QVERIFY(PetChat::ReplyText(401, "{}", {}).contains("token"));
    QCOMPARE(PetChat::ReplyText(0, {}, "cannot connect: Connection refused"),
             QString("I couldn't reach the gateway: cannot connect: Connection refused"));
  }

  void deletedWhileAsking() {
    Responder gateway;
    gateway.answer(200, Completion("late"));
    auto chat = std::make_unique<PetChat>(settings_.get());
    chat->setGateway(gateway.url(), "t");
    chat->send("hi");
    chat.reset();  // the worker's answer must find nobody, harmlessly
    QTRY_COMPARE_WITH_TIMEOUT(gateway.requests, 1, 10000);
    QTest::qWait(200);
  }

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<AppSettings> settings_;
  std::unique_ptr<PetController> pet_;
  qint64 now_ = 0;
};

QTEST_GUILESS_MAIN(PetControllerTest)

#include "pet_controller_test.moc"
