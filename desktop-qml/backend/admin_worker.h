// Where the desktop app talks to the admin API: never on the GUI thread.
//
//   Inbox        hands functions from any thread to one GUI-thread object (the Backend), as
//                queued calls; after close() it drops them, so nothing reaches a Backend that is
//                being destroyed.
//   AdminWorker  a QObject moved to its own QThread, owning the gRPC stub (ctl::AdminClient). The
//                Backend posts jobs to it as lambdas; each job runs on the worker thread, calls
//                the admin API (every call with a deadline), and its result goes back through the
//                Inbox. Jobs run one at a time, in the order they were posted.
//   EventStream  reads the WatchEvents stream on a std::thread of its own, reconnecting with
//                backoff (0.5 s doubling to 5 s) while the stack is down or the router does not
//                offer the RPC (UNIMPLEMENTED); stop() cancels the call in flight and returns at
//                once.
//
// The router's address and the token are read from $AGENTGATE_HOME (run/stack.json, token) by
// ctl::AdminClient; the worker makes a new AdminClient whenever either changes (the stack was
// restarted, the token rotated), so a long-running app follows the stack.
#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "agentgate/admin/v1/admin.grpc.pb.h"
#include "services/ctl/admin_client.h"

namespace agentgate::desktop {

// Thread-safety: post() and close() from any thread.
class Inbox {
 public:
  explicit Inbox(QObject* target) : target_(target) {}

  // Queues `f` to run on the target's thread; dropped when the inbox is closed or the target is
  // gone by the time it would run.
  template <typename F>
  void post(F f) {
    std::lock_guard<std::mutex> lock(mu_);
    if (target_ == nullptr) return;
    QPointer<QObject> guard(target_);
    QMetaObject::invokeMethod(
        target_,
        [guard, f = std::move(f)]() mutable {
          if (guard) f();
        },
        Qt::QueuedConnection);
  }
  // After this returns, post() delivers nothing more. Call from the target's destructor.
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    target_ = nullptr;
  }

 private:
  std::mutex mu_;
  QObject* target_;  // guarded by mu_
};

// The outcome of one admin call.
struct CallResult {
  bool ok = true;
  grpc::StatusCode code = grpc::StatusCode::OK;
  QString error;  // a readable sentence (ctl::AdminClient::Explain); "" when ok
  // The router could not be reached (down, or no answer before the deadline).
  bool unreachable() const {
    return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED;
  }
};

// Thread-safety: start(), stop() and post() from the GUI thread; call() and the jobs' code on the
// worker thread only; the counters from any thread.
class AdminWorker : public QObject {
  Q_OBJECT

 public:
  using Stub = admin::v1::AdminService::Stub;
  // Every admin call has a deadline: 5 s, and 60 s for the calls that test a provider or fetch
  // its models (the probe service talks to the provider).
  static constexpr std::chrono::seconds kDeadline{5};
  static constexpr std::chrono::seconds kLongDeadline{60};

  AdminWorker(std::string home, std::shared_ptr<Inbox> inbox);
  // REQUIRES: stop() returned true (or start() was never called).
  ~AdminWorker() override;

  // Starts the worker thread and moves this object to it.
  void start();
  // Drops the jobs not started yet, cancels the admin call in flight, and stops the thread.
  // Returns true once the thread has finished; false when a job is still running after `grace`
  // (one blocked in a plain HTTP request, which cannot be cancelled): the caller must then leave
  // the worker alone (not delete it) — it finishes by itself and its results are dropped.
  bool stop(std::chrono::milliseconds grace);

  // Runs `work(AdminWorker&)` on the worker thread, then `done(result)` on the inbox's thread.
  template <typename Work, typename Done>
  void post(Work work, Done done) {
    QMetaObject::invokeMethod(
        this,
        [this, work = std::move(work), done = std::move(done)]() mutable {
          if (stopping_) return;
          auto result = work(*this);
          inbox_->post([done = std::move(done), result = std::move(result)]() mutable {
            done(std::move(result));
          });
        },
        Qt::QueuedConnection);
  }
  // From a job: runs `f` on the inbox's thread (progress reports of a job with several steps).
  template <typename F>
  void deliver(F f) {
    inbox_->post(std::move(f));
  }

  // One admin call. REQUIRES: on the worker thread (counted otherwise, and asserted in debug
  // builds). Fails with CANCELLED once stop() was called.
  template <typename Req, typename Resp>
  CallResult call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
                  const Req& req, Resp* resp, std::chrono::seconds deadline = kDeadline) {
    ctl::AdminClient& c = beginCall();
    std::unique_ptr<grpc::ClientContext> ctx = c.Context(deadline);
    if (!track(ctx.get())) return cancelled();
    grpc::Status st = (c.stub().*rpc)(ctx.get(), req, resp);
    track(nullptr);
    return finish(c, st);
  }

  // The router address the calls go to. REQUIRES: on the worker thread.
  std::string address();
  const std::string& home() const { return home_; }
  bool stopping() const { return stopping_; }

  // Admin calls made, and how many of them ran on the application's main (GUI) thread — which
  // must stay 0; tests check it.
  int callCount() const { return calls_; }
  int guiThreadCallCount() const { return gui_thread_calls_; }

 private:
  // Counts the call, checks the thread, returns the client (re-created when stack.json's router
  // address or the token changed).
  ctl::AdminClient& beginCall();
  // Registers the context stop() cancels (nullptr: the call is over). False once stopping.
  bool track(grpc::ClientContext* ctx);
  CallResult finish(const ctl::AdminClient& c, const grpc::Status& st);
  static CallResult cancelled();

  // Constant after construction.
  const std::string home_;
  const std::shared_ptr<Inbox> inbox_;
  // Used by the worker thread only.
  std::unique_ptr<ctl::AdminClient> client_;
  std::string client_key_;  // the router address and token client_ was made with
  // start()/stop(), GUI thread.
  QThread* thread_ = nullptr;
  // Any thread.
  std::atomic<bool> stopping_{false};
  std::atomic<int> calls_{0};
  std::atomic<int> gui_thread_calls_{0};
  std::mutex mu_;
  grpc::ClientContext* in_flight_ = nullptr;  // guarded by mu_
};

// Thread-safety: start() and stop() from one thread (the GUI thread); `on_event` and `on_state`
// are called on the stream's own thread.
class EventStream {
 public:
  using Sink = std::function<void(const admin::v1::Event&)>;
  // Called with true when a stream opens (its first event arrived), false when it ends.
  using StateSink = std::function<void(bool open)>;
  static constexpr std::chrono::milliseconds kMinBackoff{500};
  static constexpr std::chrono::milliseconds kMaxBackoff{5000};

  EventStream(std::string home, Sink on_event, StateSink on_state = {});
  ~EventStream();  // stop()

  void start();
  // Cancels the stream and joins the thread; prompt (no waiting for a deadline or backoff).
  void stop();
  // Reconnects now instead of at the end of the current backoff (the stack just came up).
  void wake();
  // Streams opened successfully so far (each opens with a HELLO event).
  int connections() const { return connections_; }

 private:
  void run();

  const std::string home_;
  const Sink on_event_;
  const StateSink on_state_;
  std::thread thread_;
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                   // guarded by mu_
  bool wake_ = false;                   // guarded by mu_
  grpc::ClientContext* ctx_ = nullptr;  // guarded by mu_: the stream's call, to cancel
};

}  // namespace agentgate::desktop
