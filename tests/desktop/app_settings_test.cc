// AppSettings: every setter writes through to the INI file at once, emits its signal only on a
// change, ignores invalid values, and autostart writes or removes the desktop entry.
#include "desktop-qml/backend/app_settings.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace agentgate::desktop {

class AppSettingsTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
  }

  void defaults() {
    AppSettings s(file(), autostartDir());
    QCOMPARE(s.theme(), QString("dark"));
    QCOMPARE(s.language(), QString("en"));
    QCOMPARE(s.petVisible(), true);
    QCOMPARE(s.petCharacter(), QString("gatewayBot"));
    QCOMPARE(s.petPosition(), QPoint(-1, -1));
    QCOMPARE(s.userName(), QString());
    QCOMPARE(s.autostart(), false);
    QCOMPARE(s.quickSetupForced(), false);
    QCOMPARE(s.closeToTray(), true);
    QCOMPARE(s.fileName(), file());
  }

  void writeThroughAndSignals() {
    {
      AppSettings s(file(), autostartDir());
      QSignalSpy theme(&s, &AppSettings::themeChanged);
      QSignalSpy language(&s, &AppSettings::languageChanged);
      QSignalSpy pet(&s, &AppSettings::petVisibleChanged);
      QSignalSpy position(&s, &AppSettings::petPositionChanged);
      QSignalSpy name(&s, &AppSettings::userNameChanged);
      QSignalSpy character(&s, &AppSettings::petCharacterChanged);
      QSignalSpy forced(&s, &AppSettings::quickSetupForcedChanged);
      QSignalSpy tray(&s, &AppSettings::closeToTrayChanged);

      s.setTheme("dark");  // the default: no change
      QCOMPARE(theme.count(), 0);
      s.setTheme("light");
      s.setTheme("light");
      QCOMPARE(theme.count(), 1);
      // Written at once: another reader of the file sees it before `s` is gone.
      QCOMPARE(QSettings(file(), QSettings::IniFormat).value("theme").toString(), QString("light"));

      s.setLanguage("zh_CN");
      s.setLanguage("zh_CN");
      QCOMPARE(language.count(), 1);
      s.setPetVisible(true);
      QCOMPARE(pet.count(), 0);
      s.setPetVisible(false);
      QCOMPARE(pet.count(), 1);
      s.setPetPosition(QPoint(10, 20));
      s.setPetPosition(QPoint(10, 20));
      QCOMPARE(position.count(), 1);
      s.setUserName("  Ada  ");
      QCOMPARE(s.userName(), QString("Ada"));
      s.setUserName("Ada");
      QCOMPARE(name.count(), 1);
      s.setPetCharacter("");  // ignored
      QCOMPARE(character.count(), 0);
      s.setPetCharacter("cat");
      QCOMPARE(character.count(), 1);
      s.setQuickSetupForced(true);
      s.setQuickSetupForced(true);
      QCOMPARE(forced.count(), 1);
      s.setCloseToTray(false);
      QCOMPARE(tray.count(), 1);
    }
    AppSettings again(file(), autostartDir());
    QCOMPARE(again.theme(), QString("light"));
    QCOMPARE(again.language(), QString("zh_CN"));
    QCOMPARE(again.petVisible(), false);
    QCOMPARE(again.petPosition(), QPoint(10, 20));
    QCOMPARE(again.userName(), QString("Ada"));
    QCOMPARE(again.petCharacter(), QString("cat"));
    QCOMPARE(again.quickSetupForced(), true);
    QCOMPARE(again.closeToTray(), false);
  }

  void invalidValuesIgnored() {
    AppSettings s(file(), autostartDir());
    QSignalSpy theme(&s, &AppSettings::themeChanged);
    QSignalSpy language(&s, &AppSettings::languageChanged);
    s.setTheme("purple");
    s.setLanguage("fr");
    QCOMPARE(theme.count(), 0);
    QCOMPARE(language.count(), 0);
    QCOMPARE(s.theme(), QString("dark"));
    QVERIFY(!QSettings(file(), QSettings::IniFormat).contains("theme"));
    // A hand-edited file with an unknown theme reads as the default.
    QSettings(file(), QSettings::IniFormat).setValue("theme", "purple");
    AppSettings edited(file(), autostartDir());
    QCOMPARE(edited.theme(), QString("dark"));
  }

  void userNameIsCut() {
    AppSettings s(file(), autostartDir());
    s.setUserName(QString(60, 'x'));
    QCOMPARE(s.userName().size(), 40);
  }

  void autostart() {
    AppSettings s(file(), autostartDir());
    s.setAutostartCommand("/opt/Agent Gate/agentgate-desktop");
    QSignalSpy changed(&s, &AppSettings::autostartChanged);
    QCOMPARE(s.autostartFile(), autostartDir() + "/agentgate-desktop.desktop");
    s.setAutostart(true);
    QCOMPARE(changed.count(), 1);
    QVERIFY(s.autostart());
    QFile f(s.autostartFile());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QString entry = QString::fromUtf8(f.readAll());
    QVERIFY(entry.startsWith("[Desktop Entry]\n"));
    QVERIFY2(entry.contains("Exec=\"/opt/Agent Gate/agentgate-desktop\" --minimized\n"),
             qPrintable(entry));
    QVERIFY(entry.contains("Type=Application\n"));
    s.setAutostart(true);  // already on
    QCOMPARE(changed.count(), 1);
    s.setAutostart(false);
    QCOMPARE(changed.count(), 2);
    QVERIFY(!QFile::exists(s.autostartFile()));
    QVERIFY(!s.autostart());
    s.setAutostart(false);
    QCOMPARE(changed.count(), 2);
  }

 private:
  QString file() const { return dir_->path() + "/desktop.conf"; }
  QString autostartDir() const { return dir_->path() + "/autostart"; }

  std::unique_ptr<QTemporaryDir> dir_;
};

}  // namespace agentgate::desktop

QTEST_GUILESS_MAIN(agentgate::desktop::AppSettingsTest)
#include "app_settings_test.moc"
