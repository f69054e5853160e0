#include "desktop-qml/app/screenshots.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QThread>
#include <cstdio>

#include "desktop-qml/backend/app_settings.h"
#include "desktop-qml/backend/backend.h"
#include "desktop-qml/backend/pet_controller.h"

namespace agentgate::desktop {
namespace {

int g_warnings = 0;
QtMessageHandler g_previous = nullptr;

// Every warning (QML binding errors, missing properties, failed loads) is counted and printed.
void CountWarnings(QtMsgType type, const QMessageLogContext& ctx, const QString& msg) {
  if (type != QtDebugMsg && type != QtInfoMsg) {
    // The xcb platform's own chatter is not the app's fault.
    bool platform = QByteArray(ctx.category ? ctx.category : "").startsWith("qt.qpa");
    if (!platform) ++g_warnings;
  }
  if (g_previous) g_previous(type, ctx, msg);
}

// Runs the event loop for `ms` so bindings settle, loaders finish and frames render.
void Settle(int ms) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < ms) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
}

bool Save(const QImage& image, const QString& path) {
  if (image.isNull() || !image.save(path)) {
    std::fprintf(stderr, "screenshots: cannot save %s\n", qPrintable(path));
    return false;
  }
  std::printf("  %s\n", qPrintable(QDir(path).dirName()));
  return true;
}

}  // namespace

int RunScreenshots(QApplication& app, QQmlApplicationEngine& engine, Backend& backend,
                   const QString& dir, const QString& only, double scale) {
  g_previous = qInstallMessageHandler(CountWarnings);
  QDir().mkpath(dir);
  AppSettings* settings = backend.settings();
  settings->setPetVisible(false);  // the overlay would cover part of the page shots
  bool ok = true;

  backend.refresh();
  QDeadlineTimer connect_deadline(15000);
  while (!backend.connected() && !connect_deadline.hasExpired()) Settle(100);
  if (!backend.connected()) std::fprintf(stderr, "screenshots: the admin API is not reachable\n");
  Settle(2500);  // the first round of providers, routes, stats and logs

  const QStringList pages = {"overview", "setup",       "providers", "accounts",
                             "routes",   "gateway",     "clients",   "toolbox",
                             "logs",     "diagnostics", "settings"};
  if (only != "pet") {
    engine.load(QUrl(QStringLiteral("qrc:/AgentGate/Ui/Main.qml")));
    if (engine.rootObjects().isEmpty()) return 1;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    window->resize(1180, 760);
    window->show();
    backend.runSelfCheck();
    for (const QString theme : {"dark", "light"}) {
      for (const QString lang : {"en", "zh_CN"}) {
        settings->setTheme(theme);
        settings->setLanguage(lang);
        for (const QString& page : pages) {
          if (!only.isEmpty() && only != page) continue;
          window->setProperty("currentPage", page);
          Settle(600);
          auto* loader = window->findChild<QObject*>("pageLoader");
          if (!loader || loader->property("status").toInt() != 1 /* Loader.Ready */) {
            std::fprintf(stderr, "screenshots: page %s did not load\n", qPrintable(page));
            ok = false;
            continue;
          }
          QImage image = window->grabWindow();
          if (scale > 0 && scale < 1) {
            image = image.scaledToWidth(static_cast<int>(image.width() * scale),
                                        Qt::SmoothTransformation);
          }
          ok &= Save(image, QStringLiteral("%1/page-%2-%3-%4.png").arg(dir, page, theme, lang));
        }
      }
    }
    window->hide();
    settings->setTheme("dark");
    settings->setLanguage("en");
  }

  if (only.isEmpty() || only == "pet") {
    // Every character in every state, each on its own, and all of them on one sheet.
    QQmlComponent gallery(&engine, QUrl(QStringLiteral("qrc:/AgentGate/Ui/pet/PetGallery.qml")));
    const QStringList states = {"idle", "active", "error", "sleep"};
    const QStringList characters = backend.pet()->characters();
    const int cell = 200;
    QImage sheet(cell * states.size(), cell * characters.size(), QImage::Format_ARGB32);
    sheet.fill(QColor("#1c1814"));
    QPainter painter(&sheet);
    QQuickWindow view;
    view.setColor(QColor("#1c1814"));
    view.resize(cell, cell);
    view.show();
    for (int c = 0; c < characters.size(); ++c) {
      for (int s = 0; s < states.size(); ++s) {
        QObject* obj = gallery.createWithInitialProperties(
            {{"character", characters[c]}, {"petState", states[s]}, {"animated", false}});
        auto* item = qobject_cast<QQuickItem*>(obj);
        if (!item) {
          std::fprintf(stderr, "screenshots: PetGallery: %s\n", qPrintable(gallery.errorString()));
          ok = false;
          delete obj;
          continue;
        }
        item->setParentItem(view.contentItem());
        item->setSize(QSizeF(cell, cell));
        Settle(250);
        QImage image = view.grabWindow();
        ok &= Save(image, QStringLiteral("%1/pet-%2-%3.png").arg(dir, characters[c], states[s]));
        painter.drawImage(QPoint(s * cell, c * cell), image);
        delete item;
      }
    }
    painter.end();
    ok &= Save(sheet, dir + "/pets.png");
  }

  qInstallMessageHandler(g_previous);
  if (g_warnings > 0) {
    std::fprintf(stderr, "screenshots: %d warning(s) printed: failing\n", g_warnings);
    ok = false;
  }
  (void)app;
  return ok ? 0 : 1;
}

}  // namespace agentgate::desktop
