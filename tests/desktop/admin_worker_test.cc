// AdminWorker and EventStream against an in-process fake AdminService: jobs run on the worker
// thread and their results come back to the GUI thread; the worker follows the stack to a new
// address and token; stop() cancels a call in flight; the event stream backs off while the
// router answers UNIMPLEMENTED, delivers events, reconnects after a restart, and stops at once.
#include "desktop-qml/backend/admin_worker.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "services/common/files.h"
#include "services/common/grpc_util.h"
#include "services/ctl/stack_file.h"

namespace agentgate::desktop {
namespace {

namespace pb = admin::v1;
using Stub = pb::AdminService::Stub;

class FakeAdmin final : public pb::AdminService::Service {
 public:
  explicit FakeAdmin(std::string name) : name_(std::move(name)) {}

  grpc::Status GetStackStatus(grpc::ServerContext* ctx, const pb::GetStackStatusRequest*,
                              pb::StackStatus* out) override {
    ++status_calls;
    Record(*ctx);
    for (int waited = 0; waited < status_delay_ms && !ctx->IsCancelled(); waited += 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    out->add_services()->mutable_info()->set_name(name_);
    return grpc::Status::OK;
  }

  grpc::Status WatchEvents(grpc::ServerContext* ctx, const pb::WatchEventsRequest*,
                           grpc::ServerWriter<pb::Event>* writer) override {
    ++watch_calls;
    Record(*ctx);
    if (!stream) return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "not here");
    pb::Event hello;
    hello.set_kind(pb::EVENT_KIND_HELLO);
    hello.set_detail(name_);
    writer->Write(hello);
    while (!ctx->IsCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return grpc::Status::CANCELLED;
  }

  std::string last_token() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_token_;
  }

  std::atomic<int> status_calls{0};
  std::atomic<int> watch_calls{0};
  std::atomic<int> status_delay_ms{0};
  std::atomic<bool> stream{false};

 private:
  void Record(const grpc::ServerContext& ctx) {
    auto it = ctx.client_metadata().find("authorization");
    std::lock_guard<std::mutex> lock(mu_);
    if (it != ctx.client_metadata().end())
      last_token_ = std::string(it->second.data(), it->second.size());
  }

  const std::string name_;
  std::mutex mu_;
  std::string last_token_;
};

// A fake router on an ephemeral port.
struct Router {
  explicit Router(const std::string& name) : service(name) {
    auto s = StartGrpcServer("127.0.0.1", &port, {&service});
    if (s.ok()) server = std::move(*s);
  }
  ~Router() {
    if (server) server->Shutdown(std::chrono::system_clock::now());
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }

  FakeAdmin service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

void PointAt(const std::string& home, const Router& r, const std::string& token) {
  ctl::StackFile f;
  f.home = home;
  f.services["router"].address = r.address();
  QVERIFY(ctl::WriteStackFile(home, f).ok());
  QVERIFY(WriteFileAtomic(home + "/admin.token", token + "\n", 0600).ok());
}

struct StatusResult {
  CallResult call;
  std::string name;
  QThread* thread = nullptr;
};

}  // namespace

class AdminWorkerTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    home_ = dir_->path().toStdString();
    qunsetenv("AGENTGATE_ADMIN_ADDR");
  }

  void jobsRunOnTheWorkerThread() {
    Router router("one");
    QVERIFY(router.server);
    PointAt(home_, router, "t1");
    QObject receiver;
    auto inbox = std::make_shared<Inbox>(&receiver);
    AdminWorker w(home_, inbox);
    w.start();
    std::optional<StatusResult> got;
    QThread* done_thread = nullptr;
    w.post(
        [](AdminWorker& worker) {
          StatusResult r;
          pb::StackStatus status;
          r.call = worker.call(&Stub::GetStackStatus, pb::GetStackStatusRequest(), &status);
          if (status.services_size() > 0) r.name = status.services(0).info().name();
          r.thread = QThread::currentThread();
          return r;
        },
        [&](StatusResult r) {
          got = r;
          done_thread = QThread::currentThread();
        });
    QTRY_VERIFY(got.has_value());
    QVERIFY(got->call.ok);
    QCOMPARE(got->name, std::string("one"));
    QVERIFY(got->thread != QThread::currentThread());  // the call: on the worker
    QCOMPARE(done_thread, QThread::currentThread());   // the result: back here
    QCOMPARE(router.service.last_token(), std::string("Bearer t1"));
    QCOMPARE(w.callCount(), 1);
    QCOMPARE(w.guiThreadCallCount(), 0);
#ifdef QT_NO_DEBUG
    // A call made here, on the GUI thread, is caught (debug builds assert instead).
    pb::StackStatus status;
    w.call(&Stub::GetStackStatus, pb::GetStackStatusRequest(), &status);
    QCOMPARE(w.guiThreadCallCount(), 1);
#endif
    // A closed inbox delivers nothing more.
    inbox->close();
    bool delivered = false;
    w.post([](AdminWorker&) { return 1; }, [&](int) { delivered = true; });
    QTest::qWait(200);
    QVERIFY(!delivered);
    QVERIFY(w.stop(std::chrono::seconds(2)));
  }

  void followsTheStackToANewAddressAndToken() {
    Router one("one");
    PointAt(home_, one, "t1");
    QObject receiver;
    AdminWorker w(home_, std::make_shared<Inbox>(&receiver));
    w.start();
    auto status_name = [&w]() {
      std::optional<std::string> name;
      w.post(
          [](AdminWorker& worker) {
            pb::StackStatus status;
            CallResult r = worker.call(&Stub::GetStackStatus, pb::GetStackStatusRequest(), &status);
            return r.ok && status.services_size() > 0 ? status.services(0).info().name()
                                                      : r.error.toStdString();
          },
          [&name](std::string n) { name = n; });
      for (int i = 0; i < 500 && !name; ++i) QTest::qWait(10);
      return name.value_or("(no answer)");
    };
    QCOMPARE(status_name(), std::string("one"));
    // The stack restarts elsewhere with a new token.
    Router two("two");
    PointAt(home_, two, "t2");
    QCOMPARE(status_name(), std::string("two"));
    QCOMPARE(two.service.last_token(), std::string("Bearer t2"));
    // And goes away: a readable error, not a hang.
    two.server->Shutdown(std::chrono::system_clock::now());
    two.server.reset();
    std::string down = status_name();
    QVERIFY2(down.find("cannot reach the router") != std::string::npos, down.c_str());
    QVERIFY(w.stop(std::chrono::seconds(2)));
  }

  void stopCancelsTheCallInFlight() {
    Router router("slow");
    router.service.status_delay_ms = 20'000;
    PointAt(home_, router, "t");
    QObject receiver;
    AdminWorker w(home_, std::make_shared<Inbox>(&receiver));
    w.start();
    w.post(
        [](AdminWorker& worker) {
          pb::StackStatus status;
          return worker.call(&Stub::GetStackStatus, pb::GetStackStatusRequest(), &status,
                             std::chrono::seconds(30));
        },
        [](CallResult) {});
    QTRY_COMPARE(router.service.status_calls.load(), 1);
    QElapsedTimer t;
    t.start();
    QVERIFY(w.stop(std::chrono::seconds(5)));
    QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
  }

  void eventStreamBacksOffWhileUnimplemented() {
    Router router("old");
    PointAt(home_, router, "t");
    std::atomic<int> events{0};
    EventStream s(home_, [&events](const pb::Event&) { ++events; });
    s.start();
    // Attempts at 0, 0.5, 1.5 and 3.5 s: a handful in 3 s, not a busy loop.
    QTest::qWait(3000);
    int calls = router.service.watch_calls;
    QVERIFY2(calls >= 2 && calls <= 5, qPrintable(QString::number(calls)));
    QCOMPARE(events.load(), 0);
    QCOMPARE(s.connections(), 0);
    // Stopping during a backoff wait is immediate.
    QElapsedTimer t;
    t.start();
    s.stop();
    QVERIFY2(t.elapsed() < 300, qPrintable(QString::number(t.elapsed())));
  }

  void eventStreamDeliversReconnectsAndStopsPromptly() {
    auto one = std::make_unique<Router>("one");
    one->service.stream = true;
    PointAt(home_, *one, "t");
    std::mutex mu;
    std::vector<std::string> hellos;
    std::atomic<int> opened{0};
    std::atomic<int> closed{0};
    EventStream s(
        home_,
        [&](const pb::Event& e) {
          std::lock_guard<std::mutex> lock(mu);
          hellos.push_back(e.detail());
        },
        [&](bool open) { ++(open ? opened : closed); });
    s.start();
    QTRY_COMPARE(s.connections(), 1);
    QCOMPARE(opened.load(), 1);
    {
      std::lock_guard<std::mutex> lock(mu);
      QCOMPARE(hellos.front(), std::string("one"));
    }
    QCOMPARE(one->service.last_token(), std::string("Bearer t"));

    // The router restarts elsewhere: the stream ends and finds it.
    auto two = std::make_unique<Router>("two");
    two->service.stream = true;
    PointAt(home_, *two, "t2");
    one.reset();
    QTRY_COMPARE_WITH_TIMEOUT(s.connections(), 2, 10'000);
    QCOMPARE(closed.load(), 1);
    {
      std::lock_guard<std::mutex> lock(mu);
      QCOMPARE(hellos.back(), std::string("two"));
    }

    // The stream is open and the router would never end it: stop() cancels it.
    QElapsedTimer t;
    t.start();
    s.stop();
    QVERIFY2(t.elapsed() < 500, qPrintable(QString::number(t.elapsed())));
  }

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::string home_;
};

}  // namespace agentgate::desktop

QTEST_GUILESS_MAIN(agentgate::desktop::AdminWorkerTest)
#include "admin_worker_test.moc"
