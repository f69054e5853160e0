#include "desktop-qml/backend/app_settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace agentgate::desktop {
namespace {

QString ConfigHome() {
  QString xdg = qEnvironmentVariable("XDG_CONFIG_HOME");
  return xdg.isEmpty() ? QDir::homePath() + "/.config" : xdg;
}

}  // namespace

AppSettings::AppSettings(const QString& file, const QString& autostart_dir, QObject* parent)
    : QObject(parent),
      settings_(std::make_unique<QSettings>(
          file.isEmpty() ? ConfigHome() + "/agentgate/desktop.conf" : file, QSettings::IniFormat)),
      autostart_dir_(autostart_dir.isEmpty() ? ConfigHome() + "/autostart" : autostart_dir) {}

bool AppSettings::SetValue(const char* key, const QVariant& v) {
  if (settings_->contains(key) && settings_->value(key) == v) return false;
  settings_->setValue(key, v);
  settings_->sync();
  return true;
}

QString AppSettings::theme() const {
  QString t = settings_->value("theme", "dark").toString();
  return t == "light" ? t : QStringLiteral("dark");
}
void AppSettings::setTheme(const QString& v) {
  if (v != "dark" && v != "light") return;
  if (v != theme() && SetValue("theme", v)) emit themeChanged();
}

QString AppSettings::language() const {
  QString l = settings_->value("language", "en").toString();
  return l == "zh_CN" ? l : QStringLiteral("en");
}
void AppSettings::setLanguage(const QString& v) {
  if (v != "en" && v != "zh_CN") return;
  if (v != language() && SetValue("language", v)) emit languageChanged();
}

bool AppSettings::petVisible() const { return settings_->value("pet/visible", true).toBool(); }
void AppSettings::setPetVisible(bool v) {
  if (v != petVisible() && SetValue("pet/visible", v)) emit petVisibleChanged();
}

QString AppSettings::petCharacter() const {
  return settings_->value("pet/character", "gatewayBot").toString();
}
void AppSettings::setPetCharacter(const QString& v) {
  if (!v.isEmpty() && v != petCharacter() && SetValue("pet/character", v))
    emit petCharacterChanged();
}

QPoint AppSettings::petPosition() const {
  return settings_->value("pet/position", QPoint(-1, -1)).toPoint();
}
void AppSettings::setPetPosition(const QPoint& v) {
  if (v != petPosition() && SetValue("pet/position", v)) emit petPositionChanged();
}

QString AppSettings::userName() const { return settings_->value("pet/userName").toString(); }
void AppSettings::setUserName(const QString& v) {
  QString name = v.trimmed().left(40);
  if (name != userName() && SetValue("pet/userName", name)) emit userNameChanged();
}

QString AppSettings::autostartFile() const { return autostart_dir_ + "/agentgate-desktop.desktop"; }

bool AppSettings::autostart() const { return QFileInfo::exists(autostartFile()); }

void AppSettings::setAutostart(bool v) {
  if (v == autostart()) return;
  if (v) {
    QDir().mkpath(autostart_dir_);
    QString command =
        autostart_command_.isEmpty() ? QCoreApplication::applicationFilePath() : autostart_command_;
    QSaveFile f(autostartFile());
    if (!f.open(QIODevice::WriteOnly)) return;
    // The desktop entry spec: Exec arguments with spaces are quoted.
    if (command.contains(' ')) command = '"' + command + '"';
    f.write(QStringLiteral("[Desktop Entry]\n"
                           "Type=Application\n"
                           "Name=AgentGate\n"
                           "Comment=LLM gateway for coding agents\n"
                           "Exec=%1 --minimized\n"
                           "Icon=agentgate\n"
                           "Terminal=false\n"
                           "X-GNOME-Autostart-enabled=true\n")
                .arg(command)
                .toUtf8());
    if (!f.commit()) return;
  } else {
    QFile::remove(autostartFile());
  }
  emit autostartChanged();
}

bool AppSettings::quickSetupForced() const {
  return settings_->value("quickSetupForced", false).toBool();
}
void AppSettings::setQuickSetupForced(bool v) {
  if (v != quickSetupForced() && SetValue("quickSetupForced", v)) emit quickSetupForcedChanged();
}

bool AppSettings::closeToTray() const { return settings_->value("closeToTray", true).toBool(); }
void AppSettings::setCloseToTray(bool v) {
  if (v != closeToTray() && SetValue("closeToTray", v)) emit closeToTrayChanged();
}

}  // namespace agentgate::desktop

#include "moc_app_settings.cpp"
