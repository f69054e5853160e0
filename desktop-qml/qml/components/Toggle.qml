// An on/off switch in the app's style, with its label on the left of the track.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

Switch {
    id: control

    implicitWidth: text === "" ? implicitIndicatorWidth : implicitContentWidth
    implicitHeight: Math.max(implicitIndicatorHeight, implicitContentHeight)
    hoverEnabled: true
    spacing: 10
    padding: 0
    font.pixelSize: Theme.fontSize
    opacity: enabled ? 1 : 0.5

    indicator: Rectangle {
        implicitWidth: 40
        implicitHeight: 22
        x: control.text === "" ? 0 : control.width - width
        y: (control.height - height) / 2
        radius: 11
        color: control.checked ? Theme.accent : (Theme.dark ? Theme.cardBorder : "#c4c9cf")
        Behavior on color { ColorAnimation { duration: 120 } }

        Rectangle {
            width: 16
            height: 16
            radius: 8
            y: 3
            x: control.checked ? parent.width - width - 3 : 3
            color: control.checked ? Theme.accentText : (Theme.dark ? Theme.textMuted : "#ffffff")
            Behavior on x { NumberAnimation { duration: 120; easing.type: Easing.OutQuad } }
        }
    }

    contentItem: Label {
        text: control.text
        font: control.font
        color: Theme.text
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
        rightPadding: control.text === "" ? 0 : control.indicator.width + control.spacing
    }
}
