// Three z's drifting up and fading from the item's bottom-left corner: a sleeping pet. Static
// (evenly spaced) when `animated` is false.
import QtQuick

Item {
    id: zs
    property bool animated: true
    property color color: "#7aa8f0"
    property real phase: 0

    width: 44
    height: 50

    NumberAnimation on phase {
        running: zs.animated && zs.visible
        from: 0
        to: 1
        duration: 3000
        loops: Animation.Infinite
        onStopped: zs.phase = 0
    }

    Repeater {
        model: 3
        Text {
            required property int index
            readonly property real t: (zs.phase + index / 3) % 1
            text: "z"
            color: zs.color
            font.bold: true
            font.pixelSize: 12 + t * 12
            x: 2 + t * 26 + Math.sin(t * Math.PI * 2) * 3
            y: zs.height - 14 - t * 38
            opacity: zs.animated ? Math.min(1, 4 * t) * (1 - t * 0.7) : 0.6 + 0.4 * (1 - t)
        }
    }
}
