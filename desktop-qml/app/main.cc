// agentgate-desktop: the main window, the pet overlay and the tray icon. Everything the window
// shows comes from the Backend facade (desktop-qml/backend); this file only wires the
// application together: translations, the tray menu, close-to-tray, and the screenshot mode.
//
//   agentgate-desktop [--home DIR] [--minimized]
//   agentgate-desktop --screenshots DIR [--only PAGE|pet] [--scale F]   renders every page in both
//   themes
//                                                          and languages and every pet in every
//                                                          state to DIR, then exits (non-zero on
//                                                          any QML warning)
#include <QtQml/qqmlextensionplugin.h>

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickWindow>
#include <QSystemTrayIcon>
#include <QTranslator>

#include "desktop-qml/app/screenshots.h"
#include "desktop-qml/backend/app_settings.h"
#include "desktop-qml/backend/backend.h"

Q_IMPORT_QML_PLUGIN(AgentGate_BackendPlugin)
Q_IMPORT_QML_PLUGIN(AgentGate_UiPlugin)

namespace {

using agentgate::desktop::AppSettings;
using agentgate::desktop::Backend;

// The tray and window icon, drawn rather than shipped: an amber disc with a white gate arch.
QIcon AppIcon() {
  QIcon icon;
  for (int size : {16, 22, 32, 48, 64, 128}) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor("#f0a030"));
    p.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1));
    QPen pen(Qt::white, std::max(1.5, size / 10.0), Qt::SolidLine, Qt::RoundCap);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    QRectF arch(size * 0.28, size * 0.26, size * 0.44, size * 0.5);
    p.drawArc(arch, 0, 180 * 16);
    p.drawLine(QPointF(arch.left(), arch.center().y()), QPointF(arch.left(), size * 0.74));
    p.drawLine(QPointF(arch.right(), arch.center().y()), QPointF(arch.right(), size * 0.74));
    icon.addPixmap(pm);
  }
  return icon;
}

// Hides the main window instead of closing it while the tray icon is there and the user wants
// it; otherwise the close quits the app.
class CloseToTray : public QObject {
 public:
  CloseToTray(QSystemTrayIcon* tray, AppSettings* settings) : tray_(tray), settings_(settings) {}

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Close && tray_->isVisible() && settings_->closeToTray()) {
      event->ignore();
      static_cast<QWindow*>(watched)->hide();
      return true;
    }
    if (event->type() == QEvent::Close) QCoreApplication::quit();
    return false;
  }

 private:
  QSystemTrayIcon* tray_;
  AppSettings* settings_;
};

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("agentgate-desktop");
  QApplication::setOrganizationName("AgentGate");
  QApplication::setApplicationVersion(AGENTGATE_VERSION);
  QApplication::setWindowIcon(AppIcon());

  QCommandLineParser parser;
  parser.setApplicationDescription("AgentGate desktop app");
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption home_opt("home", "AgentGate home (default $AGENTGATE_HOME or ~/.agentgate)",
                              "DIR");
  QCommandLineOption minimized_opt("minimized", "Start in the tray, without the main window");
  QCommandLineOption shots_opt("screenshots", "Render every page and pet to DIR and exit", "DIR");
  QCommandLineOption only_opt("only", "With --screenshots: only this page id, or 'pet'", "WHAT");
  QCommandLineOption scale_opt("scale", "With --screenshots: scale the page images (0.1-1)", "F",
                               "1");
  parser.addOptions({home_opt, minimized_opt, shots_opt, only_opt, scale_opt});
  parser.process(app);
  if (parser.isSet(home_opt)) qputenv("AGENTGATE_HOME", parser.value(home_opt).toUtf8());

  Backend backend(nullptr);
  Backend::setInstance(&backend);
  AppSettings* settings = backend.settings();

  // Chinese from the translation compiled in; English is the source text.
  QTranslator zh;
  bool zh_loaded = zh.load(":/i18n/agentgate_zh_CN.qm");
  QQmlApplicationEngine engine;
  auto apply_language = [&] {
    QCoreApplication::removeTranslator(&zh);
    if (settings->language() == "zh_CN" && zh_loaded) QCoreApplication::installTranslator(&zh);
    engine.retranslate();
  };
  QObject::connect(settings, &AppSettings::languageChanged, &app, apply_language);
  apply_language();

  engine.addImportPath(QStringLiteral("qrc:/"));
  if (parser.isSet(shots_opt)) {
    return agentgate::desktop::RunScreenshots(app, engine, backend, parser.value(shots_opt),
                                              parser.value(only_opt),
                                              parser.value(scale_opt).toDouble());
  }

  engine.load(QUrl(QStringLiteral("qrc:/AgentGate/Ui/Main.qml")));
  if (engine.rootObjects().isEmpty()) return 1;
  auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());

  // The tray: show the window, start/stop the gateway, show/hide the pet, quit. Without a
  // system tray (a bare X server) closing the window quits.
  QSystemTrayIcon tray(AppIcon());
  QMenu menu;
  QAction* show_action = menu.addAction(QObject::tr("Show AgentGate"));
  QAction* gateway_action = menu.addAction(QString());
  QAction* pet_action = menu.addAction(QString());
  menu.addSeparator();
  QAction* quit_action = menu.addAction(QObject::tr("Quit"));
  auto update_menu = [&] {
    gateway_action->setText(backend.connected() ? QObject::tr("Stop gateway")
                                                : QObject::tr("Start gateway"));
    gateway_action->setEnabled(!backend.busy());
    pet_action->setText(settings->petVisible() ? QObject::tr("Hide pet") : QObject::tr("Show pet"));
    tray.setToolTip(backend.statusText());
  };
  auto show_window = [window] {
    if (!window) return;
    window->show();
    window->raise();
    window->requestActivate();
  };
  QObject::connect(show_action, &QAction::triggered, &app, show_window);
  QObject::connect(gateway_action, &QAction::triggered, &app, [&] {
    if (backend.connected()) {
      backend.stopStack();
    } else {
      backend.startStack();
    }
  });
  QObject::connect(pet_action, &QAction::triggered, &app,
                   [&] { settings->setPetVisible(!settings->petVisible()); });
  QObject::connect(quit_action, &QAction::triggered, &app, &QCoreApplication::quit);
  QObject::connect(&tray, &QSystemTrayIcon::activated, &app,
                   [&](QSystemTrayIcon::ActivationReason r) {
                     if (r == QSystemTrayIcon::Trigger) show_window();
                   });
  QObject::connect(&backend, &Backend::connectedChanged, &app, update_menu);
  QObject::connect(&backend, &Backend::busyChanged, &app, update_menu);
  QObject::connect(&backend, &Backend::statusChanged, &app, update_menu);
  QObject::connect(settings, &AppSettings::petVisibleChanged, &app, update_menu);
  QObject::connect(settings, &AppSettings::languageChanged, &app, [&] {
    show_action->setText(QObject::tr("Show AgentGate"));
    quit_action->setText(QObject::tr("Quit"));
    update_menu();
  });
  update_menu();
  tray.setContextMenu(&menu);
  bool tray_ok = QSystemTrayIcon::isSystemTrayAvailable();
  if (tray_ok) tray.show();
  QApplication::setQuitOnLastWindowClosed(!tray_ok);

  CloseToTray close_filter(&tray, settings);
  if (window) {
    window->installEventFilter(&close_filter);
    if (!parser.isSet(minimized_opt) || !tray_ok) show_window();
  }
  backend.refresh();
  return app.exec();
}
