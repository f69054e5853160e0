// Qt Quick Test runner for the desktop app's QML components and pet (tests/desktop/qml/tst_*.qml).
// The QML modules are linked in statically, as in agentgate-desktop, and the Backend singleton
// is a real Backend on a settings file of its own and an AGENTGATE_HOME with no stack, so
// components see the "not running" state unless a test starts one.
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include <QCoreApplication>
#include <QDir>
#include <QQmlEngine>
#include <QTemporaryDir>

#include "desktop-qml/backend/backend.h"

Q_IMPORT_QML_PLUGIN(AgentGate_BackendPlugin)
Q_IMPORT_QML_PLUGIN(AgentGate_UiPlugin)

namespace {

class Setup : public QObject {
  Q_OBJECT

 public slots:
  void applicationAvailable() {
    qputenv("AGENTGATE_HOME", QDir(dir_.path()).filePath("home").toUtf8());
    qputenv("AGENTGATE_DESKTOP_CONFIG", QDir(dir_.path()).filePath("desktop.conf").toUtf8());
    backend_ = new agentgate::desktop::Backend(nullptr);
    agentgate::desktop::Backend::setInstance(backend_);
  }
  void qmlEngineAvailable(QQmlEngine* engine) { engine->addImportPath(QStringLiteral("qrc:/")); }
  void cleanupTestCase() {
    delete backend_;
    backend_ = nullptr;
  }

 private:
  QTemporaryDir dir_;
  agentgate::desktop::Backend* backend_ = nullptr;
};

}  // namespace

QUICK_TEST_MAIN_WITH_SETUP(agentgate_desktop_quick, Setup)

#include "quick_test_main.moc"
