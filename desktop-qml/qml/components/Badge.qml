// A small pill: "Vision", "healthy", "429". `kind`: ok | warn | error | accent | neutral.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

Rectangle {
    id: badge

    property string text
    property string kind: "neutral"
    readonly property color tone: kind === "ok" ? Theme.ok
                                : kind === "warn" ? Theme.warn
                                : kind === "error" ? Theme.error
                                : kind === "accent" ? Theme.accent
                                : Theme.textMuted

    // An empty badge is not shown.
    visible: text !== ""
    implicitWidth: label.implicitWidth + 16
    implicitHeight: label.implicitHeight + 6
    // (A layout that was hidden while the text changed keeps the old size otherwise.)
    Layout.preferredWidth: implicitWidth
    Layout.preferredHeight: implicitHeight
    radius: height / 2
    color: Qt.rgba(tone.r, tone.g, tone.b, Theme.dark ? 0.16 : 0.10)
    border.color: Qt.rgba(tone.r, tone.g, tone.b, 0.45)
    border.width: 1

    Label {
        id: label
        anchors.centerIn: parent
        text: badge.text
        color: badge.tone
        font.pixelSize: Theme.smallFont
        font.bold: true
    }
}
