// The app's button. `kind`: primary (accent fill) | secondary (outlined) | danger | ghost (text
// only). `busy` shows a spinner and ignores clicks.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

Button {
    id: control

    property string kind: "secondary"
    property bool busy: false
    property bool compact: false
    // A one-glyph button (↑ ↓ ✕): square.
    property bool glyph: false

    readonly property color fg: kind === "primary" ? Theme.accentText
                              : kind === "danger" ? Theme.error
                              : kind === "ghost" ? Theme.accent
                              : Theme.text

    hoverEnabled: true
    focusPolicy: Qt.StrongFocus
    implicitHeight: compact ? 28 : 34
    leftPadding: glyph ? 0 : compact ? 10 : 14
    rightPadding: glyph ? 0 : compact ? 10 : 14
    topPadding: 0
    bottomPadding: 0
    font.pixelSize: compact ? Theme.smallFont : Theme.fontSize
    opacity: enabled ? 1 : 0.45

    contentItem: Item {
        implicitWidth: spinner.visible ? caption.implicitWidth + spinner.width + 8
                                       : caption.implicitWidth
        implicitHeight: caption.implicitHeight
        Row {
            anchors.centerIn: parent
            spacing: 8
            Rectangle {
                id: spinner
                visible: control.busy
                width: 12
                height: 12
                radius: 6
                anchors.verticalCenter: parent.verticalCenter
                color: "transparent"
                border.width: 2
                border.color: Qt.rgba(control.fg.r, control.fg.g, control.fg.b, 0.35)
                Rectangle {
                    width: 4
                    height: 4
                    radius: 2
                    color: control.fg
                    x: 4
                    y: -1
                }
                RotationAnimation on rotation {
                    running: control.busy
                    from: 0
                    to: 360
                    duration: 900
                    loops: Animation.Infinite
                }
            }
            Label {
                id: caption
                text: control.text
                font: control.font
                color: control.fg
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }

    background: Rectangle {
        implicitWidth: control.glyph ? control.implicitHeight : control.compact ? 48 : 72
        radius: 8
        color: {
            if (control.kind === "primary")
                return control.down ? Qt.darker(Theme.accent, 1.15)
                     : control.hovered ? Qt.lighter(Theme.accent, 1.08) : Theme.accent
            if (control.kind === "danger")
                return control.down || control.hovered
                        ? Qt.rgba(Theme.error.r, Theme.error.g, Theme.error.b, 0.14) : "transparent"
            if (control.down) return Theme.selection
            return control.hovered ? Theme.accentSoft : "transparent"
        }
        border.width: control.kind === "ghost" || control.kind === "primary" ? 0 : 1
        border.color: control.kind === "danger"
                      ? Qt.rgba(Theme.error.r, Theme.error.g, Theme.error.b, 0.55)
                      : control.visualFocus ? Theme.accent : Theme.cardBorder
    }

}
