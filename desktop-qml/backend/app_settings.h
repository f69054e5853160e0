// The desktop app's own settings (not the gateway's): theme, language, pet, autostart, Quick
// Setup. Stored with QSettings in an INI file ($XDG_CONFIG_HOME/agentgate/desktop.conf, or the
// path given, for tests); every setter writes through at once and emits its NOTIFY signal only
// when the value changed.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QPoint>
#include <QSettings>
#include <QString>
#include <memory>

namespace agentgate::desktop {

class AppSettings : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("use Backend.settings")
  Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)  // dark | light
  Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)  // en | zh_CN
  Q_PROPERTY(bool petVisible READ petVisible WRITE setPetVisible NOTIFY petVisibleChanged)
  Q_PROPERTY(
      QString petCharacter READ petCharacter WRITE setPetCharacter NOTIFY petCharacterChanged)
  Q_PROPERTY(QPoint petPosition READ petPosition WRITE setPetPosition NOTIFY petPositionChanged)
  // Remembered by the pet's chat ("" until the user says it).
  Q_PROPERTY(QString userName READ userName WRITE setUserName NOTIFY userNameChanged)
  // Start at login: writes or removes the XDG autostart entry (autostartFile()).
  Q_PROPERTY(bool autostart READ autostart WRITE setAutostart NOTIFY autostartChanged)
  // Quick Setup shown even though providers exist (Settings › "Show Quick Setup").
  Q_PROPERTY(bool quickSetupForced READ quickSetupForced WRITE setQuickSetupForced NOTIFY
                 quickSetupForcedChanged)
  // The window close button hides to the tray (true) or quits.
  Q_PROPERTY(bool closeToTray READ closeToTray WRITE setCloseToTray NOTIFY closeToTrayChanged)

 public:
  // `file` empty: the default location. `autostart_dir` empty: $XDG_CONFIG_HOME/autostart.
  explicit AppSettings(const QString& file = QString(), const QString& autostart_dir = QString(),
                       QObject* parent = nullptr);

  QString theme() const;
  void setTheme(const QString& v);
  QString language() const;
  void setLanguage(const QString& v);
  bool petVisible() const;
  void setPetVisible(bool v);
  QString petCharacter() const;
  void setPetCharacter(const QString& v);
  QPoint petPosition() const;  // (-1, -1) until the pet was placed
  void setPetPosition(const QPoint& v);
  QString userName() const;
  void setUserName(const QString& v);
  bool autostart() const;
  void setAutostart(bool v);
  bool quickSetupForced() const;
  void setQuickSetupForced(bool v);
  bool closeToTray() const;
  void setCloseToTray(bool v);

  QString fileName() const { return settings_->fileName(); }
  QString autostartFile() const;  // …/autostart/agentgate-desktop.desktop
  // The program the autostart entry runs (default: this executable).
  void setAutostartCommand(const QString& command) { autostart_command_ = command; }

 signals:
  void themeChanged();
  void languageChanged();
  void petVisibleChanged();
  void petCharacterChanged();
  void petPositionChanged();
  void userNameChanged();
  void autostartChanged();
  void quickSetupForcedChanged();
  void closeToTrayChanged();

 private:
  bool SetValue(const char* key, const QVariant& v);

  std::unique_ptr<QSettings> settings_;
  QString autostart_dir_;
  QString autostart_command_;
};

}  // namespace agentgate::desktop
