// agentgate-desktop --screenshots DIR: renders every page in both themes and both languages, and
// every pet character in every state, to PNG files in DIR (plus pets.png, a contact sheet), for
// the README gallery and the screenshot test. Fails (returns 1) when QML printed any warning or
// a page did not load. `scale` < 1 shrinks the page images (the README gallery uses 0.6).
#pragma once

#include <QApplication>
#include <QQmlApplicationEngine>
#include <QString>

namespace agentgate::desktop {

class Backend;

int RunScreenshots(QApplication& app, QQmlApplicationEngine& engine, Backend& backend,
                   const QString& dir, const QString& only, double scale);

}  // namespace agentgate::desktop
