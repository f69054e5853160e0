#include "desktop-qml/backend/admin_worker.h"

#include <QtGlobal>
#include <algorithm>

#include "services/common/files.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/stack_file.h"

namespace agentgate::desktop {
namespace {

// The admin credential the calls carry (as ctl::AdminClient reads it).
std::string ReadToken(const std::string& home) {
  auto token = ReadFile(home + "/admin.token");
  return token.ok() ? std::string(StripSpace(*token)) : std::string();
}

// What an AdminClient is made from: the router address in stack.json and the admin credential.
std::string ClientKey(const std::string& home) {
  std::string address;
  auto f = ctl::ReadStackFile(home);
  if (f.ok() && f->services.count("router") > 0) address = f->services.at("router").address;
  return address + "\n" + ReadToken(home);
}

bool OnMainThread() {
  const QCoreApplication* app = QCoreApplication::instance();
  return app != nullptr && QThread::currentThread() == app->thread();
}

}  // namespace

AdminWorker::AdminWorker(std::string home, std::shared_ptr<Inbox> inbox)
    : home_(std::move(home)), inbox_(std::move(inbox)) {}

AdminWorker::~AdminWorker() {
  // stop() must have finished the thread; a QThread destroyed while running aborts.
  if (thread_ != nullptr && thread_->isFinished()) delete thread_;
}

void AdminWorker::start() {
  if (thread_ != nullptr) return;
  thread_ = new QThread();
  thread_->setObjectName(QStringLiteral("AdminWorker"));
  moveToThread(thread_);
  thread_->start();
}

bool AdminWorker::stop(std::chrono::milliseconds grace) {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (in_flight_ != nullptr) in_flight_->TryCancel();
  }
  if (thread_ == nullptr) return true;
  thread_->quit();
  return thread_->wait(static_cast<unsigned long>(grace.count()));
}

ctl::AdminClient& AdminWorker::beginCall() {
  ++calls_;
  if (OnMainThread()) {
    ++gui_thread_calls_;
    Q_ASSERT_X(false, "AdminWorker::call", "an admin call on the GUI thread");
  }
  std::string key = ClientKey(home_);
  if (client_ == nullptr || key != client_key_) {
    client_ = std::make_unique<ctl::AdminClient>(home_);
    client_key_ = std::move(key);
  }
  return *client_;
}

bool AdminWorker::track(grpc::ClientContext* ctx) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_ = ctx;
  return ctx == nullptr || !stopping_;
}

CallResult AdminWorker::finish(const ctl::AdminClient& c, const grpc::Status& st) {
  CallResult r;
  if (st.ok()) return r;
  r.ok = false;
  r.code = st.error_code();
  r.error = QString::fromStdString(c.Explain(st));
  if (r.error.isEmpty()) r.error = QStringLiteral("the admin call failed (code %1)").arg(r.code);
  return r;
}

CallResult AdminWorker::cancelled() {
  CallResult r;
  r.ok = false;
  r.code = grpc::StatusCode::CANCELLED;
  r.error = QStringLiteral("cancelled: the app is closing");
  return r;
}

std::string AdminWorker::address() {
  if (client_ == nullptr) {
    client_ = std::make_unique<ctl::AdminClient>(home_);
    client_key_ = ClientKey(home_);
  }
  return client_->address();
}

EventStream::EventStream(std::string home, Sink on_event, StateSink on_state)
    : home_(std::move(home)), on_event_(std::move(on_event)), on_state_(std::move(on_state)) {}

EventStream::~EventStream() { stop(); }

void EventStream::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void EventStream::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    if (ctx_ != nullptr) ctx_->TryCancel();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventStream::wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

void EventStream::run() {
  std::chrono::milliseconds backoff = kMinBackoff;
  for (;;) {
    // A new client each time: the stack may have restarted on other ports, with another token.
    ctl::AdminClient client(home_);
    grpc::ClientContext ctx;  // no deadline: the stream lasts as long as the router
    AddBearer(ctx, ReadToken(home_));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      wake_ = false;
      ctx_ = &ctx;
    }
    bool opened = false;
    {
      auto reader = client.stub().WatchEvents(&ctx, admin::v1::WatchEventsRequest());
      admin::v1::Event event;
      while (reader->Read(&event)) {
        if (!opened) {
          opened = true;
          ++connections_;
          if (on_state_) on_state_(true);
        }
        on_event_(event);
      }
      reader->Finish();  // UNAVAILABLE (down), UNIMPLEMENTED (an older router), CANCELLED (stop)
    }
    if (opened && on_state_) on_state_(false);
    std::unique_lock<std::mutex> lock(mu_);
    ctx_ = nullptr;
    if (stop_) return;
    // A stream that was open ended (the router stopped): try again soon. One that never opened:
    // wait longer each time, up to kMaxBackoff.
    if (opened) backoff = kMinBackoff;
    cv_.wait_for(lock, backoff, [this] { return stop_ || wake_; });
    if (stop_) return;
    if (!opened) backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace agentgate::desktop

#include "moc_admin_worker.cpp"
