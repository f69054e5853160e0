// A coloured dot for a state. `kind`: ok | warn | error | accent | neutral; `pulse` animates it.
import QtQuick
import AgentGate.Ui

Rectangle {
    id: dot

    property string kind: "neutral"
    property bool pulse: false
    property int size: 10

    implicitWidth: size
    implicitHeight: size
    radius: size / 2
    color: kind === "ok" ? Theme.ok
         : kind === "warn" ? Theme.warn
         : kind === "error" ? Theme.error
         : kind === "accent" ? Theme.accent
         : Theme.textMuted

    Rectangle {
        anchors.centerIn: parent
        width: dot.size * 2.2
        height: width
        radius: width / 2
        color: "transparent"
        border.color: dot.color
        border.width: 1.5
        visible: dot.pulse
        opacity: 0
        SequentialAnimation on opacity {
            running: dot.pulse
            loops: Animation.Infinite
            NumberAnimation { from: 0.8; to: 0; duration: 1400; easing.type: Easing.OutQuad }
        }
    }
}
