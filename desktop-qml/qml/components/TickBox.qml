// A check box in the app's style.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

CheckBox {
    id: control

    hoverEnabled: true
    spacing: 8
    padding: 2
    font.pixelSize: Theme.fontSize
    opacity: enabled ? 1 : 0.5

    indicator: Rectangle {
        implicitWidth: 18
        implicitHeight: 18
        x: control.leftPadding
        y: (control.height - height) / 2
        radius: 5
        color: control.checked ? Theme.accent : Theme.input
        border.width: control.checked ? 0 : 1.5
        border.color: control.hovered ? Theme.accent : Theme.textMuted
        Label {
            anchors.centerIn: parent
            visible: control.checked
            text: "✓"
            color: Theme.accentText
            font.pixelSize: 13
            font.bold: true
        }
    }

    contentItem: Label {
        text: control.text
        font: control.font
        color: Theme.text
        verticalAlignment: Text.AlignVCenter
        leftPadding: control.indicator.width + control.spacing
        wrapMode: Text.Wrap
    }
}
